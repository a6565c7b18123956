namespace Alternance.Hosting.Tests;

/// <summary>
/// The deployed topology on loopback: one silo (<c>silo run</c>) and one API node in client mode, the four feeds
/// imported with the CLI. Default settings but for the ports, the store and the silo's compaction after a load (a second
/// of quiet and any number of items, where the defaults wait ten seconds for 50,000): the dashboard is loopback-only.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private readonly FeedsFixture _feeds = new();
    private ServiceProcess? _silo, _api;

    public ClusterPorts Ports { get; } = ClusterPorts.Free();

    public int SiloHttpPort { get; } = FreePorts.Next();

    public int ApiHttpPort { get; } = FreePorts.Next();

    public HttpClient Silo { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    public ServiceProcess SiloProcess => _silo!;

    public ServiceProcess ApiProcess => _api!;

    public FeedsFixture Feeds => _feeds;

    public string Folder => _folder.Path;

    public async Task InitializeAsync()
    {
        await _feeds.InitializeAsync();
        _silo = Launch.Silo(_folder.Path, SiloHttpPort, Ports,
            "--Cluster:LoadCompaction:QuietSeconds=1", "--Cluster:LoadCompaction:MinimumItems=1");
        Silo = Launch.Http(SiloHttpPort);
        await _silo.WaitForHttpOkAsync(Silo, "/health/ready", Launch.StartTimeout);
        await _feeds.ImportAsync(_folder.Path, Ports, FeedsFixture.Names);
        _api = Launch.ClientApi(_folder.Path, ApiHttpPort, Ports);
        Api = Launch.Http(ApiHttpPort);
        await _api.WaitForHttpOkAsync(Api, "/health/ready", Launch.StartTimeout);
    }

    public async Task DisposeAsync()
    {
        Api?.Dispose();
        Silo?.Dispose();
        if (_api is not null) await _api.DisposeAsync();
        if (_silo is not null) await _silo.DisposeAsync();
        _feeds.Dispose();
        _folder.Dispose();
    }
}

/// <summary>The default command (API with a co-hosted silo, tiny bundled dataset) with the dashboard behind a key.</summary>
public sealed class KeyedEmbeddedApiFixture : IAsyncLifetime
{
    public const string DashboardKey = "a-dashboard-key-for-the-tests";

    private readonly TempFolder _folder = new();
    private ServiceProcess? _api;

    public int HttpPort { get; } = FreePorts.Next();

    public HttpClient Api { get; private set; } = null!;

    public ServiceProcess Process => _api!;

    public async Task InitializeAsync()
    {
        _api = Launch.EmbeddedApi(_folder.Path, HttpPort, ClusterPorts.Free(), "--Dashboard:Access=Key", $"--Dashboard:Key={DashboardKey}");
        Api = Launch.Http(HttpPort);
        await _api.WaitForHttpOkAsync(Api, "/health/ready", Launch.StartTimeout);
    }

    public async Task DisposeAsync()
    {
        Api?.Dispose();
        if (_api is not null) await _api.DisposeAsync();
        _folder.Dispose();
    }
}
