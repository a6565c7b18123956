namespace Alternance.Tests.Engine;

/// <summary>A 3-silo cluster loaded with the four test feeds, shared by the engine tests of a class.</summary>
public sealed class EngineFixture : IAsyncLifetime
{
    public const int Seed = 20261129;

    public EngineCluster Engine { get; private set; } = null!;
    public Dictionary<Source, List<SearchItem>> Items { get; } = [];

    public async Task InitializeAsync()
    {
        Engine = await EngineCluster.StartAsync(StoreKind.Memory);
        var feeds = new TestFeeds(Seed);
        Items[Source.Formation] = [.. feeds.Formations(12_000)];
        Items[Source.PeJob] = [.. feeds.PeJobs(15_000)];
        Items[Source.Matcha] = [.. feeds.Matchas(3_000)];
        Items[Source.Company] = [.. feeds.Companies(25_000)];
        foreach (var (source, items) in Items)
        {
            ImportReport report = await Engine.Importer.ReplaceAsync(source, items);
            Assert.Equal(items.Count, report.Items);
        }
    }

    public async Task DisposeAsync() => await Engine.DisposeAsync();
}
