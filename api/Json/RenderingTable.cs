using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Alternance.Api.Json;

/// <summary>
/// Item renderings of one source and shape by their id's <see cref="Fingerprint"/>: open addressing with linear probing
/// over one array of locations in a <see cref="RenderingArena"/> (segment and offset in a word; the rendering's header
/// holds its key, version and clock bit). Finding a rendering costs two cache misses (the slot, the rendering, which is
/// read next anyway). Reads take no lock and run inside a <see cref="RenderingArena.ReadSection"/>; writes, moves and
/// rebuilds happen under the arena's lock.
/// </summary>
internal sealed class RenderingTable
{
    private const int MinimumSlots = 1024;
    private const long Empty = 0;
    /// <summary>What a removed rendering leaves in its slot, so that probes for the renderings after it go on.</summary>
    private const long Removed = -1;

    private readonly RenderingArena _arena;
    private long[] _slots = new long[MinimumSlots];
    private int _live;
    private int _removed;

    internal RenderingTable(RenderingArena arena, byte id)
    {
        _arena = arena;
        Id = id;
    }

    /// <summary>The table's number in its arena, written in its renderings' headers.</summary>
    public byte Id { get; }

    public int Count => Volatile.Read(ref _live);

    public long SlotBytes => (long)Volatile.Read(ref _slots).Length * sizeof(long);

    /// <summary>Keeps a copy of a rendering (replacing its key's); false when the arena has no room for it now.</summary>
    public bool Put(byte[] rendering) => _arena.Put(this, rendering);

    /// <summary>
    /// The rendering of this key at this version, marked as read; false when there is none (or another version). Call
    /// inside a read section: the rendering's bytes stay as they are until it ends.
    /// </summary>
    public bool Find(in Fingerprint key, long version, out RenderingRef rendering)
    {
        if (!Locate(key, version, out rendering)) return false;
        Rendering.MarkRead(rendering.Array, rendering.Offset);
        return true;
    }

    /// <summary>Whether the table holds this key at this version, without marking it read (what a sweep sees).</summary>
    internal bool Holds(in Fingerprint key, long version) => Locate(key, version, out _);

    private bool Locate(in Fingerprint key, long version, out RenderingRef rendering)
    {
        long[] slots = Volatile.Read(ref _slots);
        byte[][] segments = _arena.Segments;
        int mask = slots.Length - 1;
        for (int i = (int)key.Low & mask; ; i = (i + 1) & mask)
        {
            long location = Volatile.Read(ref slots[i]);
            if (location == Empty) break;
            if (location == Removed) continue;
            byte[] segment = segments[RenderingArena.Segment(location)];
            int at = RenderingArena.Offset(location);
            if (!Rendering.Is(segment, at, key)) continue;
            if (Rendering.Version(segment, at) != version) break;
            rendering = new RenderingRef(segment, at);
            return true;
        }
        rendering = default;
        return false;
    }

    /// <summary>Starts loading the slot a key's probe begins at (a hint: several hits ahead of the one being found).</summary>
    public void PrefetchSlot(in Fingerprint key)
    {
        long[] slots = Volatile.Read(ref _slots);
        CacheHints.Prefetch(ref slots[(int)key.Low & (slots.Length - 1)]);
    }

    /// <summary>Starts loading the rendering in a key's first slot (its slot should be loaded by now).</summary>
    public void PrefetchRendering(in Fingerprint key)
    {
        long[] slots = Volatile.Read(ref _slots);
        long location = slots[(int)key.Low & (slots.Length - 1)];
        if (location == Empty || location == Removed) return;
        byte[]? segment = _arena.Segments[RenderingArena.Segment(location)];
        if (segment is not null) CacheHints.Prefetch(ref Rendering.At(segment, RenderingArena.Offset(location)));
    }

    /// <summary>Points a key at a rendering's location, adding the key or replacing its location (under the arena's lock).</summary>
    internal void Set(in Fingerprint key, long location)
    {
        if ((_live + _removed + 1) * 4L > _slots.Length * 3L)
        {
            Rebuild(_live + 1);
        }
        Place(_slots, key, location, ref _live, ref _removed);
    }

    /// <summary>The slot pointing at this location for this key; -1 when the key points elsewhere or nowhere (under the arena's lock).</summary>
    internal int SlotOf(in Fingerprint key, long location)
    {
        long[] slots = _slots;
        int mask = slots.Length - 1;
        for (int i = (int)key.Low & mask; ; i = (i + 1) & mask)
        {
            long current = slots[i];
            if (current == Empty) return -1;
            if (current == location) return i;
        }
    }

    /// <summary>Points a slot at the rendering's new location (a copy of the same bytes; under the arena's lock).</summary>
    internal void Move(int slot, long location) => Volatile.Write(ref _slots[slot], location);

    /// <summary>Drops a slot's rendering (under the arena's lock).</summary>
    internal void RemoveAt(int slot)
    {
        Volatile.Write(ref _slots[slot], Removed);
        _live--;
        _removed++;
        if (_removed * 4L > _slots.Length)
        {
            // Too many removed slots lengthen every probe: the same locations in fresh slots.
            Rebuild(_live);
        }
    }

