using System.Runtime.CompilerServices;

namespace Alternance.Geo;

public static partial class H3
{
    /// <summary>
    /// Earth radius (km) of the circle contract of <see cref="CoverCircle(double,double,double,int)"/>:
    /// distance = 6378.1 km × central angle (MongoDB's sphere), not H3's 6371.007 km.
    /// </summary>
    public const double CoverEarthRadiusKm = 6378.1;

    /// <summary>Covers whose estimated size exceeds this many cells are refused (code 2): e.g. the whole earth at res ≥ 6.</summary>
    public const int MaxCoverCells = 4_200_000;

    /// <summary>
    /// Every cell of resolution <paramref name="res"/> that the spherical circle touches, and few others.
    /// </summary>
    /// <param name="latDeg">Centre latitude, degrees.</param>
    /// <param name="lngDeg">Centre longitude, degrees.</param>
    /// <param name="radiusKm">
    /// Radius in km on a sphere of radius <see cref="CoverEarthRadiusKm"/> = 6378.1 km: the circle is the set of
    /// points whose central angle to the centre is ≤ radiusKm / 6378.1 (the service's distance contract),
    /// NOT H3's 6371.007 km sphere. 0 gives the centre's cell (plus any cell whose boundary passes within
    /// ~0.1 mm of the centre).
    /// </param>
    /// <param name="res">Resolution 0..15.</param>
    /// <returns>The cells, in breadth-first order from the centre's cell (unsorted).</returns>
    /// <remarks>
    /// <para>
    /// Guarantee: for every point q with central angle(centre, q) ≤ radiusKm / 6378.1,
    /// <c>LatLngToCell(q, res)</c> is in the result. A cell is returned iff it contains the centre or the
    /// great-circle distance from the centre to its boundary is ≤ the radius (+1e-9 relative, +1e-11 rad);
    /// H3 cell edges are great-circle arcs (gnomonic faces), with the extra vertices where Class III edges
    /// cross an icosahedron edge, so this test is exact up to rounding. Correct across face edges and near
    /// pentagons.
    /// </para>
    /// <para>
    /// Algorithm: breadth-first flood fill over grid neighbours from the centre's cell, expanding only kept cells.
    /// Prefilters: keep if the cell centre is within the radius; drop if it is farther than
    /// radius + 1.1 × (largest centre-to-vertex distance at res); otherwise test the boundary edges.
    /// When the circle covers more than a third of the sphere every cell of the resolution is tested instead.
    /// </para>
    /// <para>
    /// Large radii: any radius is accepted (≥ π × 6378.1 ≈ 20037.5 km is the whole sphere) as long as the
    /// estimated result stays under <see cref="MaxCoverCells"/>; whole-earth covers work up to res 5
    /// (2,016,842 cells, a fraction of a second); beyond that code 2 is thrown.
    /// </para>
    /// </remarks>
    /// <exception cref="H3Exception">Code 4 for a bad res, 3 for non-finite coordinates, 2 for a negative or non-finite radius or a cover above <see cref="MaxCoverCells"/>.</exception>
    public static ulong[] CoverCircle(double latDeg, double lngDeg, double radiusKm, int res)
    {
        CoverScratch s = CoverCore(latDeg, lngDeg, radiusKm, res);
        ulong[] result = s.Cells.AsSpan(0, s.Count).ToArray();
        s.Release();
        return result;
    }

    /// <summary>Allocation-free <see cref="CoverCircle(double,double,double,int)"/> into <paramref name="dest"/>; returns the count.</summary>
    /// <exception cref="H3Exception">As the array overload, plus code 14 if <paramref name="dest"/> is too small.</exception>
    public static int CoverCircle(double latDeg, double lngDeg, double radiusKm, int res, Span<ulong> dest)
    {
        if (!TryCoverCircle(latDeg, lngDeg, radiusKm, res, dest, out int count)) ThrowBounds(count, dest.Length);
        return count;
    }

