using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Alternance.Geo;

/// <summary>
/// H3 v4 hexagonal grid, pure C#, bit-for-bit equal to H3 v4.5.0 / h3-js 4.5.0 for indexing, centres and
/// boundaries. Coordinates are in degrees, indexes are 64-bit cell indexes (mode 1).
/// </summary>
/// <remarks>
/// <para>Degree conversion is <c>deg * Math.PI / 180.0</c>, exactly as h3-js, so edge ties break the same way.</para>
/// <para>
/// Validation: functions taking a cell validate it with <see cref="IsValidCell"/> and throw
/// <see cref="H3Exception"/> with code 5 (E_CELL_INVALID) — except the bit readers <see cref="GetResolution"/>,
/// <see cref="GetBaseCellNumber"/> and <see cref="IsPentagon"/>, which, like H3, just read the bits.
/// Resolutions outside 0..15 throw code 4 (E_RES_DOMAIN); non-finite coordinates throw code 3.
/// </para>
/// </remarks>
public static partial class H3
{
    /// <summary>The finest resolution (15).</summary>
    public const int MaxResolution = 15;

    /// <summary>Maximum number of vertices of a cell boundary (Class III pentagon: 10).</summary>
    public const int MaxBoundaryVertices = Projection.MaxBoundaryVerts;

    /// <summary>H3's authalic earth radius in km (the radius its areas and edge lengths refer to).</summary>
    public const double H3EarthRadiusKm = 6371.007180918475;

