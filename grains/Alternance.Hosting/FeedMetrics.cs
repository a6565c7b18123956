using System.Diagnostics.Metrics;
using Alternance.Search;
using Microsoft.Extensions.Hosting;

namespace Alternance.Hosting;

/// <summary>
/// What a front reads, as gauges (meter <c>Alternance.Feeds</c>): per feed, the live generation and its item count,
/// from this front's copy of the directory. Read at scrape time only: nothing on the search path. With
/// <c>alternance.ingest.items</c> (the cells) they show an import's progress and its swap.
/// </summary>
public sealed class FeedMetrics : IHostedService
{
    public const string Name = "Alternance.Feeds";

    public FeedMetrics(IMeterFactory meters, DirectoryCache directory)
    {
        Meter meter = meters.Create(Name);
        meter.CreateObservableGauge("alternance.feed.items", () => Observe(directory, s => s.ItemCount), "{item}", "Items in the live generation of each feed");
        meter.CreateObservableGauge("alternance.feed.generation", () => Observe(directory, s => s.Generation), "{generation}", "The live generation of each feed (0: never imported)");
    }

    private static IEnumerable<Measurement<long>> Observe(DirectoryCache directory, Func<SourceDirectory, long> value)
    {
        if (directory.Current is not { } snapshot) yield break;
        foreach (SourceDirectory source in snapshot.Sources)
        {
            yield return new Measurement<long>(value(source), new KeyValuePair<string, object?>("source", source.Source.FeedName()));
        }
    }

    // A hosted service only so that the gauges exist from the host's start (the first scrape), not from a first use.
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
