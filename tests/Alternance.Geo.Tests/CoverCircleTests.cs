using Xunit;
using Xunit.Abstractions;

namespace Alternance.Geo.Tests;

/// <summary>
/// CoverCircle must contain the cell of every point of the circle (distances on the 6378.1 km sphere) and
/// nothing that does not touch the circle.
/// </summary>
public sealed class CoverCircleTests(ITestOutputHelper output)
{
    private static readonly (string Name, double LatMin, double LatMax, double LngMin, double LngMax)[] Regions =
    [
        ("metro", 42.4, 51.0, -4.7, 8.1),
        ("metro", 43.0, 49.5, -1.5, 7.0),
        ("corse", 41.4, 43.0, 8.55, 9.55),
        ("guadeloupe", 15.85, 16.5, -61.8, -61.0),
        ("martinique", 14.4, 14.9, -61.25, -60.8),
        ("guyane", 2.2, 5.75, -54.5, -51.7),
        ("reunion", -21.4, -20.87, 55.2, 55.85),
        ("mayotte", -13.0, -12.63, 44.98, 45.3),
    ];

    /// <summary>What an engine would pick: the finest res whose average edge is ≥ r/8 (docs/h3.md), within 3..9.</summary>
    private static int EngineRes(double radiusKm)
    {
        int res = 3;
        for (int r = 3; r <= 9; r++)
            if (H3.EdgeLengthAvgKm(r) >= radiusKm / 8) res = r;
        return res;
    }

    private static double LogUniform(Random rng, double a, double b) => Math.Exp(Math.Log(a) + rng.NextDouble() * (Math.Log(b) - Math.Log(a)));

    /// <summary>Asserts that every sampled point of the circle (interior, and exactly on the rim) has its cell in the cover.</summary>
    private static int AssertPointsCovered(double lat, double lng, double radiusKm, int res, HashSet<ulong> cover, Random rng, int points, List<string> failures)
    {
        int n = 0;
        for (int i = 0; i < points; i++)
        {
            double bearing = rng.NextDouble() * 2 * Math.PI;
            // Half the points uniform over the disc, half on or just inside the rim where misses would happen.
            double d = i % 2 == 0 ? radiusKm * Math.Sqrt(rng.NextDouble()) : radiusKm * (1 - 1e-9 * rng.NextDouble());
            var (plat, plng) = SphereGeometry.Destination(lat, lng, bearing, d);
            if (SphereGeometry.DistanceKm(lat, lng, plat, plng) > radiusKm) continue; // rounding pushed it out
            ulong c = H3.LatLngToCell(plat, plng, res);
            n++;
            if (!cover.Contains(c))
                failures.Add($"centre ({lat}, {lng}) r={radiusKm} km res {res}: point ({plat}, {plng}) at {d} km is in {H3.ToString(c)}, not in the {cover.Count}-cell cover");
        }
        return n;
    }

    /// <summary>The exact cover computed independently: every cell of a big enough disk that touches the circle.</summary>
    private static HashSet<ulong> BruteForce(double lat, double lng, double radiusKm, int res)
    {
        ulong origin = H3.LatLngToCell(lat, lng, res);
        double angle = radiusKm / SphereGeometry.R;
        for (int k = (int)Math.Ceiling(radiusKm / (1.2 * H3.EdgeLengthAvgKm(res))) + 2; ; k += 2)
        {
            var set = new HashSet<ulong>();
            bool ringTouches = false;
            var inner = new HashSet<ulong>(H3.GridDisk(origin, k - 1));
            foreach (ulong c in H3.GridDisk(origin, k))
            {
                if (SphereGeometry.AngleToCell(lat, lng, c) <= angle)
                {
                    set.Add(c);
                    if (!inner.Contains(c)) ringTouches = true;
                }
            }
            if (!ringTouches) return set; // the outer ring is clear, so nothing farther can touch
        }
    }