    /// <summary>
    /// Allocation-free <see cref="CoverCircle(double,double,double,int)"/>. Returns false (writing nothing) if
    /// <paramref name="dest"/> is too small; <paramref name="count"/> is then the size needed.
    /// </summary>
    public static bool TryCoverCircle(double latDeg, double lngDeg, double radiusKm, int res, Span<ulong> dest,
        out int count)
    {
        CoverScratch s = CoverCore(latDeg, lngDeg, radiusKm, res);
        count = s.Count;
        bool ok = count <= dest.Length;
        if (ok) s.Cells.AsSpan(0, count).CopyTo(dest);
        s.Release();
        return ok;
    }

    /// <summary>Per-thread buffers so repeated covers do not allocate.</summary>
    private sealed class CoverScratch
    {
        public CellSet Visited = new(1024);
        public ulong[] Cells = new ulong[512];
        public int Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(ulong h)
        {
            if (Count == Cells.Length) Array.Resize(ref Cells, Cells.Length * 2);
            Cells[Count++] = h;
        }

        /// <summary>Forget the contents; drop buffers a huge cover grew, so threads do not pin megabytes.</summary>
        public void Release()
        {
            Count = 0;
            if (Cells.Length > 1 << 16) Cells = new ulong[512];
            if (Visited.Capacity > 1 << 17) Visited = new CellSet(1024);
            else Visited.Clear();
        }
    }

    [ThreadStatic] private static CoverScratch? t_cover;

    /// <summary>The circle in chord² terms, so tests are products and compares only (no trig per cell).</summary>
    private readonly struct Circle
    {
        public readonly Vec3 P;
        public readonly double KeepChordSq;  // chord² of the effective radius
        public readonly double DropChordSq;  // chord² beyond which a cell centre cannot touch
        public readonly double SinSq;        // sin² of the effective radius, or > 1 when it is ≥ π/2

        public Circle(Vec3 p, double angle, double dropAngle)
        {
            P = p;
            KeepChordSq = ChordSq(angle);
            DropChordSq = ChordSq(dropAngle);
            SinSq = angle >= Math.PI / 2 ? 2.0 : Math.Sin(angle) * Math.Sin(angle);
        }

        private static double ChordSq(double angle)
        {
            if (angle >= Math.PI) return 5.0; // everything (max chord² is 4)
            double c = 2.0 * Math.Sin(angle / 2.0);
            return c * c;
        }

        /// <summary>True if the cell touches the circle (the caller handles the cell containing P).</summary>
        public bool Touches(ulong cell)
        {
            Vec3 c = Projection.CellToVec3(cell, fast: true);
            double d2 = Vec3.DistSq(P, c);
            if (d2 <= KeepChordSq) return true;
            if (d2 > DropChordSq) return false;

            Span<Vec3> v = stackalloc Vec3[Projection.MaxBoundaryVerts];
            int n = Projection.CellToBoundary(cell, v, fast: true);
            for (int i = 0; i < n; i++)
                if (Vec3.DistSq(P, v[i]) <= KeepChordSq) return true;
            for (int i = 0; i < n; i++)
                if (EdgeInteriorWithin(v[i], v[i + 1 == n ? 0 : i + 1])) return true;
            return false;
        }

        /// <summary>
        /// True if the point of the great-circle arc AB nearest to P lies strictly inside the arc and is within
        /// the radius. Differences (P−A, B−A) keep it accurate for tiny cells and radii.
        /// </summary>
        private bool EdgeInteriorWithin(in Vec3 a, in Vec3 b)
        {
            var d = new Vec3(P.X - a.X, P.Y - a.Y, P.Z - a.Z);
            var ba = new Vec3(b.X - a.X, b.Y - a.Y, b.Z - a.Z);
            Vec3 n = Vec3.Cross(a, ba); // = A×B
            // The foot of P is between A and B iff (A×P)·n ≥ 0 and (P×B)·n ≥ 0.
            if (Vec3.Dot(Vec3.Cross(a, d), n) < 0) return false;
            var e = new Vec3(P.X - b.X, P.Y - b.Y, P.Z - b.Z);
            if (Vec3.Dot(Vec3.Cross(e, b), n) < 0) return false;
            if (SinSq > 1.0) return true;
            double dn = Vec3.Dot(d, n); // = P·n, since A·n = 0
            return dn * dn <= SinSq * Vec3.Dot(n, n);
        }
    }

