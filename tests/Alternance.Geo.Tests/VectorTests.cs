using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace Alternance.Geo.Tests;

/// <summary>Every case of the h3-js 4.5.0 vectors, one test per section reporting all failures.</summary>
public sealed class VectorTests(ITestOutputHelper output)
{
    private const double CoordTol = 1e-9; // degrees

    [Fact]
    public void LatLngToCell_matches_h3js_at_every_resolution()
    {
        var f = new Failures("latLngToCell");
        int exact = 0, viaAlt = 0, cases = 0;
        foreach (var c in Vectors.Section("latLngToCell").EnumerateArray())
        {
            cases++;
            double lat = c.GetProperty("lat").GetDouble(), lng = c.GetProperty("lng").GetDouble();
            var cells = c.GetProperty("cells");
            c.TryGetProperty("alt", out var alt);
            for (int res = 0; res <= 15; res++)
            {
                ulong expected = Vectors.Cell(cells[res]);
                ulong got = H3.LatLngToCell(lat, lng, res);
                if (got == expected)
                {
                    exact++;
                    f.Ok();
                    continue;
                }
                bool altOk = alt.ValueKind == JsonValueKind.Object &&
                             alt.TryGetProperty(res.ToString(), out var alts) &&
                             Vectors.Cells(alts).Contains(got);
                if (altOk) viaAlt++;
                f.Check(altOk, () => $"({lat}, {lng}) res {res}: got {Vectors.Hex(got)}, expected {Vectors.Hex(expected)} [{c.GetProperty("tag")}]");
            }
        }
        output.WriteLine($"latLngToCell: {cases} points x 16 res = {f.Checked} checks, {exact} exact, {viaAlt} via alt");
        Assert.Equal(Vectors.Count("latLngToCell"), cases);
        f.AssertNone();
    }

    private static bool LngClose(double a, double b)
    {
        double d = Math.Abs(a - b) % 360.0;
        return Math.Min(d, 360.0 - d) <= CoordTol;
    }

    [Fact]
    public void CellToLatLng_and_CellToBoundary_match_h3js()
    {
        var f = new Failures("cellToGeo");
        int cases = 0;
        double maxErr = 0;
        int coords = 0, bitIdentical = 0;
        Span<(double Lat, double Lng)> buf = stackalloc (double, double)[H3.MaxBoundaryVertices];
        foreach (var c in Vectors.Section("cellToGeo").EnumerateArray())
        {
            cases++;
            ulong cell = Vectors.Cell(c.GetProperty("cell"));
            string id = Vectors.Hex(cell);
            var center = c.GetProperty("center");
            var (lat, lng) = H3.CellToLatLng(cell);
            double eLat = center[0].GetDouble(), eLng = center[1].GetDouble();
            maxErr = Math.Max(maxErr, Math.Abs(lat - eLat));
            coords++;
            if (lat == eLat && lng == eLng) bitIdentical++;
            f.Check(Math.Abs(lat - eLat) <= CoordTol && LngClose(lng, eLng),
                () => $"{id} centre ({lat}, {lng}) != ({eLat}, {eLng})");

            f.Check(H3.GetResolution(cell) == c.GetProperty("res").GetInt32(), () => $"{id} res");
            f.Check(H3.IsPentagon(cell) == c.GetProperty("isPentagon").GetBoolean(), () => $"{id} isPentagon");

            var expected = c.GetProperty("boundary");
            var got = H3.CellToBoundary(cell);
            int n = H3.CellToBoundary(cell, buf);
            f.Check(n == got.Length, () => $"{id} span overload count {n} != {got.Length}");
            if (got.Length != expected.GetArrayLength())
            {
                f.Fail($"{id} boundary has {got.Length} vertices, expected {expected.GetArrayLength()}");
                continue;
            }
            for (int i = 0; i < got.Length; i++)
            {
                double bl = expected[i][0].GetDouble(), bg = expected[i][1].GetDouble();
                maxErr = Math.Max(maxErr, Math.Abs(got[i].Lat - bl));
                coords++;
                if (got[i].Lat == bl && got[i].Lng == bg) bitIdentical++;
                int vi = i;
                f.Check(Math.Abs(got[i].Lat - bl) <= CoordTol && LngClose(got[i].Lng, bg) && buf[i] == got[i],
                    () => $"{id} vertex {vi} ({got[vi].Lat}, {got[vi].Lng}) != ({bl}, {bg})");
            }
        }
        output.WriteLine($"cellToGeo: {cases} cells, {f.Checked} checks, max |Δlat| = {maxErr:E2}°, {bitIdentical}/{coords} points bit-identical");
        Assert.Equal(Vectors.Count("cellToGeo"), cases);
        f.AssertNone();
    }