    // ------------------------------------------------------------------ validation helpers

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckRes(int res)
    {
        if ((uint)res > MaxResolution) ThrowRes(res);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckCell(ulong cell)
    {
        if (!H3Index.IsValidCell(cell)) ThrowCell(cell);
    }

    [DoesNotReturn]
    private static void ThrowRes(int res) =>
        throw new H3Exception(H3Exception.ResDomain, $"Resolution {res} is outside 0..15");

    [DoesNotReturn]
    private static void ThrowCell(ulong cell) =>
        throw new H3Exception(H3Exception.CellInvalid, $"0x{cell:x} is not a valid H3 cell");

    [DoesNotReturn]
    private static void ThrowLatLng(double lat, double lng) =>
        throw new H3Exception(H3Exception.LatLngDomain, $"Coordinates ({lat}, {lng}) are not finite");

    [DoesNotReturn]
    private static void ThrowBounds(int needed, int have) =>
        throw new H3Exception(H3Exception.MemoryBounds, $"Destination holds {have} items, {needed} needed");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double ToRad(double deg) => deg * Math.PI / 180.0; // h3-js order: (deg·π)/180

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double ToDeg(double rad) => rad * 180.0 / Math.PI;

    // ------------------------------------------------------------------ indexing

    /// <summary>The cell of resolution <paramref name="res"/> containing the point (degrees). Allocation-free.</summary>
    /// <exception cref="H3Exception">Code 4 if res is outside 0..15, code 3 if lat or lng is not finite.</exception>
    /// <remarks>Like H3, latitudes beyond ±90 and any finite longitude are accepted and wrap through the trigonometry.</remarks>
    public static ulong LatLngToCell(double latDeg, double lngDeg, int res)
    {
        CheckRes(res);
        if (!double.IsFinite(latDeg) || !double.IsFinite(lngDeg)) ThrowLatLng(latDeg, lngDeg);
        return Projection.Vec3ToCell(Vec3.FromLatLngRad(ToRad(latDeg), ToRad(lngDeg)), res);
    }

    /// <summary>The centre of a cell, in degrees.</summary>
    /// <exception cref="H3Exception">Code 5 if the cell is invalid.</exception>
    public static (double Lat, double Lng) CellToLatLng(ulong cell)
    {
        CheckCell(cell);
        Vec3 v = Projection.CellToVec3(cell);
        return (ToDeg(v.LatRad), ToDeg(v.LngRad));
    }

    /// <summary>The boundary of a cell in degrees: counter-clockwise, open ring (first vertex not repeated), 5 to 10 vertices.</summary>
    /// <exception cref="H3Exception">Code 5 if the cell is invalid.</exception>
    public static (double Lat, double Lng)[] CellToBoundary(ulong cell)
    {
        Span<(double Lat, double Lng)> tmp = stackalloc (double, double)[MaxBoundaryVertices];
        int n = CellToBoundary(cell, tmp);
        return tmp[..n].ToArray();
    }

    /// <summary>Allocation-free <see cref="CellToBoundary(ulong)"/>: writes the vertices and returns their count.</summary>
    /// <param name="cell">A valid cell.</param>
    /// <param name="dest">At least <see cref="MaxBoundaryVertices"/> (10) entries, or the exact count for this cell.</param>
    /// <exception cref="H3Exception">Code 5 if the cell is invalid, 14 if <paramref name="dest"/> is too small.</exception>
    public static int CellToBoundary(ulong cell, Span<(double Lat, double Lng)> dest)
    {
        CheckCell(cell);
        Span<Vec3> verts = stackalloc Vec3[MaxBoundaryVertices];
        int n = Projection.CellToBoundary(cell, verts);
        if (dest.Length < n) ThrowBounds(n, dest.Length);
        for (int i = 0; i < n; i++) dest[i] = (ToDeg(verts[i].LatRad), ToDeg(verts[i].LngRad));
        return n;
    }

    // ------------------------------------------------------------------ inspection

    /// <summary>True if <paramref name="h"/> is a valid H3 cell index (H3 v4 rules, including the deleted pentagon subsequence).</summary>
    public static bool IsValidCell(ulong h) => H3Index.IsValidCell(h);

    /// <summary>The resolution field (bits 52–55). Reads the bits only: no validation.</summary>
    public static int GetResolution(ulong cell) => H3Index.Res(cell);

    /// <summary>The base cell number (0..121 for valid cells). Reads the bits only: no validation.</summary>
    public static int GetBaseCellNumber(ulong cell) => H3Index.BaseCell(cell);

    /// <summary>True if the cell is one of the 12 pentagons of its resolution. Reads the bits only: no validation.</summary>
    public static bool IsPentagon(ulong cell) => H3Index.IsPentagon(cell);

    /// <summary>True for odd (Class III) resolutions.</summary>
    public static bool IsResClassIII(ulong cell) => (H3Index.Res(cell) & 1) != 0;

    /// <summary>The indexing digit of <paramref name="cell"/> at resolution <paramref name="r"/> (1..15); 7 past the cell's resolution.</summary>
    public static int GetIndexDigit(ulong cell, int r)
    {
        if (r < 1 || r > MaxResolution) ThrowRes(r);
        return H3Index.Digit(cell, r);
    }

    /// <summary>The icosahedron faces (0..19) the cell intersects, sorted ascending (1–2 for hexagons, 5 for pentagons).</summary>
    /// <exception cref="H3Exception">Code 5 if the cell is invalid.</exception>
    public static int[] GetIcosahedronFaces(ulong cell)
    {
        CheckCell(cell);
        bool pent = H3Index.IsPentagon(cell);
        // Class II pentagons have every vertex on a face edge: their centre child crosses the same faces.
        if (pent && (H3Index.Res(cell) & 1) == 0) cell = CellToCenterChild(cell, H3Index.Res(cell) + 1);
        Span<FaceIjk> verts = stackalloc FaceIjk[6];
        Projection.SubstrateVerts(cell, pent, verts, out int adjRes);
        Span<bool> seen = stackalloc bool[20];
        int n = pent ? 5 : 6;
        for (int v = 0; v < n; v++)
        {
            FaceIjk vf = verts[v];
            if (pent)
                while (Projection.AdjustOverage(ref vf, adjRes, false, true) == Overage.NewFace) { }
            else
                Projection.AdjustOverage(ref vf, adjRes, false, true);
            seen[vf.Face] = true;
        }
        int count = 0;
        foreach (bool b in seen) if (b) count++;
        var result = new int[count];
        count = 0;
        for (int f = 0; f < 20; f++) if (seen[f]) result[count++] = f;
        return result;
    }

    // ------------------------------------------------------------------ strings

    /// <summary>Lower-case hexadecimal without leading zeros, as h3-js prints indexes (e.g. "891fb466257ffff").</summary>
    public static string ToString(ulong h) => h.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>Parses a hexadecimal index (case-insensitive, optional "0x" prefix).</summary>
    /// <exception cref="FormatException">The text is not 1–16 hexadecimal digits.</exception>
    public static ulong Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (!TryParse(s, out ulong h)) throw new FormatException($"'{s}' is not a hexadecimal H3 index");
        return h;
    }

    /// <summary>Parses a hexadecimal index; false if the text is not 1–16 hexadecimal digits (no validity check of the cell).</summary>
    public static bool TryParse(ReadOnlySpan<char> s, out ulong h)
    {
        if (s.Length > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s = s[2..];
        return ulong.TryParse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out h);
    }

    // ------------------------------------------------------------------ resolution tables

    /// <summary>Average hexagon edge length in km at a resolution (H3's getHexagonEdgeLengthAvgKm).</summary>
    public static double EdgeLengthAvgKm(int res)
    {
        CheckRes(res);
        return H3Tables.HexEdgeLenAvgKm[res];
    }

    /// <summary>Average hexagon area in km² at a resolution (H3's getHexagonAreaAvgKm2).</summary>
    public static double AreaAvgKm2(int res)
    {
        CheckRes(res);
        return H3Tables.HexAreaAvgKm2[res];
    }

    /// <summary>Number of cells at a resolution: 2 + 120·7^res.</summary>
    public static long NumCells(int res)
    {
        CheckRes(res);
        long p = 1;
        for (int i = 0; i < res; i++) p *= 7;
        return 2 + 120 * p;
    }
}
