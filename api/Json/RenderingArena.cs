using System.Runtime.CompilerServices;

namespace Alternance.Api.Json;

/// <summary>
/// Where a front keeps its item JSON: renderings appended one after another into a few large segments of its own
/// (1 MB each), found through <see cref="RenderingTable"/>s. Evicting a rendering reclaims no object: a whole segment,
/// the oldest, is swept at a time (its renderings read since they were written move to the newest segment, the others
/// go) and then reused. Kept as one <c>byte[]</c> each, renderings were promoted through the GC's generations and died
/// in gen2 once evicted: ~33 MB/s of gen2 garbage at scale 10, and 1.5 GB more resident than the JSON kept.
/// </summary>
/// <remarks>
/// <para>Readers take no lock. A reader holds a <see cref="ReadSection"/> from its first look-up until it has copied
/// the renderings it found; a swept segment is reused only once every section that could have seen it has ended
/// (epochs: a segment retired at epoch <c>e</c> is reused at <c>e + 2</c>, and the epoch advances only when no section
/// of the epoch before the current one is open). Writes, sweeps and table rebuilds take one lock.</para>
/// <para>The budget counts the segments and the tables' slots; past it a rendering is not kept (the caller wrote it
/// anyway and answers with it).</para>
/// </remarks>
internal sealed class RenderingArena
{
    public const int MaxSegmentBytes = 1 << 20;
    /// <summary>Renderings start on 8-byte boundaries: their headers are read as whole words.</summary>
    private const int Alignment = 8;

    private readonly Lock _write = new();
    private readonly int _segmentBytes;
    private readonly long _budget;
    /// <summary>Every segment ever allocated, by number (a slot names its rendering by segment and offset).</summary>
    private readonly byte[][] _segments;
    private readonly int[] _used;
    /// <summary>Numbers with no segment: never allocated, or given back to make room for the tables' slots.</summary>
    private readonly Stack<int> _unused = new();
    private readonly Stack<int> _free = new();
    /// <summary>Segments filled, oldest first: the next to sweep.</summary>
    private readonly Queue<int> _full = new();
    /// <summary>Segments swept, waiting for the sections that might still read them.</summary>
    private readonly Queue<(int Segment, long Epoch)> _retired = new();
    private int _head = -1;
    private readonly List<RenderingTable> _tables = [];
    private readonly Action<int> _evicted;
    private int _sweeping;
    private volatile bool _reachedBudget;

    private long _epoch;
    /// <summary>Open sections by the parity of the epoch they entered at (each counter on its own cache line).</summary>
    private readonly long[] _readers = new long[16];

    /// <param name="budget">Bytes of segments and slots at most.</param>
    /// <param name="evicted">Told how many renderings each sweep dropped.</param>
    public RenderingArena(long budget, Action<int>? evicted = null)
    {
        _budget = budget;
        // Small budgets (tests, tiny fronts) get smaller segments: sweeping one is then a small share of the whole.
        _segmentBytes = (int)Math.Clamp(budget / 64, 16 * 1024, MaxSegmentBytes);
        _segments = new byte[Math.Max(2, (int)(budget / _segmentBytes))][];
        _used = new int[_segments.Length];
        for (int n = _segments.Length - 1; n >= 0; n--) _unused.Push(n);
        _evicted = evicted ?? (_ => { });
    }

    /// <summary>Bytes held: the segments allocated and the tables' slots.</summary>
    public long Bytes
    {
        get
        {
            lock (_write)
            {
                long bytes = (long)Allocated * _segmentBytes;
                foreach (RenderingTable table in _tables) bytes += table.SlotBytes;
                return bytes;
            }
        }
    }

    public int Count
    {
        get
        {
            int count = 0;
            lock (_write)
            {
                foreach (RenderingTable table in _tables) count += table.Count;
            }
            return count;
        }
    }

    /// <summary>Set once the budget was first reached: from then on every rendering kept pushes another out.</summary>
    public bool ReachedBudget => _reachedBudget;

    /// <summary>Whether a sweep a writer asked for is queued or running.</summary>
    internal bool Sweeping => Volatile.Read(ref _sweeping) != 0;

