namespace Alternance.Geo.Tests;

/// <summary>Independent spherical geometry for the tests (not the library's code path).</summary>
internal static class SphereGeometry
{
    public const double R = 6378.1; // the service's sphere

    public static (double X, double Y, double Z) Vec(double latDeg, double lngDeg)
    {
        double la = latDeg * Math.PI / 180, lo = lngDeg * Math.PI / 180;
        return (Math.Cos(la) * Math.Cos(lo), Math.Cos(la) * Math.Sin(lo), Math.Sin(la));
    }

    private static (double, double, double) Cross((double X, double Y, double Z) a, (double X, double Y, double Z) b) =>
        (a.Y * b.Z - a.Z * b.Y, a.Z * b.X - a.X * b.Z, a.X * b.Y - a.Y * b.X);

    private static double Dot((double X, double Y, double Z) a, (double X, double Y, double Z) b) =>
        a.X * b.X + a.Y * b.Y + a.Z * b.Z;

    private static double Norm((double X, double Y, double Z) a) => Math.Sqrt(Dot(a, a));

    /// <summary>Central angle (rad), atan2 form: accurate at all distances.</summary>
    public static double Angle((double X, double Y, double Z) a, (double X, double Y, double Z) b) =>
        Math.Atan2(Norm(Cross(a, b)), Dot(a, b));

    public static double DistanceKm(double lat1, double lng1, double lat2, double lng2) =>
        R * Angle(Vec(lat1, lng1), Vec(lat2, lng2));

    /// <summary>Point at <paramref name="km"/> along the initial bearing (rad) on the 6378.1 km sphere.</summary>
    public static (double Lat, double Lng) Destination(double latDeg, double lngDeg, double bearing, double km)
    {
        double d = km / R;
        double p1 = latDeg * Math.PI / 180, l1 = lngDeg * Math.PI / 180;
        double p2 = Math.Asin(Math.Sin(p1) * Math.Cos(d) + Math.Cos(p1) * Math.Sin(d) * Math.Cos(bearing));
        double l2 = l1 + Math.Atan2(Math.Sin(bearing) * Math.Sin(d) * Math.Cos(p1),
            Math.Cos(d) - Math.Sin(p1) * Math.Sin(p2));
        double lng = l2 * 180 / Math.PI;
        lng = ((lng + 540) % 360) - 180;
        return (p2 * 180 / Math.PI, lng);
    }

    /// <summary>Angular distance from P to the great-circle arc AB.</summary>
    public static double AngleToArc((double X, double Y, double Z) p, (double X, double Y, double Z) a, (double X, double Y, double Z) b)
    {
        var n = Cross(a, b);
        double nn = Norm(n);
        if (nn > 0)
        {
            n = (n.Item1 / nn, n.Item2 / nn, n.Item3 / nn);
            double pn = Dot(p, n);
            var f = (p.X - pn * n.Item1, p.Y - pn * n.Item2, p.Z - pn * n.Item3); // projection on the circle's plane
            double fn = Norm(f);
            if (fn > 0)
            {
                f = (f.Item1 / fn, f.Item2 / fn, f.Item3 / fn);
                // F is on the arc iff the angles A-F and F-B add up to A-B.
                if (Angle(a, f) + Angle(f, b) <= Angle(a, b) + 1e-15)
                    return Angle(p, f);
            }
        }
        return Math.Min(Angle(p, a), Angle(p, b));
    }

    /// <summary>Angular distance from a point to a cell (0 if the point's H3 cell is this cell).</summary>
    public static double AngleToCell(double latDeg, double lngDeg, ulong cell)
    {
        if (H3.LatLngToCell(latDeg, lngDeg, H3.GetResolution(cell)) == cell) return 0;
        var p = Vec(latDeg, lngDeg);
        var b = H3.CellToBoundary(cell);
        double min = double.MaxValue;
        for (int i = 0; i < b.Length; i++)
        {
            var (l1, g1) = b[i];
            var (l2, g2) = b[(i + 1) % b.Length];
            min = Math.Min(min, AngleToArc(p, Vec(l1, g1), Vec(l2, g2)));
        }
        return min;
    }
}
