using System.Runtime.CompilerServices;

namespace Alternance.Geo;

/// <summary>
/// Reusable open-addressing hash set of cell indexes (0 is never a cell, so it marks empty slots).
/// Cleared in O(count) by remembering the inserted slots, so a scratch instance costs nothing between calls.
/// </summary>
internal sealed class CellSet
{
    private ulong[] _slots;
    private int[] _used; // slot indexes in insertion order
    private int _count;
    private int _mask;

    public CellSet(int capacity = 256)
    {
        int size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, capacity * 2));
        _slots = new ulong[size];
        _used = new int[size / 2];
        _mask = size - 1;
    }

    public int Count => _count;

    /// <summary>Number of slots (twice the number of cells it can hold before growing).</summary>
    public int Capacity => _slots.Length;

    /// <summary>The i-th inserted cell.</summary>
    public ulong this[int i] => _slots[_used[i]];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Hash(ulong h)
    {
        // Cell indexes differ mostly in the low digit bits; mix them (Fibonacci hashing).
        return (int)((h * 0x9E3779B97F4A7C15UL) >> 32);
    }

    /// <summary>Adds a cell; false if it was already present.</summary>
    public bool Add(ulong h)
    {
        if (_count >= _used.Length) Grow();
        int i = Hash(h) & _mask;
        while (true)
        {
            ulong s = _slots[i];
            if (s == h) return false;
            if (s == 0)
            {
                _slots[i] = h;
                _used[_count++] = i;
                return true;
            }
            i = (i + 1) & _mask;
        }
    }

    public void Clear()
    {
        if (_count > _slots.Length / 4)
        {
            Array.Clear(_slots);
        }
        else
        {
            for (int i = 0; i < _count; i++) _slots[_used[i]] = 0;
        }
        _count = 0;
    }

    private void Grow()
    {
        int n = _count;
        var old = new ulong[n];
        for (int i = 0; i < n; i++) old[i] = this[i];
        int size = _slots.Length * 2;
        _slots = new ulong[size];
        _used = new int[size / 2];
        _mask = size - 1;
        _count = 0;
        foreach (ulong h in old) Add(h);
    }
}