    /// <summary>Cover must equal the independent exact set (allowing only cells within 1 mm of the rim beyond it).</summary>
    private static void AssertExact(double lat, double lng, double radiusKm, int res, ulong[] cover, List<string> failures)
    {
        var exact = BruteForce(lat, lng, radiusKm, res);
        var got = new HashSet<ulong>(cover);
        if (got.Count != cover.Length) failures.Add($"({lat}, {lng}) r={radiusKm} res {res}: duplicates in cover");
        foreach (ulong c in exact)
            if (!got.Contains(c))
                failures.Add($"({lat}, {lng}) r={radiusKm} res {res}: misses touching cell {H3.ToString(c)}");
        foreach (ulong c in got)
        {
            if (exact.Contains(c)) continue;
            double km = SphereGeometry.AngleToCell(lat, lng, c) * SphereGeometry.R;
            if (km > radiusKm + 1e-6)
                failures.Add($"({lat}, {lng}) r={radiusKm} res {res}: extra cell {H3.ToString(c)} at {km - radiusKm} km beyond the rim");
        }
    }

    private static void Report(List<string> failures, string what)
    {
        if (failures.Count > 0)
            Assert.Fail($"{what}: {failures.Count} failures\n" + string.Join("\n", failures.Take(30)));
    }

    [Fact]
    public void Random_french_circles_contain_the_cell_of_every_point_inside()
    {
        var rng = new Random(20240601);
        var failures = new List<string>();
        int circles = 0, points = 0, cells = 0;
        foreach (var region in Regions)
        {
            for (int i = 0; i < 60; i++)
            {
                double lat = region.LatMin + rng.NextDouble() * (region.LatMax - region.LatMin);
                double lng = region.LngMin + rng.NextDouble() * (region.LngMax - region.LngMin);
                double r = LogUniform(rng, 0.5, 200);
                int res = EngineRes(r) + (i % 4 == 3 ? 1 : 0); // sometimes one level finer than the engine's pick
                ulong[] cover = H3.CoverCircle(lat, lng, r, res);
                circles++;
                cells += cover.Length;
                points += AssertPointsCovered(lat, lng, r, res, [.. cover], rng, 400, failures);
            }
        }
        output.WriteLine($"{circles} circles, {points} points, {cells} cells in total");
        Report(failures, "point coverage");
    }

    [Fact]
    public void Random_french_circles_equal_the_exact_touching_set()
    {
        var rng = new Random(7);
        var failures = new List<string>();
        int circles = 0;
        foreach (var region in Regions)
        {
            for (int i = 0; i < 12; i++)
            {
                double lat = region.LatMin + rng.NextDouble() * (region.LatMax - region.LatMin);
                double lng = region.LngMin + rng.NextDouble() * (region.LngMax - region.LngMin);
                double r = LogUniform(rng, 0.5, 200);
                int res = EngineRes(r);
                AssertExact(lat, lng, r, res, H3.CoverCircle(lat, lng, r, res), failures);
                circles++;
            }
        }
        output.WriteLine($"{circles} circles compared with the brute-force set");
        Report(failures, "exactness");
    }

    [Fact]
    public void Cover_is_exact_across_the_face_3_4_edge_near_Toulouse()
    {
        // Cell 833960fffffffff at 43.58N 1.61E spans icosahedron faces 3 and 4.
        Assert.Equal([3, 4], H3.GetIcosahedronFaces(0x833960fffffffffUL));
        var rng = new Random(31);
        var failures = new List<string>();
        foreach (double r in new[] { 0.0, 0.7, 3, 10, 30, 60, 100, 200 })
        {
            for (int res = 3; res <= 8; res++)
            {
                if (r / H3.EdgeLengthAvgKm(res) > 40) continue; // keep the brute force small
                for (int j = 0; j < 3; j++)
                {
                    double lat = 43.58 + (rng.NextDouble() - 0.5) * 0.4, lng = 1.61 + (rng.NextDouble() - 0.5) * 0.4;
                    ulong[] cover = H3.CoverCircle(lat, lng, r, res);
                    AssertExact(lat, lng, r, res, cover, failures);
                    AssertPointsCovered(lat, lng, r, res, [.. cover], rng, 300, failures);
                }
            }
        }
        Report(failures, "face edge");
    }

