using System.Collections.Concurrent;
using Alternance.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Alternance.Search;

/// <summary>A free-text search as the front runs it (the API has validated and normalised every value).</summary>
public sealed record class TextSearchRequest
{
    public string Query { get; init; } = "";
    /// <summary>The sources searched (the <c>mode</c>).</summary>
    public Source[] Sources { get; init; } = [];
    public bool HasCenter { get; init; }
    public double Latitude { get; init; }
    public double Longitude { get; init; }
    public double RadiusKm { get; init; }
    /// <summary>Postal-code prefixes of an <c>admin_area</c>; empty for none.</summary>
    public string[] PostalPrefixes { get; init; } = [];
    /// <summary>The <c>type_filter_label</c> values asked for; empty for no filter.</summary>
    public string[] TypeLabels { get; init; } = [];
    /// <summary>Every other filter (<see cref="TextFilters.TypeExcluded"/> is set per source by the engine).</summary>
    public TextFilters Filters { get; init; } = TextFilters.None;
    public TextSort Sort { get; init; }
    public int Page { get; init; }
    public int HitsPerPage { get; init; } = 20;
}

/// <summary>A hit of the merged list: its source and what its cell said.</summary>
public readonly record struct SourcedTextHit(Source Source, TextHit Hit);

/// <summary>What a source's query looked for: its generation, and every term its words matched (for highlighting).</summary>
public sealed record class TextSourceQuery(Source Source, long Generation, HashSet<string> Terms);

/// <summary>A free-text search's answer: the page's hits in order, how many items matched, facet counts.</summary>
public sealed record class TextSearchResult(
    SourcedTextHit[] Hits,
    int NbHits,
    FacetCount[] Facets,
    TextSourceQuery[] Queries,
    int Cells);