    [Fact]
    public void GridDisk_matches_h3js_as_sets()
    {
        var f = new Failures("gridDisk");
        int cases = 0;
        foreach (var c in Vectors.Section("gridDisk").EnumerateArray())
        {
            cases++;
            ulong cell = Vectors.Cell(c.GetProperty("cell"));
            int k = 0;
            foreach (var disk in c.GetProperty("disks").EnumerateArray())
            {
                var expected = Vectors.Cells(disk).ToHashSet();
                ulong[] got = H3.GridDisk(cell, k);
                var gotSet = got.ToHashSet();
                int kk = k;
                f.Check(gotSet.SetEquals(expected) && gotSet.Count == got.Length,
                    () => $"{Vectors.Hex(cell)} k={kk}: {got.Length} cells ({gotSet.Count} distinct), expected {expected.Count}; " +
                          $"missing [{string.Join(",", expected.Except(gotSet).Select(Vectors.Hex))}] extra [{string.Join(",", gotSet.Except(expected).Select(Vectors.Hex))}]");
                k++;
            }
        }
        output.WriteLine($"gridDisk: {cases} origins, {f.Checked} disks");
        Assert.Equal(Vectors.Count("gridDisk"), cases);
        f.AssertNone();
    }

    [Fact]
    public void CellToParent_and_CellToCenterChild_match_h3js()
    {
        var f = new Failures("cellToParent");
        int cases = 0;
        foreach (var c in Vectors.Section("cellToParent").EnumerateArray())
        {
            cases++;
            ulong cell = Vectors.Cell(c.GetProperty("cell"));
            int res = c.GetProperty("res").GetInt32();
            var parents = Vectors.Cells(c.GetProperty("parents"));
            for (int r = 0; r < parents.Length; r++)
            {
                ulong got = H3.CellToParent(cell, r);
                int rr = r;
                f.Check(got == parents[r], () => $"{Vectors.Hex(cell)} parent@{rr} = {Vectors.Hex(got)}, expected {Vectors.Hex(parents[rr])}");
            }
            var children = Vectors.Cells(c.GetProperty("centerChildren"));
            for (int i = 0; i < children.Length; i++)
            {
                ulong got = H3.CellToCenterChild(cell, res + i);
                int ii = i;
                f.Check(got == children[i], () => $"{Vectors.Hex(cell)} centerChild@{res + ii} = {Vectors.Hex(got)}, expected {Vectors.Hex(children[ii])}");
            }
        }
        output.WriteLine($"cellToParent: {cases} cells, {f.Checked} checks");
        Assert.Equal(Vectors.Count("cellToParent"), cases);
        f.AssertNone();
    }

    [Fact]
    public void CellToChildren_matches_h3js_in_order()
    {
        var f = new Failures("cellToChildren");
        int cases = 0;
        foreach (var c in Vectors.Section("cellToChildren").EnumerateArray())
        {
            cases++;
            ulong cell = Vectors.Cell(c.GetProperty("cell"));
            foreach (var kv in c.GetProperty("children").EnumerateObject())
            {
                int childRes = int.Parse(kv.Name);
                var expected = Vectors.Cells(kv.Value);
                ulong[] got = H3.CellToChildren(cell, childRes);
                long size = H3.CellToChildrenSize(cell, childRes);
                long expectedSize = c.GetProperty("sizes").GetProperty(kv.Name).GetInt64();
                f.Check(got.SequenceEqual(expected),
                    () => $"{Vectors.Hex(cell)} -> res {childRes}: {got.Length} children, expected {expected.Length} (first diff at {FirstDiff(got, expected)})");
                f.Check(size == expectedSize, () => $"{Vectors.Hex(cell)} size@{childRes} = {size}, expected {expectedSize}");
            }
        }
        output.WriteLine($"cellToChildren: {cases} parents, {f.Checked} checks");
        Assert.Equal(Vectors.Count("cellToChildren"), cases);
        f.AssertNone();
    }

