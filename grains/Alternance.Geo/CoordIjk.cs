using System.Runtime.CompilerServices;

namespace Alternance.Geo;

/// <summary>
/// Hexagonal IJK coordinates: three integer axes 120° apart. A triple and the same triple plus a constant on
/// every axis denote the same cell; the normalised form is non-negative with at least one zero.
/// </summary>
internal struct CoordIjk(int i, int j, int k)
{
    public int I = i;
    public int J = j;
    public int K = k;

    internal const double Sqrt3Over2 = 0.8660254037844386;  // M_SQRT3_2
    private const double RSin60 = 1.1547005383792515;      // M_RSIN60

    /// <summary>Unit vector of each direction digit 0..6: digit bits (4,2,1) are (i,j,k).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static CoordIjk Unit(int digit) => new((digit >> 2) & 1, (digit >> 1) & 1, digit & 1);

    /// <summary>Canonical form: subtracting the minimum is equivalent to H3's two-step normalisation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Normalize()
    {
        int min = Math.Min(I, Math.Min(J, K));
        I -= min;
        J -= min;
        K -= min;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static CoordIjk operator +(CoordIjk a, CoordIjk b) => new(a.I + b.I, a.J + b.J, a.K + b.K);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static CoordIjk operator -(CoordIjk a, CoordIjk b) => new(a.I - b.I, a.J - b.J, a.K - b.K);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static CoordIjk operator *(CoordIjk a, int s) => new(a.I * s, a.J * s, a.K * s);

    public readonly bool IsZero => I == 0 && J == 0 && K == 0;

    /// <summary>Applies the linear map sending i,j,k to the given images, then normalises.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Map(int ii, int ij, int ik, int ji, int jj, int jk, int ki, int kj, int kk)
    {
        int i = I, j = J, k = K;
        I = i * ii + j * ji + k * ki;
        J = i * ij + j * jj + k * kj;
        K = i * ik + j * jk + k * kk;
        Normalize();
    }

    /// <summary>Rotates 60° counter-clockwise.</summary>
    public void Rotate60Ccw() => Map(1, 1, 0, 0, 1, 1, 1, 0, 1);

    /// <summary>Rotates 60° clockwise.</summary>
    public void Rotate60Cw() => Map(1, 0, 1, 1, 1, 0, 0, 1, 1);

    /// <summary>Down one aperture-7 level, counter-clockwise variant (the finer resolution is Class III).</summary>
    public void DownAp7() => Map(3, 0, 1, 1, 3, 0, 0, 1, 3);

    /// <summary>Down one aperture-7 level, clockwise variant (the finer resolution is Class II).</summary>
    public void DownAp7r() => Map(3, 1, 0, 0, 3, 1, 1, 0, 3);

    /// <summary>Down one aperture-3 level, counter-clockwise.</summary>
    public void DownAp3() => Map(2, 0, 1, 1, 2, 0, 0, 1, 2);

    /// <summary>Down one aperture-3 level, clockwise.</summary>
    public void DownAp3r() => Map(2, 1, 0, 0, 2, 1, 1, 0, 2);

    /// <summary>Down one level in the direction the finer resolution requires.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void DownAp7For(int finerRes)
    {
        if ((finerRes & 1) != 0) DownAp7();
        else DownAp7r();
    }

    /// <summary>Parent on the aperture-7 grid, counter-clockwise variant (lround, half away from zero).</summary>
    public void UpAp7()
    {
        int i = I - K, j = J - K;
        I = Div7Round(3 * i - j);
        J = Div7Round(i + 2 * j);
        K = 0;
        Normalize();
    }

    /// <summary>Parent on the aperture-7 grid, clockwise variant.</summary>
    public void UpAp7r()
    {
        int i = I - K, j = J - K;
        I = Div7Round(2 * i + j);
        J = Div7Round(3 * j - i);
        K = 0;
        Normalize();
    }

    /// <summary>
    /// lround(n · M_ONESEVENTH) as H3 computes it, in integers: n/7 is never within 1/14 of a half-integer,
    /// so the double product rounds the same way as the exact quotient for any |n| &lt; 2^40.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Div7Round(int n) => n >= 0 ? (n + 3) / 7 : -((3 - n) / 7);

    /// <summary>Planar centre: unit = distance between adjacent centres, +x along the i axis.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void ToHex2d(out double x, out double y)
    {
        int i = I - K, j = J - K;
        x = i - 0.5 * j;
        y = j * Sqrt3Over2;
    }

    /// <summary>The hexagon containing a planar point (DGGRID quantiser; comparisons kept exactly as H3).</summary>
    public static CoordIjk FromHex2d(double x, double y)
    {
        double a1 = Math.Abs(x), a2 = Math.Abs(y);
        double x2 = a2 * RSin60;
        double x1 = a1 + x2 / 2.0;
        int m1 = (int)x1, m2 = (int)x2;
        double r1 = x1 - m1, r2 = x2 - m2;
        int i, j;
        if (r1 < 0.5)
        {
            if (r1 < 1.0 / 3.0)
            {
                i = m1;
                j = r2 < (1.0 + r1) / 2.0 ? m2 : m2 + 1;
            }
            else
            {
                j = r2 < 1.0 - r1 ? m2 : m2 + 1;
                i = (1.0 - r1) <= r2 && r2 < 2.0 * r1 ? m1 + 1 : m1;
            }
        }
        else if (r1 < 2.0 / 3.0)
        {
            j = r2 < 1.0 - r1 ? m2 : m2 + 1;
            i = (2.0 * r1 - 1.0) < r2 && r2 < (1.0 - r1) ? m1 : m1 + 1;
        }
        else
        {
            i = m1 + 1;
            j = r2 < r1 / 2.0 ? m2 : m2 + 1;
        }

        // Unfold the quadrant: both parity cases of H3's x-fold reduce to j - i.
        if (x < 0.0) i = j - i;
        if (y < 0.0)
        {
            i -= j;
            j = -j;
        }

        var c = new CoordIjk(i, j, 0);
        c.Normalize();
        return c;
    }

    public override readonly string ToString() => $"({I},{J},{K})";
}
