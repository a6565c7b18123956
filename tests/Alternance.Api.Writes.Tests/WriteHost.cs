using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Alternance.Search;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Alternance.Api.Writes.Tests;

/// <summary>
/// The API host as it runs by default (embedded silo, file store, bundled dataset at a small scale) in
/// WebApplicationFactory, on free silo/gateway ports, with its own store and mail folders, a fake write clock, two
/// partners and an admin key.
/// </summary>
public sealed class WriteHost : WebApplicationFactory<Program>
{
    public const string AlphaKey = "alpha-key-0123456789";
    public const string BetaKey = "beta-key-0123456789";
    public const string AdminKey = "admin-key-0123456789";
    public const string EmailKeyHex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    public WriteHost(string root, FakeTimeProvider clock, IDictionary<string, string?>? overrides = null, string? serviceId = null,
        Action<IServiceCollection>? services = null)
    {
        _services = services;
        Root = root;
        Clock = clock;
        StorePath = Path.Combine(root, "store");
        MailFolder = Path.Combine(root, "mail");
        _settings = new Dictionary<string, string?>
        {
            ["Cluster:Mode"] = "Embedded",
            ["Cluster:Clustering"] = "Localhost",
            ["Cluster:Storage"] = "File",
            ["Cluster:StoragePath"] = StorePath,
            ["Cluster:ServiceId"] = serviceId ?? "writes-" + Path.GetFileName(root),
            ["Cluster:ClusterId"] = "writes-tests",
            ["Cluster:SiloPort"] = FreePort().ToString(),
            ["Cluster:GatewayPort"] = FreePort().ToString(),
            ["Dataset:LoadOnStart"] = "true",
            ["Dataset:Scale"] = "0.02",
            ["RateLimiting:Enabled"] = "false",
            ["Partners:0:Name"] = "alpha",
            ["Partners:0:ApiKey"] = AlphaKey,
            ["Partners:0:Opco"] = "AKTO",
            ["Partners:1:Name"] = "beta",
            ["Partners:1:ApiKey"] = BetaKey,
            ["Admin:ApiKey"] = AdminKey,
            ["Mail:Folder"] = MailFolder,
            ["Mail:PublicUrl"] = "http://alternance.test",
            ["Privacy:EmailKey"] = EmailKeyHex,
            ["Recruiters:ExpiryCheckInterval"] = "00:00:00.100",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Orleans"] = "Error",
            ["Logging:LogLevel:Microsoft"] = "Warning",
        };
        if (overrides is not null)
        {
            foreach (var (key, value) in overrides) _settings[key] = value;
        }
    }

    public string Root { get; }
    public string StorePath { get; }
    public string MailFolder { get; }
    public FakeTimeProvider Clock { get; }
    public string Setting(string key) => _settings[key]!;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Settings, not app configuration callbacks: Program reads the cluster section before it builds the host.
        foreach (var (key, value) in _settings)
        {
            if (value is not null) builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services =>
        {
            services.AddKeyedSingleton<TimeProvider>(WriteClock.Key, Clock);
            _services?.Invoke(services);
        });
    }

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    public SearchEngine Engine => Services.GetRequiredService<SearchEngine>();

    /// <summary>Starts the host and waits until every feed is loaded.</summary>
    public async Task StartAsync(bool waitForDataset = true)
    {
        using HttpClient client = CreateClient();
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            using HttpResponseMessage ready = await client.GetAsync(waitForDataset ? "/health/ready" : "/health/live");
            if (ready.StatusCode == HttpStatusCode.OK) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The API host did not become ready.");
            await Task.Delay(100);
        }
    }

    public HttpClient Partner(string key = AlphaKey)
    {
        HttpClient client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public HttpClient Admin()
    {
        HttpClient client = CreateClient();
        client.DefaultRequestHeaders.Add("x-api-key", AdminKey);
        return client;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string NewRoot() => Path.Combine(Path.GetTempPath(), "alternance-writes-tests", Guid.NewGuid().ToString("N")[..12]);
}

/// <summary>JSON helpers for the tests.</summary>
public static class Http
{
    public static StringContent Json(object body) =>
        new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    public static StringContent Raw(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonElement> ReadJson(this HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}

/// <summary>Items of the bundled feeds, as the tests pick them: listed, then fetched from their cells.</summary>
public static class Listings
{
    public static async Task<List<T>> ListAsync<T>(this SearchEngine engine, Source source, int limit) where T : SearchItem
    {
        SearchOutcome outcome = (await engine.SearchAsync([new SourceQuery { Source = source, Area = SearchArea.Listing, Limit = limit }]))[0];
        if (outcome.Error is { } error) throw error;
        SearchItem?[] items = await engine.FetchAsync(source, outcome.Generation, outcome.Hits);
        return [.. items.OfType<T>()];
    }
}
