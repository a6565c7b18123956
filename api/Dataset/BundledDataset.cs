using System.Diagnostics;
using Alternance.Data;
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
    ILogger<BundledDatasetLoader> logger,
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
        if (missing.Count == 0)
        {
            // Activate every cell now, so the first searches do not pay for reading the store.
            var clock0 = Stopwatch.StartNew();
            var cells = new HashSet<long>(snapshot.LiveCells);
            foreach (SourceDirectory source in snapshot.Sources) cells.UnionWith(source.Cells);
            await Task.WhenAll(cells.Select(cell => grains.GetGrain<ICellGrain>(cell).Stats().AsTask()));
            warmth.MarkWarm();
            logger.LogInformation("Dataset already in the store: {Items} items in {Cells} cells, warmed in {Elapsed:0.0} s",
                TotalItems(snapshot), cells.Count, clock0.Elapsed.TotalSeconds);
            return;
        }

        var clock = Stopwatch.StartNew();
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
            IEnumerable<SearchItem> items = source switch
            {
                Source.Formation => generator.Formations(),
                Source.PeJob => generator.PeJobs(),
                Source.Matcha => generator.Matchas(),
                _ => generator.Companies(),
            };
            ImportReport report = await importer.ReplaceAsync(source, items);
            logger.LogInformation("Bundled {Feed}: {Items} items in {Cells} cells ({Elapsed:0.0} s)",
                source.FeedName(), report.Items, report.Cells, report.Elapsed.TotalSeconds);
        }
        warmth.MarkWarm();
        logger.LogInformation("Bundled dataset loaded in {Elapsed:0.0} s", clock.Elapsed.TotalSeconds);
    }

    private static long TotalItems(DirectorySnapshot snapshot)
    {
        long total = 0;
        foreach (SourceDirectory source in snapshot.Sources) total += source.ItemCount;
        return total;
    }
}
