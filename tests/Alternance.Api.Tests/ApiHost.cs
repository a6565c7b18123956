using System.Net;
using System.Net.Sockets;
using Alternance.Api.Search;
using Alternance.Data;
using Alternance.Search;
using Alternance.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Alternance.Api.Tests;

/// <summary>
/// One API host for the whole suite, served by Kestrel on a loopback port: the real Program in its embedded mode (a co-hosted silo), in-memory grain
/// storage, the bundled dataset at scale 0.02 (same seed as the server, so the tests can regenerate it and know
/// every id), free silo ports. A header turns on per-source failures (<see cref="FaultInjectingBackend"/>). The service
/// clock stands still at <see cref="Now"/>, a few days after the dataset's day: some of its posted offers have expired.
/// Other suites derive from it to add settings (<see cref="ConfigureSettings"/>).
/// </summary>
public class ApiHost : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const double Scale = 0.02;
    public const int Seed = 20261129;
    public const string EmailKeyHex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    public const string PhoneCaller = "phone-partner";
    /// <summary>Comma-separated source names (Formation, PeJob, Matcha, Company) whose queries fail.</summary>
    public const string FailHeader = "X-Test-Fail-Sources";
    /// <summary><c>bug</c> or <c>cluster</c>: item look-ups throw (the global exception handler's tests).</summary>
    public const string ThrowHeader = "X-Test-Throw";
    /// <summary>The service clock's instant (searches leave out the offers expired by then).</summary>
    public static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 30, 0, TimeSpan.Zero);

    /// <summary>The clock of this host and of the client nodes tests start beside it.</summary>
    public static FakeTimeProvider NewClock() => new(Now);

    /// <summary>The contract's answers over some of this dataset, as of <see cref="Now"/>.</summary>
    public static ContractOracle Oracle(IEnumerable<SearchItem> items) => new(items, Now.ToUnixTimeMilliseconds());

    private readonly int _siloPort = FreePort();
    private readonly int _gatewayPort = FreePort();
    private readonly int _httpPort = FreePort();
    private readonly string _clusterName = "api-tests-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The co-hosted silo's gateway, for a client-mode API node of the same cluster.</summary>
    public int GatewayPort => _gatewayPort;

    /// <summary>The cluster's ServiceId and ClusterId.</summary>
    public string ClusterName => _clusterName;

    public HttpClient Http { get; private set; } = null!;
    public ReferenceData Reference { get; } = ReferenceData.Load();
    public List<FormationItem> Formations { get; } = [];
    public List<PeJobItem> PeJobs { get; } = [];
    public List<MatchaItem> Matchas { get; } = [];
    public List<CompanyItem> Companies { get; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Cluster:Mode", "Embedded");
        builder.UseSetting("Cluster:Storage", "Memory");
        builder.UseSetting("Cluster:SiloPort", _siloPort.ToString());
        builder.UseSetting("Cluster:GatewayPort", _gatewayPort.ToString());
        builder.UseSetting("Cluster:ServiceId", _clusterName);
        builder.UseSetting("Cluster:ClusterId", _clusterName);
        builder.UseSetting("Dataset:Scale", Scale.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Dataset:Seed", Seed.ToString());
        builder.UseSetting("Dataset:Today", DatasetGenerator.DefaultToday.ToString("yyyy-MM-dd"));
        builder.UseSetting("RateLimiting:Enabled", "false");
        builder.UseSetting("Benchmarks:Enabled", "true");
        builder.UseSetting("Cluster:Dashboard", "false");
        builder.UseSetting("Privacy:EmailKey", EmailKeyHex);
        builder.UseSetting("Privacy:PhoneCallers:0", PhoneCaller);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        ConfigureSettings(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddKeyedSingleton<TimeProvider>(WriteClock.Key, NewClock());
            services.AddHttpContextAccessor();
            services.AddSingleton<ISearchBackend>(sp => new FaultInjectingBackend(
                new EngineSearchBackend(sp.GetRequiredService<SearchEngine>()), sp.GetRequiredService<IHttpContextAccessor>()));
        });
    }

    /// <summary>Settings a derived host adds or overrides (applied after the ones above).</summary>
    protected virtual void ConfigureSettings(IWebHostBuilder builder)
    {
    }

    /// <summary>The base address of the API over real HTTP.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{_httpPort}");

    public async Task InitializeAsync()
    {
        // Real HTTP: Kestrel on a free loopback port, the client over sockets.
        UseKestrel(_httpPort);
        StartServer();
        var generator = new DatasetGenerator(Reference, new GeneratorOptions { Seed = Seed, Scale = Scale });
        foreach (SearchItem item in generator.Formations()) Formations.Add((FormationItem)item);
        foreach (SearchItem item in generator.Matchas()) Matchas.Add((MatchaItem)item);
        foreach (SearchItem item in generator.Companies()) Companies.Add((CompanyItem)item);
        // National offers as the service holds them: those whose employer's SIREN is a company's carry that company's OPCO.
        var opcoBySiren = new Dictionary<string, CompanyItem>(StringComparer.Ordinal);
        foreach (CompanyItem company in Companies) opcoBySiren[company.Siret[..9]] = company;
        foreach (SearchItem item in generator.PeJobs())
        {
            var national = (PeJobItem)item;
            if (national.Opco is null && national.EntrepriseSiret is { Length: 14 } siret && opcoBySiren.TryGetValue(siret[..9], out CompanyItem? employer)
                && employer.OpcoShortName is not null)
            {
                national = national with { Opco = employer.OpcoShortName, OpcoUrl = employer.OpcoUrl };
            }
            PeJobs.Add(national);
        }

        Http = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = BaseAddress });
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            using HttpResponseMessage ready = await Http.GetAsync("/health/ready");
            if (ready.StatusCode == HttpStatusCode.OK) break;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The API host did not become ready: " + await ready.Content.ReadAsStringAsync());
            await Task.Delay(200);
        }
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        Http.Dispose();
        await DisposeAsync();
        await OnDisposedAsync();
    }

    /// <summary>What a derived host cleans up once the server is stopped.</summary>
    protected virtual Task OnDisposedAsync() => Task.CompletedTask;

    internal static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>Fails the queries of the sources named in the request's <see cref="ApiHost.FailHeader"/> header.</summary>
