using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Alternance.Grains;

/// <summary>
/// The cells' instruments (meter <c>Alternance.Cells</c>, exported by the silo that hosts them): which cells the
/// searches land on (the hot cells) and how many items imports hand them (ingest progress). A search adds one to its
/// cell's own count, read when the meter is collected: a tagged counter update per cell search looked the tag's series
/// up in the meter's store, part of the 1.5 % the metrics' store took of an HTTP search's CPU co-hosted. The cell tag
/// has at most one value per H3 cell holding items (~90 over France at resolution 3), the ingest tags one per source
/// and operation. A gauge says how many distinct values the silo's <see cref="SharedStrings"/> holds (bounded; values
/// of replaced feeds stay until a restart).
/// </summary>
public sealed class CellMetrics
{
    public const string Name = "Alternance.Cells";

    private readonly ConcurrentDictionary<long, SearchCount> _searches = new();
    private readonly Counter<long> _ingested;

    public CellMetrics(IMeterFactory meters, SharedStrings strings)
    {
        Meter meter = meters.Create(Name);
        meter.CreateObservableGauge("alternance.shared_strings.values", () => (long)strings.Count, "{value}",
            $"Distinct values the silo's items share (places, labels...); it stops adding at {SharedStrings.DefaultCapacity:N0}");
        meter.CreateObservableCounter("alternance.cell.searches", Searches, "{search}", "Searches a cell answered, by cell (H3 index)");
        _ingested = meter.CreateCounter<long>("alternance.ingest.items", "{item}", "Items imports handed to cells, by source and operation (staged for a replace, upserted, removed)");
    }

    /// <summary>The search count of one cell, kept across its activations on this silo (the counter stays monotonic).</summary>
    public SearchCount SearchCountOf(long cell) => _searches.GetOrAdd(cell, static c => new SearchCount(c));

    private IEnumerable<Measurement<long>> Searches()
    {
        foreach (SearchCount count in _searches.Values)
        {
            // A cell that was activated and not searched yet has no series, as with a counter never added to.
            long value = Volatile.Read(ref count.Value);
            if (value > 0) yield return new Measurement<long>(value, count.Tag);
        }
    }

    /// <summary>One cell's searches (<see cref="Searched"/> adds one).</summary>
    public sealed class SearchCount(long cell)
    {
        internal long Value;
        internal readonly KeyValuePair<string, object?> Tag = new("cell", cell.ToString("x"));

        public void Searched() => Interlocked.Increment(ref Value);
    }

    public void Ingested(Source source, string operation, int items)
    {
        if (items == 0) return;
        _ingested.Add(items, new KeyValuePair<string, object?>("source", source.FeedName()), new KeyValuePair<string, object?>("operation", operation));
    }
}
