namespace Alternance.Geo;

public static partial class H3
{
    /// <summary>Size of a full k-disk: 3k(k+1) + 1 (the bound for any origin; pentagon disks are smaller).</summary>
    /// <exception cref="H3Exception">Code 2 if k is negative or the size overflows an int.</exception>
    public static int MaxGridDiskSize(int k)
    {
        if (k < 0 || k > 26_000) throw new H3Exception(H3Exception.Domain, $"k = {k} is out of range");
        return 3 * k * (k + 1) + 1;
    }

    /// <summary>All cells within grid distance k of <paramref name="origin"/> (origin included, unspecified order).</summary>
    /// <exception cref="H3Exception">Code 5 for an invalid origin, 2 for negative k.</exception>
    public static ulong[] GridDisk(ulong origin, int k)
    {
        var buf = new ulong[MaxGridDiskSize(k)];
        int n = GridDisk(origin, k, buf);
        return n == buf.Length ? buf : buf.AsSpan(0, n).ToArray();
    }

    /// <summary>
    /// Allocation-free <see cref="GridDisk(ulong,int)"/>: writes the disk to <paramref name="dest"/>
    /// (at least <see cref="MaxGridDiskSize"/>(k) long) and returns the number of cells.
    /// </summary>
    /// <exception cref="H3Exception">Code 5 for an invalid origin, 2 for negative k, 14 if dest is too small.</exception>
    public static int GridDisk(ulong origin, int k, Span<ulong> dest)
    {
        CheckCell(origin);
        int max = MaxGridDiskSize(k);
        if (dest.Length < max) ThrowBounds(max, dest.Length);
        int n = DiskSpiral(origin, k, dest);
        return n >= 0 ? n : DiskBfs(origin, k, dest);
    }

    /// <summary>
    /// Fast path (the reference's gridDiskDistancesUnsafe): walk the rings as a spiral. Returns -1 when a
    /// pentagon is met, where the spiral is not reliable.
    /// </summary>
    private static int DiskSpiral(ulong origin, int k, Span<ulong> dest)
    {
        int n = 0;
        dest[n++] = origin;
        if (H3Index.IsPentagon(origin)) return -1;
        int rotations = 0;
        var dirs = Neighbors.RingDirections;
        for (int ring = 1; ring <= k; ring++)
        {
            if (!Neighbors.Step(origin, Neighbors.NextRingDirection, ref rotations, out origin)) return -1;
            if (H3Index.IsPentagon(origin)) return -1;
            for (int side = 0; side < 6; side++)
            {
                for (int i = 0; i < ring; i++)
                {
                    if (!Neighbors.Step(origin, dirs[side], ref rotations, out origin)) return -1;
                    dest[n++] = origin;
                    if (H3Index.IsPentagon(origin)) return -1;
                }
            }
        }
        return n;
    }

    [ThreadStatic] private static CellSet? t_diskSet;

    /// <summary>Fallback: breadth-first search over the (5 or 6) neighbours, k levels deep.</summary>
    private static int DiskBfs(ulong origin, int k, Span<ulong> dest)
    {
        var set = t_diskSet ??= new CellSet(512);
        set.Clear();
        set.Add(origin);
        int levelStart = 0;
        Span<ulong> nbs = stackalloc ulong[6];
        for (int ring = 1; ring <= k; ring++)
        {
            int levelEnd = set.Count;
            for (int i = levelStart; i < levelEnd; i++)
            {
                int m = Neighbors.All(set[i], nbs);
                for (int j = 0; j < m; j++) set.Add(nbs[j]);
            }
            levelStart = levelEnd;
        }
        int n = set.Count;
        for (int i = 0; i < n; i++) dest[i] = set[i];
        set.Clear();
        return n;
    }

    /// <summary>All neighbours of a cell (6, or 5 for a pentagon), in direction order J.. skipping the deleted one.</summary>
    /// <exception cref="H3Exception">Code 5 for an invalid cell.</exception>
    public static ulong[] GridNeighbors(ulong cell)
    {
        CheckCell(cell);
        Span<ulong> nbs = stackalloc ulong[6];
        return nbs[..Neighbors.All(cell, nbs)].ToArray();
    }

    /// <summary>
    /// Grid distance (number of steps) between two cells of the same resolution, via H3's local IJK unfolding.
    /// Like H3 this fails (code 1) for far-apart cells whose base cells are not neighbours and for some paths
    /// across pentagon distortion.
    /// </summary>
    /// <exception cref="H3Exception">Code 5 for an invalid cell, 12 for different resolutions, 1 when H3 cannot compute it.</exception>
    public static int GridDistance(ulong a, ulong b)
    {
        CheckCell(a);
        CheckCell(b);
        if (H3Index.Res(a) != H3Index.Res(b))
            throw new H3Exception(H3Exception.ResMismatch, "Cells have different resolutions");
        int e = LocalIj.ToLocalIjk(a, a, out CoordIjk oa);
        if (e != 0) throw new H3Exception(e, "gridDistance failed");
        e = LocalIj.ToLocalIjk(a, b, out CoordIjk ob);
        if (e != 0) throw new H3Exception(e, "gridDistance failed");
        CoordIjk diff = oa - ob;
        diff.Normalize();
        return Math.Max(Math.Abs(diff.I), Math.Max(Math.Abs(diff.J), Math.Abs(diff.K)));
    }
}
