using Alternance.Testing;

namespace Alternance.Tests.Engine;

/// <summary>
/// Cells lose their memory when deactivated, when their silo dies and when the whole cluster restarts: every
/// item must come back from grain storage, on the embedded file store and on Azure Blob storage (Azurite).
/// </summary>
public sealed class DurabilityTests
{
    [Fact]
    public Task Items_come_back_from_the_file_store_after_deactivation_silo_loss_and_restart() => Exercise(StoreKind.File);

    [Fact]
    public async Task Items_come_back_from_azure_blob_storage_after_deactivation_silo_loss_and_restart()
    {
        await AzuriteServer.EnsureStartedAsync();
        await Exercise(StoreKind.Azurite);
    }

    private static async Task Exercise(StoreKind store)
    {
        string serviceId = "durability-" + Guid.NewGuid().ToString("N")[..8];
        var feeds = new TestFeeds(3);
        var items = new Dictionary<Source, List<SearchItem>>
        {
            [Source.Formation] = [.. feeds.Formations(1500)],
            [Source.PeJob] = [.. feeds.PeJobs(1500)],
            [Source.Matcha] = [.. feeds.Matchas(300)],
            [Source.Company] = [.. feeds.Companies(2000)],
        };
        var queries = new List<SourceQuery>();
        for (int i = 0; i < 60; i++) queries.Add(feeds.Query((Source)(i % Sources.Count)));

        string? storePath;
        Hit[][] before;
        await using (EngineCluster cluster = await EngineCluster.StartAsync(store, silos: 3, serviceId: serviceId))
        {
            storePath = cluster.StorePath;
            foreach (var (source, list) in items)
            {
                await cluster.Importer.ReplaceAsync(source, list);
            }
            before = await Answers(cluster, queries);
            Assert.True(before.Count(h => h.Length > 0) > queries.Count / 2);

            // Deactivate every cell: each reloads its items from storage on the next query.
            DirectorySnapshot snapshot = await cluster.Directory.RefreshAsync();
            foreach (long cell in snapshot.Sources.SelectMany(s => s.Cells).Distinct())
            {
                await cluster.Cluster.DeactivateAsync(cluster.Cluster.Client.GetGrain<ICellGrain>(cell));
            }
            // Every cell now reloads at once on the next searches: give them the time a cold start takes.
            AssertSame(before, await AnswersOnceSettled(cluster, queries), "after deactivating every cell");

            // Lose a silo: its cells (and perhaps the directory) are re-activated on the others.
            // Until the membership declares it dead, calls to its cells fail (a per-source error); then they are
            // re-activated elsewhere from storage.
            await cluster.Cluster.KillSiloAsync(cluster.Cluster.Silos[^1]);
            AssertSame(before, await AnswersOnceSettled(cluster, queries), "after losing a silo");
        }

        // A new cluster on the same store and service id: everything is read back.
        await using (EngineCluster restarted = await EngineCluster.StartAsync(store, silos: 2, serviceId: serviceId, storePath: storePath))
        {
            AssertSame(before, await AnswersOnceSettled(restarted, queries), "after a full restart");
            foreach (var (source, list) in items)
            {
                SearchItem sample = list.Skip(list.Count / 2).First(i => !OfferDates.IsExpired(i, TestFeeds.AsOf));
                Assert.Equal(sample.Id, (await restarted.Engine.GetAsync(source, sample.Id))?.Id);
            }
        }
    }

    private static async Task<Hit[][]> Answers(EngineCluster cluster, List<SourceQuery> queries)
    {
        SearchOutcome[] outcomes = await cluster.Engine.SearchAsync(queries);
        return outcomes.Select(o => o.Error is null ? o.Hits : throw o.Error).ToArray();
    }

    private static async Task<Hit[][]> AnswersOnceSettled(EngineCluster cluster, List<SourceQuery> queries)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            SearchOutcome[] outcomes = await cluster.Engine.SearchAsync(queries);
            if (outcomes.All(o => o.Error is null) || DateTime.UtcNow > deadline)
            {
                return outcomes.Select(o => o.Error is null ? o.Hits : throw o.Error).ToArray();
            }
            await Task.Delay(500);
        }
    }

    private static void AssertSame(Hit[][] expected, Hit[][] actual, string when)
    {
        for (int q = 0; q < expected.Length; q++)
        {
            string? difference = EngineMatchesBruteForceTests.Compare(expected[q], actual[q]);
            Assert.True(difference is null, $"query {q} {when}: {difference}");
        }
    }
}
