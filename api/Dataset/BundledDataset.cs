using System.Diagnostics;
using Alternance.Data;
using Alternance.Grains;
using Alternance.Search;

namespace Alternance.Api.Dataset;

public sealed class DatasetOptions
{
    public const string Section = "Dataset";

    /// <summary>Load the bundled dataset into any feed that was never imported (embedded default).</summary>
    public bool LoadOnStart { get; set; } = true;

    /// <summary>1 is the real scale (~475,000 items); 0.01 for quick trials, 10 for load tests.</summary>
    public double Scale { get; set; } = 1.0;

    public int Seed { get; set; } = 20261129;

    /// <summary>
    /// The day the dataset is generated for (<c>yyyy-MM-dd</c>; its offers' dates are relative to it). Unset: the day of
    /// the first start, by the service clock, so that a fresh store's offers are current.
    /// </summary>
    public DateOnly? Today { get; set; }
}

public static class BundledDatasetConfiguration
{
    /// <summary>
    /// An API node of a cluster: ready once every cell has been activated, so that the first searches after a cluster
    /// (re)start do not each wait for cells to be read from storage.
    /// </summary>
    public static IServiceCollection AddClusterWarmup(this IServiceCollection services)
    {
        services.AddSingleton<DatasetWarmth>();
        services.AddHostedService<ClusterWarmup>();
        return services;
    }

    public static IServiceCollection AddBundledDataset(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<DatasetOptions>(configuration.GetSection(DatasetOptions.Section));
        services.AddSingleton<DatasetWarmth>();
        services.AddHostedService<BundledDatasetLoader>();
        return services;
    }
}

/// <summary>
/// On the first start of an embedded store, generates the bundled dataset and imports it: every feed that has
/// no live generation yet is replaced by the generated one. Later starts find the feeds in the store.
/// </summary>
/// <summary>Whether this process has finished loading or warming its cells (readiness waits for it).</summary>
public sealed class DatasetWarmth
{
    private volatile bool _warm;

    public bool IsWarm => _warm;

    public void MarkWarm() => _warm = true;
}

public sealed class BundledDatasetLoader(
    FeedImporter importer,
    DirectoryCache directory,
    IGrainFactory grains,
    DatasetWarmth warmth,
    Microsoft.Extensions.Options.IOptions<DatasetOptions> options,
    IConfiguration configuration,
    ILogger<BundledDatasetLoader> logger,
    LoadCompaction compaction,
    [FromKeyedServices(WriteClock.Key)] TimeProvider? serviceClock = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.LoadOnStart)
        {
            warmth.MarkWarm();
            return;
        }
        DirectorySnapshot snapshot = await directory.RefreshAsync();
        var missing = new List<Source>();
        foreach (SourceDirectory source in snapshot.Sources)
        {
            if (source.Generation == 0) missing.Add(source.Source);
        }
        // Companies first: national offers take their employers' OPCO from the companies feed when they are imported.
        missing.Sort((a, b) => (b == Source.Company).CompareTo(a == Source.Company));
        if (missing.Count == 0)
        {
            // Activate every cell now, so the first searches do not pay for reading the store.
            var clock0 = Stopwatch.StartNew();
            logger.LogInformation("Reading the dataset back from {Store}: {Items:N0} items. Orleans may warn of slow work or a stalled thread pool meanwhile: expected, it passes.",
                StoreDescription(), TotalItems(snapshot));
            var cells = new HashSet<long>(snapshot.LiveCells);
            foreach (SourceDirectory source in snapshot.Sources) cells.UnionWith(source.Cells);
            await CellActivation.ActivateAsync(grains, cells, logger, stoppingToken);
            ReturnLoadMemory();
            warmth.MarkWarm();
            logger.LogInformation("Dataset read back: {Items:N0} items in {Cells} cells, in {Elapsed:0.0} s",
                TotalItems(snapshot), cells.Count, clock0.Elapsed.TotalSeconds);
            return;
        }

        var clock = Stopwatch.StartNew();
        logger.LogInformation(
            "First start: generating and loading the bundled dataset into {Store} (synthetic data, scale {Scale}: about {Items:N0} items; " +
            "about half a minute on two cores). Orleans may warn that the thread pool stalled while it loads: expected, it passes.",
            StoreDescription(), options.Value.Scale, 475_000 * options.Value.Scale);
        DateOnly today = options.Value.Today ?? DateOnly.FromDateTime((serviceClock ?? TimeProvider.System).GetUtcNow().UtcDateTime);
        var generator = new DatasetGenerator(ReferenceData.Load(), new GeneratorOptions
        {
            Seed = options.Value.Seed,
            Scale = options.Value.Scale,
            Today = today.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        });
        foreach (Source source in missing)
        {
            stoppingToken.ThrowIfCancellationRequested();
            ImportReport report = await importer.ReplaceAsync(source, generator.Items(source), new LoadProgress(source, logger));
            logger.LogInformation("Loaded {Feed}: {Items:N0} items in {Cells} cells ({Elapsed:0.0} s)",
                source.FeedName(), report.Items, report.Cells, report.Elapsed.TotalSeconds);
        }
        ReturnLoadMemory();
        warmth.MarkWarm();
        logger.LogInformation("Bundled dataset loaded in {Elapsed:0.0} s; later starts read it back from the store", clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Loading leaves the heap at its peak: one compacting collection before the first search gives what is free back to
    /// the system, so the process serves at its working size (a quarter less resident at scale 10) and no search meets
    /// that collection's pause (<see cref="LoadCompaction"/>, which a silo apart runs once its loads are quiet).
    /// </summary>
    private void ReturnLoadMemory() => compaction.CompactNow("Load done");

    private string StoreDescription()
    {
        var cluster = Alternance.Hosting.ClusterHostingOptions.From(configuration);
        return string.Equals(cluster.Storage, "File", StringComparison.OrdinalIgnoreCase) ? cluster.StoragePath : cluster.Storage + " storage";
    }

    /// <summary>A line every five seconds while a feed loads.</summary>
    private sealed class LoadProgress(Source source, ILogger logger) : IProgress<ImportProgress>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _next = 5_000;

        public void Report(ImportProgress value)
        {
            long now = _clock.ElapsedMilliseconds;
            if (now < Interlocked.Read(ref _next)) return;
            Interlocked.Exchange(ref _next, now + 5_000);
            logger.LogInformation("Loading {Feed}: {Items:N0} items so far", source.FeedName(), value.Items);
        }
    }

    private static long TotalItems(DirectorySnapshot snapshot)
    {
        long total = 0;
        foreach (SourceDirectory source in snapshot.Sources) total += source.ItemCount;
        return total;
    }
}

