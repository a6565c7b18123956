using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Alternance.Benchmarks.Engine;
using Alternance.Benchmarks.Http;
using Alternance.Data;
using Alternance.Search;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Alternance.Benchmarks.Peers;

/// <summary>
/// <c>peers</c> mode: the engine side by side with what a user would pick instead — PostgreSQL + PostGIS and Redis GEO,
/// each in its tuned layout — and a plain in-process grid, on the same items (the bundled dataset's national offers
/// and companies) and the same searches (<see cref="PeerWorkload"/>). Every answer of a checked sample must be
/// identical (ids, order, distances) to the engine's, or the run stops. Then, in alternated slices: throughput at 1
/// and 16 concurrent clients, p50/p99, CPU per query of every process involved; load time and memory. Two levels: the
/// engine called in-process (the silo co-hosted here) against the stores' clients, and the public API
/// (<c>/api/v1/jobs</c> and its JSON, the embedded default started as a process) against the same store clients
/// returning bare ids.
/// <para><c>tests/Alternance.Benchmarks/peers.sh</c> installs and starts the stores and runs this mode:
/// <c>peers --postgres CONNSTRING --redis HOST:PORT [--scale 1] [--queries 10000] [--check 200] [--seconds 6] [--rounds 3]
/// [--no-http] [--append docs/BENCHMARKS.md] [--command TEXT]</c>.</para>
/// </summary>
public static class PeersBenchmark
{
        public static async Task<int> RunAsync(string[] args)
    {
        double scale = Number(args, "--scale", 1);
        int queryCount = (int)Number(args, "--queries", 10_000);
        int checkCount = (int)Number(args, "--check", 200);
        double seconds = Number(args, "--seconds", 6);
        int rounds = Math.Max(1, (int)Number(args, "--rounds", 3));
        string? postgres = HttpLoad.Option(args, "--postgres", "") is { Length: > 0 } p ? p : null;
        string? redis = HttpLoad.Option(args, "--redis", "") is { Length: > 0 } r ? r : null;
        bool http = Array.IndexOf(args, "--no-http") < 0;
        string? append = HttpLoad.Option(args, "--append", "") is { Length: > 0 } a ? a : null;
        string command = HttpLoad.Option(args, "--command", "dotnet run -c Release --project tests/Alternance.Benchmarks -- peers " + string.Join(' ', args));

        var report = new StringBuilder();
        string started = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        string loadAtStart = SideBySide.LoadAverage();
        Console.WriteLine($"Peers benchmark: scale {scale}, {queryCount:N0} searches, {checkCount} checked, {seconds} s measured per contender and concurrency in {rounds} alternated slices.");
        Console.WriteLine($"{SideBySide.Machine()}; load average {loadAtStart}.");

        var clock = Stopwatch.StartNew();
        long heapBefore = SideBySide.Heap();
        PeerWorkload workload = PeerWorkload.Create(ReferenceData.Load(), scale, queryCount, seed: 17);
        long items = workload.ItemCount;
        long heapItems = SideBySide.Heap();
        Console.WriteLine($"{items:N0} items ({string.Join(", ", workload.Items.Select(kv => $"{kv.Value.Length:N0} {kv.Key.FeedName()}"))}), {workload.Codes.Length} ROME codes, generated in {clock.Elapsed.TotalSeconds:0.0} s.");
        SourceQuery[][] engineQueries = [.. workload.Queries.Select(workload.EngineQueries)];

        string store = Path.Combine(Path.GetTempPath(), "alternance-peers-" + Guid.NewGuid().ToString("N")[..8]);
        IHost? silo = EngineBenchmark.StartSilo(store);
        Peer? postgis = null, redisPeer = null;
        try
        {
            await silo.StartAsync();
            var engine = silo.Services.GetRequiredService<SearchEngine>();
            clock.Restart();
            var importer = silo.Services.GetRequiredService<FeedImporter>();
            foreach (Source source in PeerWorkload.Sources) await importer.ReplaceAsync(source, workload.Items[source]);
            double engineLoad = clock.Elapsed.TotalSeconds;
            // Cells build their text indexes in the background after a swap; one text search over the sources waits for them.
            await silo.Services.GetRequiredService<TextSearchEngine>().SearchAsync(new TextSearchRequest { Sources = PeerWorkload.Sources, HitsPerPage = 1 });
            long heapEngine = SideBySide.Heap();
            Console.WriteLine($"engine: ingested in {engineLoad:0.0} s (durable on the file store).");

            clock.Restart();
            var grid = new PlainGrid(workload.Items);
            double gridLoad = clock.Elapsed.TotalSeconds;
            long heapGrid = SideBySide.Heap();

            if (postgres is not null)
            {
                postgis = await PostgisPeer.LoadAsync(postgres, workload);
                Console.WriteLine($"PostGIS ({((PostgisPeer)postgis).Version}): loaded in {postgis.LoadSeconds:0.0} s, {await postgis.MemoryAsync()}.");
            }
            if (redis is not null)
            {
                redisPeer = await RedisPeer.LoadAsync(redis, workload);
                Console.WriteLine($"Redis {((RedisPeer)redisPeer).Version}: loaded in {redisPeer.LoadSeconds:0.0} s, {await redisPeer.MemoryAsync()}.");
            }

            // Same answers from everyone, or the figures mean nothing.
            var expected = new PeerAnswer[Math.Min(checkCount, queryCount)];
            var maxDifference = new Dictionary<string, double>();
            for (int i = 0; i < expected.Length; i++)
            {
                SearchOutcome[] outcomes = await engine.SearchAsync(engineQueries[i]);
                expected[i] = new PeerAnswer([.. outcomes.Select(o => o.Error is null ? o.Hits.Select(h => h.Id).ToArray() : throw o.Error)],
                    [.. outcomes.Select(o => o.Hits.Select(h => h.DistanceKm).ToArray())]);
                var byGrid = new PeerAnswer([.. engineQueries[i].Select(q => grid.Search(q).Select(f => f.Item.Id).ToArray())],
                    [.. engineQueries[i].Select(q => grid.Search(q).Select(f => f.DistanceKm).ToArray())]);
                Check("grid", workload.Queries[i], expected[i], byGrid, maxDifference);
                foreach (Peer? peer in new[] { postgis, redisPeer })
                {
                    if (peer is not null) Check(peer.Name, workload.Queries[i], expected[i], await peer.SearchAsync(workload.Queries[i]), maxDifference);
                }
            }
            double meanHits = expected.Average(e => e.Ids.Sum(x => x.Length) / (double)PeerWorkload.Sources.Length);
            Console.WriteLine($"checked {expected.Length} searches: every contender returned the engine's ids in the engine's order "
                + $"({meanHits:0.0} hits per source on average; largest distance difference {string.Join(", ", maxDifference.Select(kv => $"{kv.Key} {kv.Value:0.0e0} km"))}; "
                + $"lists fetched again at a tie: {string.Join(", ", new[] { postgis, redisPeer }.Where(x => x is not null).Select(x => $"{x!.Name} {x.Refetches}"))}).");

            var contenders = new List<Contender>
            {
                new("engine (in-process, co-hosted silo)", $"{engineLoad:0.0} s", $"{(heapEngine - heapBefore) / 1048576.0:N0} MiB heap (records {(heapItems - heapBefore) / 1048576.0:N0} + cells {(heapEngine - heapItems) / 1048576.0:N0}, the import's version-stamped copy of each record included)",
                    i => engine.SearchAsync(engineQueries[i]), () => 0),
                new("plain grid (in-process)", $"{gridLoad:0.0} s", $"{(heapGrid - heapBefore - (heapEngine - heapItems)) / 1048576.0:N0} MiB heap (records {(heapItems - heapBefore) / 1048576.0:N0} + grid {(heapGrid - heapEngine) / 1048576.0:N0})",
                    i => { grid.Search(engineQueries[i][0]); grid.Search(engineQueries[i][1]); return Task.CompletedTask; }, () => 0),
            };
            foreach (Peer? peer in new[] { postgis, redisPeer })
            {
                if (peer is not null) contenders.Add(new(peer.Name, $"{peer.LoadSeconds:0.0} s", await peer.MemoryAsync(), i => peer.SearchAsync(workload.Queries[i]), peer.ServerCpuSeconds));
            }
            await SideBySide.Measure(contenders, queryCount, seconds, rounds);
            string loadEngine = SideBySide.LoadAverage();
            report.AppendLine(CultureInfo.InvariantCulture, $"### Engine level, scale {scale} ({items:N0} items)");
            report.AppendLine();
            SideBySide.Table(report, contenders, $"{expected.Length} searches checked identical (ids, order, distances) before timing.", firstOverThis: true);
            Console.WriteLine();
            Console.Write(report);

            if (http)
            {
                // The engine's silo goes before the API process comes: one engine in memory at a time.
                await silo.StopAsync();
                silo.Dispose();
                silo = null;
                var httpTable = await HttpLevelAsync(workload, expected, new[] { postgis, redisPeer }.OfType<Peer>().ToList(),
                    scale, queryCount, seconds, rounds);
                report.AppendLine(httpTable);
            }

            string loadAtEnd = SideBySide.LoadAverage();
            string header = $"## {started}: peers, scale {scale}\n\n" +
                $"{SideBySide.Machine()}. Load average (1, 5, 15 min) at start {loadAtStart}, after the engine level {loadEngine}, at the end {loadAtEnd}; " +
                $"the benchmark's own processes count in them. {RuntimeInformation.FrameworkDescription}, {SideBySide.GarbageCollector()}; " +
                $"{string.Join(", ", new[] { postgis, redisPeer }.OfType<PostgisPeer>().Select(x => "PostgreSQL " + x.Version))}" +
                $"{string.Join("", new[] { postgis, redisPeer }.OfType<RedisPeer>().Select(x => ", Redis " + x.Version))}, all on loopback.\n\n" +
                $"Command: `{command}`\n\n" +
                $"Searches: {queryCount:N0}, the nearest {PeerWorkload.Limit} national offers and the nearest {PeerWorkload.Limit} companies (what `/api/v1/jobs?sources=offres,lba` asks) " +
                $"around communes drawn by population, radius 10/30/60/100 km at 0.3/0.4/0.2/0.1, 1-3 ROME codes drawn by how many items carry them; " +
                $"{seconds:0} s per contender and concurrency in {rounds} alternated slices. CPU ms/query counts every process involved (this one, the stores' servers, the API process).\n\n";
            Console.WriteLine();
            Console.WriteLine("(load average at the end: " + loadAtEnd + ")");
            if (append is not null)
            {
                await SideBySide.AppendAsync(append, header + report.ToString());
            }
            return 0;
        }
        finally
        {
            if (postgis is not null) await postgis.DisposeAsync();
            if (redisPeer is not null) await redisPeer.DisposeAsync();
            if (silo is not null)
            {
                await silo.StopAsync();
                silo.Dispose();
            }
            try { Directory.Delete(store, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>The public API (<c>/api/v1/jobs</c>, its JSON) against the stores' clients, which return bare ids.</summary>
    private static async Task<string> HttpLevelAsync(PeerWorkload workload, PeerAnswer[] expected, List<Peer> peers, double scale,
        int queryCount, double seconds, int rounds)
    {
        string repository = ServiceProcess.Repository();
        string api = Path.Combine(repository, "api/bin/Release/net10.0/Alternance.Api.dll");
        if (!File.Exists(api)) throw new InvalidOperationException($"{api} is missing: run `dotnet build -c Release` first.");
        string root = Path.Combine(Path.GetTempPath(), "alternance-peers-api-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        int port = ServiceProcess.FreePort();
        var clock = Stopwatch.StartNew();
        var server = ServiceProcess.Start("api", api, root, ["--RateLimiting:Enabled=false", "--Cluster:Dashboard=false", "--Benchmarks:Enabled=true",
            "--Logging:LogLevel:Default=Warning", "--Privacy:EmailKey=" + new string('a', 64), $"--urls=http://127.0.0.1:{port}",
            "--Cluster:Mode=Embedded", "--Cluster:Storage=File", $"--Cluster:StoragePath={Path.Combine(root, "store")}",
            $"--Cluster:SiloPort={ServiceProcess.FreePort()}", $"--Cluster:GatewayPort={ServiceProcess.FreePort()}",
            "--Cluster:ServiceId=peers", "--Cluster:ClusterId=peers", $"--Dataset:Scale={scale.ToString(CultureInfo.InvariantCulture)}"]);
        try
        {
            using HttpClient client = HttpLoad.Client($"http://127.0.0.1:{port}", SideBySide.Concurrencies[^1]);
            await ServiceProcess.WaitReadyAsync(client, server, TimeSpan.FromMinutes(30));
            double ready = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"API process (embedded default, whole bundled dataset at scale {scale}) ready after {ready:0} s.");
            string[] urls = [.. workload.Queries.Select(PeerWorkload.Url)];
            for (int i = 0; i < expected.Length; i++)
            {
                using JsonDocument answer = JsonDocument.Parse(await client.GetStringAsync(urls[i]));
                string[][] ids = [IdsOf(answer.RootElement, "peJobs"), IdsOf(answer.RootElement, "lbaCompanies")];
                for (int s = 0; s < ids.Length; s++)
                {
                    if (!ids[s].SequenceEqual(expected[i].Ids[s], StringComparer.Ordinal))
                    {
                        throw new InvalidOperationException($"{urls[i]}: the API's {PeerWorkload.Sources[s]} ids differ from the engine's ({ids[s].Length} against {expected[i].Ids[s].Length}).");
                    }
                }
            }
            Console.WriteLine($"checked {expected.Length} /api/v1/jobs answers: the engine's ids in the engine's order.");
            long errors = 0;
            // The load comes from the lean client (requests encoded once, bodies counted and dropped): it shares the two
            // cores with the server. The same searches through HttpClient follow, as earlier runs measured them.
            using var lean = new LoadClient($"http://127.0.0.1:{port}");
            LoadRequests searches = LoadRequests.Of(lean, urls), viaHttpClient = LoadRequests.Of(client, urls);
            Func<int, Task> Send(LoadRequests requests) => async i =>
            {
                if (!(await requests.SendAsync(i)).Ok) Interlocked.Increment(ref errors);
            };
            var contenders = new List<Contender>
            {
                new("`/api/v1/jobs` (JSON), embedded default", $"{ready:0} s to ready", $"{server.ResidentBytes / 1048576.0:N0} MiB RSS (whole dataset)",
                    Send(searches), () => server.CpuSeconds),
                new("the same through .NET's HttpClient", "", "", Send(viaHttpClient), () => server.CpuSeconds),
            };
            foreach (Peer peer in peers)
            {
                contenders.Add(new(peer.Name + " (bare ids)", $"{peer.LoadSeconds:0.0} s", await peer.MemoryAsync(), i => peer.SearchAsync(workload.Queries[i]), peer.ServerCpuSeconds));
            }
            // Every URL once (each item's JSON written once), then the measured slices.
            long bodyBytes = 0;
            await Parallel.ForEachAsync(urls, new ParallelOptions { MaxDegreeOfParallelism = SideBySide.Concurrencies[^1] }, async (url, ct) =>
            {
                byte[] body = await client.GetByteArrayAsync(url, ct);
                Interlocked.Add(ref bodyBytes, body.Length);
            });
            // The server's floor for answers of that size: the same process sending a pre-built body of the mean size
            // (no search, no JSON writing). What no JSON answer of this size can beat on this machine.
            int meanBody = (int)(bodyBytes / urls.Length);
            string floorUrl = $"/__benchmarks/static?bytes={meanBody}";
            Func<int, Task> floor = Send(LoadRequests.Of(lean, [floorUrl]));
            contenders.Insert(1, new($"HTTP floor: a pre-built body of the answers' mean size ({meanBody / 1024.0:N0} KB), same process", "", "",
                _ => floor(0), () => server.CpuSeconds));
            // How many of the API's results the front wrote from the item JSON it keeps, during the measured slices.
            string[] counters = ["hits", "misses", "declined", "no_room"];
            var before = new double[counters.Length];
            for (int c = 0; c < counters.Length; c++) before[c] = await HttpLoad.PrometheusSum(client, $"alternance_renderings_{counters[c]}_total");
            await SideBySide.Measure(contenders, queryCount, seconds, rounds);
            var during = new double[counters.Length];
            for (int c = 0; c < counters.Length; c++) during[c] = await HttpLoad.PrometheusSum(client, $"alternance_renderings_{counters[c]}_total") - before[c];
            double hits = during[0], misses = during[1];
            string renderings = hits + misses > 0
                ? $" During the measured slices {100 * hits / (hits + misses):0.0} % of the API's results came from the item JSON the front keeps ({misses:N0} fetched from their cells and written; " +
                  $"of those, {during[2]:N0} not kept at their first miss and {during[3]:N0} for want of a free segment)."
                : "";
            Console.WriteLine(renderings);
            contenders[0].Memory = $"{server.ResidentBytes / 1048576.0:N0} MiB RSS (whole dataset)";
            if (errors > 0) throw new InvalidOperationException($"{errors} requests to the API process failed during the run.");
            var table = new StringBuilder();
            table.AppendLine(CultureInfo.InvariantCulture, $"### HTTP level, scale {scale}");
            table.AppendLine();
            SideBySide.Table(table, contenders, $"The API process holds the whole bundled dataset (all four sources) and writes each answer's JSON; the stores return ids. {expected.Length} answers checked identical to the engine's. " +
                "The floor row is the same process sending a pre-built body of the answers' mean size: its ratio is how close the search comes to the cost of sending its answer. " +
                "The HTTP load comes from a lean keep-alive client (LoadClient: requests encoded once, bodies counted and dropped), but for the HttpClient row; " +
                "the API process runs on its defaults." + renderings, firstOverThis: true);
            Console.WriteLine();
            Console.Write(table);
            return table.ToString();
        }
        finally
        {
            await server.StopAsync();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    private static string[] IdsOf(JsonElement root, string source)
    {
        JsonElement results = root.GetProperty(source).GetProperty("results");
        var ids = new string[results.GetArrayLength()];
        int i = 0;
        foreach (JsonElement result in results.EnumerateArray()) ids[i++] = result.GetProperty("id").GetString()!;
        return ids;
    }

    private static void Check(string who, PeerQuery q, PeerAnswer expected, PeerAnswer actual, Dictionary<string, double> maxDifference)
    {
        for (int s = 0; s < expected.Ids.Length; s++)
        {
            if (!actual.Ids[s].SequenceEqual(expected.Ids[s], StringComparer.Ordinal))
            {
                int at = 0;
                while (at < Math.Min(actual.Ids[s].Length, expected.Ids[s].Length) && actual.Ids[s][at] == expected.Ids[s][at]) at++;
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"{who} differs from the engine for {PeerWorkload.Sources[s]} at ({q.Latitude}, {q.Longitude}) r={q.RadiusKm} {string.Join(',', q.Romes)}: " +
                    $"{actual.Ids[s].Length} ids against {expected.Ids[s].Length}, first difference at {at}"));
            }
            for (int i = 0; i < expected.DistancesKm[s].Length; i++)
            {
                double d = Math.Abs(actual.DistancesKm[s][i] - expected.DistancesKm[s][i]);
                maxDifference[who] = Math.Max(maxDifference.GetValueOrDefault(who), d);
            }
        }
    }

    private static double Number(string[] args, string name, double fallback) =>
        double.Parse(HttpLoad.Option(args, name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
}