    /// <summary>The segments by number, for readers (the array itself never changes; an entry changes only while no slot
    /// points into it: set when allocated, cleared when given back).</summary>
    internal byte[][] Segments => _segments;

    public RenderingTable CreateTable()
    {
        lock (_write)
        {
            if (_tables.Count > byte.MaxValue) throw new InvalidOperationException("At most 256 tables share an arena.");
            var table = new RenderingTable(this, (byte)_tables.Count);
            _tables.Add(table);
            return table;
        }
    }

    /// <summary>Opens a read section: what <see cref="RenderingTable.Find"/> returns inside it stays as it is until it is disposed.</summary>
    public ReadSection Enter()
    {
        while (true)
        {
            long epoch = Volatile.Read(ref _epoch);
            int counter = (int)(epoch & 1) * 8;
            Interlocked.Increment(ref _readers[counter]);
            // Entered at the epoch read, unless it advanced meanwhile (it may have checked this counter before the
            // increment): then enter at the new one.
            if (Volatile.Read(ref _epoch) == epoch) return new ReadSection(this, counter);
            Interlocked.Decrement(ref _readers[counter]);
        }
    }

    internal void Exit(int counter) => Interlocked.Decrement(ref _readers[counter]);

    /// <summary>Keeps a copy of a rendering in a table (replacing its key's); false when there is no room for it now.</summary>
    internal bool Put(RenderingTable table, byte[] rendering)
    {
        int length = Rendering.TotalLength(rendering, 0);
        if (length > _segmentBytes) return false;
        bool kept, sweep;
        lock (_write)
        {
            kept = TryAppend(rendering, 0, length, forSweep: false, out long location);
            if (kept)
            {
                _segments[Segment(location)][Offset(location) + Rendering.TableAt] = table.Id;
                table.Set(Rendering.Key(rendering, 0), location);
            }
            sweep = _free.Count + _retired.Count + Unallocated < Reserve;
        }
        if (sweep && Interlocked.CompareExchange(ref _sweeping, 1, 0) == 0)
        {
            _reachedBudget = true;
            ThreadPool.UnsafeQueueUserWorkItem(static arena => arena.Sweep(), this, preferLocal: false);
        }
        return kept;
    }

    /// <summary>Segments held (allocated, not given back; under the lock).</summary>
    private int Allocated => _segments.Length - _unused.Count;

    /// <summary>Segments that can be appended to now: free, or allocatable within the budget.</summary>
    private int Available => _free.Count + Math.Max(0, Unallocated);

    /// <summary>Segments kept free (or not yet allocated) for the renderings to come: a sweep starts below it.</summary>
    private int Reserve => Math.Max(2, _segments.Length / 32);

    private int Unallocated
    {
        get
        {
            long slotBytes = 0;
            foreach (RenderingTable table in _tables) slotBytes += table.SlotBytes;
            long room = _budget - slotBytes - (long)Allocated * _segmentBytes;
            // Negative when the slots grew into the segments' share: that many segments to give back.
            return (int)Math.Min((long)Math.Floor((double)room / _segmentBytes), _unused.Count);
        }
    }