/// <summary>
/// Activates cells before the first search: <see cref="ICellGrain.Warm"/> makes a cell read its slots from storage. A few at a time per core
/// (activation is CPU work: a thousand pings at once only queue, and on a loaded machine the last ones outlived the call
/// timeout, which stopped the host); a ping that timed out or was not delivered is sent again.
/// </summary>
internal static class CellActivation
{
    public static Task ActivateAsync(IGrainFactory grains, IReadOnlyCollection<long> cells, ILogger logger, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(cells, new ParallelOptions { MaxDegreeOfParallelism = 4 * Environment.ProcessorCount, CancellationToken = cancellationToken },
            async (cell, token) =>
            {
                for (int attempt = 0; ; attempt++)
                {
                    try
                    {
                        await Redelivery.RunAsync(async () => { await grains.GetGrain<ICellGrain>(cell).Warm(); return cell; }, TimeSpan.FromSeconds(30), token);
                        return;
                    }
                    catch (Exception e) when (e is TimeoutException || Redelivery.IsUndelivered(e))
                    {
                        logger.LogWarning("Activating cell {Cell:x}: {Message}; trying again", cell, e.Message);
                        await Task.Delay(Redelivery.Pause(attempt), token);
                    }
                }
            });

    /// <summary>
    /// Asks every cell's silo to settle its load (<see cref="ICellGrain.Settle"/>). Best effort: a silo that cannot (an
    /// older build, a failure) compacts later on its own, once its loads are quiet, and the node is ready all the same.
    /// </summary>
    public static Task SettleAsync(IGrainFactory grains, IReadOnlyCollection<long> cells, ILogger logger, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(cells, new ParallelOptions { MaxDegreeOfParallelism = 4 * Environment.ProcessorCount, CancellationToken = cancellationToken },
            async (cell, token) =>
            {
                try
                {
                    await grains.GetGrain<ICellGrain>(cell).Settle().WaitAsync(token);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning("Settling the load of cell {Cell:x}'s silo: {Message}", cell, e.Message);
                }
            });
}

/// <summary>
/// On an API node: once every feed has a live generation, activates every cell that holds items (a silo that restarted,
/// or joined, holds none), has their silos give the load's peak back (<see cref="ICellGrain.Settle"/>: the compaction's
/// pause, seconds at scale 10, comes before the node reports ready, not under its first searches), then marks the node
/// warm; readiness waits for it. Cells are activated once for the cluster: a
/// second node's pass finds them active.
/// </summary>
public sealed class ClusterWarmup(DirectoryCache directory, IGrainFactory grains, DatasetWarmth warmth, ILogger<ClusterWarmup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                DirectorySnapshot snapshot = await directory.RefreshAsync();
                bool loaded = true;
                foreach (SourceDirectory source in snapshot.Sources) loaded &= source.Generation != 0;
                if (loaded)
                {
                    var cells = new HashSet<long>(snapshot.LiveCells);
                    foreach (SourceDirectory source in snapshot.Sources) cells.UnionWith(source.Cells);
                    await CellActivation.ActivateAsync(grains, cells, logger, stoppingToken);
                    await CellActivation.SettleAsync(grains, cells, logger, stoppingToken);
                    warmth.MarkWarm();
                    logger.LogInformation("{Cells} cells active after {Elapsed:0.0} s", cells.Count, clock.Elapsed.TotalSeconds);
                    return;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Warming the cells: {Message}; trying again", e.Message);
            }
            await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
        }
    }
}
