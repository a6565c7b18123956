using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Alternance.Api.Json;

/// <summary>
/// Item renderings by their id's <see cref="Fingerprint"/>: open addressing with linear probing, one array of
/// renderings, each holding its own key, version and clock bit in its header (<see cref="Rendering"/>). Finding a
/// rendering costs two cache misses (the slot, the rendering, which is read next anyway) where a dictionary cost four
/// (bucket, node, key, value). Reads take no lock and see either the table before a write or after it; writes, resizes
/// and sweeps take one. Renderings are never changed once published (but for their clock bit).
/// </summary>
internal sealed class RenderingTable
{
    private const int MinimumSlots = 1024;
    /// <summary>What a removed rendering leaves in its slot, so that probes for the renderings after it go on.</summary>
    private static readonly byte[] Removed = new byte[Rendering.HeaderBytes];

    private readonly Lock _write = new();
    private byte[]?[] _slots = new byte[]?[MinimumSlots];
    private int _live;
    private int _removed;
    private long _renderingBytes;
    /// <summary>Where the next sweep starts: a sweep that stops early leaves the rest for the next one.</summary>
    private int _hand;

    /// <summary>The renderings' bytes and the slots'.</summary>
    public long Bytes => Volatile.Read(ref _renderingBytes) + (long)Volatile.Read(ref _slots).Length * IntPtr.Size;

    public int Count => Volatile.Read(ref _live);

    /// <summary>The rendering of this key at this version, marked as read; null when there is none (or another version).</summary>
    public byte[]? Find(in Fingerprint key, long version)
    {
        byte[]?[] slots = Volatile.Read(ref _slots);
        int mask = slots.Length - 1;
        for (int i = (int)key.Low & mask; ; i = (i + 1) & mask)
        {
            byte[]? rendering = slots[i];
            if (rendering is null) return null;
            if (Rendering.Is(rendering, key) && !ReferenceEquals(rendering, Removed))
            {
                if (Rendering.Version(rendering) != version) return null;
                Rendering.MarkRead(rendering);
                return rendering;
            }
        }
    }

    /// <summary>Starts loading the slot a key's probe begins at (a hint: several hits ahead of the one being found).</summary>
    public void PrefetchSlot(in Fingerprint key)
    {
        byte[]?[] slots = Volatile.Read(ref _slots);
        CacheHints.Prefetch(ref slots[(int)key.Low & (slots.Length - 1)]);
    }

    /// <summary>Starts loading the rendering in a key's first slot (its slot should be loaded by now).</summary>
    public void PrefetchRendering(in Fingerprint key)
    {
        byte[]?[] slots = Volatile.Read(ref _slots);
        CacheHints.Prefetch(slots[(int)key.Low & (slots.Length - 1)]);
    }

    /// <summary>Adds a rendering, or replaces the one of its key; returns how many bytes the table grew by.</summary>
    public long Put(byte[] rendering)
    {
        lock (_write)
        {
            long before = Bytes;
            if ((_live + _removed + 1) * 4L > _slots.Length * 3L)
            {
                Rebuild(_live + 1);
            }
            Place(_slots, rendering, ref _live, ref _removed, ref _renderingBytes);
            return Bytes - before;
        }
    }

    /// <summary>
    /// The clock: drops renderings not read since the previous sweep reached them (and clears the bit of those read)
    /// until <paramref name="wanted"/> bytes are freed or the whole table was walked; returns the bytes freed.
    /// </summary>
    public long Sweep(long wanted, out int evicted)
    {
        evicted = 0;
        lock (_write)
        {
            long before = Bytes;
            byte[]?[] slots = _slots;
            long freed = 0;
            for (int step = 0; step < slots.Length && freed < wanted; step++)
            {
                int i = _hand;
                _hand = (_hand + 1) & (slots.Length - 1);
                byte[]? rendering = slots[i];
                if (rendering is null || ReferenceEquals(rendering, Removed)) continue;
                if (Rendering.ClearRead(rendering)) continue;
                Volatile.Write(ref slots[i], Removed);
                _live--;
                _removed++;
                _renderingBytes -= rendering.Length;
                freed += rendering.Length;
                evicted++;
            }
            if (_removed * 4L > slots.Length)
            {
                // Too many removed slots lengthen every probe: the same renderings in fresh slots.
                Rebuild(_live);
            }
            return before - Bytes;
        }
    }