    private static int FirstDiff(ulong[] a, ulong[] b)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++) if (a[i] != b[i]) return i;
        return n;
    }

    [Fact]
    public void GridDistance_matches_h3js_values_and_errors()
    {
        var f = new Failures("gridDistance");
        int cases = 0, errors = 0;
        foreach (var c in Vectors.Section("gridDistance").EnumerateArray())
        {
            cases++;
            ulong a = Vectors.Cell(c.GetProperty("a")), b = Vectors.Cell(c.GetProperty("b"));
            string tag = c.GetProperty("tag").GetString()!;
            var d = c.GetProperty("d");
            if (d.ValueKind == JsonValueKind.Null)
            {
                errors++;
                int code = c.GetProperty("err").GetInt32();
                try
                {
                    int got = H3.GridDistance(a, b);
                    f.Fail($"{tag} {Vectors.Hex(a)} -> {Vectors.Hex(b)}: got {got}, expected error {code}");
                }
                catch (H3Exception e)
                {
                    f.Check(e.Code == code, () => $"{tag} {Vectors.Hex(a)} -> {Vectors.Hex(b)}: error {e.Code}, expected {code}");
                }
            }
            else
            {
                int expected = d.GetInt32();
                try
                {
                    int got = H3.GridDistance(a, b);
                    f.Check(got == expected, () => $"{tag} {Vectors.Hex(a)} -> {Vectors.Hex(b)}: {got}, expected {expected}");
                }
                catch (H3Exception e)
                {
                    f.Fail($"{tag} {Vectors.Hex(a)} -> {Vectors.Hex(b)}: error {e.Code}, expected {expected}");
                }
            }
        }
        output.WriteLine($"gridDistance: {cases} pairs ({errors} expected errors)");
        Assert.Equal(Vectors.Count("gridDistance"), cases);
        f.AssertNone();
    }

    [Fact]
    public void ResTable_matches_h3js()
    {
        var f = new Failures("resTable");
        foreach (var c in Vectors.Section("resTable").EnumerateArray())
        {
            int res = c.GetProperty("res").GetInt32();
            f.Check(H3.EdgeLengthAvgKm(res) == c.GetProperty("edgeLengthAvgKm").GetDouble(), () => $"edge@{res}");
            f.Check(H3.AreaAvgKm2(res) == c.GetProperty("areaAvgKm2").GetDouble(), () => $"area@{res}");
            f.Check(H3.NumCells(res) == c.GetProperty("numCells").GetInt64(), () => $"numCells@{res}");
        }
        Assert.Equal(48, f.Checked);
        f.AssertNone();
    }

    [Fact]
    public void PolygonToCells_matches_h3js_as_sets()
    {
        var f = new Failures("polygonToCells");
        int cases = 0;
        foreach (var c in Vectors.Section("polygonToCells").EnumerateArray())
        {
            cases++;
            var ring = c.GetProperty("polygon").EnumerateArray()
                .Select(p => (p[0].GetDouble(), p[1].GetDouble())).ToArray();
            foreach (var kv in c.GetProperty("cells").EnumerateObject())
            {
                int res = int.Parse(kv.Name);
                var expected = Vectors.Cells(kv.Value).ToHashSet();
                ulong[] got = H3.PolygonToCells(ring, res);
                var gotSet = got.ToHashSet();
                f.Check(gotSet.SetEquals(expected) && got.Length == gotSet.Count,
                    () => $"{c.GetProperty("tag")} r={c.GetProperty("radiusKm")} res {res}: {got.Length} cells, expected {expected.Count}; " +
                          $"missing [{string.Join(",", expected.Except(gotSet).Select(Vectors.Hex))}] extra [{string.Join(",", gotSet.Except(expected).Select(Vectors.Hex))}]");
            }
        }
        output.WriteLine($"polygonToCells: {cases} polygons, {f.Checked} (polygon, res) sets");
        Assert.Equal(Vectors.Count("polygonToCells"), cases);
        f.AssertNone();
    }

    [Fact]
    public void IsValidCell_matches_h3js()
    {
        var f = new Failures("isValidCell");
        int cases = 0;
        foreach (var c in Vectors.Section("isValidCell").EnumerateArray())
        {
            cases++;
            ulong h = Vectors.Cell(c.GetProperty("h"));
            bool expected = c.GetProperty("valid").GetBoolean();
            f.Check(H3.IsValidCell(h) == expected, () => $"{c.GetProperty("tag")} {Vectors.Hex(h)}: expected {expected}");
        }
        output.WriteLine($"isValidCell: {cases} cases");
        Assert.Equal(Vectors.Count("isValidCell"), cases);
        f.AssertNone();
    }

    [Fact]
    public void Inspection_matches_h3js()
    {
        var f = new Failures("inspect");
        int cases = 0;
        foreach (var c in Vectors.Section("inspect").EnumerateArray())
        {
            cases++;
            ulong h = Vectors.Cell(c.GetProperty("h"));
            string id = Vectors.Hex(h);
            f.Check(H3.GetResolution(h) == c.GetProperty("res").GetInt32(), () => $"{id} res");
            f.Check(H3.GetBaseCellNumber(h) == c.GetProperty("baseCell").GetInt32(), () => $"{id} base cell");
            f.Check(H3.IsPentagon(h) == c.GetProperty("isPentagon").GetBoolean(), () => $"{id} pentagon");
            f.Check(H3.IsResClassIII(h) == c.GetProperty("isResClassIII").GetBoolean(), () => $"{id} class III");
            var digits = c.GetProperty("digits").EnumerateArray().Select(d => d.GetInt32()).ToArray();
            for (int r = 1; r <= 15; r++)
            {
                int rr = r;
                f.Check(H3.GetIndexDigit(h, r) == digits[r - 1], () => $"{id} digit {rr}");
            }
            var faces = c.GetProperty("faces").EnumerateArray().Select(d => d.GetInt32()).ToArray();
            int[] gotFaces = H3.GetIcosahedronFaces(h);
            f.Check(gotFaces.SequenceEqual(faces), () => $"{id} faces [{string.Join(",", gotFaces)}] expected [{string.Join(",", faces)}]");
            f.Check(H3.ToString(h) == c.GetProperty("h").GetString() && H3.Parse(H3.ToString(h)) == h, () => $"{id} hex round trip");
        }
        output.WriteLine($"inspect: {cases} cells, {f.Checked} checks");
        Assert.Equal(Vectors.Count("inspect"), cases);
        f.AssertNone();
    }
}
