using System.Text;
using Alternance.Testing;

namespace Alternance.Tests.Engine;

public sealed class EngineMatchesBruteForceTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    [Fact]
    public async Task Thousands_of_random_queries_answer_exactly_what_a_full_scan_answers()
    {
        var bruteForce = new Dictionary<Source, ContractOracle>();
        foreach (var (source, items) in fixture.Items) bruteForce[source] = new ContractOracle(items);
        var feeds = new TestFeeds(7);
        var queries = new List<SourceQuery>();
        for (int i = 0; i < 2400; i++) queries.Add(feeds.Query((Source)(i % Sources.Count)));

        var failures = new List<string>();
        int nonEmpty = 0, multiCell = 0;
        await Parallel.ForEachAsync(queries, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (query, _) =>
        {
            SearchOutcome[] outcome = await fixture.Engine.Engine.SearchAsync([query]);
            Found[] expected = bruteForce[query.Source].Search(query);
            string? difference = outcome[0].Error?.ToString() ?? ContractOracle.Compare(expected, outcome[0].Hits);
            lock (failures)
            {
                if (expected.Length > 0) nonEmpty++;
                if (query.RadiusKm >= 60) multiCell++;
                if (difference is not null && failures.Count < 10) failures.Add($"{Describe(query)}: {difference}");
            }
        });
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        // The comparison is only worth something if most queries find items.
        Assert.True(nonEmpty > queries.Count / 2, $"only {nonEmpty} of {queries.Count} queries found anything");
        Assert.True(multiCell > 500);
    }

    [Fact]
    public async Task Sources_searched_together_answer_as_when_searched_alone()
    {
        var feeds = new TestFeeds(11);
        for (int i = 0; i < 100; i++)
        {
            SourceQuery[] queries = [feeds.Query(Source.Formation), feeds.Query(Source.PeJob), feeds.Query(Source.Matcha), feeds.Query(Source.Company)];
            if (i % 2 == 0)
            {
                // As a request's sources do: one circle (whose cover the search plans once), then each its own.
                for (int q = 1; q < queries.Length; q++)
                {
                    queries[q] = queries[q] with { Latitude = queries[0].Latitude, Longitude = queries[0].Longitude, RadiusKm = queries[0].RadiusKm };
                }
            }
            SearchOutcome[] together = await fixture.Engine.Engine.SearchAsync(queries);
            for (int q = 0; q < queries.Length; q++)
            {
                SearchOutcome alone = (await fixture.Engine.Engine.SearchAsync([queries[q]]))[0];
                Assert.Null(Compare(alone.Hits, together[q].Hits));
            }
        }
    }

    [Fact]
    public async Task A_training_search_with_nothing_inside_answers_the_five_nearest_trainings()
    {
        // Mid-Atlantic: nothing within 50 km, so the answer widens to the 5 nearest trainings anywhere.
        var query = new SourceQuery { Source = Source.Formation, Latitude = 45, Longitude = -30, RadiusKm = 50, Romes = ["M1607", "M1805"], Limit = 500 };
        Hit[] hits = (await fixture.Engine.Engine.SearchAsync([query]))[0].Hits;
        Assert.Equal(5, hits.Length);
        Assert.All(hits, h => Assert.True(h.DistanceKm > 50));
        Assert.Null(ContractOracle.Compare(new ContractOracle(fixture.Items[Source.Formation]).Search(query), hits));
    }

    [Fact]
    public async Task Empty_training_searches_widen_to_exactly_the_five_nearest_whichever_circle_finds_them()
    {
        // Widening goes through growing circles (100 km, 400 km, everywhere): points on land and at sea, with one rare
        // or common code, so answers are found in each circle, some circles hold fewer than five, and ties stay exact.
        var bruteForce = new ContractOracle(fixture.Items[Source.Formation]);
        var random = new Random(23);
        var feeds = new TestFeeds(23);
        var farthest = new List<double>();
        var failures = new List<string>();
        for (int i = 0; i < 400; i++)
        {
            var (lat, lon) = i % 3 == 0 ? (random.NextDouble() * 30 + 30, random.NextDouble() * 40 - 25) : feeds.Position(4);
            var query = new SourceQuery
            {
                Source = Source.Formation, Latitude = lat, Longitude = lon, RadiusKm = random.Next(3) * 2.0,
                Romes = [TestFeeds.Romes[random.Next(TestFeeds.Romes.Length)]], DiplomaLevel = random.Next(2) == 0 ? 0 : random.Next(3, 8), Limit = 500,
            };
            Found[] expected = bruteForce.Search(query);
            SearchOutcome outcome = (await fixture.Engine.Engine.SearchAsync([query]))[0];
            string? difference = outcome.Error?.ToString() ?? ContractOracle.Compare(expected, outcome.Hits);
            if (difference is not null && failures.Count < 10) failures.Add($"{Describe(query)}: {difference}");
            if (expected.Length > 0 && expected[^1].DistanceKm > query.RadiusKm) farthest.Add(expected[^1].DistanceKm);
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Contains(farthest, d => d <= 100);
        Assert.Contains(farthest, d => d is > 100 and <= 400);
        Assert.Contains(farthest, d => d > 400);
    }

    [Fact]
    public async Task An_item_is_fetched_by_id_and_an_unknown_id_is_not_found()
    {
        foreach (var (source, items) in fixture.Items)
        {
            long now = TestFeeds.AsOf;
            SearchItem item = items.Skip(items.Count / 3).First(i => !OfferDates.IsExpired(i, now));
            SearchItem? fetched = await fixture.Engine.Engine.GetAsync(source, item.Id);
            // The importer stamped the write's version on the item: everything else is as imported.
            Assert.NotNull(fetched);
            Assert.NotEqual(0, fetched.Version);
            Assert.Equivalent(item with { Version = fetched.Version }, fetched, strict: true);
            Assert.Null(await fixture.Engine.Engine.GetAsync(source, "no-such-id"));
        }
        // An offer whose expiration date has passed is not found by id (unless asked for), as searches leave it out.
        SearchItem expired = fixture.Items[Source.Matcha].First(i => OfferDates.IsExpired(i, TestFeeds.AsOf));
        Assert.Null(await fixture.Engine.Engine.GetAsync(Source.Matcha, expired.Id));
        Assert.NotNull(await fixture.Engine.Engine.GetAsync(Source.Matcha, expired.Id, includeExpired: true));
    }

    /// <summary>How two answers of the engine differ (ids and exact distances, in order); null when they do not.</summary>
    internal static string? Compare(Hit[] expected, Hit[] actual)
    {
        for (int i = 0; i < Math.Min(expected.Length, actual.Length); i++)
        {
            if (expected[i].Id != actual[i].Id || !expected[i].DistanceKm.Equals(actual[i].DistanceKm))
            {
                return $"at {i}: expected {expected[i].Id} ({expected[i].DistanceKm}) got {actual[i].Id} ({actual[i].DistanceKm})";
            }
        }
        return expected.Length == actual.Length ? null : $"expected {expected.Length} hits, got {actual.Length}";
    }

    internal static string Describe(SourceQuery q)
    {
        var text = new StringBuilder($"{q.Source} {q.Area} ({q.Latitude}, {q.Longitude}) r={q.RadiusKm} limit={q.Limit}");
        if (q.Romes.Length > 0) text.Append(" romes=").Append(string.Join(',', q.Romes));
        if (q.RomeDomain is not null) text.Append(" domain=").Append(q.RomeDomain);
        if (q.DiplomaLevel != 0) text.Append(" diploma=").Append(q.DiplomaLevel);
        if (q.Opco is not null) text.Append(" opco=").Append(q.Opco);
        if (q.MultiPublishedOnly) text.Append(" multi");
        if (q.PostalPrefixes.Length > 0) text.Append(" dept=").Append(q.PostalPrefixes[0]);
        return text.ToString();
    }
}
