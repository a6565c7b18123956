using System.Diagnostics;
using Alternance.Geo;

namespace Alternance.Search;

/// <summary>What an import did.</summary>
public sealed record ImportReport(
    Source Source,
    ImportMode Mode,
    long Generation,
    long Items,
    long Rejected,
    IReadOnlyList<string> Errors,
    int Cells,
    TimeSpan Elapsed);

public enum ImportMode : byte { Replace, Upsert }

/// <summary>Progress of an import, for the CLI's display.</summary>
public readonly record struct ImportProgress(long Items, int Cells);

/// <summary>
/// Loads feeds into the cells. A replace stages the whole new set in every cell next to the live one, then
/// commits it at the directory in one step: a search sees the old set or the new one, never a mix or a gap.
/// An upsert writes into the live generation, moving items whose cell changed.
/// </summary>
public sealed class FeedImporter(IGrainFactory grains, DirectoryCache directory)
{
    public async Task<ReplaceSession> BeginReplaceAsync(Source source, IProgress<ImportProgress>? progress = null)
    {
        SirenOpcoTable? opcos = await OpcosFor(source, await directory.RefreshAsync());
        long generation = await grains.GetGrain<ICellDirectoryGrain>(0).BeginReplace(source);
        return new ReplaceSession(grains, directory, source, generation, progress) { Opcos = opcos };
    }

    public async Task<UpsertSession> BeginUpsertAsync(Source source, IProgress<ImportProgress>? progress = null)
    {
        DirectorySnapshot snapshot = await directory.RefreshAsync();
        return new UpsertSession(grains, directory, source, snapshot[source].Generation, progress) { Opcos = await OpcosFor(source, snapshot) };
    }

    /// <summary>National offers get their employer's OPCO from the live companies generation's table (none: unresolved).</summary>
    private async Task<SirenOpcoTable?> OpcosFor(Source source, DirectorySnapshot snapshot) =>
        source == Source.PeJob && snapshot[Source.Company].Generation is long companies and not 0
            ? await grains.GetGrain<ISirenOpcoGrain>(companies).Get()
            : null;

    /// <summary>Replaces a source with these items (the bundled dataset takes this path).</summary>
    public async Task<ImportReport> ReplaceAsync(Source source, IEnumerable<SearchItem> items, IProgress<ImportProgress>? progress = null)
    {
        await using ReplaceSession session = await BeginReplaceAsync(source, progress);
        var batch = new List<SearchItem>(ImportSession.Chunk);
        foreach (SearchItem item in items)
        {
            batch.Add(item);
            if (batch.Count == ImportSession.Chunk)
            {
                await session.AddAsync(batch.ToArray());
                batch.Clear();
            }
        }
        await session.AddAsync(batch.ToArray());
        return await session.CommitAsync();
    }

    /// <summary>Deletes one item by id from the live generation; false when there is no such item.</summary>
    public async Task<bool> DeleteAsync(Source source, string id)
    {
        DirectorySnapshot snapshot = await directory.RefreshAsync();
        long generation = snapshot[source].Generation;
        IItemLocatorGrain locator = grains.GetGrain<IItemLocatorGrain>(CellKeys.LocatorKey(source, CellKeys.ShardOf(id)));
        long cell = (await locator.Locate(generation, [id]))[0];
        if (cell == 0)
        {
            return false;
        }
        int removed = await grains.GetGrain<ICellGrain>(cell).Remove(source, generation, [id]);
        await locator.Set(generation, [id], [0]);
        return removed > 0;
    }

    public static long CellOf(SearchItem item) => (long)H3.LatLngToCell(item.Latitude, item.Longitude, CellKeys.Resolution);
}

/// <summary>Shared plumbing of an import: bounded concurrency of grain calls, duplicate ids, error list.</summary>
public abstract class ImportSession : IAsyncDisposable
{
    /// <summary>Items per grain call: large enough to amortise a call, small enough to keep messages a few MB.</summary>
    public const int Chunk = 2048;
    private const int MaxInFlight = 8;
    private const int MaxErrors = 1000;

