namespace Alternance;

/// <summary>How free-text hits are ordered (docs/text-search.md).</summary>
public enum TextSort : byte
{
    /// <summary>Score descending, then distance, then id.</summary>
    Relevance = 0,
    /// <summary>Distance ascending, then score descending, then id (needs a centre).</summary>
    Proximity = 1,
    /// <summary>Newest creation date first (items without one last), then score, distance, id.</summary>
    Date = 2,
    /// <summary>Earliest start first (items without one last), then score, distance, id.</summary>
    StartDate = 3,
}

/// <summary>The facets a free-text search counts (each with every filter but its own).</summary>
public enum TextFacet : byte
{
    TypeFilterLabel = 0,
    ContractType = 1,
    Level = 2,
    ActivitySector = 3,
    IsDisabledElligible = 4,
    SmartApply = 5,
    IsAlgoCompany = 6,
}

/// <summary>The filters of a free-text search, as a cell applies them (values already normalised by the front).</summary>
[GenerateSerializer, Immutable, Alias("alt.textfilters")]
public sealed record class TextFilters
{
    /// <summary>The source's <c>type_filter_label</c> was not among those asked: its items only count in that facet.</summary>
    [Id(0)] public bool TypeExcluded { get; init; }
    /// <summary>Contract bits (1 apprenticeship, 2 professionalisation) any of which an item must have; 0 for no filter.</summary>
    [Id(1)] public byte ContractTypes { get; init; }
    /// <summary>Level indexes (bit i: <c>LevelValues[i]</c>) one of which an item must have; 0 for no filter.</summary>
    [Id(2)] public byte Levels { get; init; }
    /// <summary>Activity sectors (exact labels), one of which an item must have; empty for no filter.</summary>
    [Id(3)] public string[] Sectors { get; init; } = [];
    /// <summary>Organisation names (folded), one of which an item's must be; empty for no filter.</summary>
    [Id(4)] public string[] Organisations { get; init; } = [];
    /// <summary>Items that start on or before this day (days since 1970-01-01); <see cref="int.MinValue"/> for no filter.</summary>
    [Id(5)] public int StartDayAtMost { get; init; } = int.MinValue;
    /// <summary>−1 no filter, 0 false, 1 true.</summary>
    [Id(6)] public sbyte DisabledElligible { get; init; } = -1;
    [Id(7)] public sbyte SmartApply { get; init; } = -1;
    [Id(8)] public sbyte AlgoCompany { get; init; } = -1;

    public static readonly TextFilters None = new();
}

/// <summary>
/// One source's part of a free-text search, as sent to each cell. The front has resolved the text already: every query
/// word's alternatives (the word, its synonyms, its one-edit neighbours in the collection) with their weights times
/// their collection-wide idf, and the collection's mean field lengths — so a cell scores with numbers that do not depend
/// on which cells answered.
/// </summary>
[GenerateSerializer, Immutable, Alias("alt.textquery")]
public sealed record class TextQuery
{
    [Id(0)] public required Source Source { get; init; }
    [Id(1)] public long Generation { get; init; }
    [Id(2)] public SearchArea Area { get; init; }
    [Id(3)] public double Latitude { get; init; }
    [Id(4)] public double Longitude { get; init; }
    [Id(5)] public double RadiusKm { get; init; }
    /// <summary>Listing only: postal-code prefixes (départements) an item's postal code must start with; empty for all.</summary>
    [Id(6)] public string[] PostalPrefixes { get; init; } = [];
    /// <summary>How many query words an item must all match (0: every item matches, with score 0).</summary>
    [Id(7)] public int WordCount { get; init; }
    /// <summary>The alternatives (analysed terms), grouped by word in word order.</summary>
    [Id(8)] public string[] Terms { get; init; } = [];
    /// <summary>The word each alternative stands for (0..<see cref="WordCount"/>-1).</summary>
    [Id(9)] public int[] WordOf { get; init; } = [];
    /// <summary>Each alternative's weight × idf.</summary>
    [Id(10)] public double[] Weights { get; init; } = [];
    /// <summary>The collection's mean length of each field (in terms).</summary>
    [Id(11)] public double[] AverageLengths { get; init; } = [];
    [Id(12)] public TextFilters Filters { get; init; } = TextFilters.None;
    [Id(13)] public TextSort Sort { get; init; }
    /// <summary>How many hits to return: the page's end, (page + 1) × hitsPerPage.</summary>
    [Id(14)] public int Limit { get; init; }
    /// <summary>
    /// The instant (Unix ms) the search is made at: offers whose expiration date is at or before it are left out, as in
    /// <see cref="SourceQuery.AsOf"/>.
    /// </summary>
    [Id(15)] public long AsOf { get; init; }
}

/// <summary>A matching item as a cell hands it to the front: what the merge orders by and what finds the item.</summary>
[GenerateSerializer, Immutable, Alias("alt.texthit")]
public readonly record struct TextHit(
    [property: Id(0)] string Id,
    [property: Id(1)] long Version,
    [property: Id(2)] long Cell,
    [property: Id(3)] double Score,
    [property: Id(4)] double DistanceKm,
    [property: Id(5)] int Day);

/// <summary>A facet value and how many matching items of a cell have it.</summary>
[GenerateSerializer, Immutable, Alias("alt.facetcount")]
public readonly record struct FacetCount(
    [property: Id(0)] TextFacet Facet,
    [property: Id(1)] string Value,
    [property: Id(2)] int Count);

/// <summary>A cell's answer to one <see cref="TextQuery"/>: its first hits, how many items matched, its facet counts.</summary>
[GenerateSerializer, Immutable, Alias("alt.textcellanswer")]
public sealed record class TextCellAnswer(
    [property: Id(0)] TextHit[] Hits,
    [property: Id(1)] int Matched,
    [property: Id(2)] FacetCount[] Facets);

/// <summary>
/// A cell's part of a source's collection statistics: documents, total length per field, and per term the number of
/// documents holding it.
/// </summary>
[GenerateSerializer, Immutable, Alias("alt.textcellstats")]
public sealed record class TextCellStatistics(
    [property: Id(0)] int Documents,
    [property: Id(1)] long[] FieldLengths,
    [property: Id(2)] string[] Terms,
    [property: Id(3)] int[] DocumentFrequencies);

/// <summary>The titles (kind 0) and organisation names (kind 1) of a cell's items with how many items carry each.</summary>
[GenerateSerializer, Immutable, Alias("alt.textcellphrases")]
public sealed record class TextCellPhrases(
    [property: Id(0)] string[] Phrases,
    [property: Id(1)] int[] Counts,
    [property: Id(2)] byte[] Kinds);