public sealed class FaultInjectingBackend(ISearchBackend inner, IHttpContextAccessor http) : ISearchBackend
{
    public async Task<SearchOutcome[]> SearchAsync(IReadOnlyList<SourceQuery> queries, CancellationToken cancellationToken)
    {
        SearchOutcome[] outcomes = await inner.SearchAsync(queries, cancellationToken);
        string? fail = http.HttpContext?.Request.Headers[ApiHost.FailHeader];
        if (string.IsNullOrEmpty(fail)) return outcomes;
        for (int i = 0; i < queries.Count; i++)
        {
            if (fail.Contains(queries[i].Source.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                outcomes[i] = new SearchOutcome(outcomes[i].Generation, [], new TimeoutException("injected failure"));
            }
        }
        return outcomes;
    }

    public Task<SearchItem?> GetAsync(Source source, string id, CancellationToken cancellationToken) =>
        http.HttpContext?.Request.Headers[ApiHost.ThrowHeader].ToString() switch
        {
            "bug" => throw new InvalidOperationException("a bug, with a secret in its message"),
            "cluster" => throw new TimeoutException("the cluster did not answer"),
            _ => inner.GetAsync(source, id, cancellationToken),
        };

    public Task<SearchItem?[]> FetchAsync(Source source, long generation, IReadOnlyList<Hit> hits, CancellationToken cancellationToken) =>
        inner.FetchAsync(source, generation, hits, cancellationToken);

    public IAsyncEnumerable<SearchItem> ListAllAsync(IReadOnlyList<SourceQuery> queries, CancellationToken cancellationToken) =>
        inner.ListAllAsync(queries, cancellationToken);
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiHost>
{
    public const string Name = "api";
}
