namespace Alternance.Geo;

/// <summary>Grid traversal: one step in a direction, with the rotation bookkeeping needed across faces.</summary>
internal static class Neighbors
{
    /// <summary>Ring walk: six sides in these directions (J, JK, K, IK, I, IJ); a new ring starts with a step I.</summary>
    internal static ReadOnlySpan<byte> RingDirections => [2, 3, 1, 5, 4, 6];
    internal const int NextRingDirection = 4;

    /// <summary>
    /// The neighbour of <paramref name="origin"/> in direction <paramref name="dir"/> (1..6), after rotating
    /// the direction ccw <paramref name="rotations"/> times; updates the rotation count for the next step.
    /// Returns false when the step leaves a pentagon through its deleted K side (or on invalid digits).
    /// </summary>
    public static bool Step(ulong origin, int dir, ref int rotations, out ulong result)
    {
        ulong current = origin;
        rotations %= 6;
        for (int i = 0; i < rotations; i++) dir = H3Index.RotateDigitCcw(dir);

        int newRotations = 0;
        int oldBaseCell = H3Index.BaseCell(current);
        int oldLeadingDigit = H3Index.LeadingNonZeroDigit(current);

        // Adjust digits from the finest level up; a carry that survives level 1 changes the base cell.
        int r = H3Index.Res(current);
        while (true)
        {
            if (r == 0)
            {
                int t = oldBaseCell * 7 + dir;
                int nbc = H3Tables.BaseCellNeighbors[t];
                newRotations = H3Tables.BaseCellNeighborRots[t];
                if (nbc == H3Index.InvalidBaseCell)
                {
                    // The deleted K vertex of a pentagon base cell: that edge borders the IK neighbour.
                    t = oldBaseCell * 7 + 5;
                    nbc = H3Tables.BaseCellNeighbors[t];
                    newRotations = H3Tables.BaseCellNeighborRots[t];
                    current = H3Index.Rotate60Ccw(current);
                    rotations++;
                }
                current = H3Index.WithBaseCell(current, nbc);
                break;
            }

            int oldDigit = H3Index.Digit(current, r);
            if (oldDigit == 7)
            {
                result = 0;
                return false;
            }
            int cell = oldDigit * 7 + dir;
            int nextDir;
            // The table names look swapped against the level class; this is how the reference uses them.
            if ((r & 1) != 0)
            {
                current = H3Index.WithDigit(current, r, H3Tables.NewDigitII[cell]);
                nextDir = H3Tables.NewAdjustmentII[cell];
            }
            else
            {
                current = H3Index.WithDigit(current, r, H3Tables.NewDigitIII[cell]);
                nextDir = H3Tables.NewAdjustmentIII[cell];
            }
            if (nextDir == 0) break;
            dir = nextDir;
            r--;
        }

        int newBaseCell = H3Index.BaseCell(current);
        if (H3Index.IsBaseCellPentagon(newBaseCell))
        {
            bool alreadyAdjustedK = false;
            if (H3Index.LeadingNonZeroDigit(current) == 1)
            {
                if (oldBaseCell != newBaseCell)
                {
                    // Entered the deleted K subsequence from another base cell.
                    current = H3Index.IsCwOffset(newBaseCell, H3Tables.BaseCellHomeFace[oldBaseCell])
                        ? H3Index.Rotate60Cw(current)
                        : H3Index.Rotate60Ccw(current);
                    alreadyAdjustedK = true;
                }
                else
                {
                    switch (oldLeadingDigit)
                    {
                        case 0: // the pentagon itself has no K neighbour
                            result = 0;
                            return false;
                        case 3:
                            current = H3Index.Rotate60Ccw(current);
                            rotations += 1;
                            break;
                        case 5:
                            current = H3Index.Rotate60Cw(current);
                            rotations += 5;
                            break;
                        default: // already inside the deleted subsequence: invalid input
                            result = 0;
                            return false;
                    }
                }
            }

            for (int i = 0; i < newRotations; i++) current = H3Index.RotatePent60Ccw(current);

            if (oldBaseCell != newBaseCell)
            {
                if (H3Index.IsPolarPentagon(newBaseCell))
                {
                    // Polar pentagons have all-I neighbours.
                    if (oldBaseCell != 118 && oldBaseCell != 8 && H3Index.LeadingNonZeroDigit(current) != 3)
                        rotations += 1;
                }
                else if (H3Index.LeadingNonZeroDigit(current) == 5 && !alreadyAdjustedK)
                {
                    rotations += 1;
                }
            }
        }
        else
        {
            current = H3Index.Rotate60Ccw(current, newRotations);
        }

        rotations = (rotations + newRotations) % 6;
        result = current;
        return true;
    }

    /// <summary>The distinct neighbours of a cell (5 for pentagons), written to <paramref name="dest"/>; returns the count.</summary>
    /// <remarks>A res-0 pentagon's deleted K step lands on its IK neighbour again, hence the duplicate check.</remarks>
    public static int All(ulong cell, Span<ulong> dest)
    {
        int n = 0;
        for (int d = 1; d <= 6; d++)
        {
            int rot = 0;
            if (!Step(cell, d, ref rot, out ulong nb)) continue;
            if (dest[..n].Contains(nb)) continue;
            dest[n++] = nb;
        }
        return n;
    }
}
