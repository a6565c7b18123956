using Orleans.Concurrency;

namespace Alternance;

/// <summary>
/// One H3 cell at <see cref="CellKeys.Resolution"/>: caches the items of its area for every source, in memory,
/// indexed for radius search, and persists them in grain storage. Keyed by the H3 index as a long.
/// Feeds are versioned by generation so that a replaced feed is swapped atomically (see the directory).
/// </summary>
[Alias("alt.ICellGrain")]
public interface ICellGrain : IGrainWithIntegerKey
{
    /// <summary>Runs each query against this cell's items; answers one ranked list per query.</summary>
    [Alias("Search"), AlwaysInterleave]
    ValueTask<CellHits> Search(SourceQuery[] queries);

    /// <summary>The item of that id in that generation (or among the offers posted through the API), or null.</summary>
    [Alias("Get"), AlwaysInterleave]
    ValueTask<SearchItem?> Get(Source source, long generation, string id);

    /// <summary>The items of these ids in that generation (or among posted offers), null where absent: a front renders
    /// the hits it has no JSON for.</summary>
    [Alias("Fetch"), AlwaysInterleave]
    ValueTask<FetchedItems> Fetch(Source source, long generation, [Immutable] string[] ids);

    /// <summary>Adds items to the set being staged for <paramref name="generation"/> (sent in chunks).</summary>
    [Alias("Stage")]
    Task Stage(Source source, long generation, SearchItem[] items);

    /// <summary>Indexes and persists the staged set; it becomes readable at that generation. Returns its size.</summary>
    /// <remarks>Its time grows with the cell: at scale 10 the Paris cell holds about a million items and every cell seals
    /// at once, which took more than the default 30 s on a loaded 2-core machine and failed the import.</remarks>
    [Alias("Seal"), ResponseTimeout("00:10:00")]
    Task<int> Seal(Source source, long generation);

    /// <summary>Adds or replaces items (by id) in <paramref name="generation"/> and persists before returning.</summary>
    [Alias("Upsert")]
    Task Upsert(Source source, long generation, SearchItem[] items);

    /// <summary>Removes items by id from <paramref name="generation"/>; returns how many were there.</summary>
    [Alias("Remove")]
    Task<int> Remove(Source source, long generation, string[] ids);

    /// <summary>Replaces the offers a recruiter posted through the API in this cell (empty to remove them).</summary>
    [Alias("PutPosted")]
    Task PutPosted(string establishmentId, MatchaItem[] items);

    /// <summary>Nothing but the call: activating the cell reads its slots from storage, so the first search does not wait.</summary>
    [Alias("Warm"), AlwaysInterleave]
    ValueTask Warm();

    /// <summary>
    /// Returns once the silo hosting this cell has given the peak of its cells' loads back to the system (it compacts
    /// now if they loaded enough since its last compaction): a node that warmed the cells asks it before reporting
    /// ready, so that the pause falls before the first search instead of after it.
    /// </summary>
    [Alias("Settle"), AlwaysInterleave]
    Task Settle();

    /// <summary>Runs free-text queries on this cell's items (posted offers included for <see cref="Source.Matcha"/>).</summary>
    [Alias("SearchText"), AlwaysInterleave]
    ValueTask<TextCellAnswer[]> SearchText(TextQuery[] queries);

    /// <summary>This cell's part of a source's text statistics at that generation (posted offers included for matchas).</summary>
    [Alias("TextStatistics"), AlwaysInterleave]
    ValueTask<TextCellStatistics> TextStatistics(Source source, long generation);

    /// <summary>The titles and organisation names of a source's items in this cell, with counts (for suggestions).</summary>
    [Alias("TextPhrases"), AlwaysInterleave]
    ValueTask<TextCellPhrases> TextPhrases(Source source, long generation);
}

/// <summary>
/// The single point of truth for which generation of each feed searches read, and which cells hold items.
/// Replacing a feed stages the new generation in every cell, then commits it here in one step.
/// </summary>
[Alias("alt.ICellDirectoryGrain")]
public interface ICellDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>The snapshot, or null when <paramref name="knownVersion"/> is current (cheap polling).</summary>
    [Alias("GetIfNewer"), ReadOnly]
    ValueTask<DirectorySnapshot?> GetIfNewer(long knownVersion);

    /// <summary>Reserves a new generation number for a replace of <paramref name="source"/>.</summary>
    [Alias("BeginReplace")]
    Task<long> BeginReplace(Source source);

    /// <summary>Makes <paramref name="generation"/> the one searches read, held by <paramref name="cells"/>.</summary>
    [Alias("CommitReplace")]
    Task CommitReplace(Source source, long generation, long[] cells, long itemCount);

    /// <summary>Gives up a replace that failed, so that the feed can be replaced again at once.</summary>
    [Alias("AbortReplace")]
    Task AbortReplace(Source source, long generation);

    /// <summary>Records that these cells now hold items of the current generation (after an upsert).</summary>
    [Alias("AddCells")]
    Task AddCells(Source source, long generation, long[] cells, long itemCountDelta);

    /// <summary>Records that these cells hold offers posted through the API.</summary>
    [Alias("AddLiveCells")]
    Task AddLiveCells(long[] cells);
}

/// <summary>
/// Where each item is: id → cell, for one source and one shard of ids (hash of the id). Used to fetch an
/// item by id and to move an item whose position changed. Versioned by generation like the cells.
/// Keyed "{source}/{shard}".
/// </summary>
[Alias("alt.IItemLocatorGrain")]
public interface IItemLocatorGrain : IGrainWithStringKey
{
    [Alias("Stage")]
    Task Stage(long generation, string[] ids, long[] cells);

    /// <remarks>Sent beside the cells' seals, it waits behind their index builds for the thread pool (see
    /// <see cref="ICellGrain.Seal"/>).</remarks>
    [Alias("Seal"), ResponseTimeout("00:10:00")]
    Task Seal(long generation);

    /// <summary>The cell of each id in that generation, else among posted offers (0 when unknown).</summary>
    [Alias("Locate"), AlwaysInterleave]
    ValueTask<long[]> Locate(long generation, string[] ids);

    /// <summary>Sets the cell of each id (0 removes it) and persists before returning.</summary>
    [Alias("Set")]
    Task Set(long generation, string[] ids, long[] cells);

    /// <summary>
    /// Sets the cell of offers posted through the API (0 removes them). They belong to no feed generation:
    /// <see cref="Locate"/> finds them whatever the generation asked.
    /// </summary>
    [Alias("SetPosted")]
    Task SetPosted(string[] ids, long[] cells);
}