    /// <summary>
    /// Sweeps the oldest segments until the free ones (with those waiting for readers and those not yet allocated) are
    /// twice the reserve: each rendering still in its table moves to the newest segment if it was read since it was
    /// written there, or goes.
    /// </summary>
    internal void Sweep()
    {
        try
        {
            for (int swept = 0; swept < _segments.Length; swept++)
            {
                // One segment per turn of the lock: writers wait at most one segment's sweep.
                lock (_write)
                {
                    Reclaim();
                    // The tables' slots grew since the segments were allocated: give segments back, one swept at a
                    // time, but the one the sweep moves what was read into.
                    while (Unallocated < 0 && _free.Count > 1)
                    {
                        int unused = _free.Pop();
                        Volatile.Write(ref _segments[unused], null!);
                        _unused.Push(unused);
                    }
                    if (_free.Count + _retired.Count + Unallocated >= 2 * Reserve || _full.Count == 0) break;
                    // Room to move what was read, or wait for the sections still reading the segments retired (with none
                    // retired, after the slots grew into a full arena, one segment is swept without room: what was read goes too).
                    if (Available < 1 && _retired.Count > 0) break;
                    int segment = _full.Dequeue();
                    _evicted(SweepSegment(segment));
                    _used[segment] = 0;
                    _retired.Enqueue((segment, Volatile.Read(ref _epoch)));
                    Reclaim();
                }
            }
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    /// <summary>Moves or drops every live rendering of a segment; returns how many were dropped.</summary>
    private int SweepSegment(int segment)
    {
        byte[] bytes = _segments[segment];
        int dropped = 0;
        for (int at = 0; at < _used[segment]; at = Align(at + Rendering.TotalLength(bytes, at)))
        {
            RenderingTable table = _tables[bytes[at + Rendering.TableAt]];
            long location = Location(segment, at);
            int slot = table.SlotOf(Rendering.Key(bytes, at), location);
            if (slot < 0) continue; // replaced or swept since
            if (Rendering.ClearRead(bytes, at)
                && TryAppend(bytes, at, Rendering.TotalLength(bytes, at), forSweep: true, out long moved))
            {
                table.Move(slot, moved);
            }
            else
            {
                table.RemoveAt(slot);
                dropped++;
            }
        }
        return dropped;
    }

    /// <summary>Copies a rendering to the end of the newest segment (a fresh one when it is full); its location.</summary>
    private bool TryAppend(byte[] source, int at, int length, bool forSweep, out long location)
    {
        if (_head < 0 || _used[_head] + length > _segmentBytes)
        {
            int next = TakeSegment(forSweep);
            if (next < 0)
            {
                location = 0;
                return false;
            }
            if (_head >= 0) _full.Enqueue(_head);
            _head = next;
        }
        int offset = _used[_head];
        source.AsSpan(at, length).CopyTo(_segments[_head].AsSpan(offset));
        _used[_head] = Align(offset + length);
        location = Location(_head, offset);
        return true;
    }

    /// <summary>A segment to append to; writers leave the last one to the sweep (it moves at most a segment's worth).</summary>
    private int TakeSegment(bool forSweep)
    {
        Reclaim();
        if (Available < (forSweep ? 1 : 2)) return -1;
        if (_free.Count > 0) return _free.Pop();
        int segment = _unused.Pop();
        _segments[segment] = GC.AllocateUninitializedArray<byte>(_segmentBytes, pinned: true);
        return segment;
    }

    /// <summary>Frees the retired segments no open section can still read, advancing the epoch when it can.</summary>
    private void Reclaim()
    {
        for (int step = 0; step < 2 && _retired.Count > 0 && _retired.Peek().Epoch + 2 > _epoch; step++)
        {
            // Sections open at the epoch before this one use the counter the next epoch's will: advance once they are out.
            int previous = (int)((_epoch + 1) & 1) * 8;
            if (Volatile.Read(ref _readers[previous]) != 0) break;
            Interlocked.Increment(ref _epoch);
        }
        while (_retired.Count > 0 && _retired.Peek().Epoch + 2 <= _epoch)
        {
            _free.Push(_retired.Dequeue().Segment);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static long Location(int segment, int offset) => ((long)(segment + 1) << 32) | (uint)offset;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Segment(long location) => (int)(location >> 32) - 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Offset(long location) => (int)location;

    private static int Align(int offset) => (offset + Alignment - 1) & ~(Alignment - 1);

    /// <summary>A reader's hold on the renderings it finds (see <see cref="Enter"/>); ends once, on dispose.</summary>
    internal sealed class ReadSection : IDisposable
    {
        private RenderingArena? _arena;
        private readonly int _counter;

        internal ReadSection(RenderingArena arena, int counter)
        {
            _arena = arena;
            _counter = counter;
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _arena, null) is { } arena)
            {
                arena.Exit(_counter);
                GC.SuppressFinalize(this);
            }
        }

        /// <summary>A section dropped without being disposed can no longer be read through: it must not hold segments forever.</summary>
        ~ReadSection() => _arena?.Exit(_counter);
    }
}