    private readonly List<Task> _inFlight = [];
    private readonly IProgress<ImportProgress>? _progress;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    protected readonly IGrainFactory Grains;
    protected readonly DirectoryCache Directory;
    protected readonly HashSet<string> SeenIds = new(StringComparer.Ordinal);
    protected readonly List<string> Errors = [];
    protected long Accepted;
    protected long Rejected;

    protected ImportSession(IGrainFactory grains, DirectoryCache directory, Source source, long generation, IProgress<ImportProgress>? progress)
    {
        Grains = grains;
        Directory = directory;
        Source = source;
        Generation = generation;
        _progress = progress;
        CollectedOpcos = source == Source.Company ? new SirenOpcoTable.Builder() : null;
    }

    public Source Source { get; }

    public long Generation { get; }

    /// <summary>National offers: the companies' SIREN → OPCO table their employers' OPCO is read from.</summary>
    internal SirenOpcoTable? Opcos { get; init; }

    /// <summary>Companies: the SIREN → OPCO table this import collects, kept with the generation it writes.</summary>
    protected SirenOpcoTable.Builder? CollectedOpcos { get; }

    protected TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>
    /// What an admitted item becomes before it is written: a national offer whose feed names no OPCO takes its employer's
    /// from the companies feed (by SIREN); a company's OPCO is collected.
    /// </summary>
    protected SearchItem Prepare(SearchItem item)
    {
        switch (item)
        {
            case PeJobItem { Opco: null, EntrepriseSiret: { } siret } national when Opcos?.Find(siret) is { } employer:
                return national with { Opco = employer.Opco, OpcoUrl = national.OpcoUrl ?? employer.Url };
            case CompanyItem company:
                CollectedOpcos?.Add(company);
                break;
        }
        return item;
    }

    /// <summary>Records a rejected input (reader errors, duplicate ids) for the report.</summary>
    public void Reject(string reason)
    {
        Rejected++;
        if (Errors.Count < MaxErrors) Errors.Add(reason);
    }

    protected bool Admit(SearchItem item)
    {
        if (item.Source != Source)
        {
            Reject($"{item.Id}: a {item.Source} item in the {Source.FeedName()} feed");
            return false;
        }
        if (!SeenIds.Add(item.Id))
        {
            Reject($"{item.Id}: duplicate id (the first one is kept)");
            return false;
        }
        Accepted++;
        return true;
    }

    protected async ValueTask Send(Task call)
    {
        _inFlight.Add(call);
        if (_inFlight.Count >= MaxInFlight)
        {
            Task done = await Task.WhenAny(_inFlight);
            _inFlight.Remove(done);
            await done;
        }
    }

    protected async Task Drain()
    {
        await Task.WhenAll(_inFlight);
        _inFlight.Clear();
    }

    protected void Report(int cells) => _progress?.Report(new ImportProgress(Accepted, cells));

    public abstract ValueTask AddAsync(ReadOnlyMemory<SearchItem> batch);

    public abstract Task<ImportReport> CommitAsync();

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

public sealed class ReplaceSession : ImportSession
{
    private readonly Dictionary<long, List<SearchItem>> _pendingByCell = [];
    private readonly Dictionary<long, int> _sentByCell = [];
    private readonly List<string>[] _locatorIds = NewShards<string>();
    private readonly List<long>[] _locatorCells = NewShards<long>();
    private readonly long _version = ItemVersions.New();
    private bool _committed;

    internal ReplaceSession(IGrainFactory grains, DirectoryCache directory, Source source, long generation, IProgress<ImportProgress>? progress)
        : base(grains, directory, source, generation, progress)
    {
    }

    private static List<T>[] NewShards<T>()
    {
        var shards = new List<T>[CellKeys.LocatorShards];
        for (int i = 0; i < shards.Length; i++) shards[i] = [];
        return shards;
    }

