namespace Alternance;

/// <summary>How a source query is bounded: a circle around a point, or a listing with no centre.</summary>
public enum SearchArea : byte
{
    /// <summary>Items within <see cref="SourceQuery.RadiusKm"/> of the centre, nearest first (then by id).</summary>
    Radius = 0,
    /// <summary>Every matching item (France-wide, or restricted to postal-code prefixes), in title / company / id order.</summary>
    Listing = 1,
}

/// <summary>
/// One source's part of a search, as sent to each cell. Distances are great-circle distances on the
/// contract's 6378.1 km sphere; an item is inside when its unrounded distance is ≤ <see cref="RadiusKm"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("alt.sourcequery")]
public sealed record class SourceQuery
{
    [Id(0)] public required Source Source { get; init; }
    /// <summary>The feed generation to read, from the directory snapshot the search started with.</summary>
    [Id(1)] public long Generation { get; init; }
    [Id(2)] public SearchArea Area { get; init; }
    [Id(3)] public double Latitude { get; init; }
    [Id(4)] public double Longitude { get; init; }
    [Id(5)] public double RadiusKm { get; init; }
    /// <summary>ROME codes, any of which an item must carry (upper case). Empty with no domain: no ROME filter.</summary>
    [Id(6)] public string[] Romes { get; init; } = [];
    /// <summary>A ROME domain (one letter, or a letter and two digits): items with a ROME code of that prefix.</summary>
    [Id(7)] public string? RomeDomain { get; init; }
    /// <summary>Diploma level 3..7, 0 for no filter. Its meaning depends on the source (contract: diploma rules).</summary>
    [Id(8)] public int DiplomaLevel { get; init; }
    /// <summary>Upper-case OPCO short name to match, or null.</summary>
    [Id(9)] public string? Opco { get; init; }
    /// <summary>Lower-case OPCO url to match, or null.</summary>
    [Id(10)] public string? OpcoUrl { get; init; }
    /// <summary>Posted offers only when published for third parties (the request has a caller).</summary>
    [Id(11)] public bool MultiPublishedOnly { get; init; }
    /// <summary>How many groups to return: items, distinct trainings, or recruiters for posted offers.</summary>
    [Id(12)] public int Limit { get; init; }
    /// <summary>Listing only: postal-code prefixes (départements) an item's postal code must start with; empty for all.</summary>
    [Id(13)] public string[] PostalPrefixes { get; init; } = [];
    /// <summary>
    /// The instant (Unix ms) the search is made at: offers whose expiration date is at or before it are left out
    /// (<see cref="OfferDates.ExpiresAt"/>). The engine sets it from its clock when it is 0.
    /// </summary>
    [Id(20)] public long AsOf { get; init; }
    /// <summary>
    /// The v3 order: distance ties (and listings) newest first (<see cref="OfferDates.NewestKey"/>, carried in
    /// <see cref="Hit.ListingKey"/>), then id. False: the contract's order (distance then id; listings by title).
    /// </summary>
    [Id(21)] public bool NewestFirst { get; init; }
    /// <summary>Only offers open to disabled workers (<c>is_disabled_elligible</c>); other items never are.</summary>
    [Id(22)] public bool DisabledElligibleOnly { get; init; }
    /// <summary>Posted offers: the <c>partner_label</c>s to leave out (<see cref="MatchaItem.PartnerLabel"/>).</summary>
    [Id(23)] public string[] ExcludedPartners { get; init; } = [];
}

/// <summary>
/// An item that matched, as a cell hands it to a front: what the merge orders and groups by, and what finds the item's
/// rendering (its key and version) or the item itself (its id and cell). Items stay in their cells; a front fetches the
/// few it has not rendered yet (<c>ICellGrain.Fetch</c>).
/// </summary>
/// <param name="DistanceKm">From the centre, in km (NaN in listings).</param>
/// <param name="Version">The item's <see cref="SearchItem.Version"/>.</param>
/// <param name="Cell">The cell that holds the item.</param>
/// <param name="Key">The id's <see cref="Fingerprint"/>, computed once by the cell: fronts find renderings by it without reading the id.</param>
/// <param name="Group">The item's group (<see cref="ListingGroup.KeyOf"/>) for sources whose limit counts groups (<see cref="Ranking.GroupRuleOf"/>); default otherwise.</param>
/// <param name="ListingKey">Listings: <see cref="Ranking.ListingKey"/>; null in radius searches. Queries ordered
/// <see cref="SourceQuery.NewestFirst"/>: <see cref="OfferDates.NewestKey"/>, in both.</param>
/// <remarks>Crosses the wire only inside <see cref="CellHits"/>, whose codec writes it compactly (<see cref="CellHitsCodec"/>).</remarks>
public readonly record struct Hit(
    string Id,
    double DistanceKm,
    long Version,
    long Cell,
    Fingerprint Key,
    Fingerprint Group = default,
    string? ListingKey = null);

/// <summary>
/// A 128-bit XxHash of a text: an item id (<see cref="Hit.Key"/>) or a group's parts (<see cref="ListingGroup.KeyOf"/>), so
/// that a hit carries 16 bytes instead of a training's ~100-character key and a front finds an item's JSON without
/// reading its id. Two different texts share a fingerprint with a probability of 2⁻¹²⁸; among the 10⁷ items of a large
/// deployment, about 10⁻²⁴.
/// </summary>
public readonly record struct Fingerprint(ulong High, ulong Low)
{
    public static Fingerprint Of(string text) => From(System.IO.Hashing.XxHash128.HashToUInt128(
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(text.AsSpan())));

    public static Fingerprint From(UInt128 hash) => new((ulong)(hash >> 64), (ulong)hash);

    public override int GetHashCode() => (int)Low ^ (int)(Low >> 32);
}

/// <summary>A cell's answer: one ranked list per query it was sent, in the same order. Never changed once returned.</summary>
[Immutable]
public sealed record class CellHits(Hit[][] PerQuery);

/// <summary>
/// A cell's answer to a fetch: the items of the ids asked, in their order, null where absent. Never changed once returned,
/// so a co-hosted front gets it as it is: a bare array was deep-copied per call, with a look-up per item to track
/// references (~5 % of a request's CPU when a front renders hundreds of items it had not seen).
/// </summary>
[GenerateSerializer, Immutable, Alias("alt.fetcheditems")]
public sealed record class FetchedItems([property: Id(0)] SearchItem?[] Items);

/// <summary>What the directory knows of one source: the generation searches read and the cells that hold it.</summary>
[GenerateSerializer, Immutable, Alias("alt.sourcestate")]
public sealed record class SourceDirectory(
    [property: Id(0)] Source Source,
    [property: Id(1)] long Generation,
    [property: Id(2)] long[] Cells,
    [property: Id(3)] long ItemCount);

/// <summary>A consistent view of all sources; a search reads every cell at the generations it names.</summary>
[GenerateSerializer, Immutable, Alias("alt.directorysnapshot")]
public sealed record class DirectorySnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] SourceDirectory[] Sources,
    [property: Id(2)] long[] LiveCells)
{
    public SourceDirectory this[Source source] => Sources[(int)source];
}