/// <summary>
/// Free-text search across the cells: analyses the query once, turns each word into its alternatives (synonyms,
/// one-edit neighbours) weighted with collection-wide idf per source, sends each cell one call with the queries of every
/// source it holds, and merges their hits (top (page+1)·hitsPerPage each) and facet counts. Like
/// <see cref="SearchEngine"/>, a search is made at one instant of the service clock (<see cref="WriteClock.Key"/>):
/// offers whose expiration date it has reached are left out. docs/text-search.md.
/// </summary>
public sealed class TextSearchEngine(
    IGrainFactory grains,
    DirectoryCache directory,
    CoverPlanner planner,
    TextCollections collections,
    TextAnalyzer analyzer,
    IOptions<SearchOptions> options,
    [FromKeyedServices(WriteClock.Key)] TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    private readonly ConcurrentDictionary<long, ICellGrain> _cells = new();

    public async Task<TextSearchResult> SearchAsync(TextSearchRequest request, CancellationToken cancellationToken = default)
    {
        DirectorySnapshot snapshot = await directory.GetAsync();
        // Every query of the search is made at one instant of the service clock: offers expired by then are left out.
        long asOf = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var words = new List<string>();
        analyzer.Analyze(request.Query, words);
        Distinct(words);

        var queries = new TextQuery[request.Sources.Length];
        var sourceQueries = new TextSourceQuery[request.Sources.Length];
        int limit = (request.Page + 1) * request.HitsPerPage;
        for (int s = 0; s < request.Sources.Length; s++)
        {
            Source source = request.Sources[s];
            TextCollection collection = await collections.GetAsync(snapshot, source);
            var terms = new List<string>();
            var wordOf = new List<int>();
            var weights = new List<double>();
            for (int w = 0; w < words.Count; w++)
            {
                int first = terms.Count;
                Add(words[w], TextScoring.ExactWeight);
                foreach (string synonym in analyzer.Synonyms.Of(words[w])) Add(synonym, TextScoring.SynonymWeight);
                if (words[w].Length >= TextScoring.TypoMinLength)
                {
                    foreach (string neighbour in collection.Neighbours(words[w])) Add(neighbour, TextScoring.TypoWeight);
                }

                void Add(string term, double weight)
                {
                    for (int k = first; k < terms.Count; k++) if (terms[k] == term) return;
                    terms.Add(term);
                    wordOf.Add(w);
                    weights.Add(weight * collection.Idf(term));
                }
            }
            bool typeExcluded = request.TypeLabels.Length > 0 && Array.IndexOf(request.TypeLabels, ItemDocument.TypeLabel(source)) < 0;
            queries[s] = new TextQuery
            {
                Source = source,
                Generation = snapshot[source].Generation,
                Area = request.HasCenter ? SearchArea.Radius : SearchArea.Listing,
                Latitude = request.Latitude,
                Longitude = request.Longitude,
                RadiusKm = request.RadiusKm,
                PostalPrefixes = request.PostalPrefixes,
                WordCount = words.Count,
                Terms = [.. terms],
                WordOf = [.. wordOf],
                Weights = [.. weights],
                AverageLengths = collection.AverageLengths,
                Filters = typeExcluded ? request.Filters with { TypeExcluded = true } : request.Filters,
                Sort = request.Sort,
                // A source filtered out by type still counts in the type facet, but returns no hits.
                Limit = typeExcluded ? 0 : limit,
                AsOf = asOf,
            };
            sourceQueries[s] = new TextSourceQuery(source, snapshot[source].Generation, [.. terms]);
        }

        // cell → the queries it serves
        var plan = new Dictionary<long, List<int>>();
        var cells = new List<long>();
        for (int q = 0; q < queries.Length; q++)
        {
            cells.Clear();
            var area = new SourceQuery
            {
                Source = queries[q].Source,
                Area = queries[q].Area,
                Latitude = queries[q].Latitude,
                Longitude = queries[q].Longitude,
                RadiusKm = queries[q].RadiusKm,
            };
            planner.Plan(snapshot, area, cells);
            foreach (long cell in cells)
            {
                if (!plan.TryGetValue(cell, out List<int>? served)) plan[cell] = served = new List<int>(queries.Length);
                served.Add(q);
            }
        }
        var calls = new Task<TextCellAnswer[]>[plan.Count];
        var servedBy = new List<int>[plan.Count];
        int c = 0;
        foreach (var (cell, served) in plan)
        {
            var sub = new TextQuery[served.Count];
            for (int i = 0; i < sub.Length; i++) sub[i] = queries[served[i]];
            calls[c] = Cell(cell).SearchText(sub).AsTask();
            servedBy[c++] = served;
        }
        TextCellAnswer[][] answers = await Task.WhenAll(calls).WaitAsync(options.Value.CellTimeout, cancellationToken);

        var hits = new List<SourcedTextHit>();
        int matched = 0;
        var facets = new Dictionary<(TextFacet, string), int>();
        for (int k = 0; k < answers.Length; k++)
        {
            for (int i = 0; i < answers[k].Length; i++)
            {
                TextCellAnswer answer = answers[k][i];
                Source source = queries[servedBy[k][i]].Source;
                matched += answer.Matched;
                foreach (TextHit hit in answer.Hits) hits.Add(new SourcedTextHit(source, hit));
                foreach (FacetCount count in answer.Facets)
                {
                    facets[(count.Facet, count.Value)] = facets.GetValueOrDefault((count.Facet, count.Value)) + count.Count;
                }
            }
        }
        var order = new MergeOrder(request.Sort);
        hits.Sort(order);
        int from = Math.Min(hits.Count, request.Page * request.HitsPerPage);
        int to = Math.Min(hits.Count, from + request.HitsPerPage);
        var merged = new FacetCount[facets.Count];
        int f = 0;
        foreach (var ((facet, value), count) in facets) merged[f++] = new FacetCount(facet, value, count);
        Array.Sort(merged, static (a, b) =>
        {
            int c = a.Facet.CompareTo(b.Facet);
            if (c != 0) return c;
            c = b.Count.CompareTo(a.Count);
            return c != 0 ? c : string.CompareOrdinal(a.Value, b.Value);
        });
        return new TextSearchResult(hits.GetRange(from, to - from).ToArray(), matched, merged, sourceQueries, plan.Count);
    }

    private static void Distinct(List<string> words)
    {
        for (int i = words.Count - 1; i > 0; i--)
        {
            if (words.IndexOf(words[i]) < i) words.RemoveAt(i);
        }
    }

    private ICellGrain Cell(long cell) =>
        _cells.GetOrAdd(cell, static (key, factory) => factory.GetGrain<ICellGrain>(key), grains);

    /// <summary>The hits' order across sources: the sort's, then the source.</summary>
    private readonly struct MergeOrder(TextSort sort) : IComparer<SourcedTextHit>
    {
        public int Compare(SourcedTextHit a, SourcedTextHit b)
        {
            int c = TextScoring.Compare(a.Hit, b.Hit, sort);
            return c != 0 ? c : a.Source.CompareTo(b.Source);
        }
    }
}
