using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Alternance.Search;

/// <summary>
/// The engine's own instruments (meter <c>Alternance.Search</c>, exported with Orleans' at <c>/metrics</c>):
/// how many cells a search visits, how long it takes, what imports load. The activity source of the same name
/// puts a span around each search, parent of the grain calls to its cells.
/// </summary>
public sealed class EngineMetrics
{
    public const string Name = "Alternance.Search";

    public static readonly ActivitySource Activities = new(Name);

    private readonly Histogram<int> _cellsPerSearch;
    private readonly Histogram<double> _searchDuration;
    private readonly Counter<long> _sourceQueries;
    private readonly Counter<long> _sourceFailures;
    private readonly Counter<long> _resent;

    public EngineMetrics(IMeterFactory meters)
    {
        Meter meter = meters.Create(Name);
        _cellsPerSearch = meter.CreateHistogram<int>("alternance.search.cells", "{cell}", "Cells a search visited");
        _searchDuration = meter.CreateHistogram<double>("alternance.search.duration", "ms", "Time from directory snapshot to merged answer");
        _sourceQueries = meter.CreateCounter<long>("alternance.search.queries", "{query}", "Source queries answered, by source");
        _sourceFailures = meter.CreateCounter<long>("alternance.search.failures", "{query}", "Source queries that failed (a cell did not answer), by source");
        _resent = meter.CreateCounter<long>("alternance.search.resends", "{round}", "Rounds of cell calls sent again because the runtime could not deliver them (a silo lost)");
        // Failures are exported at 0 from the start: a counter's series appears with its first measurement, and a
        // dashboard panel or an alert on a series that does not exist yet shows nothing rather than 0.
        foreach (Source source in Enum.GetValues<Source>()) _sourceFailures.Add(0, SourceTag(source));
    }

    public void Searched(int cells, TimeSpan elapsed)
    {
        _cellsPerSearch.Record(cells);
        _searchDuration.Record(elapsed.TotalMilliseconds);
    }

    public void Resent() => _resent.Add(1);

    public void Answered(Source source, bool failed)
    {
        KeyValuePair<string, object?> tag = SourceTag(source);
        _sourceQueries.Add(1, tag);
        if (failed) _sourceFailures.Add(1, tag);
    }

    private static KeyValuePair<string, object?> SourceTag(Source source) => new("source", source.FeedName());
}