    private static CoverScratch CoverCore(double latDeg, double lngDeg, double radiusKm, int res)
    {
        CheckRes(res);
        if (!double.IsFinite(latDeg) || !double.IsFinite(lngDeg)) ThrowLatLng(latDeg, lngDeg);
        if (!(radiusKm >= 0) || double.IsInfinity(radiusKm))
            throw new H3Exception(H3Exception.Domain, $"Radius {radiusKm} km must be finite and >= 0");

        double angle = Math.Min(radiusKm / CoverEarthRadiusKm, Math.PI);
        // Tolerance for rounding (~0.1 mm at the earth's surface): a point exactly on an edge may be
        // assigned to either cell by LatLngToCell, and both then pass the test.
        double eff = angle * (1 + 1e-9) + 1e-11;
        double reach = MaxCenterToVertexRad(res);
        double dropAngle = eff + 1.1 * reach;

        long numCells = NumCells(res);
        double capFraction = dropAngle >= Math.PI ? 1.0 : (1 - Math.Cos(dropAngle)) / 2;
        double estimate = numCells * capFraction;
        if (estimate > MaxCoverCells)
            throw new H3Exception(H3Exception.Domain,
                $"A {radiusKm} km circle at res {res} needs about {estimate:F0} cells (limit {MaxCoverCells})");

        Vec3 p = Vec3.FromLatLngRad(ToRad(latDeg), ToRad(lngDeg));
        ulong origin = Projection.Vec3ToCell(p, res);
        var circle = new Circle(p, eff, dropAngle);
        CoverScratch s = t_cover ??= new CoverScratch();
        s.Count = 0;

        if (estimate > numCells / 3.0)
        {
            ScanAll(in circle, origin, res, s);
            return s;
        }

        CellSet visited = s.Visited;
        visited.Clear();
        visited.Add(origin);
        s.Add(origin);
        // The kept cells double as the BFS queue: only cells that touch the circle are expanded, which is
        // enough because the touching cells form an edge-connected set around the centre.
        for (int head = 0; head < s.Count; head++)
        {
            ulong cell = s.Cells[head];
            for (int dir = 1; dir <= 6; dir++)
            {
                int rot = 0;
                if (!Neighbors.Step(cell, dir, ref rot, out ulong nb)) continue; // pentagon's deleted direction
                if (!visited.Add(nb)) continue;
                if (circle.Touches(nb)) s.Add(nb);
            }
        }
        return s;
    }

    /// <summary>Whole-sphere path: test every cell of the resolution (children of the 122 base cells).</summary>
    private static void ScanAll(in Circle circle, ulong origin, int res, CoverScratch s)
    {
        int per = 1;
        for (int i = 0; i < res; i++) per *= 7;
        ulong[] buf = new ulong[per];
        for (int bc = 0; bc < H3Index.NumBaseCells; bc++)
        {
            ulong baseCell = H3Index.WithBaseCell(H3Index.CellInit, bc);
            int n = Children(baseCell, res, buf);
            for (int i = 0; i < n; i++)
            {
                ulong c = buf[i];
                if (c == origin || circle.Touches(c)) s.Add(c);
            }
        }
    }

    /// <summary>
    /// Upper bound of the angular distance (rad) from a cell centre to its farthest boundary vertex at res:
    /// 0.225 / √7^res. Measured over every cell of res 0..5, max × √7^res is 0.21705, 0.22002, 0.22046,
    /// 0.22052, 0.22053, 0.22053 (converged: the shape distortion is fixed by the projection), so 0.225 leaves 2 %.
    /// </summary>
    internal static double MaxCenterToVertexRad(int res)
    {
        double r = 0.225;
        for (int i = 0; i < res; i++) r *= 0.37796447300922725; // 1/√7
        return r;
    }
}
