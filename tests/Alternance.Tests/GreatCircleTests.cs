namespace Alternance.Tests;

/// <summary>The contract's distance: the haversine great-circle distance on the 6378.1 km sphere, however computed.</summary>
public sealed class GreatCircleTests
{
    [Fact]
    public void Distances_from_unit_vectors_are_the_haversine_distances()
    {
        var random = new Random(31);
        double worst = 0;
        for (int i = 0; i < 200_000; i++)
        {
            double lat1 = random.NextDouble() * 180 - 90, lon1 = random.NextDouble() * 360 - 180;
            // Near pairs (metres to 200 km, as searches see them) and pairs anywhere.
            double lat2, lon2;
            if (i % 2 == 0)
            {
                double step = Math.Pow(10, -5 + random.NextDouble() * 7) / 111.2;
                lat2 = Math.Clamp(lat1 + (random.NextDouble() - 0.5) * step, -90, 90);
                lon2 = lon1 + (random.NextDouble() - 0.5) * step;
            }
            else
            {
                lat2 = random.NextDouble() * 180 - 90;
                lon2 = random.NextDouble() * 360 - 180;
            }
            double expected = Haversine(lat1, lon1, lat2, lon2);
            double actual = GreatCircle.DistanceKm(lat1, lon1, lat2, lon2);
            // The arcsine is ill-conditioned near antipodes (both forms): allow metres there, micrometres elsewhere.
            double tolerance = expected < 19_000 ? 1e-9 + expected * 1e-12 : 1e-2;
            Assert.True(Math.Abs(actual - expected) <= tolerance, $"({lat1}, {lon1}) → ({lat2}, {lon2}): {actual} km, haversine {expected} km");
            if (expected < 19_000) worst = Math.Max(worst, Math.Abs(actual - expected));
        }
        Assert.Equal(0, GreatCircle.DistanceKm(48.8566, 2.3522, 48.8566, 2.3522));
        // Paris (Notre-Dame) → Lyon (Bellecour): about 392 km on the 6378.1 km sphere (a unit slip would be far off).
        Assert.InRange(GreatCircle.DistanceKm(48.8530, 2.3499, 45.7578, 4.8320), 391.5, 392.5);
        Assert.True(worst < 1e-9, $"worst difference {worst} km");
    }

    [Fact]
    public void The_chord_bound_lets_every_point_at_or_within_the_distance_through()
    {
        var random = new Random(37);
        for (int i = 0; i < 100_000; i++)
        {
            var a = GreatCircle.Point.At(random.NextDouble() * 180 - 90, random.NextDouble() * 360 - 180);
            var b = GreatCircle.Point.At(random.NextDouble() * 180 - 90, random.NextDouble() * 360 - 180);
            double chordSquared = GreatCircle.ChordSquared(a, b);
            double d = GreatCircle.DistanceKm(chordSquared);
            Assert.True(chordSquared <= GreatCircle.ChordSquaredBound(d), $"{d} km: chord² {chordSquared} over its bound");
        }
    }

    private static double Haversine(double lat1, double lon1, double lat2, double lon2)
    {
        const double r = Math.PI / 180;
        double dPhi = Math.Sin((lat2 - lat1) * r / 2), dLambda = Math.Sin((lon2 - lon1) * r / 2);
        double a = dPhi * dPhi + Math.Cos(lat1 * r) * Math.Cos(lat2 * r) * dLambda * dLambda;
        return 2 * 6378.1 * Math.Asin(Math.Sqrt(Math.Min(1, a)));
    }
}