    public override async ValueTask AddAsync(ReadOnlyMemory<SearchItem> batch)
    {
        for (int i = 0; i < batch.Length; i++)
        {
            SearchItem item = batch.Span[i];
            if (!Admit(item)) continue;
            // Each id comes once in a replace: one version for the whole new set.
            item = Prepare(item) with { Version = _version };
            long cell = FeedImporter.CellOf(item);
            if (!_pendingByCell.TryGetValue(cell, out List<SearchItem>? pending))
            {
                _pendingByCell[cell] = pending = new List<SearchItem>(Chunk);
            }
            pending.Add(item);
            if (pending.Count == Chunk) await FlushCell(cell, pending);
            int shard = CellKeys.ShardOf(item.Id);
            _locatorIds[shard].Add(item.Id);
            _locatorCells[shard].Add(cell);
            if (_locatorIds[shard].Count == Chunk * 2) await FlushShard(shard);
        }
        Report(_sentByCell.Count);
    }

    private ValueTask FlushCell(long cell, List<SearchItem> pending)
    {
        SearchItem[] items = pending.ToArray();
        pending.Clear();
        _sentByCell[cell] = _sentByCell.GetValueOrDefault(cell) + items.Length;
        return Send(Grains.GetGrain<ICellGrain>(cell).Stage(Source, Generation, items));
    }

    private ValueTask FlushShard(int shard)
    {
        string[] ids = _locatorIds[shard].ToArray();
        long[] cells = _locatorCells[shard].ToArray();
        _locatorIds[shard].Clear();
        _locatorCells[shard].Clear();
        return Send(Grains.GetGrain<IItemLocatorGrain>(CellKeys.LocatorKey(Source, shard)).Stage(Generation, ids, cells));
    }

    public override async Task<ImportReport> CommitAsync()
    {
        foreach (var (cell, pending) in _pendingByCell)
        {
            if (pending.Count > 0) await FlushCell(cell, pending);
        }
        for (int shard = 0; shard < CellKeys.LocatorShards; shard++)
        {
            if (_locatorIds[shard].Count > 0) await FlushShard(shard);
        }
        await Drain();

        // Seal: every cell indexes and persists what it was sent, and must have received all of it (a cell
        // that restarted mid-import lost its staging: the import fails rather than commit a partial set).
        var cells = _sentByCell.Keys.ToArray();
        var seals = new Task<int>[cells.Length];
        for (int i = 0; i < cells.Length; i++)
        {
            seals[i] = Grains.GetGrain<ICellGrain>(cells[i]).Seal(Source, Generation);
        }
        var shardSeals = new Task[CellKeys.LocatorShards];
        for (int shard = 0; shard < shardSeals.Length; shard++)
        {
            shardSeals[shard] = Grains.GetGrain<IItemLocatorGrain>(CellKeys.LocatorKey(Source, shard)).Seal(Generation);
        }
        await Task.WhenAll(seals);
        await Task.WhenAll(shardSeals);
        for (int i = 0; i < cells.Length; i++)
        {
            if (seals[i].Result != _sentByCell[cells[i]])
            {
                throw new InvalidOperationException(
                    $"Cell {cells[i]:x} sealed {seals[i].Result} of the {_sentByCell[cells[i]]} items sent: the import must be run again.");
            }
        }
        if (CollectedOpcos is not null)
        {
            // Before the commit: whoever sees this generation finds its table.
            await Grains.GetGrain<ISirenOpcoGrain>(Generation).Set(CollectedOpcos.Build());
        }
        await Grains.GetGrain<ICellDirectoryGrain>(0).CommitReplace(Source, Generation, cells, Accepted);
        _committed = true;
        await Directory.RefreshAsync();
        return new ImportReport(Source, ImportMode.Replace, Generation, Accepted, Rejected, Errors, cells.Length, Elapsed);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_committed)
        {
            try
            {
                await Grains.GetGrain<ICellDirectoryGrain>(0).AbortReplace(Source, Generation);
            }
            catch (Exception)
            {
                // The lease expires by itself; a failed abort only delays the next replace.
            }
        }
    }
}

