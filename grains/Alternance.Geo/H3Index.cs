using System.Runtime.CompilerServices;

namespace Alternance.Geo;

/// <summary>Bit-level access to 64-bit H3 cell indexes (mode 1).</summary>
internal static class H3Index
{
    public const int MaxRes = 15;
    public const int NumBaseCells = 122;
    public const int InvalidBaseCell = 127;

    /// <summary>Mode 1 (cell), res 0, base cell 0, every digit 7 (upstream H3_INIT with the cell mode).</summary>
    public const ulong CellInit = 0x0800_0000_0000_0000UL | 0x1FFF_FFFF_FFFFUL;

    private const int ResShift = 52;
    private const int BaseCellShift = 45;
    private const ulong ResMask = 0xFUL << ResShift;
    private const ulong BaseCellMask = 0x7FUL << BaseCellShift;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Res(ulong h) => (int)((h >> ResShift) & 0xF);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong WithRes(ulong h, int res) => (h & ~ResMask) | ((ulong)res << ResShift);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int BaseCell(ulong h) => (int)((h >> BaseCellShift) & 0x7F);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong WithBaseCell(ulong h, int bc) => (h & ~BaseCellMask) | ((ulong)bc << BaseCellShift);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Digit(ulong h, int r) => (int)((h >> ((MaxRes - r) * 3)) & 7);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong WithDigit(ulong h, int r, int d)
    {
        int s = (MaxRes - r) * 3;
        return (h & ~(7UL << s)) | ((ulong)d << s);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsBaseCellPentagon(int bc) => (uint)bc < NumBaseCells && H3Tables.BaseCellIsPentagon[bc] != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsPolarPentagon(int bc) => bc == 4 || bc == 117;

    /// <summary>True when <paramref name="face"/> is one of the pentagon base cell's two clockwise-offset faces.</summary>
    public static bool IsCwOffset(int bc, int face)
    {
        var t = H3Tables.BaseCellCwOffsetPent;
        return t[2 * bc] == face || t[2 * bc + 1] == face;
    }

    /// <summary>First non-zero digit in 1..res, 0 if all are zero.</summary>
    public static int LeadingNonZeroDigit(ulong h)
    {
        int res = Res(h);
        // Digits 1..res occupy the top 3·res bits of the 45-bit digit field.
        if (res == 0) return 0;
        ulong digits = (h & 0x1FFF_FFFF_FFFFUL) >> ((MaxRes - res) * 3);
        if (digits == 0) return 0;
        int bitLen = 64 - System.Numerics.BitOperations.LeadingZeroCount(digits);
        int pos = (bitLen - 1) / 3; // index of the first non-zero digit from the low end
        return (int)((digits >> (pos * 3)) & 7);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsPentagon(ulong h) => IsBaseCellPentagon(BaseCell(h)) && LeadingNonZeroDigit(h) == 0;

    // Digit rotation tables: K→IK→I→IJ→J→JK→K is ccw. 0 and 7 are fixed.
    private static ReadOnlySpan<byte> RotCcw => [0, 5, 3, 1, 6, 4, 2, 7];
    private static ReadOnlySpan<byte> RotCw => [0, 3, 6, 2, 5, 1, 4, 7];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int RotateDigitCcw(int d) => RotCcw[d];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int RotateDigitCw(int d) => RotCw[d];

    /// <summary>Rotates every digit 1..res 60° counter-clockwise.</summary>
    public static ulong Rotate60Ccw(ulong h)
    {
        int res = Res(h);
        var t = RotCcw;
        for (int r = 1; r <= res; r++) h = WithDigit(h, r, t[Digit(h, r)]);
        return h;
    }

    // RotCcwK[k·8 + d]: digit d rotated ccw k times (k = 0..5).
    private static ReadOnlySpan<byte> RotCcwK =>
    [
        0, 1, 2, 3, 4, 5, 6, 7,
        0, 5, 3, 1, 6, 4, 2, 7,
        0, 4, 1, 5, 2, 6, 3, 7,
        0, 6, 5, 4, 3, 2, 1, 7,
        0, 2, 4, 6, 1, 3, 5, 7,
        0, 3, 6, 2, 5, 1, 4, 7,
    ];

    /// <summary>Rotates every digit 1..res 60° counter-clockwise <paramref name="k"/> times in one pass.</summary>
    public static ulong Rotate60Ccw(ulong h, int k)
    {
        k %= 6;
        if (k == 0) return h;
        int res = Res(h);
        var t = RotCcwK.Slice(k * 8, 8);
        for (int r = 1; r <= res; r++) h = WithDigit(h, r, t[Digit(h, r)]);
        return h;
    }

    /// <summary>Rotates every digit 1..res 60° clockwise.</summary>
    public static ulong Rotate60Cw(ulong h)
    {
        int res = Res(h);
        var t = RotCw;
        for (int r = 1; r <= res; r++) h = WithDigit(h, r, t[Digit(h, r)]);
        return h;
    }

    /// <summary>ccw rotation about a pentagon centre: rotate again if the result falls in the deleted K subtree.</summary>
    public static ulong RotatePent60Ccw(ulong h)
    {
        h = Rotate60Ccw(h);
        if (LeadingNonZeroDigit(h) == 1) h = Rotate60Ccw(h);
        return h;
    }

    /// <summary>cw rotation about a pentagon centre: rotate again if the result falls in the deleted K subtree.</summary>
    public static ulong RotatePent60Cw(ulong h)
    {
        h = Rotate60Cw(h);
        if (LeadingNonZeroDigit(h) == 1) h = Rotate60Cw(h);
        return h;
    }

    /// <summary>H3 v4 isValidCell.</summary>
    public static bool IsValidCell(ulong h)
    {
        // High bit 0, mode 1, reserved 0.
        if ((h >> 56) != 0x08) return false;
        int bc = BaseCell(h);
        if (bc >= NumBaseCells) return false;
        int res = Res(h);
        bool pent = H3Tables.BaseCellIsPentagon[bc] != 0;
        bool leading = true;
        for (int r = 1; r <= res; r++)
        {
            int d = Digit(h, r);
            if (d == 7) return false;
            if (leading && d != 0)
            {
                if (pent && d == 1) return false; // deleted K subtree
                leading = false;
            }
        }
        // Every unused digit must be 7.
        int unusedBits = (MaxRes - res) * 3;
        ulong unusedMask = unusedBits == 0 ? 0 : (1UL << unusedBits) - 1;
        return (h & unusedMask) == unusedMask;
    }
}
