namespace Alternance.Geo;

public static partial class H3
{
    /// <summary>The ancestor of a cell at <paramref name="parentRes"/> (bit operations only).</summary>
    /// <exception cref="H3Exception">Code 5 for an invalid cell, 4 if parentRes is outside 0..15, 12 if it is finer than the cell.</exception>
    public static ulong CellToParent(ulong cell, int parentRes)
    {
        CheckCell(cell);
        CheckRes(parentRes);
        int res = H3Index.Res(cell);
        if (parentRes > res)
            throw new H3Exception(H3Exception.ResMismatch, $"Parent resolution {parentRes} is finer than the cell's {res}");
        return Parent(cell, parentRes);
    }

    /// <summary>Unchecked parent: set the resolution and fill digits parentRes+1..15 with 7.</summary>
    internal static ulong Parent(ulong cell, int parentRes)
    {
        int bits = (MaxResolution - parentRes) * 3;
        ulong fill = bits == 0 ? 0 : (1UL << bits) - 1;
        return H3Index.WithRes(cell, parentRes) | fill;
    }

    /// <summary>The centre child at <paramref name="childRes"/>: digits res+1..childRes set to 0.</summary>
    /// <exception cref="H3Exception">Code 5 for an invalid cell, 4 if childRes is coarser than the cell or above 15.</exception>
    public static ulong CellToCenterChild(ulong cell, int childRes)
    {
        CheckCell(cell);
        CheckChildRes(cell, childRes);
        return CenterChild(cell, childRes);
    }

    internal static ulong CenterChild(ulong cell, int childRes)
    {
        int res = H3Index.Res(cell);
        // Clear digits res+1..childRes (they are 7 in a valid cell).
        int lo = (MaxResolution - childRes) * 3;
        int hi = (MaxResolution - res) * 3;
        ulong mask = ((1UL << hi) - 1) & ~((1UL << lo) - 1);
        return H3Index.WithRes(cell & ~mask, childRes);
    }

    private static void CheckChildRes(ulong cell, int childRes)
    {
        int res = H3Index.Res(cell);
        if (childRes < res || childRes > MaxResolution)
            throw new H3Exception(H3Exception.ResDomain, $"Child resolution {childRes} is not in {res}..15");
    }

    /// <summary>Number of children at <paramref name="childRes"/>: 7ⁿ, or 1 + 5·(7ⁿ − 1)/6 for a pentagon.</summary>
    /// <exception cref="H3Exception">Code 5 for an invalid cell, 4 for a bad child resolution.</exception>
    public static long CellToChildrenSize(ulong cell, int childRes)
    {
        CheckCell(cell);
        CheckChildRes(cell, childRes);
        return ChildrenSize(cell, childRes);
    }

    private static long ChildrenSize(ulong cell, int childRes)
    {
        long p = 1;
        for (int i = H3Index.Res(cell); i < childRes; i++) p *= 7;
        return H3Index.IsPentagon(cell) ? 1 + 5 * (p - 1) / 6 : p;
    }

    /// <summary>All children at <paramref name="childRes"/>, in ascending numeric order (h3-js order).</summary>
    /// <exception cref="H3Exception">Code 5 for an invalid cell, 4 for a bad child resolution, 2 if the result would exceed an array.</exception>
    public static ulong[] CellToChildren(ulong cell, int childRes)
    {
        long size = CellToChildrenSize(cell, childRes);
        if (size > Array.MaxLength) throw new H3Exception(H3Exception.Domain, $"{size} children do not fit an array");
        var result = new ulong[size];
        int n = Children(cell, childRes, result);
        System.Diagnostics.Debug.Assert(n == size);
        return result;
    }

    /// <summary>Allocation-free <see cref="CellToChildren(ulong,int)"/>; returns the count.</summary>
    /// <exception cref="H3Exception">Codes as <see cref="CellToChildren(ulong,int)"/>; 14 if <paramref name="dest"/> is too small.</exception>
    public static int CellToChildren(ulong cell, int childRes, Span<ulong> dest)
    {
        long size = CellToChildrenSize(cell, childRes);
        if (size > dest.Length) ThrowBounds((int)Math.Min(size, int.MaxValue), dest.Length);
        return Children(cell, childRes, dest);
    }

    /// <summary>Odometer over digits res+1..childRes in ascending order, skipping the deleted K subtree of pentagons.</summary>
    internal static int Children(ulong cell, int childRes, Span<ulong> dest)
    {
        int res = H3Index.Res(cell);
        bool pentCell = H3Index.IsPentagon(cell);
        ulong h = CenterChild(cell, childRes);
        int n = 0;
        dest[n++] = h;
        if (childRes == res) return n;
        while (true)
        {
            int r = childRes;
            while (true)
            {
                int d = H3Index.Digit(h, r) + 1;
                // Under a pentagon, digit 1 is deleted while every coarser new digit is still 0.
                if (d == 1 && pentCell && AllZero(h, res + 1, r - 1)) d = 2;
                if (d <= 6)
                {
                    h = H3Index.WithDigit(h, r, d);
                    break;
                }
                h = H3Index.WithDigit(h, r, 0);
                if (--r == res) return n;
            }
            dest[n++] = h;
        }
    }

    private static bool AllZero(ulong h, int from, int to)
    {
        for (int r = from; r <= to; r++)
            if (H3Index.Digit(h, r) != 0) return false;
        return true;
    }
}
