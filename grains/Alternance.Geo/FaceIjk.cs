using System.Runtime.CompilerServices;

namespace Alternance.Geo;

/// <summary>An IJK position on the planar grid of one icosahedron face.</summary>
internal struct FaceIjk(int face, CoordIjk coord)
{
    public int Face = face;
    public CoordIjk Coord = coord;
}

internal enum Overage
{
    None = 0,
    FaceEdge = 1, // only on substrate grids: exactly on the icosahedron edge
    NewFace = 2,
}

/// <summary>
/// The gnomonic projection between the sphere and the face grids, and the index ↔ FaceIJK conversions
/// (H3 v4.5.0 "Vec3d" formulation: face centres and tangent frames as 3-D vectors).
/// </summary>
internal static class Projection
{
    private const double Epsilon = 1e-16;
    private const double TwoPi = 6.283185307179586;          // M_2PI
    private const double Ap7Rot = 0.3334731722518321;        // M_AP7_ROT_RADS = atan(√3/5)
    private const double Res0UGnomonic = 0.381966011250105; // RES0_U_GNOMONIC
    private const double InvRes0UGnomonic = 2.618033988749896;
    private const double Sqrt7 = 2.6457513110645907;
    private const double RSqrt7 = 0.37796447300922725;
    private const double OneThird = 0.3333333333333333;

    // Tangent frame at each face centre. Precomputed with exactly the operations H3 performs per call,
    // so the values are bit-identical to recomputing them.
    private static readonly Vec3[] North = new Vec3[20];
    private static readonly Vec3[] East = new Vec3[20];

    // Fast inverse gnomonic basis (CoverCircle only): point ∝ centre + x·U + y·V, no trig.
    private static readonly Vec3[] FastU = new Vec3[40]; // [face*2 + classIII]
    private static readonly Vec3[] FastV = new Vec3[40];

    /// <summary>Gnomonic length of one hex2d unit at each resolution: R0 / √7^res (for the fast inverse).</summary>
    private static readonly double[] UnitScale = new double[17];

