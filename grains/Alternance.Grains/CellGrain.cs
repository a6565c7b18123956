using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Alternance.Grains;

/// <summary>
/// A geo-cell: the items of one H3 cell for every source, in memory as <see cref="SourceIndex"/> snapshots.
/// Each source has two generation slots, so a replaced feed is staged next to the one being searched and
/// swapped by the directory in one step. Searches run interleaved with everything; costly ones run on the
/// thread pool so that concurrent queries on a hot cell use every core.
/// </summary>
[CollectionAgeLimit(AlwaysActive = true)]
public sealed partial class CellGrain : Grain, ICellGrain
{
    /// <summary>
    /// A radius search runs on the activation's own turn while this cell's recent searches took less than this, and on
    /// the thread pool once they take more. The hop (a work item, then the turn's continuation queued back on the
    /// activation) costs more than most cell searches at scale 1 (median 6 µs under the peers' mix; 2–5 % of an HTTP
    /// search's throughput co-hosted, docs/search-engine.md, "Tried and not kept"); a turn blocks the cell's other searches
    /// while it runs, which a few tens of µs do not make a bottleneck (a hot cell still answers tens of thousands of
    /// searches a second on one core) and a large cell's searches at scale 10 would.
    /// </summary>
    private static readonly long InlineBelowTicks = Stopwatch.Frequency * 25 / 1_000_000;
    /// <summary>Listings and text searches read every item of their lists, however many: over this many items they go to
    /// the pool.</summary>
    private const int OffloadItems = 2048;
    /// <summary>How long a superseded generation stays searchable for searches that started before the swap.</summary>
    private static readonly TimeSpan RetireAfter = TimeSpan.FromSeconds(60);

    private readonly IGrainStorage _storage;
    private readonly CellMetrics _metrics;
    /// <summary>Told what this cell loaded, so that the silo returns the load's peak once loads are quiet.</summary>
    private readonly LoadCompaction? _compaction;
    private readonly SharedStrings _strings;
    private readonly CellMetrics.SearchCount _searches;
    private readonly Slot?[] _slots = new Slot?[Sources.Count * 2];
    private readonly Dictionary<Source, Staging> _staging = [];
    private readonly StoredState<PostedOffersState> _posted = new(new PostedOffersState());
    private readonly StoredState<CellManifest> _manifest = new();
    private SourceIndex _postedIndex = null!;
    /// <summary>Recent radius searches' time on this cell (Stopwatch ticks, a moving mean of weight 1/8).</summary>
    private long _recentSearchTicks;

    public CellGrain(IServiceProvider services)
    {
        _storage = services.GetRequiredKeyedService<IGrainStorage>(StorageNames.GrainState);
        _metrics = services.GetRequiredService<CellMetrics>();
        _strings = services.GetRequiredService<SharedStrings>();
        _compaction = services.GetService<LoadCompaction>();
        _searches = _metrics.SearchCountOf(this.GetPrimaryKeyLong());
    }

