namespace Alternance.Geo;

/// <summary>Local IJK coordinates of a cell relative to an origin cell (the reference's cellToLocalIjk).</summary>
internal static class LocalIj
{
    /// <summary>Direction digit from base cell <paramref name="from"/> to its neighbour <paramref name="to"/>, 7 if not neighbours.</summary>
    private static int BaseCellDirection(int from, int to)
    {
        var t = H3Tables.BaseCellNeighbors;
        for (int d = 0; d < 7; d++)
            if (t[from * 7 + d] == to) return d;
        return 7;
    }

    /// <summary>Writes the IJK of <paramref name="h"/> in <paramref name="origin"/>'s base cell frame. Returns an H3Error code.</summary>
    public static int ToLocalIjk(ulong origin, ulong h, out CoordIjk result)
    {
        result = default;
        int res = H3Index.Res(origin);
        if (res != H3Index.Res(h)) return H3Exception.ResMismatch;
        int originBc = H3Index.BaseCell(origin);
        int bc = H3Index.BaseCell(h);

        int dir = 0, revDir = 0;
        if (originBc != bc)
        {
            dir = BaseCellDirection(originBc, bc);
            if (dir == 7) return H3Exception.Failed; // base cells are not neighbours: cannot unfold
            revDir = BaseCellDirection(bc, originBc);
        }

        bool originOnPent = H3Index.IsBaseCellPentagon(originBc);
        bool indexOnPent = H3Index.IsBaseCellPentagon(bc);

        if (dir != 0)
        {
            // Undo the rotation into the origin base cell's orientation.
            int rots = H3Tables.BaseCellNeighborRots[originBc * 7 + dir];
            for (int i = 0; i < rots; i++)
            {
                if (indexOnPent)
                {
                    h = H3Index.RotatePent60Cw(h);
                    revDir = H3Index.RotateDigitCw(revDir);
                    if (revDir == 1) revDir = H3Index.RotateDigitCw(revDir);
                }
                else
                {
                    h = H3Index.Rotate60Cw(h);
                    revDir = H3Index.RotateDigitCw(revDir);
                }
            }
        }

        // Position in the base cell's own frame (face irrelevant).
        var fijk = new FaceIjk(0, default);
        Projection.ApplyDigits(h, ref fijk);
        CoordIjk ijk = fijk.Coord;

        if (dir != 0)
        {
            int pentRot = 0, dirRot = 0;
            if (originOnPent)
            {
                int lead = H3Index.LeadingNonZeroDigit(origin);
                if (H3Tables.FailedDirections[lead * 7 + dir] != 0) return H3Exception.Failed;
                dirRot = pentRot = H3Tables.PentagonRotations[lead * 7 + dir];
            }
            else if (indexOnPent)
            {
                int lead = H3Index.LeadingNonZeroDigit(h);
                if (H3Tables.FailedDirections[lead * 7 + revDir] != 0) return H3Exception.Failed;
                pentRot = H3Tables.PentagonRotations[revDir * 7 + lead];
            }
            if (pentRot < 0 || dirRot < 0) return H3Exception.CellInvalid;

            for (int i = 0; i < pentRot; i++) ijk.Rotate60Cw();

            // The base cell offset, scaled down to res.
            var offset = CoordIjk.Unit(dir);
            for (int r = res; r >= 1; r--) offset.DownAp7For(r);
            for (int i = 0; i < dirRot; i++) offset.Rotate60Cw();

            ijk = ijk + offset;
            ijk.Normalize();
        }
        else if (originOnPent && indexOnPent)
        {
            int oLead = H3Index.LeadingNonZeroDigit(origin);
            int iLead = H3Index.LeadingNonZeroDigit(h);
            if (H3Tables.FailedDirections[oLead * 7 + iLead] != 0) return H3Exception.Failed;
            int rots = H3Tables.PentagonRotations[oLead * 7 + iLead];
            for (int i = 0; i < rots; i++) ijk.Rotate60Cw();
        }

        result = ijk;
        return 0;
    }
}
