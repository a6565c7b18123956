using System.Runtime.CompilerServices;

namespace Alternance.Geo;

/// <summary>A 3-D vector; on the unit sphere it is a point (x towards 0°N 0°E, z towards the north pole).</summary>
/// <remarks>Operation order mirrors H3 v4.5.0's vec3d.h so that results are bit-identical.</remarks>
internal readonly struct Vec3(double x, double y, double z)
{
    public readonly double X = x;
    public readonly double Y = y;
    public readonly double Z = z;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec3 FromLatLngRad(double lat, double lng)
    {
        Fdlibm.SinCos(lat, out double sinLat, out double r);
        Fdlibm.SinCos(lng, out double sinLng, out double cosLng);
        return new Vec3(cosLng * r, sinLng * r, sinLat);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Dot(in Vec3 a, in Vec3 b) => a.X * b.X + a.Y * b.Y + a.Z * b.Z;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec3 Cross(in Vec3 a, in Vec3 b) =>
        new(a.Y * b.Z - a.Z * b.Y, a.Z * b.X - a.X * b.Z, a.X * b.Y - a.Y * b.X);

    /// <summary>a·v1 + b·v2, component-wise in that order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec3 LinComb(double a, in Vec3 v1, double b, in Vec3 v2) =>
        new(a * v1.X + b * v2.X, a * v1.Y + b * v2.Y, a * v1.Z + b * v2.Z);

    /// <summary>Unit vector (multiplies by 1/norm like H3; the zero vector stays zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vec3 Normalized()
    {
        double norm = Math.Sqrt(X * X + Y * Y + Z * Z);
        double s = norm > 0.0 ? 1.0 / norm : 0.0;
        return new Vec3(X * s, Y * s, Z * s);
    }

    /// <summary>Squared Euclidean distance, computed as |a - b|².</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double DistSq(in Vec3 a, in Vec3 b)
    {
        double dx = a.X - b.X, dy = a.Y - b.Y, dz = a.Z - b.Z;
        return dx * dx + dy * dy + dz * dz;
    }

    /// <summary>Latitude in radians (asin z).</summary>
    public double LatRad => Fdlibm.Asin(Z);

    /// <summary>Longitude in radians (atan2 y, x).</summary>
    public double LngRad => Fdlibm.Atan2(Y, X);
}
