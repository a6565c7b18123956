namespace Alternance;

/// <summary>
/// Distances as the contract defines them: great-circle on a sphere of radius 6378.1 km (MongoDB's
/// <c>$geoNear</c> sphere, so figures match the live service). Every component that decides whether an item
/// is inside a radius (cells, brute-force checks) calls this one implementation, so they agree to the bit.
/// </summary>
public static class GreatCircle
{
    public const double EarthRadiusKm = 6378.1;
    public const double DegToRad = Math.PI / 180.0;

    /// <summary>Great-circle distance in km between two points given in degrees.</summary>
    public static double DistanceKm(double lat1, double lon1, double lat2, double lon2) =>
        DistanceKm(ChordSquared(Point.At(lat1, lon1), Point.At(lat2, lon2)));

    /// <summary>
    /// The distance whose chord through the sphere has this square (unit sphere). It is the haversine distance:
    /// the haversine term <c>a</c> is the squared half-chord, so d = 2R·asin(√a) = 2R·asin(chord / 2). From unit
    /// vectors, a distance costs a few multiplications and one arcsine instead of two sines and an arcsine, and the
    /// square alone decides "farther than r" (a cell index rejects most of its band without any trigonometry).
    /// </summary>
    public static double DistanceKm(double chordSquared)
    {
        double half = Math.Sqrt(chordSquared) * 0.5;
        if (half > 1.0)
        {
            half = 1.0;
        }
        return 2.0 * EarthRadiusKm * Math.Asin(half);
    }

    /// <summary>The squared chord between two points (unit sphere).</summary>
    public static double ChordSquared(in Point a, in Point b) => ChordSquared(a, b.X, b.Y, b.Z);

    public static double ChordSquared(in Point a, double x, double y, double z)
    {
        double dx = a.X - x, dy = a.Y - y, dz = a.Z - z;
        return dx * dx + dy * dy + dz * dz;
    }

    /// <summary>
    /// The squared chord of a distance, padded up so that every point at that distance or nearer passes a
    /// <c>chord² ≤ bound</c> test despite rounding (the exact distance decides after it).
    /// </summary>
    public static double ChordSquaredBound(double distanceKm)
    {
        double half = Math.Sin(Math.Min(distanceKm / EarthRadiusKm, Math.PI) * 0.5);
        return 4.0 * half * half * (1 + 1e-9) + 1e-18;
    }

    /// <summary>A point of the unit sphere (x towards 0°N 0°E, z towards the North Pole).</summary>
    public readonly record struct Point(double X, double Y, double Z)
    {
        public static Point At(double latitude, double longitude)
        {
            double phi = latitude * DegToRad, lambda = longitude * DegToRad;
            double cosPhi = Math.Cos(phi);
            return new Point(cosPhi * Math.Cos(lambda), cosPhi * Math.Sin(lambda), Math.Sin(phi));
        }
    }
}
