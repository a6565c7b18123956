using System.Collections.Concurrent;
using Alternance.Text;
using Microsoft.Extensions.Options;

namespace Alternance.Search;

/// <summary>
/// One source's collection-wide text statistics, as a front knows them: the number of documents, mean field lengths,
/// and per term the number of documents holding it — summed over every cell that holds the source (posted offers
/// included for matchas), so that a query's weights do not depend on which cells answer it. Also the vocabulary the
/// typo alternatives are found in.
/// </summary>
public sealed class TextCollection
{
    private const int ExpansionCacheSize = 50_000;

    private readonly Dictionary<string, int> _frequencies;
    /// <summary>Terms by length, for the one-edit neighbours of a word.</summary>
    private readonly Dictionary<int, string[]> _byLength;
    private readonly ConcurrentDictionary<string, string[]> _neighbours = new(StringComparer.Ordinal);

    public Source Source { get; }
    public long Generation { get; }
    public long DirectoryVersion { get; }
    public DateTime BuiltAt { get; }
    public int Documents { get; }
    public double[] AverageLengths { get; }

    public TextCollection(Source source, long generation, long directoryVersion, TextStatisticsBuilder statistics, DateTime builtAt)
    {
        Source = source;
        Generation = generation;
        DirectoryVersion = directoryVersion;
        BuiltAt = builtAt;
        Documents = statistics.Documents;
        AverageLengths = new double[ItemDocument.FieldCount];
        for (int f = 0; f < AverageLengths.Length; f++)
        {
            AverageLengths[f] = Documents == 0 ? 0 : (double)statistics.FieldLengths[f] / Documents;
        }
        _frequencies = statistics.Terms;
        var byLength = new Dictionary<int, List<string>>();
        foreach (string term in _frequencies.Keys)
        {
            if (!byLength.TryGetValue(term.Length, out List<string>? list)) byLength[term.Length] = list = [];
            list.Add(term);
        }
        _byLength = [];
        foreach (var (length, list) in byLength)
        {
            list.Sort(StringComparer.Ordinal);
            _byLength[length] = [.. list];
        }
    }

    public int DocumentFrequency(string term) => _frequencies.GetValueOrDefault(term);

    public double Idf(string term) => TextScoring.Idf(Documents, DocumentFrequency(term));

    /// <summary>The collection's terms one edit away from <paramref name="term"/>, in ordinal order (cached).</summary>
    public string[] Neighbours(string term)
    {
        if (_neighbours.TryGetValue(term, out string[]? known)) return known;
        var found = new List<string>();
        for (int length = term.Length - 1; length <= term.Length + 1; length++)
        {
            if (!_byLength.TryGetValue(length, out string[]? terms)) continue;
            foreach (string candidate in terms)
            {
                if (TextScoring.OneEditApart(term, candidate)) found.Add(candidate);
            }
        }
        found.Sort(StringComparer.Ordinal);
        string[] result = [.. found];
        if (_neighbours.Count < ExpansionCacheSize) _neighbours.TryAdd(term, result);
        return result;
    }
}

/// <summary>
/// This front's <see cref="TextCollection"/> per source. A new feed generation is gathered from its cells before the
/// first text search that reads it (one <see cref="ICellGrain.TextStatistics"/> call per cell); within a generation
/// (upserts, offers posted through the API, new cells) the statistics are gathered again in the background when the
/// directory changed or they are older than <see cref="TextSearchOptions.StatisticsMaxAge"/>, the previous ones
/// answering meanwhile.
/// </summary>
public sealed class TextCollections(IGrainFactory grains, IOptions<TextSearchOptions> options, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly TextCollection?[] _current = new TextCollection?[Sources.Count];
    private readonly Task<TextCollection>?[] _building = new Task<TextCollection>?[Sources.Count];
    private readonly Lock _lock = new();

    public async ValueTask<TextCollection> GetAsync(DirectorySnapshot snapshot, Source source)
    {
        long generation = snapshot[source].Generation;
        TextCollection? current = _current[(int)source];
        if (current is not null && current.Generation == generation)
        {
            bool stale = current.DirectoryVersion != snapshot.Version
                || _clock.GetUtcNow().UtcDateTime - current.BuiltAt > options.Value.StatisticsMaxAge;
            if (stale) _ = Build(snapshot, source);
            return current;
        }
        TextCollection built = await Build(snapshot, source);
        // A gather of an older snapshot may have been under way: then gather this one.
        return built.Generation == generation ? built : await Build(snapshot, source);
    }

    /// <summary>Gathers the statistics again now (after a write this front made, or in tests).</summary>
    public Task<TextCollection> RefreshAsync(DirectorySnapshot snapshot, Source source) => Build(snapshot, source);

    private Task<TextCollection> Build(DirectorySnapshot snapshot, Source source)
    {
        lock (_lock)
        {
            if (_building[(int)source] is { IsCompleted: false } running) return running;
            Task<TextCollection> task = Gather(snapshot, source);
            _building[(int)source] = task;
            return task;
        }
    }

    /// <summary>The titles and organisation names of a source's items in every cell, with counts (for suggestions).</summary>
    public async Task<TextPhrasesBuilder> GatherPhrasesAsync(DirectorySnapshot snapshot, Source source)
    {
        List<long> cells = CellsOf(snapshot, source);
        var calls = new Task<TextCellPhrases>[cells.Count];
        for (int c = 0; c < calls.Length; c++)
        {
            calls[c] = grains.GetGrain<ICellGrain>(cells[c]).TextPhrases(source, snapshot[source].Generation).AsTask();
        }
        var total = new TextPhrasesBuilder();
        foreach (TextCellPhrases part in await Task.WhenAll(calls)) total.Add(part);
        return total;
    }

    /// <summary>The cells that hold a source (and, for matchas, those holding offers posted through the API).</summary>
    private static List<long> CellsOf(DirectorySnapshot snapshot, Source source)
    {
        SourceDirectory directory = snapshot[source];
        var cells = new List<long>(directory.Cells);
        if (source == Source.Matcha)
        {
            foreach (long cell in snapshot.LiveCells) if (Array.BinarySearch(directory.Cells, cell) < 0) cells.Add(cell);
        }
        return cells;
    }

    private async Task<TextCollection> Gather(DirectorySnapshot snapshot, Source source)
    {
        await Task.Yield();
        SourceDirectory directory = snapshot[source];
        List<long> cells = CellsOf(snapshot, source);
        var calls = new Task<TextCellStatistics>[cells.Count];
        for (int c = 0; c < calls.Length; c++)
        {
            calls[c] = grains.GetGrain<ICellGrain>(cells[c]).TextStatistics(source, directory.Generation).AsTask();
        }
        TextCellStatistics[] parts = await Task.WhenAll(calls);
        var total = new TextStatisticsBuilder();
        foreach (TextCellStatistics part in parts) total.Add(part);
        var collection = new TextCollection(source, directory.Generation, snapshot.Version, total, _clock.GetUtcNow().UtcDateTime);
        lock (_lock)
        {
            TextCollection? current = _current[(int)source];
            if (current is null || current.Generation <= collection.Generation) _current[(int)source] = collection;
        }
        return collection;
    }
}

public sealed class TextSearchOptions
{
    public const string Section = "TextSearch";

    /// <summary>How old a source's text statistics may get before a search gathers them again (in the background).</summary>
    public TimeSpan StatisticsMaxAge { get; set; } = TimeSpan.FromSeconds(10);
}
