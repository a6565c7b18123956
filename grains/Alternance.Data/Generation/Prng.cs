using System.Runtime.CompilerServices;

namespace Alternance.Data;

/// <summary>
/// xoshiro256** seeded through SplitMix64: our own generator so a seed gives the same dataset on every runtime and
/// platform (System.Random's algorithm is an implementation detail). Only integer arithmetic and IEEE-exact double
/// operations are used downstream for the same reason.
/// </summary>
internal sealed class Prng
{
    private ulong _s0, _s1, _s2, _s3;

    public Prng(long seed, ulong stream)
    {
        ulong x = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ (stream + 1) * 0xD1B54A32D192ED03UL);
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>0 ≤ result &lt; n (multiply-shift; the bias for n ≪ 2^64 is negligible and deterministic).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Next(int n) => (int)Math.BigMul(NextUInt64(), (ulong)n, out _);

    /// <summary>lo ≤ result ≤ hi.</summary>
    public int Between(int lo, int hi) => lo + Next(hi - lo + 1);

    public long NextLong(long n) => (long)Math.BigMul(NextUInt64(), (ulong)n, out _);

    /// <summary>[0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double p) => NextDouble() < p;

    public T Pick<T>(IReadOnlyList<T> list) => list[Next(list.Count)];

    public T Pick<T>(T[] array) => array[Next(array.Length)];
}

/// <summary>Sampling an index with integer weights (cumulative sums + binary search): exact, so deterministic.</summary>
internal sealed class WeightedTable
{
    private readonly long[] _cumulative;

    public WeightedTable(ReadOnlySpan<long> weights)
    {
        _cumulative = new long[weights.Length];
        long sum = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            sum += Math.Max(0, weights[i]);
            _cumulative[i] = sum;
        }
        if (sum == 0) throw new ArgumentException("All weights are zero.", nameof(weights));
        Total = sum;
    }

    public long Total { get; }
    public int Count => _cumulative.Length;

    public int Sample(Prng rng)
    {
        long x = rng.NextLong(Total);
        // First index whose cumulative sum exceeds x.
        int lo = 0, hi = _cumulative.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_cumulative[mid] > x) hi = mid; else lo = mid + 1;
        }
        return lo;
    }

    /// <summary>Zipf-like weights 1/(rank + offset), scaled to integers.</summary>
    public static WeightedTable Zipf(int count, double offset = 3)
    {
        var w = new long[count];
        for (int i = 0; i < count; i++) w[i] = (long)(1e9 / (i + offset));
        return new WeightedTable(w);
    }
}

internal static class DeterministicMath
{
    /// <summary>cos(x) for |x| ≤ π/2 by its Taylor series: + and × only, so identical on every platform (Math.Cos may
    /// differ in the last bit between C runtimes).</summary>
    public static double Cos(double x)
    {
        double x2 = x * x;
        double term = 1, sum = 1;
        for (int k = 1; k <= 9; k++)
        {
            term *= -x2 / ((2 * k - 1) * (2 * k));
            sum += term;
        }
        return sum;
    }

    public static double DegreesToRadians(double d) => d * (3.141592653589793 / 180.0);

    /// <summary>Rounded to 6 decimals (≈ 0.1 m), the precision a geocoder gives.</summary>
    public static double Round6(double v) => Math.Round(v * 1e6) / 1e6;
}