    /// <summary>Copies the live renderings into new slots sized for <paramref name="live"/>, then publishes them.</summary>
    private void Rebuild(int live)
    {
        int size = MinimumSlots;
        while (size * 3L < live * 4L * 2) size *= 2; // at most 3/8 full after a rebuild
        var slots = new byte[]?[size];
        int placed = 0, removed = 0;
        long bytes = 0;
        foreach (byte[]? rendering in _slots)
        {
            if (rendering is null || ReferenceEquals(rendering, Removed)) continue;
            Place(slots, rendering, ref placed, ref removed, ref bytes);
        }
        _live = placed;
        _removed = 0;
        _renderingBytes = bytes;
        _hand = 0;
        Volatile.Write(ref _slots, slots);
    }

    private static void Place(byte[]?[] slots, byte[] rendering, ref int live, ref int removed, ref long bytes)
    {
        Fingerprint key = Rendering.Key(rendering);
        int mask = slots.Length - 1;
        int free = -1;
        for (int i = (int)key.Low & mask; ; i = (i + 1) & mask)
        {
            byte[]? current = slots[i];
            if (current is null)
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
                bytes += rendering.Length;
                Volatile.Write(ref slots[free], rendering);
                return;
            }
            if (ReferenceEquals(current, Removed))
            {
                if (free < 0) free = i;
                continue;
            }
            if (Rendering.Is(current, key))
            {
                bytes += rendering.Length - current.Length;
                Volatile.Write(ref slots[i], rendering);
                return;
            }
        }
    }
}

/// <summary>
/// An item's rendering as one array: a header (the id's fingerprint, the item's version, where the distance is cut out,
/// where the JSON resumes, the clock bit), then the JSON: <c>Json[..Cut]</c>, the distance, <c>Json[Resume..]</c>.
/// </summary>
internal static class Rendering
{
    public const int HeaderBytes = 40;
    private const int VersionAt = 16, CutAt = 24, ResumeAt = 28, ReadAt = 32;

    public static byte[] Create(in Fingerprint key, long version, ReadOnlySpan<byte> json, int cut, int resume)
    {
        byte[] rendering = new byte[HeaderBytes + json.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(rendering, key.Low);
        BinaryPrimitives.WriteUInt64LittleEndian(rendering.AsSpan(8), key.High);
        BinaryPrimitives.WriteInt64LittleEndian(rendering.AsSpan(VersionAt), version);
        BinaryPrimitives.WriteInt32LittleEndian(rendering.AsSpan(CutAt), cut);
        BinaryPrimitives.WriteInt32LittleEndian(rendering.AsSpan(ResumeAt), resume);
        json.CopyTo(rendering.AsSpan(HeaderBytes));
        return rendering;
    }

    public static Fingerprint Key(byte[] rendering) => new(Read<ulong>(rendering, 8), Read<ulong>(rendering, 0));

    public static bool Is(byte[] rendering, in Fingerprint key) => Read<ulong>(rendering, 0) == key.Low && Read<ulong>(rendering, 8) == key.High;

    public static long Version(byte[] rendering) => Read<long>(rendering, VersionAt);

    public static int Cut(byte[] rendering) => Read<int>(rendering, CutAt);

    public static int Resume(byte[] rendering) => Read<int>(rendering, ResumeAt);

    public static ReadOnlySpan<byte> Json(byte[] rendering) => rendering.AsSpan(HeaderBytes);

    /// <summary>Bytes written for the item, its distance aside.</summary>
    public static int Length(byte[] rendering) => rendering.Length - HeaderBytes - (Resume(rendering) - Cut(rendering));

    /// <summary>Sets the clock bit; written only when clear, so that hot renderings' lines are not dirtied on every read.</summary>
    public static void MarkRead(byte[] rendering)
    {
        if (rendering[ReadAt] == 0) rendering[ReadAt] = 1;
    }

    /// <summary>Clears the clock bit; whether it was set.</summary>
    public static bool ClearRead(byte[] rendering)
    {
        if (rendering[ReadAt] == 0) return false;
        rendering[ReadAt] = 0;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Read<T>(byte[] array, int offset) where T : unmanaged =>
        Unsafe.ReadUnaligned<T>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(array), offset));
}
