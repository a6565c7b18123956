using System.Diagnostics.Metrics;

namespace Alternance.Grains;

/// <summary>
/// The cells' instruments (meter <c>Alternance.Cells</c>, exported by the silo that hosts them): which cells the
/// searches land on (the hot cells) and how many items imports hand them (ingest progress). One counter increment
/// per search on a cell; the cell tag has at most one value per H3 cell holding items (~90 over France at
/// resolution 3), the ingest tags one per source and operation. A gauge says how many distinct values the silo's
/// <see cref="SharedStrings"/> holds (bounded; values of replaced feeds stay until a restart).
/// </summary>
public sealed class CellMetrics
{
    public const string Name = "Alternance.Cells";

    private readonly Counter<long> _searches;
    private readonly Counter<long> _ingested;

    public CellMetrics(IMeterFactory meters, SharedStrings strings)
    {
        Meter meter = meters.Create(Name);
        meter.CreateObservableGauge("alternance.shared_strings.values", () => (long)strings.Count, "{value}",
            $"Distinct values the silo's items share (places, labels...); it stops adding at {SharedStrings.DefaultCapacity:N0}");
        _searches = meter.CreateCounter<long>("alternance.cell.searches", "{search}", "Searches a cell answered, by cell (H3 index)");
        _ingested = meter.CreateCounter<long>("alternance.ingest.items", "{item}", "Items imports handed to cells, by source and operation (staged for a replace, upserted, removed)");
    }

    /// <summary>The tag of one cell, made once per activation.</summary>
    public static KeyValuePair<string, object?> CellTag(long cell) => new("cell", cell.ToString("x"));

    public void Searched(in KeyValuePair<string, object?> cell) => _searches.Add(1, cell);

    public void Ingested(Source source, string operation, int items)
    {
        if (items == 0) return;
        _ingested.Add(items, new KeyValuePair<string, object?>("source", source.FeedName()), new KeyValuePair<string, object?>("operation", operation));
    }
}
