using Alternance.Testing;

namespace Alternance.Tests.Engine;

public sealed class FeedUpdateTests
{
    [Fact]
    public async Task A_search_during_replaces_sees_the_old_set_or_the_new_one_never_a_mix_or_a_gap()
    {
        await using EngineCluster cluster = await EngineCluster.StartAsync(StoreKind.Memory);
        List<SearchItem> setA = [.. new TestFeeds(101).Companies(4000, "a")];
        List<SearchItem> setB = [.. new TestFeeds(202).Companies(4000, "b")];
        await cluster.Importer.ReplaceAsync(Source.Company, setA);

        var feeds = new TestFeeds(5);
        var queries = Enumerable.Range(0, 12).Select(_ => feeds.Query(Source.Company) with { Area = SearchArea.Radius, RadiusKm = 60, Opco = null }).ToArray();
        Found[][] answersA = queries.Select(q => new ContractOracle(setA).Search(q)).ToArray();
        Found[][] answersB = queries.Select(q => new ContractOracle(setB).Search(q)).ToArray();
        Assert.True(answersA.Count(a => a.Length > 0) >= 6, "most queries must find items in set A");

        int sawA = 0, sawB = 0;
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                SearchOutcome[] outcomes = await cluster.Engine.SearchAsync(queries);
                for (int q = 0; q < queries.Length; q++)
                {
                    Assert.Null(outcomes[q].Error);
                    bool isA = ContractOracle.Compare(answersA[q], outcomes[q].Hits) is null;
                    bool isB = ContractOracle.Compare(answersB[q], outcomes[q].Hits) is null;
                    Assert.True(isA || isB, $"query {q} saw a mix: {outcomes[q].Hits.Length} hits");
                    if (isA && !isB) Interlocked.Increment(ref sawA);
                    if (isB && !isA) Interlocked.Increment(ref sawB);
                }
                // A fresh directory read per round, as a front polling every 200 ms would see.
                await cluster.Directory.RefreshAsync();
            }
        })).ToArray();

        for (int round = 0; round < 4; round++)
        {
            await cluster.Importer.ReplaceAsync(Source.Company, round % 2 == 0 ? setB : setA);
            await Task.Delay(300);
        }
        stop.Cancel();
        await Task.WhenAll(readers);
        Assert.True(sawA > 0 && sawB > 0, $"both sets must have been seen (A {sawA}, B {sawB})");
    }

    [Fact]
    public async Task An_upserted_item_that_moved_is_found_at_its_new_place_only_and_a_deleted_one_nowhere()
    {
        await using EngineCluster cluster = await EngineCluster.StartAsync(StoreKind.Memory, silos: 2);
        List<CompanyItem> companies = new TestFeeds(9).Companies(3000);
        await cluster.Importer.ReplaceAsync(Source.Company, companies);

        CompanyItem moving = companies.First(c => c.Latitude > 48.7 && c.Latitude < 49 && c.Longitude > 2.2 && c.Longitude < 2.5);
        SourceQuery Around(double lat, double lon) => new()
        {
            Source = Source.Company, Latitude = lat, Longitude = lon, RadiusKm = 5, Romes = moving.RomeCodes, Limit = 150,
        };
        Assert.Contains((await cluster.Engine.SearchAsync([Around(moving.Latitude, moving.Longitude)]))[0].Hits, h => h.Id == moving.Id);

        // Paris → Lyon: another cell.
        CompanyItem moved = moving with { Latitude = 45.7640, Longitude = 4.8357, Enseigne = "DÉMÉNAGÉE" };
        await using (UpsertSession upsert = await cluster.Importer.BeginUpsertAsync(Source.Company))
        {
            await upsert.AddAsync(new SearchItem[] { moved });
            await upsert.CommitAsync();
        }
        Assert.DoesNotContain((await cluster.Engine.SearchAsync([Around(moving.Latitude, moving.Longitude)]))[0].Hits, h => h.Id == moving.Id);
        SearchOutcome inLyon = (await cluster.Engine.SearchAsync([Around(45.7640, 4.8357)]))[0];
        Hit found = Assert.Single(inLyon.Hits, h => h.Id == moving.Id);
        Assert.Equal("DÉMÉNAGÉE", ((CompanyItem)(await cluster.Engine.FetchAsync(Source.Company, inLyon.Generation, [found]))[0]!).Enseigne);
        Assert.Equal(45.7640, (await cluster.Engine.GetAsync(Source.Company, moving.Id))!.Latitude);

        Assert.True(await cluster.Importer.DeleteAsync(Source.Company, moving.Id));
        Assert.DoesNotContain((await cluster.Engine.SearchAsync([Around(45.7640, 4.8357)]))[0].Hits, h => h.Id == moving.Id);
        Assert.Null(await cluster.Engine.GetAsync(Source.Company, moving.Id));
        Assert.False(await cluster.Importer.DeleteAsync(Source.Company, moving.Id));
    }

    [Fact]
    public async Task An_upsert_into_an_empty_area_adds_the_cell_for_every_front()
    {
        await using EngineCluster cluster = await EngineCluster.StartAsync(StoreKind.Memory, silos: 2);
        await cluster.Importer.ReplaceAsync(Source.PeJob, new TestFeeds(4).PeJobs(500));
        // Another API node's view of the directory.
        var otherDirectory = new DirectoryCache(cluster.Cluster.Client);
        var otherFront = new SearchEngine(cluster.Cluster.Client, otherDirectory, new CoverPlanner(),
            Microsoft.Extensions.Options.Options.Create(new SearchOptions()));
        var query = new SourceQuery { Source = Source.PeJob, Latitude = -49.35, Longitude = 70.22, RadiusKm = 30, Romes = ["M1607"], Limit = 150 };
        Assert.Empty((await otherFront.SearchAsync([query]))[0].Hits);

        var kerguelen = new PeJobItem { Id = "KERG001", Latitude = -49.35, Longitude = 70.22, RomeCodes = ["M1607"], Intitule = "Assistant" };
        await using (UpsertSession upsert = await cluster.Importer.BeginUpsertAsync(Source.PeJob))
        {
            await upsert.AddAsync(new SearchItem[] { kerguelen });
            await upsert.CommitAsync();
        }
        // The other front's cache is refreshed by its poller; here, one poll.
        await otherDirectory.RefreshAsync();
        Assert.Equal("KERG001", Assert.Single((await otherFront.SearchAsync([query]))[0].Hits).Id);
    }

    [Fact]
    public async Task Upserts_and_deletes_survive_reactivation_as_deltas_and_after_compaction()
    {
        await using EngineCluster cluster = await EngineCluster.StartAsync(StoreKind.File, silos: 2);
        List<CompanyItem> companies = new TestFeeds(12).Companies(6000);
        await cluster.Importer.ReplaceAsync(Source.Company, companies);

        async Task Upsert(IEnumerable<CompanyItem> items)
        {
            await using UpsertSession session = await cluster.Importer.BeginUpsertAsync(Source.Company);
            await session.AddAsync(items.Cast<SearchItem>().ToArray());
            await session.CommitAsync();
        }
        async Task ReactivateAllCells()
        {
            DirectorySnapshot snapshot = await cluster.Directory.RefreshAsync();
            foreach (long cell in snapshot[Source.Company].Cells)
            {
                await cluster.Cluster.DeactivateAsync(cluster.Cluster.Client.GetGrain<ICellGrain>(cell));
            }
        }

        // A few changes: kept as delta records beside the cells' slots.
        await Upsert(companies.Take(10).Select(c => c with { Enseigne = "RENOMMÉE" }));
        Assert.True(await cluster.Importer.DeleteAsync(Source.Company, companies[20].Id));
        await ReactivateAllCells();
        Assert.Equal("RENOMMÉE", ((CompanyItem)(await cluster.Engine.GetAsync(Source.Company, companies[3].Id))!).Enseigne);
        Assert.Null(await cluster.Engine.GetAsync(Source.Company, companies[20].Id));

        // Many changes: the slots are rewritten whole and the deltas emptied.
        await Upsert(companies.Skip(100).Take(5000).Select(c => c with { Enseigne = "EN MASSE" }));
        await ReactivateAllCells();
        Assert.Equal("EN MASSE", ((CompanyItem)(await cluster.Engine.GetAsync(Source.Company, companies[4000].Id))!).Enseigne);
        Assert.Equal("RENOMMÉE", ((CompanyItem)(await cluster.Engine.GetAsync(Source.Company, companies[3].Id))!).Enseigne);
        Assert.Null(await cluster.Engine.GetAsync(Source.Company, companies[20].Id));
        var all = companies.Select((c, i) => i < 10 ? c with { Enseigne = "RENOMMÉE" } : i >= 100 && i < 5100 ? c with { Enseigne = "EN MASSE" } : c)
            .Where((_, i) => i != 20).Cast<SearchItem>().ToList();
        var query = new SourceQuery { Source = Source.Company, Latitude = 48.86, Longitude = 2.35, RadiusKm = 40, Romes = ["M1607", "M1805"], Limit = 150 };
        Assert.Null(ContractOracle.Compare(new ContractOracle(all).Search(query), (await cluster.Engine.SearchAsync([query]))[0].Hits));
    }
}
