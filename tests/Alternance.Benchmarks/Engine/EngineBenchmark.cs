using System.Diagnostics;
using Alternance.Testing;
using Alternance.Data;
using Alternance.Hosting;
using Alternance.Search;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Alternance.Benchmarks.Engine;

/// <summary>
/// The search engine on the bundled dataset, one co-hosted silo on the embedded file store: ingest time,
/// memory per item, and radius-query throughput and latency next to a brute-force scan and a plain grid index
/// run in the same process on the same queries (the ratios are what we track: the machine is shared).
/// <c>dotnet run -c Release --project tests/Alternance.Benchmarks -- engine [--scale 1] [--seconds 4] [--concurrency 16]</c>
/// </summary>
public static class EngineBenchmark
{
    private static readonly double[] Radii = [10, 30, 60, 100];

    public static async Task<int> RunAsync(string[] args)
    {
        double scale = Arg(args, "--scale", 1.0);
        double seconds = Arg(args, "--seconds", 4.0);
        int concurrency = (int)Arg(args, "--concurrency", 16);
        // --hot-only: skip the radius table (quick before/after checks of the in-cell search).
        Console.WriteLine($"Engine benchmark: scale {scale}, {concurrency} concurrent queries, {seconds} s per run, {Environment.ProcessorCount} cores, server GC {System.Runtime.GCSettings.IsServerGC}");

        var clock = Stopwatch.StartNew();
        var generator = new DatasetGenerator(ReferenceData.Load(), new GeneratorOptions { Scale = scale });
        var items = new Dictionary<Source, SearchItem[]>();
        foreach (Source source in Enum.GetValues<Source>())
        {
            items[source] = [.. generator.Items(source)];
        }
        long total = items.Values.Sum(a => (long)a.Length);
        Console.WriteLine($"generated {total:N0} items in {clock.Elapsed.TotalSeconds:0.0} s");
        long heapWithItems = Heap();

        string store = Path.Combine(Path.GetTempPath(), "alternance-bench-" + Guid.NewGuid().ToString("N")[..8]);
        using IHost host = StartSilo(store);
        await host.StartAsync();
        var importer = host.Services.GetRequiredService<FeedImporter>();
        var engine = host.Services.GetRequiredService<SearchEngine>();

        clock.Restart();
        foreach (var (source, list) in items)
        {
            var sourceClock = Stopwatch.StartNew();
            ImportReport report = await importer.ReplaceAsync(source, list);
            Console.WriteLine($"  ingest {source.FeedName(),-10} {report.Items,9:N0} items {report.Cells,4} cells {sourceClock.Elapsed.TotalSeconds,6:0.0} s");
        }
        double ingest = clock.Elapsed.TotalSeconds;
        // Cells build their text indexes in the background after each swap: one France-wide text search visits every
        // cell of every source and waits for them, so the memory below includes them.
        await host.Services.GetRequiredService<TextSearchEngine>().SearchAsync(new TextSearchRequest
        {
            Sources = [Source.Formation, Source.PeJob, Source.Matcha, Source.Company],
            HitsPerPage = 1,
        });
        long heapWithEngine = Heap();
        Console.WriteLine($"ingest: {total:N0} items in {ingest:0.0} s = {total / ingest:N0} items/s (1M items: {1_000_000 / (total / ingest):0.0} s), durable on the file store");
        Console.WriteLine($"memory: item records {heapWithItems / (double)total:N0} B/item; engine (cells, radius and text indexes, locators) {(heapWithEngine - heapWithItems) / (double)total:N0} B/item more");

        var grid = new PlainGrid(items);
        var brute = new BruteScan(items);
        var random = new Random(42);
        Console.WriteLine();
        Console.WriteLine("| radius | engine q/s | p50 ms | p99 ms | grid q/s | p50 ms | p99 ms | brute q/s | engine/grid | engine/brute | cells/query |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        bool hotOnly = Array.IndexOf(args, "--hot-only") >= 0;
        foreach (double radius in hotOnly ? [] : Radii)
        {
            SourceQuery[] queries = Queries(items, radius, random, 4000);
            // Same answers from all three, or the figures mean nothing.
            for (int i = 0; i < 200; i++)
            {
                Found[] expected = brute.Search(queries[i]);
                Found[] byGrid = grid.Search(queries[i]);
                Check(ContractOracle.Compare(expected, [.. byGrid.Select(f => new Hit(f.Item.Id, f.DistanceKm, 0, 0, default))]), "grid", queries[i]);
                Check(ContractOracle.Compare(expected, (await engine.SearchAsync([queries[i]]))[0].Hits), "engine", queries[i]);
            }
            LoopRun engineRun = await ClosedLoop.Measure(queries, concurrency, seconds, async q => { await engine.SearchAsync([q]); });
            LoopRun gridRun = await ClosedLoop.Measure(queries, concurrency, seconds, q => { grid.Search(q); return Task.CompletedTask; });
            LoopRun bruteRun = await ClosedLoop.Measure(queries, concurrency, Math.Min(seconds, 2), q => { brute.Search(q); return Task.CompletedTask; });
            double cells = queries.Take(500).Average(q => CellsVisited(host, q));
            Console.WriteLine($"| {radius} km | {engineRun.Qps:N0} | {engineRun.P50:0.00} | {engineRun.P99:0.00} | {gridRun.Qps:N0} | {gridRun.P50:0.00} | {gridRun.P99:0.00} | {bruteRun.Qps:N0} | {engineRun.Qps / gridRun.Qps:0.00} | {engineRun.Qps / bruteRun.Qps:0.0} | {cells:0.0} |");
        }

        // The hot cell: every query in central Paris (one cell holds a large share of everything). Concurrent
        // queries on one cell must use every core, not queue behind one activation.
        SourceQuery[] paris = Queries(items, 10, random, 4000)
            .Select((q, i) => q with { Latitude = 48.8566 + (i % 7) * 0.003, Longitude = 2.3522 + (i % 5) * 0.004 })
            .ToArray();
        LoopRun one = await ClosedLoop.Measure(paris, 1, seconds, async q => { await engine.SearchAsync([q]); });
        LoopRun many = await ClosedLoop.Measure(paris, concurrency, seconds, async q => { await engine.SearchAsync([q]); });
        // The same two runs on the plain grid say what this machine gives two threads right now.
        LoopRun gridOne = await ClosedLoop.Measure(paris, 1, seconds, q => { grid.Search(q); return Task.CompletedTask; });
        LoopRun gridMany = await ClosedLoop.Measure(paris, concurrency, seconds, q => { grid.Search(q); return Task.CompletedTask; });
        Console.WriteLine();
        Console.WriteLine($"hot cell (central Paris, 10 km): engine 1 query at a time {one.Qps:N0} q/s, {concurrency} concurrent {many.Qps:N0} q/s: x{many.Qps / one.Qps:0.00}; " +
            $"plain grid x{gridMany.Qps / gridOne.Qps:0.00} ({gridOne.Qps:N0} → {gridMany.Qps:N0} q/s) on {Environment.ProcessorCount} cores");

        // The HTTP benchmark's requests as the API plans them (30 km, 1-3 popular codes, populous communes): one
        // engine call per request, all of its sources at once. What the engine costs an HTTP request, without HTTP.
        foreach (var (route, sources) in new[] { ("/jobs", new[] { Source.PeJob, Source.Matcha, Source.Company }), ("/formations", new[] { Source.Formation }) })
        {
            SourceQuery[][] requests = ApiRequests(sources);
            int next = 0;
            LoopRun single = await ClosedLoop.Measure(paris, 1, seconds, async _ => { await engine.SearchAsync(requests[Interlocked.Increment(ref next) % requests.Length]); });
            LoopRun loaded = await ClosedLoop.Measure(paris, concurrency, seconds, async _ => { await engine.SearchAsync(requests[Interlocked.Increment(ref next) % requests.Length]); });
            Console.WriteLine($"API requests {route} (30 km, 1-3 codes, the HTTP benchmark's places): 1 at a time {single.Qps:N0} req/s ({1000 / single.Qps:0.000} ms each), {concurrency} concurrent {loaded.Qps:N0} req/s, p99 {loaded.P99:0.00} ms");
        }
        await host.StopAsync();
        try { Directory.Delete(store, recursive: true); } catch (IOException) { }
        return 0;
    }

    internal static IHost StartSilo(string store)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration["Cluster:StoragePath"] = store;
        // Free ports: other benchmarks and test runs may share the machine.
        builder.Configuration["Cluster:SiloPort"] = Http.ServiceProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.Configuration["Cluster:GatewayPort"] = Http.ServiceProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.Configuration["Cluster:Dashboard"] = "false";
        builder.UseOrleans(silo => silo.AddAlternanceSilo(builder.Configuration));
        builder.Services.AddSearchFront(builder.Configuration);
        // The dataset's day, not the machine's: the same offers have expired on every run (DatasetAsOf).
        builder.Services.AddKeyedSingleton<TimeProvider>(WriteClock.Key, new DatasetClock());
        return builder.Build();
    }

