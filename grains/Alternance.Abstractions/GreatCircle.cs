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

    /// <summary>Haversine distance in km between two points given in degrees.</summary>
    public static double DistanceKm(double lat1, double lon1, double lat2, double lon2)
    {
        double phi1 = lat1 * DegToRad, phi2 = lat2 * DegToRad;
        return DistanceKm(phi1, Math.Cos(phi1), lon1 * DegToRad, phi2, Math.Cos(phi2), lon2 * DegToRad);
    }

    /// <summary>
    /// Haversine distance in km from precomputed radians and cosines of latitude (the cell index keeps these
    /// per item so a search computes two sines, a square root and an arcsine per candidate).
    /// </summary>
    public static double DistanceKm(double phi1, double cosPhi1, double lambda1, double phi2, double cosPhi2, double lambda2)
    {
        double sDphi = Math.Sin((phi2 - phi1) * 0.5);
        double sDlambda = Math.Sin((lambda2 - lambda1) * 0.5);
        double a = sDphi * sDphi + cosPhi1 * cosPhi2 * sDlambda * sDlambda;
        if (a > 1.0)
        {
            a = 1.0;
        }
        return 2.0 * EarthRadiusKm * Math.Asin(Math.Sqrt(a));
    }

    /// <summary>The haversine term <c>a</c> of a distance, used as a cheap, monotonic pre-filter.</summary>
    public static double HaversineTerm(double distanceKm)
    {
        double s = Math.Sin(Math.Min(distanceKm / EarthRadiusKm, Math.PI) * 0.5);
        return s * s;
    }
}
