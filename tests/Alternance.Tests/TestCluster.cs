using Alternance.Hosting;
using Alternance.Search;
using Alternance.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Orleans.TestingHost;

namespace Alternance.Tests;

/// <summary>Where a test cluster keeps its cells.</summary>
public enum StoreKind { Memory, File, Azurite }

/// <summary>
/// A real multi-silo Orleans cluster in the test process (in-memory transport), with the engine's front
/// (directory cache, planner, scatter/gather, importer) wired to its client as an API node would be.
/// </summary>
public sealed class EngineCluster : IAsyncDisposable
{
    public InProcessTestCluster Cluster { get; }
    public DirectoryCache Directory { get; }
    public SearchEngine Engine { get; }
    public FeedImporter Importer { get; }
    public string? StorePath { get; }

    private EngineCluster(InProcessTestCluster cluster, string? storePath)
    {
        Cluster = cluster;
        StorePath = storePath;
        IGrainFactory grains = cluster.Client;
        Directory = new DirectoryCache(grains);
        // The engine's clock stands at the test feeds' instant, so look-ups by id see the same offers expired as searches.
        Engine = new SearchEngine(grains, Directory, new CoverPlanner(), Options.Create(new SearchOptions()),
            clock: new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(Alternance.Tests.Engine.TestFeeds.AsOf)));
        Importer = new FeedImporter(grains, Directory);
    }

    public static async Task<EngineCluster> StartAsync(StoreKind store, short silos = 3, string? serviceId = null, string? storePath = null)
    {
        var builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ConfigureFileLogging = false;
        // A fixed service id lets a second cluster find the state the first one wrote (restart tests).
        builder.Options.ServiceId = serviceId ?? "alternance-test-" + Guid.NewGuid().ToString("N")[..8];
        if (store == StoreKind.File)
        {
            storePath ??= Path.Combine(Path.GetTempPath(), "alternance-tests", Guid.NewGuid().ToString("N"));
        }
        var settings = new Dictionary<string, string?>
        {
            ["Cluster:Clustering"] = "None",
            ["Cluster:Dashboard"] = "false",
            ["Cluster:Storage"] = store switch { StoreKind.File => "File", StoreKind.Azurite => "AzureBlob", _ => "Memory" },
            ["Cluster:StoragePath"] = storePath,
            ["Cluster:AzureStorageConnectionString"] = Azurite.ConnectionString,
            ["Cluster:ServiceId"] = builder.Options.ServiceId,
            // One blob container per cluster: concurrent test runs share one Azurite.
            ["Cluster:BlobContainer"] = builder.Options.ServiceId,
        };
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        builder.ConfigureSilo((_, silo) => silo.AddAlternanceSilo(configuration));
        InProcessTestCluster cluster = builder.Build();
        await cluster.DeployAsync();
        return new EngineCluster(cluster, storePath);
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
    }
}