public sealed class UpsertSession : ImportSession
{
    private readonly HashSet<long> _cells = [];

    internal UpsertSession(IGrainFactory grains, DirectoryCache directory, Source source, long generation, IProgress<ImportProgress>? progress)
        : base(grains, directory, source, generation, progress)
    {
    }

    public override async ValueTask AddAsync(ReadOnlyMemory<SearchItem> batch)
    {
        var items = new List<SearchItem>(batch.Length);
        // An id may come again in a later batch of an upsert: the later one wins, as in the cell, with its own version.
        long version = ItemVersions.New();
        for (int i = 0; i < batch.Length; i++)
        {
            SearchItem item = batch.Span[i];
            if (item.Source != Source)
            {
                Admit(item);
                continue;
            }
            SeenIds.Remove(item.Id);
            if (Admit(item)) items.Add(Prepare(item) with { Version = version });
        }
        if (items.Count == 0) return;

        // Where each item is now, shard by shard.
        var byShard = new Dictionary<int, List<int>>();
        for (int i = 0; i < items.Count; i++)
        {
            int shard = CellKeys.ShardOf(items[i].Id);
            if (!byShard.TryGetValue(shard, out List<int>? list)) byShard[shard] = list = [];
            list.Add(i);
        }
        var oldCells = new long[items.Count];
        var newCells = new long[items.Count];
        await Task.WhenAll(byShard.Select(async pair =>
        {
            string[] ids = pair.Value.Select(i => items[i].Id).ToArray();
            long[] found = await Grains.GetGrain<IItemLocatorGrain>(CellKeys.LocatorKey(Source, pair.Key)).Locate(Generation, ids);
            for (int k = 0; k < found.Length; k++) oldCells[pair.Value[k]] = found[k];
        }));

        var upserts = new Dictionary<long, List<SearchItem>>();
        var removals = new Dictionary<long, List<string>>();
        long added = 0;
        for (int i = 0; i < items.Count; i++)
        {
            long cell = newCells[i] = FeedImporter.CellOf(items[i]);
            if (!upserts.TryGetValue(cell, out List<SearchItem>? list)) upserts[cell] = list = [];
            list.Add(items[i]);
            if (oldCells[i] == 0)
            {
                added++;
            }
            else if (oldCells[i] != cell)
            {
                if (!removals.TryGetValue(oldCells[i], out List<string>? ids)) removals[oldCells[i]] = ids = [];
                ids.Add(items[i].Id);
            }
        }

        // Write the new positions first: an item is briefly in two cells rather than in none.
        await Task.WhenAll(upserts.Select(pair => Grains.GetGrain<ICellGrain>(pair.Key).Upsert(Source, Generation, pair.Value.ToArray())));
        await Grains.GetGrain<ICellDirectoryGrain>(0).AddCells(Source, Generation, upserts.Keys.ToArray(), added);
        await Task.WhenAll(removals.Select(pair => Grains.GetGrain<ICellGrain>(pair.Key).Remove(Source, Generation, pair.Value.ToArray())));
        await Task.WhenAll(byShard.Select(pair =>
            Grains.GetGrain<IItemLocatorGrain>(CellKeys.LocatorKey(Source, pair.Key)).Set(
                Generation,
                pair.Value.Select(i => items[i].Id).ToArray(),
                pair.Value.Select(i => newCells[i]).ToArray())));
        _cells.UnionWith(upserts.Keys);
        Report(_cells.Count);
    }

    public override async Task<ImportReport> CommitAsync()
    {
        if (CollectedOpcos is { Count: > 0 } opcos)
        {
            await Grains.GetGrain<ISirenOpcoGrain>(Generation).Merge(opcos.Build());
        }
        await Directory.RefreshAsync();
        return new ImportReport(Source, ImportMode.Upsert, Generation, Accepted, Rejected, Errors, _cells.Count, Elapsed);
    }
}
