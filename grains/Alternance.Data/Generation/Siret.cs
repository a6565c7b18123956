namespace Alternance.Data;

/// <summary>SIREN/SIRET checks (Luhn) and the generator's SIRET factory.</summary>
public static class Siret
{
    /// <summary>14 digits and a valid Luhn key.</summary>
    public static bool IsValid(string? siret) => siret is { Length: 14 } && IsLuhnValid(siret);

    /// <summary>9 digits and a valid Luhn key.</summary>
    public static bool IsValidSiren(string? siren) => siren is { Length: 9 } && IsLuhnValid(siren);

    /// <summary>All ASCII digits and the Luhn sum is a multiple of 10.</summary>
    public static bool IsLuhnValid(ReadOnlySpan<char> digits)
    {
        if (digits.IsEmpty) return false;
        int sum = 0;
        bool dbl = false;
        for (int i = digits.Length - 1; i >= 0; i--)
        {
            int d = digits[i] - '0';
            if ((uint)d > 9) return false;
            if (dbl) { d *= 2; if (d > 9) d -= 9; }
            sum += d;
            dbl = !dbl;
        }
        return sum % 10 == 0;
    }

    /// <summary>The digit that, appended to <paramref name="body"/>, makes it Luhn-valid.</summary>
    internal static char LuhnKey(ReadOnlySpan<char> body)
    {
        int sum = 0;
        bool dbl = true; // the key will be the rightmost digit, so the body's last digit is doubled
        for (int i = body.Length - 1; i >= 0; i--)
        {
            int d = body[i] - '0';
            if (dbl) { d *= 2; if (d > 9) d -= 9; }
            sum += d;
            dbl = !dbl;
        }
        return (char)('0' + (10 - sum % 10) % 10);
    }

    /// <summary>
    /// A Luhn-valid SIRET whose SIREN is Luhn-valid too, unique per <paramref name="index"/> (&lt; 10^8) for a given
    /// <paramref name="key"/>: the 8-digit SIREN body is a keyed Feistel permutation of the index, so consecutive
    /// indexes give unrelated-looking numbers that never collide.
    /// </summary>
    internal static string Make(long index, long key, int establishment)
    {
        long hi = index / 10_000 % 10_000, lo = index % 10_000;
        for (int round = 0; round < 4; round++)
        {
            long f = (long)(Mix((ulong)(lo + 10_000 * round) ^ (ulong)key) % 10_000);
            (hi, lo) = (lo, (hi + f) % 10_000);
        }
        long body = hi * 10_000 + lo;
        Span<char> s = stackalloc char[14];
        body.TryFormat(s, out _, "D8");
        s[8] = LuhnKey(s[..8]);
        // NIC: 4 digits (establishment number) + the key making the whole SIRET valid.
        (establishment % 10_000).TryFormat(s[9..], out _, "D4");
        s[13] = LuhnKey(s[..13]);
        return new string(s);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
