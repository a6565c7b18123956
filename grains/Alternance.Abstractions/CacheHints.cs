using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Alternance;

/// <summary>Software prefetches: hints to start loading memory that is about to be read (never faults, may be ignored).</summary>
public static unsafe class CacheHints
{
    /// <summary>The cache line of a location (an array element).</summary>
    public static void Prefetch<T>(ref T location)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref location));
        }
    }

    /// <summary>The first cache line of an object (its header and first fields).</summary>
    public static void Prefetch(object? value)
    {
        if (Sse.IsSupported && value is not null)
        {
            // The address is only a hint: if the object moves meanwhile, the prefetch is wasted, nothing else.
            Sse.Prefetch0(*(void**)Unsafe.AsPointer(ref value));
        }
    }

    /// <summary>Every cache line of a range of an array (the caller keeps the range within the array).</summary>
    public static void PrefetchRange(byte[] array, int offset, int length)
    {
        if (!Sse.IsSupported) return;
        byte* start = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array)) + offset;
        for (int at = 0; at < length; at += 64)
        {
            Sse.Prefetch0(start + at);
        }
    }
}