    /// <summary>The instant benchmarks search at: the generated dataset's day (some of its posted offers have expired then).</summary>
    internal static readonly long DatasetAsOf = new DateTimeOffset(DatasetGenerator.DefaultToday).ToUnixTimeMilliseconds();

    /// <summary>A clock that stands at <see cref="DatasetAsOf"/>.</summary>
    private sealed class DatasetClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(DatasetAsOf);
    }

    /// <summary>Searches where the items are (people search where they live), for one of the item's codes and up to two popular ones.</summary>
    private static SourceQuery[] Queries(Dictionary<Source, SearchItem[]> items, double radius, Random random, int count)
    {
        var queries = new SourceQuery[count];
        for (int i = 0; i < count; i++)
        {
            Source source = (Source)(i % Sources.Count);
            SearchItem[] pool = items[source];
            SearchItem at = pool[random.Next(pool.Length)];
            SearchItem other = pool[random.Next(pool.Length)];
            var romes = new List<string> { at.RomeCodes[0] };
            for (int k = random.Next(3); k > 0; k--)
            {
                string code = other.RomeCodes[random.Next(other.RomeCodes.Length)];
                if (!romes.Contains(code)) romes.Add(code);
            }
            queries[i] = new SourceQuery
            {
                Source = source,
                Latitude = at.Latitude + (random.NextDouble() - 0.5) * 0.05,
                Longitude = at.Longitude + (random.NextDouble() - 0.5) * 0.05,
                RadiusKm = radius,
                Romes = [.. romes],
                Limit = source switch { Source.Formation => 500, Source.Matcha => 250, _ => 150 },
                AsOf = DatasetAsOf,
            };
        }
        return queries;
    }

    private static SourceQuery[][] ApiRequests(Source[] sources) =>
        [.. Http.BenchmarkRequests.Draw(ReferenceData.Load(), new Random(Http.BenchmarkRequests.Seed), 2000)
            .Select(r => sources.Select(source => Http.BenchmarkRequests.Query(source, r.Place, r.Romes, 30)).ToArray())];

    private static int CellsVisited(IHost host, SourceQuery q)
    {
        var planner = host.Services.GetRequiredService<CoverPlanner>();
        var snapshot = host.Services.GetRequiredService<DirectoryCache>().Current!;
        var cells = new List<long>();
        planner.Plan(snapshot, q with { Generation = snapshot[q.Source].Generation }, cells);
        return cells.Count;
    }

    private static void Check(string? difference, string what, SourceQuery q)
    {
        if (difference is not null)
        {
            throw new InvalidOperationException($"{what} differs from the brute-force scan for {q.Source} ({q.Latitude}, {q.Longitude}) r={q.RadiusKm}: {difference}");
        }
    }

    private static long Heap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static double Arg(string[] args, string name, double fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }
}