    private long Cell => this.GetPrimaryKeyLong();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _postedIndex = SourceIndex.Empty(Source.Matcha, Cell, _strings);
        await _storage.ReadStateAsync("manifest", this.GetGrainId(), _manifest);
        CellManifest manifest = _manifest.State;
        // A store written before manifests existed has none: read every record once, then list what exists.
        bool unlisted = !_manifest.RecordExists;
        var reads = new List<Task>(_slots.Length * 2 + 1);
        var states = new StoredState<CellSlotState>[_slots.Length];
        var deltas = new StoredState<CellSlotDelta>[_slots.Length];
        for (int s = 0; s < _slots.Length; s++)
        {
            states[s] = new StoredState<CellSlotState>();
            deltas[s] = new StoredState<CellSlotDelta>();
            if (unlisted || manifest.Slots[s]) reads.Add(_storage.ReadStateAsync(SlotName(s), this.GetGrainId(), states[s]));
            if (unlisted || manifest.Deltas[s]) reads.Add(_storage.ReadStateAsync(DeltaName(s), this.GetGrainId(), deltas[s]));
        }
        if (unlisted || manifest.Posted) reads.Add(_storage.ReadStateAsync("posted", this.GetGrainId(), _posted));
        await Task.WhenAll(reads);
        if (unlisted)
        {
            bool any = _posted.RecordExists;
            for (int s = 0; s < _slots.Length; s++)
            {
                manifest.Slots[s] = states[s].RecordExists;
                manifest.Deltas[s] = deltas[s].RecordExists;
                any |= states[s].RecordExists || deltas[s].RecordExists;
            }
            manifest.Posted = _posted.RecordExists;
            if (any) await WriteWithRetry("manifest", _manifest);
        }
        // A reactivated cell rebuilds its indexes in parallel, off the activation's turn.
        var builds = new Task<Slot>?[_slots.Length];
        for (int s = 0; s < _slots.Length; s++)
        {
            StoredState<CellSlotState> state = states[s];
            StoredState<CellSlotDelta> delta = deltas[s];
            bool hasBase = state.RecordExists;
            bool hasDelta = delta.RecordExists && (!hasBase || delta.State.Generation == state.State.Generation);
            if (!hasBase && !hasDelta) continue;
            var source = (Source)(s / 2);
            long generation = hasBase ? state.State.Generation : delta.State.Generation;
            SearchItem[] items = hasBase ? state.State.Items : [];
            Dictionary<string, SearchItem?> changes = hasDelta ? delta.State.Changes : new(StringComparer.Ordinal);
            long cell = Cell;
            builds[s] = Task.Run(() =>
            {
                var index = new SourceIndex(source, items, cell, _strings);
                if (changes.Count > 0) index = index.With(Upserts(changes), Removals(changes));
                return new Slot(generation, index, state.ETag, delta.ETag, changes);
            });
        }
        int loaded = 0;
        for (int s = 0; s < _slots.Length; s++)
        {
            if (builds[s] is { } build)
            {
                _slots[s] = await build;
                loaded += _slots[s]!.Index.Count;
            }
        }
        _postedIndex = BuildPostedIndex();
        PrepareText();
        _compaction?.Loaded(loaded + _postedIndex.Count);
    }

    private static List<SearchItem> Upserts(Dictionary<string, SearchItem?> changes)
    {
        var list = new List<SearchItem>();
        foreach (SearchItem? item in changes.Values) if (item is not null) list.Add(item);
        return list;
    }

    private static List<string> Removals(Dictionary<string, SearchItem?> changes)
    {
        var list = new List<string>();
        foreach (var (id, item) in changes) if (item is null) list.Add(id);
        return list;
    }

    private static string DeltaName(int slot) => $"delta-{slot / 2}-{slot % 2}";

    private static string SlotName(int slot) => $"slot-{slot / 2}-{slot % 2}";

    private static int SlotOf(Source source, long generation) => (int)source * 2 + (int)(generation & 1);

    /// <summary>
    /// The index of <paramref name="source"/> at <paramref name="generation"/>, or null when this cell has none; a read at
    /// a newer generation than the other slot's also starts (or ends) that slot's retirement.
    /// </summary>
    private SourceIndex? IndexFor(Source source, long generation)
    {
        int at = SlotOf(source, generation);
        Slot? slot = _slots[at];
        if (slot is null || slot.Generation != generation)
        {
            return null;
        }
        RetireSuperseded(at ^ 1, generation);
        return slot.Index;
    }

    /// <summary>
    /// A read at a newer generation means the other slot's was swapped out: free it once no search can still need it.
    /// Elapsed time on the machine's clock, not the service's <see cref="TimeProvider"/>: the tests that move the
    /// service's clock (offer expiry) must not retire slots under searches still running.
    /// </summary>
    private void RetireSuperseded(int other, long generation)
    {
        if (_slots[other] is { } old && old.Generation < generation)
        {
            old.SupersededAt ??= DateTime.UtcNow;
            if (DateTime.UtcNow - old.SupersededAt > RetireAfter)
            {
                _slots[other] = null;
            }
        }
    }

    public async ValueTask<CellHits> Search(SourceQuery[] queries)
    {
        _searches.Searched();
        var plan = new (SourceIndex? Feed, bool Posted)[queries.Length];
        int listed = 0;
        for (int q = 0; q < queries.Length; q++)
        {
            SourceIndex? feed = IndexFor(queries[q].Source, queries[q].Generation);
            bool posted = queries[q].Source == Source.Matcha && _postedIndex.Count > 0;
            plan[q] = (feed, posted);
            if (queries[q].Area != SearchArea.Radius) listed += (feed?.Count ?? 0) + (posted ? _postedIndex.Count : 0);
        }
        SourceIndex postedIndex = _postedIndex;
        if (listed >= OffloadItems)
        {
            return await Task.Run(() => Run(queries, plan, postedIndex));
        }
        if (listed == 0 && Volatile.Read(ref _recentSearchTicks) >= InlineBelowTicks)
        {
            return await Task.Run(() => Timed(queries, plan, postedIndex));
        }
        return Timed(queries, plan, postedIndex);
    }

    /// <summary><see cref="Run"/>, its time added to <see cref="_recentSearchTicks"/> (a lost update between two pool
    /// threads only drops one sample).</summary>
    private CellHits Timed(SourceQuery[] queries, (SourceIndex? Feed, bool Posted)[] plan, SourceIndex postedIndex)
    {
        long started = Stopwatch.GetTimestamp();
        CellHits hits = Run(queries, plan, postedIndex);
        long took = Stopwatch.GetTimestamp() - started;
        long mean = Volatile.Read(ref _recentSearchTicks);
        Volatile.Write(ref _recentSearchTicks, mean + ((took - mean) >> 3));
        return hits;
    }

    private static CellHits Run(SourceQuery[] queries, (SourceIndex? Feed, bool Posted)[] plan, SourceIndex postedIndex)
    {
        var results = new Hit[queries.Length][];
        for (int q = 0; q < queries.Length; q++)
        {
            Hit[] feed = plan[q].Feed?.Search(queries[q]) ?? [];
            results[q] = plan[q].Posted
                ? Ranking.Merge([feed, postedIndex.Search(queries[q])], queries[q].Source, queries[q].Area, queries[q].Limit)
                : feed;
        }
        return new CellHits(results);
    }

    public ValueTask<SearchItem?> Get(Source source, long generation, string id) => ValueTask.FromResult(Lookup(source, generation, id));

    public ValueTask<FetchedItems> Fetch(Source source, long generation, string[] ids)
    {
        var items = new SearchItem?[ids.Length];
        for (int i = 0; i < ids.Length; i++) items[i] = Lookup(source, generation, ids[i]);
        return ValueTask.FromResult(new FetchedItems(items));
    }

    private SearchItem? Lookup(Source source, long generation, string id)
    {
        SearchItem? item = IndexFor(source, generation)?.Get(id);
        if (item is null && source == Source.Matcha)
        {
            item = _postedIndex.Get(id);
        }
        return item;
    }

    /// <summary>Fronts keep items' renderings by version: an item written without one could be shown stale.</summary>
    private static void RequireVersions(IEnumerable<SearchItem> items)
    {
        foreach (SearchItem item in items)
        {
            if (item.Version == 0)
            {
                throw new ArgumentException($"The {item.Source} item {item.Id} has no version: writers stamp every item they write (ItemVersions.New).");
            }
        }
    }

    public Task Stage(Source source, long generation, SearchItem[] items)
    {
        RequireVersions(items);
        if (!_staging.TryGetValue(source, out Staging? staging) || staging.Generation != generation)
        {
            // A different generation means an abandoned attempt: its items must not leak into this one.
            staging = new Staging(generation);
            _staging[source] = staging;
        }
        staging.Items.AddRange(items);
        _metrics.Ingested(source, "staged", items.Length);
        return Task.CompletedTask;
    }

    public async Task<int> Seal(Source source, long generation)
    {
        SearchItem[] items = _staging.TryGetValue(source, out Staging? staging) && staging.Generation == generation
            ? [.. staging.Items]
            : [];
        // Indexing and writing a big cell take seconds of CPU: both run on the thread pool, side by side,
        // so this activation keeps answering searches meanwhile.
        long cell = Cell;
        Task<SourceIndex> indexing = Task.Run(() => new SourceIndex(source, items, cell, _strings));
        await Persist(source, generation, items, indexing);
        _staging.Remove(source);
        int count = (await indexing).Count;
        _compaction?.Loaded(count);
        return count;
    }

    public async Task Upsert(Source source, long generation, SearchItem[] items)
    {
        RequireVersions(items);
        var changes = new Dictionary<string, SearchItem?>(StringComparer.Ordinal);
        foreach (SearchItem item in items) changes[item.Id] = item;
        await Change(source, generation, changes);
        _metrics.Ingested(source, "upserted", items.Length);
    }

    public async Task<int> Remove(Source source, long generation, string[] ids)
    {
        SourceIndex? current = IndexFor(source, generation);
        if (current is null)
        {
            return 0;
        }
        var changes = new Dictionary<string, SearchItem?>(StringComparer.Ordinal);
        foreach (string id in ids)
        {
            if (current.Get(id) is not null) changes[id] = null;
        }
        if (changes.Count > 0)
        {
            await Change(source, generation, changes);
            _metrics.Ingested(source, "removed", changes.Count);
        }
        return changes.Count;
    }

    /// <summary>
    /// Applies upserts/removals: the new index is built off the activation; the changes are persisted as a
    /// small delta record, and the whole slot is rewritten only when the delta has grown past an eighth of it.
    /// </summary>
    private async Task Change(Source source, long generation, Dictionary<string, SearchItem?> changes)
    {
        int at = SlotOf(source, generation);
        Slot? slot = _slots[at] is { } existing && existing.Generation == generation ? existing : null;
        SourceIndex current = slot?.Index ?? SourceIndex.Empty(source, Cell, _strings);
        SourceIndex next = await Task.Run(() => current.With(Upserts(changes), Removals(changes)));
        var delta = new Dictionary<string, SearchItem?>(slot?.Delta ?? [], StringComparer.Ordinal);
        foreach (var (id, item) in changes) delta[id] = item;
        if (delta.Count > Math.Max(1024, next.Count / 8))
        {
            await Persist(source, generation, [.. next.Items], Task.FromResult(next));
            return;
        }
        var state = new StoredState<CellSlotDelta>(new CellSlotDelta { Generation = generation, Changes = delta })
        {
            ETag = slot?.DeltaETag,
        };
        await Task.Run(() => WriteWithRetry(DeltaName(at), state));
        await List(m => m.Deltas[at] = true, m => m.Deltas[at]);
        _slots[at] = new Slot(generation, next, slot?.ETag, state.ETag, delta);
        PrepareText();
    }

    /// <summary>Writes the whole slot, then swaps the new index in: what a search can see is always durable.</summary>
    private async Task Persist(Source source, long generation, SearchItem[] items, Task<SourceIndex> index)
    {
        int at = SlotOf(source, generation);
        Slot? previous = _slots[at];
        var state = new StoredState<CellSlotState>(new CellSlotState { Generation = generation, Items = items })
        {
            ETag = previous?.ETag,
        };
        await Task.Run(() => WriteWithRetry(SlotName(at), state));
        await List(m => m.Slots[at] = true, m => m.Slots[at]);
        string? deltaETag = previous?.DeltaETag;
        if (previous is { Delta.Count: > 0 } && previous.Generation == generation)
        {
            // The slot now holds every change: an empty delta, so a restart does not replay them for nothing.
            var empty = new StoredState<CellSlotDelta>(new CellSlotDelta { Generation = generation }) { ETag = deltaETag };
            await Task.Run(() => WriteWithRetry(DeltaName(at), empty));
            deltaETag = empty.ETag;
        }
        _slots[at] = new Slot(generation, await index, state.ETag, deltaETag, []);
        PrepareText();
    }

    public async Task PutPosted(string establishmentId, MatchaItem[] items)
    {
        RequireVersions(items);
        if (items.Length == 0)
        {
            _posted.State.ByEstablishment.Remove(establishmentId);
        }
        else
        {
            _posted.State.ByEstablishment[establishmentId] = items;
        }
        await WriteWithRetry("posted", _posted);
        await List(m => m.Posted = true, m => m.Posted);
        _postedIndex = BuildPostedIndex();
        PrepareText();
    }

    /// <summary>Records in the manifest that a record now exists (after writing it: an unlisted record is never read).</summary>
    private async Task List(Action<CellManifest> set, Func<CellManifest, bool> isSet)
    {
        if (isSet(_manifest.State)) return;
        set(_manifest.State);
        await WriteWithRetry("manifest", _manifest);
    }

    private SourceIndex BuildPostedIndex()
    {
        var all = new List<SearchItem>();
        foreach (MatchaItem[] items in _posted.State.ByEstablishment.Values)
        {
            all.AddRange(items);
        }
        return new SourceIndex(Source.Matcha, all, Cell, _strings);
    }

    private async Task WriteWithRetry<T>(string stateName, StoredState<T> state) where T : class, new()
    {
        try
        {
            await _storage.WriteStateAsync(stateName, this.GetGrainId(), state);
        }
        catch (InconsistentStateException)
        {
            // This activation is the only writer of its cell; a stale ETag means the record was written by a
            // previous activation that died mid-write. Take the stored ETag and write again.
            var probe = new StoredState<T>();
            await _storage.ReadStateAsync(stateName, this.GetGrainId(), probe);
            state.ETag = probe.ETag;
            await _storage.WriteStateAsync(stateName, this.GetGrainId(), state);
        }
    }

    public ValueTask Warm() => ValueTask.CompletedTask;

    // Off the activation's turn: the collection blocks its thread for as long as it takes (seconds at scale 10).
    public Task Settle() => _compaction is null ? Task.CompletedTask : Task.Run(_compaction.Settle);

    private sealed class Slot(long generation, SourceIndex index, string? etag, string? deltaETag, Dictionary<string, SearchItem?> delta)
    {
        public long Generation { get; } = generation;
        public SourceIndex Index { get; } = index;
        public string? ETag { get; } = etag;
        public string? DeltaETag { get; } = deltaETag;
        /// <summary>Changes persisted in the delta record since the slot was last written whole.</summary>
        public Dictionary<string, SearchItem?> Delta { get; } = delta;
        public DateTime? SupersededAt { get; set; }
    }

    private sealed class Staging(long generation)
    {
        public long Generation { get; } = generation;
        public List<SearchItem> Items { get; } = [];
    }
}