    [Fact]
    public void Cover_is_exact_around_pentagons()
    {
        var rng = new Random(5);
        var failures = new List<string>();
        int checkedCircles = 0;
        foreach (ulong pent0 in new ulong[] { 0x8009fffffffffffUL, 0x801dfffffffffffUL, 0x8031fffffffffffUL, 0x80ebfffffffffffUL })
        {
            Assert.True(H3.IsPentagon(pent0));
            foreach (int res in new[] { 2, 4, 5, 7 })
            {
                ulong pent = H3.CellToCenterChild(pent0, res);
                var (plat, plng) = H3.CellToLatLng(pent);
                double e = H3.EdgeLengthAvgKm(res);
                foreach (double rInEdges in new[] { 0.0, 0.3, 1.0, 2.5, 6.0 })
                {
                    // Centres on the pentagon and up to ~2 edges away from it.
                    double off = rng.NextDouble() * 2 * e;
                    var (lat, lng) = SphereGeometry.Destination(plat, plng, rng.NextDouble() * 2 * Math.PI, off);
                    double r = rInEdges * e;
                    ulong[] cover = H3.CoverCircle(lat, lng, r, res);
                    AssertExact(lat, lng, r, res, cover, failures);
                    AssertPointsCovered(lat, lng, r, res, [.. cover], rng, 300, failures);
                    checkedCircles++;
                }
            }
        }
        output.WriteLine($"{checkedCircles} circles near pentagons");
        Report(failures, "pentagons");
    }

    [Fact]
    public void Cover_has_no_far_cells()
    {
        // Every returned cell must touch the circle: its boundary is within the radius (or it holds the centre).
        var rng = new Random(99);
        var failures = new List<string>();
        foreach (var region in Regions)
        {
            for (int i = 0; i < 10; i++)
            {
                double lat = region.LatMin + rng.NextDouble() * (region.LatMax - region.LatMin);
                double lng = region.LngMin + rng.NextDouble() * (region.LngMax - region.LngMin);
                double r = LogUniform(rng, 0.5, 200);
                int res = EngineRes(r);
                foreach (ulong c in H3.CoverCircle(lat, lng, r, res))
                {
                    double km = SphereGeometry.AngleToCell(lat, lng, c) * SphereGeometry.R;
                    if (km > r + 1e-6) failures.Add($"({lat}, {lng}) r={r} res {res}: {H3.ToString(c)} is {km - r} km beyond the circle");
                }
            }
        }
        Report(failures, "far cells");
    }

    [Fact]
    public void Uses_the_6378_1_km_sphere()
    {
        // A circle of 10 km on the 6378.1 km sphere is an angle of 10/6378.1 rad; on H3's 6371.007 km sphere the
        // same radius would be a wider angle. Find a point that is inside the H3-sphere circle but outside ours.
        double lat = 46.0, lng = 2.0, r = 10.0;
        var (plat, plng) = SphereGeometry.Destination(lat, lng, 0.3, r * 6378.1 / 6371.007 * 0.99995); // beyond r on our sphere
        Assert.True(SphereGeometry.DistanceKm(lat, lng, plat, plng) > r);
        Assert.Equal(H3.CoverEarthRadiusKm, 6378.1);
        // Every cell returned touches the 6378.1 km circle (checked independently); and a point exactly on the rim is covered.
        for (int res = 6; res <= 9; res++)
        {
            var cover = new HashSet<ulong>(H3.CoverCircle(lat, lng, r, res));
            var (rlat, rlng) = SphereGeometry.Destination(lat, lng, 1.0, r * (1 - 1e-12));
            Assert.Contains(H3.LatLngToCell(rlat, rlng, res), cover);
            foreach (ulong c in cover)
                Assert.True(SphereGeometry.AngleToCell(lat, lng, c) * 6378.1 <= r + 1e-6);
        }
    }

    [Fact]
    public void Radius_zero_is_the_centre_cell()
    {
        var rng = new Random(3);
        for (int i = 0; i < 200; i++)
        {
            double lat = 42 + rng.NextDouble() * 9, lng = -4 + rng.NextDouble() * 12;
            int res = rng.Next(0, 16);
            ulong[] cover = H3.CoverCircle(lat, lng, 0, res);
            Assert.Equal(H3.LatLngToCell(lat, lng, res), cover[0]);
            Assert.Single(cover); // a random point is never within 0.1 mm of a cell edge in practice
        }
    }