    /// <summary>Copies the live locations into new slots sized for <paramref name="live"/>, then publishes them.</summary>
    private void Rebuild(int live)
    {
        int size = MinimumSlots;
        while (size * 3L < live * 4L * 2) size *= 2; // at most 3/8 full after a rebuild
        var slots = new long[size];
        int placed = 0, removed = 0;
        byte[][] segments = _arena.Segments;
        foreach (long location in _slots)
        {
            if (location == Empty || location == Removed) continue;
            Place(slots, Rendering.Key(segments[RenderingArena.Segment(location)], RenderingArena.Offset(location)), location, ref placed, ref removed);
        }
        _live = placed;
        _removed = 0;
        Volatile.Write(ref _slots, slots);
    }

    private void Place(long[] slots, in Fingerprint key, long location, ref int live, ref int removed)
    {
        byte[][] segments = _arena.Segments;
        int mask = slots.Length - 1;
        int free = -1;
        for (int i = (int)key.Low & mask; ; i = (i + 1) & mask)
        {
            long current = slots[i];
            if (current == Empty)
            {
                if (free < 0)
                {
                    free = i;
                }
                else
                {
                    removed--; // the removed slot found first is reused
                }
                live++;
                Volatile.Write(ref slots[free], location);
                return;
            }
            if (current == Removed)
            {
                if (free < 0) free = i;
                continue;
            }
            if (Rendering.Is(segments[RenderingArena.Segment(current)], RenderingArena.Offset(current), key))
            {
                Volatile.Write(ref slots[i], location);
                return;
            }
        }
    }
}

/// <summary>A rendering's place: the array holding it (a segment, or an array of its own) and where its header starts.</summary>
internal readonly struct RenderingRef(byte[] array, int offset)
{
    public byte[] Array { get; } = array;
    public int Offset { get; } = offset;
}

/// <summary>
/// An item's rendering: a header (the id's fingerprint, the item's version, where the distance is cut out, where the
/// JSON resumes, the clock bit, its table in an arena, its length), then the JSON: <c>Json[..Cut]</c>, the distance,
/// <c>Json[Resume..]</c>. Made as an array of its own (<see cref="Create"/>), then copied into an arena if kept.
/// </summary>
internal static class Rendering
{
    public const int HeaderBytes = 40;
    public const int TableAt = 33;
    private const int VersionAt = 16, CutAt = 24, ResumeAt = 28, ReadAt = 32, LengthAt = 36;

    public static byte[] Create(in Fingerprint key, long version, ReadOnlySpan<byte> json, int cut, int resume)
    {
        byte[] rendering = new byte[HeaderBytes + json.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(rendering, key.Low);
        BinaryPrimitives.WriteUInt64LittleEndian(rendering.AsSpan(8), key.High);
        BinaryPrimitives.WriteInt64LittleEndian(rendering.AsSpan(VersionAt), version);
        BinaryPrimitives.WriteInt32LittleEndian(rendering.AsSpan(CutAt), cut);
        BinaryPrimitives.WriteInt32LittleEndian(rendering.AsSpan(ResumeAt), resume);
        BinaryPrimitives.WriteInt32LittleEndian(rendering.AsSpan(LengthAt), rendering.Length);
        json.CopyTo(rendering.AsSpan(HeaderBytes));
        return rendering;
    }

    public static Fingerprint Key(byte[] array, int at) => new(Read<ulong>(array, at + 8), Read<ulong>(array, at));

    public static bool Is(byte[] array, int at, in Fingerprint key) => Read<ulong>(array, at) == key.Low && Read<ulong>(array, at + 8) == key.High;

    public static long Version(byte[] array, int at) => Read<long>(array, at + VersionAt);

    public static int Cut(byte[] array, int at) => Read<int>(array, at + CutAt);

    public static int Resume(byte[] array, int at) => Read<int>(array, at + ResumeAt);

    /// <summary>Header and JSON.</summary>
    public static int TotalLength(byte[] array, int at) => Read<int>(array, at + LengthAt);

    public static ReadOnlySpan<byte> Json(byte[] array, int at) =>
        MemoryMarshal.CreateReadOnlySpan(ref At(array, at + HeaderBytes), TotalLength(array, at) - HeaderBytes);

    /// <summary>Bytes written for the item, its distance aside.</summary>
    public static int Length(byte[] array, int at) => TotalLength(array, at) - HeaderBytes - (Resume(array, at) - Cut(array, at));

    /// <summary>Sets the clock bit; written only when clear, so that hot renderings' lines are not dirtied on every read.</summary>
    public static void MarkRead(byte[] array, int at)
    {
        ref byte read = ref At(array, at + ReadAt);
        if (read == 0) read = 1;
    }

    /// <summary>Clears the clock bit; whether it was set.</summary>
    public static bool ClearRead(byte[] array, int at)
    {
        if (array[at + ReadAt] == 0) return false;
        array[at + ReadAt] = 0;
        return true;
    }

    /// <summary>
    /// A byte of a rendering, unchecked: locations come from the tables (or a rendering's own array), and a checked index
    /// would read the array's length, at the start of a 1 MB segment, a cache line apart from the rendering.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ref byte At(byte[] array, int offset) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(array), offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Read<T>(byte[] array, int offset) where T : unmanaged => Unsafe.ReadUnaligned<T>(ref At(array, offset));
}
