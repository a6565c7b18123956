using Xunit;

namespace Alternance.Geo.Tests;

/// <summary>Public API contract beyond the vectors: error codes, overload agreement, string helpers.</summary>
public sealed class ApiTests
{
    private const ulong Paris9 = 0x891fb466257ffffUL; // latLngToCell(48.8566, 2.3522, 9) in h3-js

    [Fact]
    public void Paris_matches_the_h3js_reference_cell()
    {
        Assert.Equal(Paris9, H3.LatLngToCell(48.8566, 2.3522, 9));
        Assert.Equal("891fb466257ffff", H3.ToString(Paris9));
        Assert.Equal(Paris9, H3.Parse("891fb466257ffff"));
        Assert.Equal(Paris9, H3.Parse("0x891FB466257FFFF"));
        Assert.Equal(9, H3.GetResolution(Paris9));
        Assert.Equal(15, H3.GetBaseCellNumber(Paris9));
    }

    [Fact]
    public void Invalid_inputs_throw_the_h3_error_codes()
    {
        Assert.Equal(4, Assert.Throws<H3Exception>(() => H3.LatLngToCell(48, 2, 16)).Code);
        Assert.Equal(4, Assert.Throws<H3Exception>(() => H3.LatLngToCell(48, 2, -1)).Code);
        Assert.Equal(3, Assert.Throws<H3Exception>(() => H3.LatLngToCell(double.NaN, 2, 5)).Code);
        Assert.Equal(3, Assert.Throws<H3Exception>(() => H3.LatLngToCell(48, double.PositiveInfinity, 5)).Code);

        ulong bad = Paris9 | (1UL << 63);
        Assert.Equal(5, Assert.Throws<H3Exception>(() => H3.CellToLatLng(bad)).Code);
        Assert.Equal(5, Assert.Throws<H3Exception>(() => H3.CellToBoundary(bad)).Code);
        Assert.Equal(5, Assert.Throws<H3Exception>(() => H3.GridDisk(bad, 1)).Code);
        Assert.Equal(5, Assert.Throws<H3Exception>(() => H3.CellToParent(bad, 3)).Code);
        Assert.Equal(5, Assert.Throws<H3Exception>(() => H3.CellToChildren(bad, 10)).Code);
        Assert.Equal(5, Assert.Throws<H3Exception>(() => H3.GridDistance(bad, Paris9)).Code);
        Assert.Equal(5, Assert.Throws<H3Exception>(() => H3.CellToLatLng(0)).Code);

        Assert.Equal(12, Assert.Throws<H3Exception>(() => H3.CellToParent(Paris9, 10)).Code);
        Assert.Equal(4, Assert.Throws<H3Exception>(() => H3.CellToParent(Paris9, 16)).Code);
        Assert.Equal(4, Assert.Throws<H3Exception>(() => H3.CellToChildren(Paris9, 8)).Code);
        Assert.Equal(4, Assert.Throws<H3Exception>(() => H3.CellToCenterChild(Paris9, 16)).Code);
        Assert.Equal(12, Assert.Throws<H3Exception>(() => H3.GridDistance(Paris9, H3.CellToParent(Paris9, 8))).Code);
        Assert.Equal(2, Assert.Throws<H3Exception>(() => H3.GridDisk(Paris9, -1)).Code);
        Assert.Throws<FormatException>(() => H3.Parse("not-hex"));
        Assert.False(H3.TryParse("", out _));
    }

    [Fact]
    public void Span_overloads_match_the_array_overloads_and_check_sizes()
    {
        var disk = H3.GridDisk(Paris9, 3);
        Assert.Equal(H3.MaxGridDiskSize(3), disk.Length);
        var buf = new ulong[H3.MaxGridDiskSize(3)];
        Assert.Equal(disk.Length, H3.GridDisk(Paris9, 3, buf));
        Assert.Equal(disk, buf);
        Assert.Equal(14, Assert.Throws<H3Exception>(() => H3.GridDisk(Paris9, 3, new ulong[10])).Code);

        var boundary = H3.CellToBoundary(Paris9);
        Span<(double Lat, double Lng)> b = stackalloc (double, double)[H3.MaxBoundaryVertices];
        int n = H3.CellToBoundary(Paris9, b);
        Assert.Equal(boundary, b[..n].ToArray());

        var children = H3.CellToChildren(Paris9, 11);
        var cbuf = new ulong[49];
        Assert.Equal(49, H3.CellToChildren(Paris9, 11, cbuf));
        Assert.Equal(children, cbuf);
    }

    [Fact]
    public void Hierarchy_round_trips()
    {
        ulong child = H3.CellToCenterChild(Paris9, 15);
        Assert.Equal(Paris9, H3.CellToParent(child, 9));
        foreach (ulong c in H3.CellToChildren(Paris9, 10)) Assert.Equal(Paris9, H3.CellToParent(c, 9));
        Assert.Equal(1, H3.GridDistance(Paris9, H3.GridDisk(Paris9, 1).First(c => c != Paris9)));
    }

    [Fact]
    public void Pentagons_have_five_neighbours_and_five_or_ten_vertices()
    {
        ulong pent = 0x8009fffffffffffUL;
        Assert.True(H3.IsPentagon(pent));
        Assert.Equal(5, H3.GridNeighbors(pent).Length);
        Assert.Equal(5, H3.CellToBoundary(pent).Length); // Class II
        Assert.Equal(10, H3.CellToBoundary(H3.CellToCenterChild(pent, 1)).Length); // Class III
        Assert.Equal(6, H3.CellToChildren(pent, 1).Length);
    }

    [Fact]
    public void Edge_lengths_and_cell_counts_are_h3s_tables()
    {
        Assert.Equal(9.85409099, H3.EdgeLengthAvgKm(5));
        Assert.Equal(122, H3.NumCells(0));
        Assert.Equal(2 + 120L * 16807, H3.NumCells(5));
        Assert.Equal(4, Assert.Throws<H3Exception>(() => H3.EdgeLengthAvgKm(16)).Code);
    }
}
