using Alternance.Grains;

using Alternance.Testing;

namespace Alternance.Tests.Engine;

/// <summary>
/// One cell as dense as central Paris: tens of thousands of items within a few km, where a search looks at a small
/// circle first and widens it. Every answer must still be exactly the full scan's, ties and duplicates included.
/// </summary>
public sealed class DenseCellTests
{
    private const double ParisLat = 48.8566, ParisLon = 2.3522;

    [Fact]
    public void Every_item_of_a_dense_cell_is_found_by_its_id_and_no_other_id_finds_one()
    {
        var feeds = new TestFeeds(29);
        List<SearchItem> items = [.. feeds.PeJobs(30_000)];
        var index = new SourceIndex(Source.PeJob, items, cell: 1);
        foreach (SearchItem item in items)
        {
            Assert.Same(item, index.Get(item.Id));
            Assert.Null(index.Get(item.Id + "0"));
            Assert.Null(index.Get(item.Id[..^1]));
        }
        Assert.Null(SourceIndex.Empty(Source.PeJob, cell: 1).Get(items[0].Id));
    }

    [Fact]
    public void Searches_in_a_dense_cell_answer_exactly_what_a_full_scan_answers()
    {
        var feeds = new TestFeeds(23);
        var random = new Random(23);
        var bySource = new Dictionary<Source, List<SearchItem>>
        {
            [Source.Formation] = [.. Crowd(feeds.Formations(30_000), random)],
            [Source.PeJob] = [.. Crowd(feeds.PeJobs(30_000), random)],
            [Source.Company] = [.. Crowd(feeds.Companies(30_000), random)],
        };
        var failures = new List<string>();
        int compared = 0;
        foreach (var (source, items) in bySource)
        {
            var index = new SourceIndex(source, items, cell: 1);
            var bruteForce = new ContractOracle(items);
            for (int i = 0; i < 300; i++)
            {
                // From inside one block to the whole cell and beyond.
                double radius = random.Next(4) switch { 0 => 0.3 + random.NextDouble(), 1 => 1 + random.NextDouble() * 9, 2 => 10 + random.NextDouble() * 50, _ => 150 };
                SourceQuery query = AroundParis(feeds, source, random, radius);
                Hit[] actual = index.Search(query);
                Found[] expected = bruteForce.Search(query);
                if (source == Source.Formation && actual.Length == 0)
                {
                    // The full scan widens an empty training search (the engine does, over all cells): nothing was inside.
                    Assert.All(expected, h => Assert.True(h.DistanceKm > query.RadiusKm));
                    continue;
                }
                compared++;
                string? difference = ContractOracle.Compare(expected, actual);
                if (difference is not null && failures.Count < 10) failures.Add($"{EngineMatchesBruteForceTests.Describe(query)}: {difference}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(compared > 800, $"only {compared} queries compared");
    }

    [Fact]
    public void Posted_offers_in_a_dense_cell_keep_every_job_of_the_nearest_recruiters()
    {
        // A recruiter ranks by its nearest job and keeps all its jobs within the radius: here a third of the jobs sit
        // away from their recruiter's other jobs, so the jobs of a chosen recruiter lie inside and outside the smaller
        // circle a dense cell searches first.
        var feeds = new TestFeeds(31);
        var random = new Random(31);
        var items = new List<SearchItem>();
        foreach (SearchItem item in Crowd(feeds.Matchas(12_000), random))
        {
            items.Add(random.NextDouble() < 0.33
                ? item with { Latitude = ParisLat + Gaussian(random) * 0.08, Longitude = ParisLon + Gaussian(random) * 0.12 }
                : item);
        }
        var index = new SourceIndex(Source.Matcha, items, cell: 1);
        var bruteForce = new ContractOracle(items);
        var failures = new List<string>();
        int full = 0;
        for (int i = 0; i < 300; i++)
        {
            double radius = random.Next(3) switch { 0 => 0.5 + random.NextDouble() * 2, 1 => 3 + random.NextDouble() * 20, _ => 30 + random.NextDouble() * 100 };
            SourceQuery query = AroundParis(feeds, Source.Matcha, random, radius) with { Limit = random.Next(2) == 0 ? 150 : 20 };
            if (random.Next(3) == 0) query = query with { NewestFirst = true };
            Found[] expected = bruteForce.Search(query);
            Hit[] actual = index.Search(query);
            if (expected.Select(f => ((MatchaItem)f.Item).Recruiter.EstablishmentId).Distinct().Count() == query.Limit) full++;
            string? difference = ContractOracle.Compare(expected, actual);
            if (difference is not null && failures.Count < 10) failures.Add($"{EngineMatchesBruteForceTests.Describe(query)}: {difference}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(full > 150, $"only {full} answers hold the limit of recruiters");
    }

    [Fact]
    public void A_radius_equal_to_an_items_distance_takes_that_item_in()
    {
        // The cells reject by the squared chord before computing a distance: an item exactly on the circle must still
        // be inside, as the full scan (d <= radius) has it.
        var feeds = new TestFeeds(29);
        var random = new Random(29);
        var failures = new List<string>();
        int onTheRim = 0;
        foreach (Source source in new[] { Source.Formation, Source.PeJob, Source.Company })
        {
            List<SearchItem> items = source switch
            {
                Source.Formation => [.. Crowd(feeds.Formations(20_000), random)],
                Source.PeJob => [.. Crowd(feeds.PeJobs(20_000), random)],
                _ => [.. Crowd(feeds.Companies(20_000), random)],
            };
            var index = new SourceIndex(source, items, cell: 1);
            var bruteForce = new ContractOracle(items);
            for (int i = 0; i < 100; i++)
            {
                SourceQuery around = AroundParis(feeds, source, random, radiusKm: 5);
                Found[] near = bruteForce.Search(around);
                if (near.Length < 2 || near[0].DistanceKm > around.RadiusKm) continue;
                double rim = near[random.Next(near.Length)].DistanceKm;
                SourceQuery query = around with { RadiusKm = rim };
                Found[] expected = bruteForce.Search(query);
                Hit[] actual = index.Search(query);
                if (expected.Length > 0 && expected[^1].DistanceKm == rim) onTheRim++;
                string? difference = ContractOracle.Compare(expected, actual);
                if (difference is not null && failures.Count < 10) failures.Add($"{EngineMatchesBruteForceTests.Describe(query)}: {difference}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(onTheRim > 100, $"only {onTheRim} answers end with an item exactly on the circle");
    }

    [Fact]
    public void An_item_at_a_circles_west_or_east_end_is_found()
    {
        // A long list is cut into strips of longitude and a circle reads only the strips its longitudes reach: an item
        // that is the westmost (or eastmost) of its strip, at the very east (or west) end of a circle, must still be read.
        // Each strip's end items are put exactly on a circle's end: its centre lies due east (or west) of the item.
        var feeds = new TestFeeds(37);
        var random = new Random(37);
        List<SearchItem> items = [.. Crowd(feeds.Companies(20_000), random)];
        var index = new SourceIndex(Source.Company, items, cell: 1);
        var bruteForce = new ContractOracle(items);
        SearchItem[] ends = [.. index.StripEnds().DistinctBy(i => i.Id)];
        Assert.True(ends.Length > 16, $"only {ends.Length} strip ends");
        var failures = new List<string>();
        int onTheEnd = 0;
        foreach (SearchItem item in ends)
        {
            foreach (double bearing in new[] { 90.0, 270.0 })
            {
                double radius = 0.5 + random.NextDouble() * 5;
                var (latitude, longitude) = Destination(item.Latitude, item.Longitude, bearing, radius);
                SourceQuery query = feeds.Query(Source.Company) with
                {
                    Area = SearchArea.Radius, Latitude = latitude, Longitude = longitude, Romes = [], RomeDomain = null,
                    PostalPrefixes = [], Limit = 100_000,
                    RadiusKm = GreatCircle.DistanceKm(latitude, longitude, item.Latitude, item.Longitude),
                };
                Found[] expected = bruteForce.Search(query);
                Hit[] actual = index.Search(query);
                if (expected.Any(f => f.Item.Id == item.Id)) onTheEnd++;
                string? difference = ContractOracle.Compare(expected, actual);
                if (difference is not null && failures.Count < 10) failures.Add($"{EngineMatchesBruteForceTests.Describe(query)}: {difference}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(onTheEnd > ends.Length, $"only {onTheEnd} circles hold their end item");
    }

    /// <summary>The point at <paramref name="distanceKm"/> from a point along an initial bearing (degrees from north).</summary>
    private static (double Latitude, double Longitude) Destination(double latitude, double longitude, double bearing, double distanceKm)
    {
        double phi = latitude * Math.PI / 180, lambda = longitude * Math.PI / 180, theta = bearing * Math.PI / 180;
        double delta = distanceKm / GreatCircle.EarthRadiusKm;
        double phi2 = Math.Asin(Math.Sin(phi) * Math.Cos(delta) + Math.Cos(phi) * Math.Sin(delta) * Math.Cos(theta));
        double lambda2 = lambda + Math.Atan2(Math.Sin(theta) * Math.Sin(delta) * Math.Cos(phi), Math.Cos(delta) - Math.Sin(phi) * Math.Sin(phi2));
        return (phi2 * 180 / Math.PI, lambda2 * 180 / Math.PI);
    }

    /// <summary>A radius query of the feeds' kind for this source, centred somewhere in central Paris.</summary>
    private static SourceQuery AroundParis(TestFeeds feeds, Source source, Random random, double radiusKm) => feeds.Query(source) with
    {
        Area = SearchArea.Radius,
        Latitude = ParisLat + (random.NextDouble() - 0.5) * 0.2,
        Longitude = ParisLon + (random.NextDouble() - 0.5) * 0.3,
        RadiusKm = radiusKm,
        PostalPrefixes = [],
    };

    /// <summary>Moves every item to within ~10 km of central Paris, keeping the feeds' exact-position ties.</summary>
    private static IEnumerable<SearchItem> Crowd<T>(List<T> items, Random random) where T : SearchItem
    {
        var moved = new Dictionary<(double, double), (double, double)>();
        foreach (T item in items)
        {
            if (!moved.TryGetValue((item.Latitude, item.Longitude), out var to))
            {
                // Rounded to 4 decimals (~10 m): many items share a position, as offers of one address do.
                to = (Math.Round(ParisLat + Gaussian(random) * 0.05, 4), Math.Round(ParisLon + Gaussian(random) * 0.075, 4));
                moved[(item.Latitude, item.Longitude)] = to;
            }
            yield return item with { Latitude = to.Item1, Longitude = to.Item2 };
        }
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
