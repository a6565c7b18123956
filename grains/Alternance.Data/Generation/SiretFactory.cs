namespace Alternance.Data;

/// <summary>The generator's SIRETs: valid (<see cref="Siret"/>), distinct, unrelated-looking.</summary>
internal static class SiretFactory
{
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
        s[8] = Siret.LuhnKey(s[..8]);
        // NIC: 4 digits (establishment number) + the key making the whole SIRET valid.
        (establishment % 10_000).TryFormat(s[9..], out _, "D4");
        s[13] = Siret.LuhnKey(s[..13]);
        return new string(s);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
