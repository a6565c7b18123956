using Alternance.Grains;

using Alternance.Testing;

namespace Alternance.Tests.Engine;

/// <summary>
/// A cell search reads the latitude band of its circle and bounds it by the squared chord. Where such bounds are easy to
/// get wrong — circles across the antimeridian, circles reaching or containing a pole, items on the poles, many items
/// sharing a position — every answer must still be exactly the full scan's.
/// </summary>
public sealed class SphereEdgeTests
{
    /// <summary>Fiji straddles the antimeridian.</summary>
    private const double FijiLat = -17.7, FijiLon = 180;
    private const double ParisLat = 48.8566, ParisLon = 2.3522;

    [Fact]
    public void Circles_across_the_antimeridian_and_around_the_poles_answer_exactly_what_a_full_scan_answers()
    {
        var feeds = new TestFeeds(41);
        var random = new Random(41);
        var bySource = new Dictionary<Source, List<SearchItem>>
        {
            [Source.Formation] = [.. Scatter(feeds.Formations(12_000), random)],
            [Source.PeJob] = [.. Scatter(feeds.PeJobs(12_000), random)],
            [Source.Company] = [.. Scatter(feeds.Companies(12_000), random)],
        };
        var failures = new List<string>();
        int compared = 0, acrossAntimeridian = 0, aroundPole = 0;
        foreach (var (source, items) in bySource)
        {
            var index = new SourceIndex(source, items, cell: 1);
            var bruteForce = new ContractOracle(items);
            for (int i = 0; i < 400; i++)
            {
                var (lat, lon) = QueryCentre(random);
                double radius = random.Next(5) switch
                {
                    0 => 0.3 + random.NextDouble() * 5,
                    1 => 5 + random.NextDouble() * 95,
                    2 => 100 + random.NextDouble() * 400,
                    3 => 500 + random.NextDouble() * 2000,
                    _ => random.Next(10) == 0 ? 20_000 : 30 + random.NextDouble() * 70,
                };
                SourceQuery query = feeds.Query(source) with
                {
                    Area = SearchArea.Radius, Latitude = lat, Longitude = lon, RadiusKm = radius, PostalPrefixes = [],
                };
                Hit[] actual = index.Search(query);
                Found[] expected = bruteForce.Search(query);
                if (source == Source.Formation && actual.Length == 0)
                {
                    // The full scan widens an empty training search (the engine does, over all cells): nothing was inside.
                    Assert.All(expected, h => Assert.True(h.DistanceKm > query.RadiusKm));
                    continue;
                }
                compared++;
                if (Array.Exists(expected, f => f.Item.Longitude > 179) && Array.Exists(expected, f => f.Item.Longitude < -179)) acrossAntimeridian++;
                if (Math.Abs(lat) + radius / GreatCircle.EarthRadiusKm / GreatCircle.DegToRad >= 90 && radius < 20_000 && expected.Length > 0) aroundPole++;
                string? difference = ContractOracle.Compare(expected, actual);
                if (difference is not null && failures.Count < 10) failures.Add($"{EngineMatchesBruteForceTests.Describe(query)}: {difference}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        // The comparison is only worth something if it reaches the edge cases.
        Assert.True(compared > 1000, $"only {compared} queries compared");
        Assert.True(acrossAntimeridian > 100, $"only {acrossAntimeridian} answers hold items on both sides of the antimeridian");
        Assert.True(aroundPole > 50, $"only {aroundPole} circles with items reach a pole");
    }

    /// <summary>Near the item clusters, on the antimeridian itself (as +180 and −180), at and near both poles.</summary>
    private static (double Lat, double Lon) QueryCentre(Random random) => random.Next(8) switch
    {
        0 => (FijiLat, random.Next(2) == 0 ? 180 : -180),
        1 => (FijiLat + Gaussian(random) * 2, Wrap(FijiLon + Gaussian(random) * 2)),
        2 => (90, random.NextDouble() * 360 - 180),
        3 => (90 - Math.Abs(Gaussian(random)) * 1.5, random.NextDouble() * 360 - 180),
        4 => (-90 + Math.Abs(Gaussian(random)) * 1.5, random.NextDouble() * 360 - 180),
        5 => (-90, random.NextDouble() * 360 - 180),
        6 => (ParisLat + Gaussian(random) * 0.05, ParisLon + Gaussian(random) * 0.075),
        _ => (random.NextDouble() * 180 - 90, random.NextDouble() * 360 - 180),
    };

    /// <summary>
    /// Moves every item to one of four clusters (across the antimeridian, the two polar caps with a few items on the
    /// poles themselves, central Paris), rounded to ~10 m so that many items share a position, as offers of one address
    /// do.
    /// </summary>
    private static IEnumerable<SearchItem> Scatter<T>(List<T> items, Random random) where T : SearchItem
    {
        var moved = new Dictionary<(double, double), (double, double)>();
        foreach (T item in items)
        {
            if (!moved.TryGetValue((item.Latitude, item.Longitude), out var to))
            {
                double pick = random.NextDouble();
                to = pick switch
                {
                    < 0.35 => (FijiLat + Gaussian(random) * 1.0, Wrap(FijiLon + Gaussian(random) * 1.5)),
                    < 0.58 => (Math.Min(90, 90 - Math.Abs(Gaussian(random)) * 2), random.NextDouble() * 360 - 180),
                    < 0.60 => (random.Next(2) == 0 ? 90 : -90, random.NextDouble() * 360 - 180),
                    < 0.75 => (Math.Max(-90, -90 + Math.Abs(Gaussian(random)) * 2), random.NextDouble() * 360 - 180),
                    _ => (ParisLat + Gaussian(random) * 0.05, ParisLon + Gaussian(random) * 0.075),
                };
                to = (Math.Round(to.Item1, 4), Math.Round(to.Item2, 4));
                moved[(item.Latitude, item.Longitude)] = to;
            }
            yield return item with { Latitude = to.Item1, Longitude = to.Item2 };
        }
    }

    /// <summary>A longitude brought into [−180, 180).</summary>
    private static double Wrap(double lon) => ((lon + 540) % 360) - 180;

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
