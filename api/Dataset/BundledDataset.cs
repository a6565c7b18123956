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
}

public static class BundledDatasetConfiguration
{
    public static IServiceCollection AddBundledDataset(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<DatasetOptions>(configuration.GetSection(DatasetOptions.Section));
        services.AddHostedService<BundledDatasetLoader>();
        return services;
    }
}

/// <summary>
/// On the first start of an embedded store, generates the bundled dataset and imports it: every feed that has
/// no live generation yet is replaced by the generated one. Later starts find the feeds in the store.
/// </summary>
public sealed class BundledDatasetLoader(
    FeedImporter importer,
    DirectoryCache directory,
    Microsoft.Extensions.Options.IOptions<DatasetOptions> options,
    ILogger<BundledDatasetLoader> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.LoadOnStart)
        {
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
            logger.LogInformation("Dataset already in the store: {Items} items", TotalItems(snapshot));
            return;
        }

        var clock = Stopwatch.StartNew();
        var generator = new DatasetGenerator(ReferenceData.Load(), new GeneratorOptions { Seed = options.Value.Seed, Scale = options.Value.Scale });
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
        logger.LogInformation("Bundled dataset loaded in {Elapsed:0.0} s", clock.Elapsed.TotalSeconds);
    }

    private static long TotalItems(DirectorySnapshot snapshot)
    {
        long total = 0;
        foreach (SourceDirectory source in snapshot.Sources) total += source.ItemCount;
        return total;
    }
}