    static Projection()
    {
        var pole = new Vec3(0.0, 0.0, 1.0);
        for (int f = 0; f < 20; f++)
        {
            Vec3 c = H3Tables.FaceCenter[f];
            Vec3 n = Vec3.LinComb(1.0, pole, -Vec3.Dot(pole, c), c).Normalized();
            North[f] = n;
            East[f] = Vec3.Cross(n, c);
            for (int cls = 0; cls < 2; cls++)
            {
                // az = A - θ with A the i-axis azimuth (minus AP7 for Class III centres):
                // dir·ρ = x·(cosA·N + sinA·E) + y·(sinA·N − cosA·E).
                double a = H3Tables.FaceAxisAzI[f] - (cls == 1 ? Ap7Rot : 0.0);
                double ca = Fdlibm.Cos(a), sa = Fdlibm.Sin(a);
                FastU[f * 2 + cls] = Vec3.LinComb(ca, n, sa, East[f]);
                FastV[f * 2 + cls] = Vec3.LinComb(sa, n, -ca, East[f]);
            }
        }
        double s = Res0UGnomonic;
        for (int r = 0; r < 17; r++)
        {
            UnitScale[r] = s;
            s /= Sqrt7;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double PosAngle(double a)
    {
        double t = a < 0.0 ? a + TwoPi : a;
        if (a >= TwoPi) t -= TwoPi;
        return t;
    }

    // ------------------------------------------------------------------ forward

    /// <summary>Nearest face by squared chord distance (strict &lt;, faces scanned 0→19, like H3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ClosestFace(in Vec3 p, out double sqd)
    {
        var centers = H3Tables.FaceCenter;
        int face = 0;
        sqd = 5.0;
        for (int f = 0; f < centers.Length; f++)
        {
            double d = Vec3.DistSq(centers[f], p);
            if (d < sqd)
            {
                face = f;
                sqd = d;
            }
        }
        return face;
    }

    /// <summary>Projects a unit vector to the face grid of <paramref name="res"/>: face and planar hex2d point.</summary>
    public static int ToHex2d(in Vec3 p, int res, out double x, out double y)
    {
        int face = ClosestFace(p, out double sqd);
        double r = Fdlibm.Acos(1 - sqd * 0.5); // cos r = 1 − d²/2
        if (r < Epsilon)
        {
            x = y = 0.0;
            return face;
        }

        // Azimuth of p seen from the face centre, in the face's tangent frame.
        Vec3 c = H3Tables.FaceCenter[face];
        Vec3 proj = Vec3.LinComb(1.0, p, -Vec3.Dot(p, c), c).Normalized();
        double az = Fdlibm.Atan2(Vec3.Dot(proj, East[face]), Vec3.Dot(proj, North[face]));

        double theta = PosAngle(H3Tables.FaceAxisAzI[face] - PosAngle(az));
        if ((res & 1) != 0) theta = PosAngle(theta - Ap7Rot);

        r = Fdlibm.Tan(r) * InvRes0UGnomonic;
        for (int i = 0; i < res; i++) r *= Sqrt7; // repeated products, not Pow, for parity
        Fdlibm.SinCos(theta, out double sinT, out double cosT);
        x = r * cosT;
        y = r * sinT;
        return face;
    }

    /// <summary>The cell index of a FaceIJK at <paramref name="res"/>; 0 when out of the face's range.</summary>
    public static ulong ToH3(FaceIjk fijk, int res)
    {
        ulong h = H3Index.WithRes(H3Index.CellInit, res);
        // Work in IJ (i − k, j − k): the same lattice without normalising at every level.
        int i = fijk.Coord.I - fijk.Coord.K, j = fijk.Coord.J - fijk.Coord.K;
        var digitOf = IjOffsetDigit;
        // Build the digits from the finest level up: parent by up-aperture-7, then the digit is the offset
        // from the parent's centre (down-aperture-7 of the parent). ccw variants for Class III levels.
        for (int r = res; r >= 1; r--)
        {
            int pi, pj, ci, cj;
            if ((r & 1) != 0)
            {
                pi = CoordIjk.Div7Round(3 * i - j);
                pj = CoordIjk.Div7Round(i + 2 * j);
                ci = 2 * pi + pj;
                cj = 3 * pj - pi;
            }
            else
            {
                pi = CoordIjk.Div7Round(2 * i + j);
                pj = CoordIjk.Div7Round(3 * j - i);
                ci = 3 * pi - pj;
                cj = pi + 2 * pj;
            }
            uint di = (uint)(i - ci + 1), dj = (uint)(j - cj + 1);
            int digit = di <= 2 && dj <= 2 ? digitOf[(int)(di * 3 + dj)] : 7;
            h = H3Index.WithDigit(h, r, digit);
            i = pi;
            j = pj;
        }
        var ijk = new CoordIjk(i, j, 0);
        ijk.Normalize(); // subtracting min(i, j, 0) gives the canonical IJK of the base cell

        if ((uint)ijk.I > 2 || (uint)ijk.J > 2 || (uint)ijk.K > 2) return 0;

        int idx = fijk.Face * 27 + ijk.I * 9 + ijk.J * 3 + ijk.K;
        int bc = H3Tables.FaceIjkBaseCell[idx];
        int rots = H3Tables.FaceIjkBaseCellRot[idx];
        h = H3Index.WithBaseCell(h, bc);

        if (H3Index.IsBaseCellPentagon(bc))
        {
            // Leave the deleted K subtree: the direction depends on which side of the pentagon we came from.
            if (H3Index.LeadingNonZeroDigit(h) == 1)
                h = H3Index.IsCwOffset(bc, fijk.Face) ? H3Index.Rotate60Cw(h) : H3Index.Rotate60Ccw(h);
            for (int n = 0; n < rots; n++) h = H3Index.RotatePent60Ccw(h);
        }
        else
        {
            h = H3Index.Rotate60Ccw(h, rots);
        }
        return h;
    }

    /// <summary>Direction digit of an IJ offset (di + 1)·3 + (dj + 1); 7 where the offset is not a unit vector.</summary>
    private static ReadOnlySpan<byte> IjOffsetDigit => [1, 3, 7, 5, 0, 2, 7, 4, 6];

    /// <summary>latLngToCell on a unit vector (no validation).</summary>
    public static ulong Vec3ToCell(in Vec3 p, int res)
    {
        int face = ToHex2d(p, res, out double x, out double y);
        return ToH3(new FaceIjk(face, CoordIjk.FromHex2d(x, y)), res);
    }

    // ------------------------------------------------------------------ inverse

    /// <summary>
    /// Applies the digits of <paramref name="h"/> to <paramref name="fijk"/> (the base cell's home).
    /// Returns false when the cell cannot leave its home face (no overage possible).
    /// </summary>
    public static bool ApplyDigits(ulong h, ref FaceIjk fijk)
    {
        int res = H3Index.Res(h);
        int bc = H3Index.BaseCell(h);
        bool possibleOverage = H3Index.IsBaseCellPentagon(bc) || (res != 0 && !fijk.Coord.IsZero);
        // IJ arithmetic (i − k, j − k): down-aperture-7 then a unit step per level, normalised once at the end.
        int i = fijk.Coord.I - fijk.Coord.K, j = fijk.Coord.J - fijk.Coord.K;
        var di = DigitDi;
        var dj = DigitDj;
        for (int r = 1; r <= res; r++)
        {
            int ni, nj;
            if ((r & 1) != 0)
            {
                ni = 2 * i + j; // ccw: i ↦ (3,0,1), j ↦ (1,3,0)
                nj = 3 * j - i;
            }
            else
            {
                ni = 3 * i - j; // cw: i ↦ (3,1,0), j ↦ (0,3,1)
                nj = i + 2 * j;
            }
            int d = H3Index.Digit(h, r);
            i = ni + di[d];
            j = nj + dj[d];
        }
        var c = new CoordIjk(i, j, 0);
        c.Normalize();
        fijk.Coord = c;
        return possibleOverage;
    }

    // IJ offset of each direction digit 0..7 (7 = invalid: no move, as H3's _neighbor).
    private static ReadOnlySpan<sbyte> DigitDi => [0, -1, 0, -1, 1, 0, 1, 0];
    private static ReadOnlySpan<sbyte> DigitDj => [0, -1, 1, 0, 0, -1, 1, 0];

    /// <summary>Home face and IJK of a base cell.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FaceIjk BaseCellHome(int bc)
    {
        var t = H3Tables.BaseCellHomeIjk;
        return new FaceIjk(H3Tables.BaseCellHomeFace[bc], new CoordIjk(t[3 * bc], t[3 * bc + 1], t[3 * bc + 2]));
    }

    /// <summary>The FaceIJK of a valid cell's centre, on the face that actually contains it.</summary>
    public static FaceIjk CellToFaceIjk(ulong h)
    {
        int bc = H3Index.BaseCell(h);
        bool pent = H3Index.IsBaseCellPentagon(bc);
        // Sub-sequence 5 of a pentagon is stored rotated.
        if (pent && H3Index.LeadingNonZeroDigit(h) == 5) h = H3Index.Rotate60Cw(h);

        FaceIjk fijk = BaseCellHome(bc);
        if (!ApplyDigits(h, ref fijk)) return fijk;

        CoordIjk orig = fijk.Coord;
        int res = H3Index.Res(h);
        int adjRes = res;
        if ((res & 1) != 0)
        {
            // Class III: check the overage on the next finer Class II grid.
            fijk.Coord.DownAp7r();
            adjRes++;
        }

        bool pentLeading4 = pent && H3Index.LeadingNonZeroDigit(h) == 4;
        if (AdjustOverage(ref fijk, adjRes, pentLeading4, false) != Overage.None)
        {
            // A pentagon can spill over two faces.
            if (pent)
                while (AdjustOverage(ref fijk, adjRes, false, false) != Overage.None) { }
            if (adjRes != res) fijk.Coord.UpAp7r();
        }
        else if (adjRes != res)
        {
            fijk.Coord = orig;
        }
        return fijk;
    }

    /// <summary>Moves a Class II FaceIJK that lies beyond its face onto the neighbouring face.</summary>
    public static Overage AdjustOverage(ref FaceIjk fijk, int res, bool pentLeading4, bool substrate)
    {
        ref CoordIjk ijk = ref fijk.Coord;
        int maxDim = H3Tables.MaxDimByCIIres[res];
        if (substrate) maxDim *= 3;
        int sum = ijk.I + ijk.J + ijk.K;
        if (substrate && sum == maxDim) return Overage.FaceEdge;
        if (sum <= maxDim) return Overage.None;

        int quadrant;
        if (ijk.K > 0)
        {
            if (ijk.J > 0)
            {
                quadrant = 3; // JK
            }
            else
            {
                quadrant = 2; // KI
                if (pentLeading4)
                {
                    // Rotate about the pentagon centre (maxDim, 0, 0) to undo the missing sub-sequence.
                    var origin = new CoordIjk(maxDim, 0, 0);
                    CoordIjk tmp = ijk - origin;
                    tmp.Rotate60Cw();
                    ijk = tmp + origin;
                }
            }
        }
        else
        {
            quadrant = 1; // IJ
        }

        int o = fijk.Face * 4 + quadrant;
        fijk.Face = H3Tables.FaceNeighborFace[o];
        int rots = H3Tables.FaceNeighborRot[o];
        for (int i = 0; i < rots; i++) ijk.Rotate60Ccw();

        int unitScale = H3Tables.UnitScaleByCIIres[res];
        if (substrate) unitScale *= 3;
        var tr = H3Tables.FaceNeighborTranslate;
        ijk = ijk + new CoordIjk(tr[3 * o], tr[3 * o + 1], tr[3 * o + 2]) * unitScale;
        ijk.Normalize();

        if (substrate && ijk.I + ijk.J + ijk.K == maxDim) return Overage.FaceEdge;
        return Overage.NewFace;
    }

    /// <summary>Inverse projection of a planar hex2d point on <paramref name="face"/> (bit-identical to H3).</summary>
    public static Vec3 FromHex2d(double x, double y, int face, int res, bool substrate)
    {
        double r = Math.Sqrt(x * x + y * y);
        if (r < Epsilon) return H3Tables.FaceCenter[face];

        double theta = Fdlibm.Atan2(y, x);
        for (int i = 0; i < res; i++) r *= RSqrt7;
        if (substrate) r *= OneThird; // substrate resolutions are always Class II here
        r *= Res0UGnomonic;
        r = Fdlibm.Atan(r);

        if (!substrate && (res & 1) != 0) theta = PosAngle(theta + Ap7Rot);
        theta = PosAngle(H3Tables.FaceAxisAzI[face] - theta);

        Fdlibm.SinCos(theta, out double sinT, out double cosT);
        Fdlibm.SinCos(r, out double sinR, out double cosR);
        Vec3 dir = Vec3.LinComb(cosT, North[face], sinT, East[face]);
        return Vec3.LinComb(cosR, H3Tables.FaceCenter[face], sinR, dir).Normalized();
    }

    /// <summary>
    /// Fast inverse projection (no trig; ~1e-16 away from <see cref="FromHex2d"/>): the gnomonic inverse is
    /// linear, point ∝ centre + scale·(x·U + y·V). Used by geometric searches, never for published coordinates.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec3 FromHex2dFast(double x, double y, int face, int res, bool substrate)
    {
        double s = UnitScale[res];
        int cls = 0;
        if (substrate) s *= OneThird;
        else cls = res & 1;
        Vec3 u = FastU[face * 2 + cls], v = FastV[face * 2 + cls], c = H3Tables.FaceCenter[face];
        double a = x * s, b = y * s;
        return new Vec3(c.X + a * u.X + b * v.X, c.Y + a * u.Y + b * v.Y, c.Z + a * u.Z + b * v.Z).Normalized();
    }

    /// <summary>Centre of a valid cell as a unit vector.</summary>
    public static Vec3 CellToVec3(ulong h, bool fast = false)
    {
        FaceIjk f = CellToFaceIjk(h);
        f.Coord.ToHex2d(out double x, out double y);
        int res = H3Index.Res(h);
        return fast ? FromHex2dFast(x, y, f.Face, res, false) : FromHex2d(x, y, f.Face, res, false);
    }

    // ------------------------------------------------------------------ boundary

    // Substrate offsets of the vertices, ccw from the i axis (aperture 3·3r, plus 7r for Class III).
    private static ReadOnlySpan<byte> VertsClassII => [2, 1, 0, 1, 2, 0, 0, 2, 1, 0, 1, 2, 1, 0, 2, 2, 0, 1];
    private static ReadOnlySpan<byte> VertsClassIII => [5, 4, 0, 1, 5, 0, 0, 5, 4, 0, 1, 5, 4, 0, 5, 5, 0, 1];

    /// <summary>Maximum number of boundary vertices (Class III pentagon).</summary>
    public const int MaxBoundaryVerts = 10;

    /// <summary>
    /// Writes the boundary of a valid cell as unit vectors (ccw, open ring, H3's vertex order) and returns the
    /// vertex count. <paramref name="fast"/> selects the trig-free inverse projection.
    /// </summary>
    public static int CellToBoundary(ulong h, Span<Vec3> dest, bool fast = false)
    {
        int res = H3Index.Res(h);
        bool pentagon = H3Index.IsPentagon(h);
        Span<FaceIjk> verts = stackalloc FaceIjk[6];
        int centerFace = SubstrateVerts(h, pentagon, verts, out int adjRes);
        return pentagon
            ? PentagonBoundary(verts, res, adjRes, dest, fast)
            : HexagonBoundary(verts, centerFace, res, adjRes, dest, fast);
    }

    /// <summary>
    /// The cell's vertices as FaceIJK on the aperture-3 substrate grid (always Class II, resolution
    /// <paramref name="adjRes"/>), all in the centre's face frame. Returns the centre face.
    /// </summary>
    public static int SubstrateVerts(ulong h, bool pentagon, Span<FaceIjk> verts, out int adjRes)
    {
        int res = H3Index.Res(h);
        FaceIjk center = CellToFaceIjk(h);
        adjRes = res;
        center.Coord.DownAp3();
        center.Coord.DownAp3r();
        bool classIII = (res & 1) != 0;
        if (classIII)
        {
            center.Coord.DownAp7r();
            adjRes++;
        }
        var offs = classIII ? VertsClassIII : VertsClassII;
        int numVerts = pentagon ? 5 : 6;
        for (int v = 0; v < numVerts; v++)
        {
            CoordIjk c = center.Coord + new CoordIjk(offs[3 * v], offs[3 * v + 1], offs[3 * v + 2]);
            c.Normalize();
            verts[v] = new FaceIjk(center.Face, c);
        }
        return center.Face;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vec3 Project(double x, double y, int face, int adjRes, bool fast) =>
        fast ? FromHex2dFast(x, y, face, adjRes, true) : FromHex2d(x, y, face, adjRes, true);

    /// <summary>The icosahedron-face edge (in one face's substrate frame) for a quadrant 1 IJ, 2 KI, 3 JK.</summary>
    private static void FaceEdge(int quadrant, int adjRes, out double x0, out double y0, out double x1, out double y1)
    {
        double m = H3Tables.MaxDimByCIIres[adjRes];
        // Triangle corners: (3m, 0), (−1.5m, 3·(√3/2)·m), (−1.5m, −3·(√3/2)·m).
        double ax = 3.0 * m, ay = 0.0;
        double bx = -1.5 * m, by = 3.0 * CoordIjk.Sqrt3Over2 * m;
        double cx = -1.5 * m, cy = -3.0 * CoordIjk.Sqrt3Over2 * m;
        switch (quadrant)
        {
            case 1: x0 = ax; y0 = ay; x1 = bx; y1 = by; break;
            case 3: x0 = bx; y0 = by; x1 = cx; y1 = cy; break;
            default: x0 = cx; y0 = cy; x1 = ax; y1 = ay; break;
        }
    }

    /// <summary>Intersection of the lines p0p1 and p2p3 (H3's _v2dIntersect, same operation order).</summary>
    private static void Intersect(double p0x, double p0y, double p1x, double p1y, double p2x, double p2y,
        double p3x, double p3y, out double ix, out double iy)
    {
        double s1x = p1x - p0x, s1y = p1y - p0y;
        double s2x = p3x - p2x, s2y = p3y - p2y;
        double t = (s2x * (p0y - p2y) - s2y * (p0x - p2x)) / (-s2x * s1y + s1x * s2y);
        ix = p0x + (t * s1x);
        iy = p0y + (t * s1y);
    }

    private const double FltEpsilon = 1.1920928955078125e-7;

    private static int HexagonBoundary(Span<FaceIjk> verts, int centerFace, int res, int adjRes, Span<Vec3> dest,
        bool fast)
    {
        bool classIII = (res & 1) != 0;
        int n = 0;
        int lastFace = -1;
        Overage lastOverage = Overage.None;
        // One extra iteration tests the closing edge for a face crossing.
        for (int vert = 0; vert < 7; vert++)
        {
            int v = vert % 6;
            FaceIjk fijk = verts[v];
            Overage overage = AdjustOverage(ref fijk, adjRes, false, true);

            // A Class III edge crossing an icosahedron edge gets an extra vertex at the crossing,
            // projected with the centre face.
            if (classIII && vert > 0 && fijk.Face != lastFace && lastOverage != Overage.FaceEdge)
            {
                int lastV = (v + 5) % 6;
                verts[lastV].Coord.ToHex2d(out double ax, out double ay);
                verts[v].Coord.ToHex2d(out double bx, out double by);
                int face2 = lastFace == centerFace ? fijk.Face : lastFace;
                FaceEdge(H3Tables.AdjacentFaceDir[centerFace * 20 + face2], adjRes,
                    out double e0x, out double e0y, out double e1x, out double e1y);
                Intersect(ax, ay, bx, by, e0x, e0y, e1x, e1y, out double ix, out double iy);
                bool atVertex = (Math.Abs(ax - ix) < FltEpsilon && Math.Abs(ay - iy) < FltEpsilon) ||
                                (Math.Abs(bx - ix) < FltEpsilon && Math.Abs(by - iy) < FltEpsilon);
                if (!atVertex) dest[n++] = Project(ix, iy, centerFace, adjRes, fast);
            }

            if (vert < 6)
            {
                fijk.Coord.ToHex2d(out double x, out double y);
                dest[n++] = Project(x, y, fijk.Face, adjRes, fast);
            }
            lastFace = fijk.Face;
            lastOverage = overage;
        }
        return n;
    }

    private static int PentagonBoundary(Span<FaceIjk> verts, int res, int adjRes, Span<Vec3> dest, bool fast)
    {
        bool classIII = (res & 1) != 0;
        int n = 0;
        FaceIjk last = default;
        for (int vert = 0; vert < 6; vert++)
        {
            int v = vert % 5;
            FaceIjk fijk = verts[v];
            while (AdjustOverage(ref fijk, adjRes, false, true) == Overage.NewFace) { }

            // Every Class III pentagon edge crosses an icosahedron edge.
            if (classIII && vert > 0)
            {
                last.Coord.ToHex2d(out double ax, out double ay);

                // Express this vertex in the previous vertex's face frame.
                FaceIjk tmp = fijk;
                int toLast = H3Tables.AdjacentFaceDir[tmp.Face * 20 + last.Face];
                int o = tmp.Face * 4 + toLast;
                tmp.Face = H3Tables.FaceNeighborFace[o];
                int rots = H3Tables.FaceNeighborRot[o];
                for (int i = 0; i < rots; i++) tmp.Coord.Rotate60Ccw();
                var tr = H3Tables.FaceNeighborTranslate;
                tmp.Coord = tmp.Coord + new CoordIjk(tr[3 * o], tr[3 * o + 1], tr[3 * o + 2]) *
                    (H3Tables.UnitScaleByCIIres[adjRes] * 3);
                tmp.Coord.Normalize();
                tmp.Coord.ToHex2d(out double bx, out double by);

                FaceEdge(H3Tables.AdjacentFaceDir[tmp.Face * 20 + fijk.Face], adjRes,
                    out double e0x, out double e0y, out double e1x, out double e1y);
                Intersect(ax, ay, bx, by, e0x, e0y, e1x, e1y, out double ix, out double iy);
                dest[n++] = Project(ix, iy, tmp.Face, adjRes, fast);
            }

            if (vert < 5)
            {
                fijk.Coord.ToHex2d(out double x, out double y);
                dest[n++] = Project(x, y, fijk.Face, adjRes, fast);
            }
            last = fijk;
        }
        return n;
    }
}