    [Fact]
    public void Huge_radii_return_every_cell_and_do_not_blow_up()
    {
        for (int res = 0; res <= 2; res++)
        {
            ulong[] all = H3.CoverCircle(46, 2, 20000, res); // leaves out only ~37 km around the antipode
            Assert.Equal(H3.NumCells(res), all.Length);
            Assert.Equal(all.Length, all.Distinct().Count());
        }
        ulong[] whole5 = H3.CoverCircle(-21.1, 55.5, 25000, 5); // beyond π·6378.1 km: the whole sphere
        Assert.Equal(H3.NumCells(5), whole5.Length);

        // 5000 km at res 4 goes through the flood fill and stays exact near its rim.
        var rng = new Random(1);
        var big = new HashSet<ulong>(H3.CoverCircle(46, 2, 5000, 4));
        var failures = new List<string>();
        AssertPointsCovered(46, 2, 5000, 4, big, rng, 2000, failures);
        Report(failures, "5000 km");

        // Beyond a hemisphere (angle > π/2) every cell is tested: compare with brute force over all cells.
        foreach (var (r, res) in new[] { (12000.0, 1), (15000.0, 2), (9000.0, 1) })
        {
            var cover = new HashSet<ulong>(H3.CoverCircle(46, 2, r, res));
            var expected = new HashSet<ulong>();
            for (int bc = 0; bc < 122; bc++)
            {
                ulong b = 0x0800_0000_0000_0000UL | ((ulong)bc << 45) | 0x1FFF_FFFF_FFFFUL;
                foreach (ulong c in H3.CellToChildren(b, res))
                    if (SphereGeometry.AngleToCell(46, 2, c) <= r / SphereGeometry.R) expected.Add(c);
            }
            Assert.True(cover.IsSupersetOf(expected), $"{r} km res {res}: misses {expected.Count - cover.Intersect(expected).Count()} cells");
            foreach (ulong c in cover.Except(expected))
                Assert.True(SphereGeometry.AngleToCell(46, 2, c) * SphereGeometry.R <= r + 1e-6);
            AssertPointsCovered(46, 2, r, res, cover, rng, 2000, failures);
            Assert.True(cover.Count < H3.NumCells(res));
        }
        Report(failures, "beyond a hemisphere");

        var ex = Assert.Throws<H3Exception>(() => H3.CoverCircle(46, 2, 20000, 6));
        Assert.Equal(H3Exception.Domain, ex.Code);
    }

    [Fact]
    public void Poles_and_antimeridian_are_covered()
    {
        var rng = new Random(11);
        var failures = new List<string>();
        foreach (var (lat, lng) in new[] { (89.95, 10.0), (90.0, 0.0), (-89.9, -120.0), (0.0, 179.99), (-16.5, -179.95), (65.0, 180.0) })
        {
            foreach (double r in new[] { 1.0, 25, 150 })
            {
                int res = EngineRes(r);
                ulong[] cover = H3.CoverCircle(lat, lng, r, res);
                AssertPointsCovered(lat, lng, r, res, [.. cover], rng, 500, failures);
                AssertExact(lat, lng, r, res, cover, failures);
            }
        }
        Report(failures, "poles/antimeridian");
    }

    [Fact]
    public void Span_overloads_agree_with_the_array_overload()
    {
        ulong[] expected = H3.CoverCircle(48.8566, 2.3522, 30, 5);
        Span<ulong> buf = stackalloc ulong[256];
        int n = H3.CoverCircle(48.8566, 2.3522, 30, 5, buf);
        Assert.Equal(expected, buf[..n].ToArray());

        Span<ulong> small = stackalloc ulong[3];
        Assert.False(H3.TryCoverCircle(48.8566, 2.3522, 30, 5, small, out int needed));
        Assert.Equal(expected.Length, needed);
        var ex = Assert.Throws<H3Exception>(() => H3.CoverCircle(48.8566, 2.3522, 30, 5, new ulong[3]));
        Assert.Equal(H3Exception.MemoryBounds, ex.Code);
    }

    [Fact]
    public void Invalid_arguments_throw_h3_codes()
    {
        Assert.Equal(4, Assert.Throws<H3Exception>(() => H3.CoverCircle(46, 2, 10, 16)).Code);
        Assert.Equal(3, Assert.Throws<H3Exception>(() => H3.CoverCircle(double.NaN, 2, 10, 5)).Code);
        Assert.Equal(2, Assert.Throws<H3Exception>(() => H3.CoverCircle(46, 2, -1, 5)).Code);
        Assert.Equal(2, Assert.Throws<H3Exception>(() => H3.CoverCircle(46, 2, double.PositiveInfinity, 5)).Code);
    }
}
