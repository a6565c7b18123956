using System.Collections.Concurrent;
using Alternance.Api.Search;
using Alternance.Search;
using Alternance.Text;

namespace Alternance.Api.TextSearch;

/// <summary>What a text hit shows of its item, kept by the front per source, id and version (items stay in their cells).</summary>
public sealed class TextHitView
{
    public required long Version { get; init; }
    public required string Title { get; init; }
    public string? Organisation { get; init; }
    public string? City { get; init; }
    public double Latitude { get; init; }
    public double Longitude { get; init; }
    public int CreatedDay { get; init; }
    public int StartDay { get; init; }
    /// <summary>The text of each field and its analysed tokens, for highlighting.</summary>
    public required string?[] Fields { get; init; }
    public required TextToken[][] Tokens { get; init; }
}

/// <summary>
/// This front's <see cref="TextHitView"/>s: a hit whose view is kept for its version is rendered without a call; the
/// others are fetched from their cells (one call per cell for all of an answer's misses). Bounded: past
/// <see cref="MaxViews"/> the table starts over.
/// </summary>
public sealed class TextHitViews(ISearchBackend backend, TextAnalyzer analyzer)
{
    private const int MaxViews = 200_000;

    private readonly ConcurrentDictionary<(Source, string), TextHitView> _views = new();

    public async Task<TextHitView?[]> ResolveAsync(TextSearchResult result, CancellationToken cancellationToken)
    {
        var views = new TextHitView?[result.Hits.Length];
        Dictionary<Source, List<int>>? missing = null;
        for (int i = 0; i < views.Length; i++)
        {
            SourcedTextHit hit = result.Hits[i];
            if (_views.TryGetValue((hit.Source, hit.Hit.Id), out TextHitView? view) && view.Version == hit.Hit.Version)
            {
                views[i] = view;
                continue;
            }
            missing ??= [];
            if (!missing.TryGetValue(hit.Source, out List<int>? list)) missing[hit.Source] = list = [];
            list.Add(i);
        }
        if (missing is null) return views;
        if (_views.Count > MaxViews) _views.Clear();
        foreach (var (source, at) in missing)
        {
            long generation = 0;
            foreach (TextSourceQuery q in result.Queries) if (q.Source == source) generation = q.Generation;
            var hits = new Hit[at.Count];
            for (int k = 0; k < hits.Length; k++)
            {
                TextHit h = result.Hits[at[k]].Hit;
                hits[k] = new Hit(h.Id, h.DistanceKm, h.Version, h.Cell, default);
            }
            SearchItem?[] items = await backend.FetchAsync(source, generation, hits, cancellationToken);
            for (int k = 0; k < items.Length; k++)
            {
                if (items[k] is not { } item) continue;
                TextHitView view = ViewOf(item);
                _views[(source, item.Id)] = view;
                views[at[k]] = view;
            }
        }
        return views;
    }

    private TextHitView ViewOf(SearchItem item)
    {
        var fields = new string?[ItemDocument.FieldCount];
        var tokens = new TextToken[ItemDocument.FieldCount][];
        var scratch = new List<TextToken>();
        for (int f = 0; f < fields.Length; f++)
        {
            fields[f] = ItemDocument.Field(item, (TextField)f);
            scratch.Clear();
            analyzer.Tokens(fields[f], scratch);
            tokens[f] = [.. scratch];
        }
        return new TextHitView
        {
            Version = item.Version,
            Title = ItemDocument.Title(item),
            Organisation = ItemDocument.Organisation(item),
            City = ItemDocument.City(item),
            Latitude = item.Latitude,
            Longitude = item.Longitude,
            CreatedDay = ItemDocument.CreatedDay(item),
            StartDay = ItemDocument.StartDay(item),
            Fields = fields,
            Tokens = tokens,
        };
    }
}
