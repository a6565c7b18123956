using System.Collections.Concurrent;

namespace Alternance;

/// <summary>
/// One instance of each repeated short value of the items a silo holds: town names, postal codes, labels, diploma titles,
/// a training centre's name and address. Items read back from storage (or posted one by one) arrive with a string per
/// field; a cell swaps in the shared instance before it indexes them, so a million companies hold one "PARIS", not a
/// million. Only fields whose values repeat by nature go through it (<see cref="SearchItem.WithSharedStrings"/>): ids,
/// descriptions and dates would only fill it. Bounded: once full it shares what it holds and adds nothing.
/// Thread-safe: cells index on the thread pool side by side.
/// </summary>
public sealed class SharedStrings(int capacity = SharedStrings.DefaultCapacity, int maxLength = SharedStrings.DefaultMaxLength)
{
    public const int DefaultCapacity = 2_000_000;
    public const int DefaultMaxLength = 160;

    private readonly ConcurrentDictionary<string, string> _values = new(StringComparer.Ordinal);
    // Counted here: ConcurrentDictionary.Count takes every lock of the table.
    private int _count;

    /// <summary>How many distinct values it holds.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The shared instance equal to <paramref name="value"/> (the first one seen becomes it).</summary>
    public string? Get(string? value)
    {
        if (value is null || value.Length > maxLength) return value;
        if (_values.TryGetValue(value, out string? shared)) return shared;
        if (Volatile.Read(ref _count) >= capacity) return value;
        if (!_values.TryAdd(value, value)) return _values.TryGetValue(value, out shared) ? shared : value;
        Interlocked.Increment(ref _count);
        return value;
    }

    /// <summary>The array itself when every element already is the shared instance, else a copy holding them.</summary>
    public string[] Get(string[] values)
    {
        string[]? copy = null;
        for (int i = 0; i < values.Length; i++)
        {
            string? shared = Get(values[i]);
            if (ReferenceEquals(shared, values[i])) continue;
            copy ??= (string[])values.Clone();
            copy[i] = shared!;
        }
        return copy ?? values;
    }
}

/// <summary>One item's pass through <see cref="SharedStrings"/>: notes whether any field changed instance, so an item
/// whose fields already are the shared ones is kept as it is (no copy).</summary>
internal ref struct SharingPass(SharedStrings strings)
{
    public bool Changed;

    public string? Get(string? value)
    {
        string? shared = strings.Get(value);
        Changed |= !ReferenceEquals(shared, value);
        return shared;
    }

    public string[] Get(string[] values)
    {
        string[] shared = strings.Get(values);
        Changed |= !ReferenceEquals(shared, values);
        return shared;
    }
}
