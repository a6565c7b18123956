namespace Alternance.Grains;

[GenerateSerializer, Alias("alt.directorystate")]
public sealed class CellDirectoryState
{
    [Id(0)] public long Version { get; set; }
    [Id(1)] public SourceEntry[] Sources { get; set; } = NewEntries();
    [Id(2)] public long[] LiveCells { get; set; } = [];

    private static SourceEntry[] NewEntries()
    {
        var entries = new SourceEntry[Alternance.Sources.Count];
        for (int i = 0; i < entries.Length; i++) entries[i] = new SourceEntry();
        return entries;
    }
}

[GenerateSerializer, Alias("alt.directorysourceentry")]
public sealed class SourceEntry
{
    /// <summary>The generation searches read (0: nothing imported yet).</summary>
    [Id(0)] public long Generation { get; set; }
    [Id(1)] public long[] Cells { get; set; } = [];
    [Id(2)] public long ItemCount { get; set; }
    /// <summary>The generation of the replace under way, 0 when none.</summary>
    [Id(3)] public long Pending { get; set; }
    [Id(4)] public DateTime PendingSince { get; set; }
}

/// <summary>
/// The directory (a single grain, key 0): which generation of each feed is live and which cells hold it.
/// Fronts poll it (a version check) so that every API node sees a new cell or a swapped feed within a poll.
/// </summary>
public sealed class CellDirectoryGrain : Grain, ICellDirectoryGrain
{
    /// <summary>A replace that has not committed within this time is taken as abandoned.</summary>
    private static readonly TimeSpan ReplaceLease = TimeSpan.FromMinutes(10);

    private readonly IPersistentState<CellDirectoryState> _state;
    private DirectorySnapshot? _snapshot;

    public CellDirectoryGrain([PersistentState("directory", StorageNames.GrainState)] IPersistentState<CellDirectoryState> state)
    {
        _state = state;
    }

    public ValueTask<DirectorySnapshot?> GetIfNewer(long knownVersion)
    {
        CellDirectoryState s = _state.State;
        if (knownVersion == s.Version && knownVersion != 0)
        {
            return ValueTask.FromResult<DirectorySnapshot?>(null);
        }
        if (_snapshot is null || _snapshot.Version != s.Version)
        {
            var sources = new SourceDirectory[s.Sources.Length];
            for (int i = 0; i < sources.Length; i++)
            {
                SourceEntry e = s.Sources[i];
                sources[i] = new SourceDirectory((Source)i, e.Generation, e.Cells, e.ItemCount);
            }
            _snapshot = new DirectorySnapshot(s.Version, sources, s.LiveCells);
        }
        return ValueTask.FromResult<DirectorySnapshot?>(_snapshot);
    }

    public async Task<long> BeginReplace(Source source)
    {
        SourceEntry e = _state.State.Sources[(int)source];
        // The lease is wall-clock time kept in the directory's state (it outlives a restart), not the service's
        // TimeProvider, which the expiry tests move by days.
        if (e.Pending != 0 && DateTime.UtcNow - e.PendingSince < ReplaceLease)
        {
            throw new ReplaceInProgressException(source);
        }
        // The new generation never shares a storage slot (its parity) with the live one; each attempt gets
        // its own number so that an abandoned attempt's staged items are recognised and dropped.
        long next = e.Generation + 1;
        while (next <= e.Pending) next += 2;
        e.Pending = next;
        e.PendingSince = DateTime.UtcNow;
        await Write();
        return next;
    }

    public async Task CommitReplace(Source source, long generation, long[] cells, long itemCount)
    {
        SourceEntry e = _state.State.Sources[(int)source];
        if (e.Pending != generation)
        {
            throw new InvalidOperationException($"Generation {generation} of {source.FeedName()} is not the replace under way.");
        }
        e.Generation = generation;
        e.Cells = Sorted(cells);
        e.ItemCount = itemCount;
        e.Pending = 0;
        _state.State.Version++;
        await Write();
    }

    public async Task AbortReplace(Source source, long generation)
    {
        SourceEntry e = _state.State.Sources[(int)source];
        if (e.Pending == generation)
        {
            e.Pending = 0;
            await Write();
        }
    }

    public async Task AddCells(Source source, long generation, long[] cells, long itemCountDelta)
    {
        SourceEntry e = _state.State.Sources[(int)source];
        if (e.Generation != generation)
        {
            return;
        }
        long[] merged = Union(e.Cells, cells);
        if (merged.Length == e.Cells.Length && itemCountDelta == 0)
        {
            return;
        }
        e.Cells = merged;
        e.ItemCount += itemCountDelta;
        _state.State.Version++;
        await Write();
    }

    public async Task AddLiveCells(long[] cells)
    {
        long[] merged = Union(_state.State.LiveCells, cells);
        if (merged.Length == _state.State.LiveCells.Length)
        {
            return;
        }
        _state.State.LiveCells = merged;
        _state.State.Version++;
        await Write();
    }

    private Task Write() => _state.WriteStateAsync();

    private static long[] Sorted(long[] cells)
    {
        var copy = new HashSet<long>(cells).ToArray();
        Array.Sort(copy);
        return copy;
    }

    private static long[] Union(long[] a, long[] b)
    {
        var set = new HashSet<long>(a);
        set.UnionWith(b);
        if (set.Count == a.Length) return a;
        long[] result = [.. set];
        Array.Sort(result);
        return result;
    }
}

/// <summary>A replace of the same feed is already running (HTTP 409 at the admin route).</summary>
[GenerateSerializer, Alias("alt.replaceinprogress")]
public sealed class ReplaceInProgressException : Exception
{
    public ReplaceInProgressException(Source source)
        : base($"A replace of the {source.FeedName()} feed is already running.")
    {
    }
}
