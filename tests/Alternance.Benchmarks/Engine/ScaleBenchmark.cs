using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Alternance.Benchmarks.Http;
using Alternance.Data;
using Alternance.Search;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Alternance.Benchmarks.Engine;

/// <summary>
/// <c>scale</c> mode: the bundled dataset at scale 1 and at scale 10 (≈4.75M items) in the same run. Engine level: each
/// scale generated and ingested into its own co-hosted silo in this process (ingest time, managed heap per item: the
/// item records, then what the engine adds), then the API's <c>/jobs</c> request mix (national offers, posted offers and
/// companies; 30 km; 1–3 popular codes around populous communes) against both engines in alternated slices. HTTP level:
/// the embedded default started as a process at each scale on a fresh store (time to ready, resident memory per item),
/// then <c>/api/v1/jobs</c> against both in alternated slices. Targets (issue 17): ingest of 5M items under 60 s,
/// throughput at scale 10 ≥ 0.7× scale 1, ≤ 1.3 KB per item all in.
/// <para>Build first (<c>dotnet build -c Release</c>), then: <c>dotnet run -c Release --project tests/Alternance.Benchmarks --
/// scale [--scales 1,10] [--seconds 9] [--rounds 3] [--no-engine] [--no-http] [--append docs/BENCHMARKS.md]</c>.</para>
/// </summary>
public static class ScaleBenchmark
{
    private static readonly Source[] JobSources = [Source.PeJob, Source.Matcha, Source.Company];

    public static async Task<int> RunAsync(string[] args)
    {
        double[] scales = [.. HttpLoad.Option(args, "--scales", "1,10").Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture))];
        double seconds = double.Parse(HttpLoad.Option(args, "--seconds", "9"), CultureInfo.InvariantCulture);
        int rounds = int.Parse(HttpLoad.Option(args, "--rounds", "3"), CultureInfo.InvariantCulture);
        bool engineLevel = Array.IndexOf(args, "--no-engine") < 0, httpLevel = Array.IndexOf(args, "--no-http") < 0;
        string? append = HttpLoad.Option(args, "--append", "") is { Length: > 0 } a ? a : null;
        string command = "dotnet run -c Release --project tests/Alternance.Benchmarks -- scale " + string.Join(' ', args);
        string started = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        string loadAtStart = SideBySide.LoadAverage();
        Console.WriteLine($"Scale benchmark: scales {string.Join(", ", scales)}, {seconds} s per scale and concurrency in {rounds} alternated slices.");
        Console.WriteLine($"{SideBySide.Machine()}; load average {loadAtStart}.");
        var report = new StringBuilder();
        if (engineLevel) report.Append(await EngineLevelAsync(scales, seconds, rounds));
        string loadMiddle = SideBySide.LoadAverage();
        if (httpLevel) report.Append(await HttpLevelAsync(scales, seconds, rounds));
        string section = $"## {started}: scale {string.Join(" and ", scales)}\n\n" +
            $"{SideBySide.Machine()}. Load average (1, 5, 15 min) at start {loadAtStart}, after the engine level {loadMiddle}, at the end {SideBySide.LoadAverage()}; " +
            $"the benchmark's own processes count in them. {RuntimeInformation.FrameworkDescription}, {SideBySide.GarbageCollector()}.\n\n" +
            $"Command: `{command}`\n\n" +
            "Requests: the API's `/jobs` mix (national offers, posted offers and companies; 30 km; 1-3 popular ROME codes around the 500 most " +
            $"populous communes), {seconds:0} s per scale and concurrency in {rounds} alternated slices. CPU ms/query counts every process involved.\n\n" +
            report;
        Console.WriteLine();
        Console.Write(report);
        if (append is not null) await SideBySide.AppendAsync(append, section);
        return 0;
    }

    private static async Task<string> EngineLevelAsync(double[] scales, double seconds, int rounds)
    {
        ReferenceData reference = ReferenceData.Load();
        var silos = new List<(IHost Host, string Store)>();
        var contenders = new List<Contender>();
        SourceQuery[][] requests = [.. BenchmarkRequests.Draw(reference, new Random(BenchmarkRequests.Seed), 2000)
            .Select(r => JobSources.Select(source => BenchmarkRequests.Query(source, r.Place, r.Romes, 30)).ToArray())];
        var notes = new StringBuilder();
        var engines = new List<(string Name, string Load, string Memory, SearchEngine Engine, int[][] Hits)>();
        try
        {
            foreach (double scale in scales)
            {
                long heapBefore = SideBySide.Heap();
                var clock = Stopwatch.StartNew();
                var generator = new DatasetGenerator(reference, new GeneratorOptions { Scale = scale });
                var items = new Dictionary<Source, SearchItem[]>();
                foreach (Source source in Enum.GetValues<Source>()) items[source] = [.. generator.Items(source)];
                long total = items.Values.Sum(x => (long)x.Length);
                double generated = clock.Elapsed.TotalSeconds;
                long heapItems = SideBySide.Heap();

                string store = Path.Combine(Path.GetTempPath(), "alternance-scale-" + Guid.NewGuid().ToString("N")[..8]);
                IHost host = EngineBenchmark.StartSilo(store);
                silos.Add((host, store));
                await host.StartAsync();
                var importer = host.Services.GetRequiredService<FeedImporter>();
                clock.Restart();
                TimeSpan cpuBefore = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
                var perSource = new List<string>();
                foreach (var (source, list) in items)
                {
                    var sourceClock = Stopwatch.StartNew();
                    await importer.ReplaceAsync(source, list);
                    perSource.Add($"{source.FeedName()} {sourceClock.Elapsed.TotalSeconds:0.0} s");
                }
                double ingest = clock.Elapsed.TotalSeconds;
                double ingestCpu = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
                // Cells build their text indexes in the background after a swap: one France-wide text search waits for them.
                await host.Services.GetRequiredService<TextSearchEngine>().SearchAsync(new TextSearchRequest { Sources = Enum.GetValues<Source>(), HitsPerPage = 1 });
                double ready = clock.Elapsed.TotalSeconds;
                // The benchmark's own arrays go first: the cells hold the same records (in-process calls pass references),
                // except any they replaced with one sharing the silo's strings.
                items.Clear();
                long heapText = SideBySide.Heap();
                double records = (heapItems - heapBefore) / (double)total;
                // Cells start their text indexes during the ingest, so the heap at its end holds part of them: the
                // split between radius and text indexes is not measurable this way, only their sum.
                double engineHeap = (heapText - heapItems) / (double)total;
                Console.WriteLine($"scale {scale}: {total:N0} items generated in {generated:0.0} s, ingested in {ingest:0.0} s, {ingestCpu:0.0} s of CPU ({string.Join(", ", perSource)}), text indexes ready after {ready:0.0} s; "
                    + $"heap per item: records {records:N0} B, engine (radius and text indexes, locators) {engineHeap:N0} B; load {SideBySide.LoadAverage()}");
                notes.AppendLine(CultureInfo.InvariantCulture,
                    $"- scale {scale}: {total:N0} items; generated in {generated:0.0} s; ingested (durable, file store) in {ingest:0.0} s = {total / ingest:N0} items/s, {ingestCpu:0.0} s of CPU on {Environment.ProcessorCount} cores ({string.Join(", ", perSource)}); " +
                    $"text indexes built {ready - ingest:0.0} s later; managed heap per item: records {records:N0} B + engine (radius and text indexes, locators) {engineHeap:N0} B = {records + engineHeap:N0} B.");
                SearchEngine engine = host.Services.GetRequiredService<SearchEngine>();
                // How big the answers are at this scale: a search costs with its hits, and at a larger scale more of the
                // 30 km circles hold the full limit of each source.
                long hits = 0;
                var hitsPerRequest = new int[requests.Length][];
                for (int r = 0; r < requests.Length; r++)
                {
                    SearchOutcome[] outcomes = await engine.SearchAsync(requests[r]);
                    hitsPerRequest[r] = [.. outcomes.Select(o => o.Hits.Length)];
                    hits += hitsPerRequest[r].Sum();
                }
                // What a search allocates (the engine's hit lists, grain messages, tasks): the work the GC does per search.
                long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                foreach (SourceQuery[] request in requests) await engine.SearchAsync(request);
                double allocated = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (double)requests.Length;
                notes.AppendLine(CultureInfo.InvariantCulture,
                    $"- scale {scale}: {hits / (double)requests.Length:0} hits per search on average (the {JobSources.Length} sources' answers together); {allocated:N0} B allocated per search (one at a time, whole process).");
                string name = $"engine, scale {scale} ({total:N0} items)", load = $"{ingest:0.0} s", memory = $"{(records + engineHeap):N0} B/item heap";
                contenders.Add(new Contender(name, load, memory, i => engine.SearchAsync(requests[i]), () => 0));
                engines.Add((name, load, memory, engine, hitsPerRequest));
            }
            await SideBySide.Measure(contenders, requests.Length, seconds, rounds);
            var table = new StringBuilder();
            table.AppendLine("### Engine level (in-process, one co-hosted silo per scale)");
            table.AppendLine();
            table.Append(notes);
            table.AppendLine();
            SideBySide.Table(table, contenders, "Both engines live in this process (one managed heap): their figures share its collections.", firstOverThis: false);
            if (engines.Count == 2) table.Append(await SameSizeAnswersAsync(requests, engines, seconds, rounds));
            return table.ToString();
        }
        finally
        {
            foreach (var (host, store) in silos)
            {
                await host.StopAsync();
                host.Dispose();
                try { Directory.Delete(store, recursive: true); } catch (IOException) { }
            }
        }
    }

    /// <summary>
    /// The two scales with answers of the same size: each source's query keeps its scale-1 limit at scale 1 and, at scale
    /// 10, asks for as many hits as it found at scale 1 (the nearest ones; a source that found none is left out at both).
    /// At scale 10 more of the circles hold each source's full limit, so the plain comparison also measures answers twice
    /// as large; this one measures what ten times the data costs a search whose results do not grow.
    /// </summary>
    private static async Task<string> SameSizeAnswersAsync(SourceQuery[][] requests,
        List<(string Name, string Load, string Memory, SearchEngine Engine, int[][] Hits)> engines, double seconds, int rounds)
    {
        int[][] found = engines[0].Hits;
        SourceQuery[][] small = [.. requests.Select((request, r) => request.Where((_, q) => found[r][q] > 0).ToArray())];
        SourceQuery[][] large = [.. requests.Select((request, r) => request.Select((query, q) => query with { Limit = found[r][q] })
            .Where(query => query.Limit > 0).ToArray())];
        double hits = found.Average(h => (double)h.Sum());
        long check = 0;
        foreach (SourceQuery[] request in large)
        {
            foreach (SearchOutcome outcome in await engines[1].Engine.SearchAsync(request)) check += outcome.Hits.Length;
        }
        Console.WriteLine($"same-size answers: {hits:0} hits per search at the smaller scale, {check / (double)large.Length:0} at the larger");
        var contenders = new List<Contender>
        {
            new(engines[0].Name, engines[0].Load, engines[0].Memory, i => engines[0].Engine.SearchAsync(small[i]), () => 0),
            new(engines[1].Name + ", as many hits as the first", engines[1].Load, engines[1].Memory, i => engines[1].Engine.SearchAsync(large[i]), () => 0),
        };
        await SideBySide.Measure(contenders, requests.Length, seconds, rounds);
        var table = new StringBuilder();
        table.AppendLine();
        table.AppendLine(CultureInfo.InvariantCulture,
            $"#### Same-size answers: each source's query at the larger scale asks for as many hits as it found at the smaller ({hits:0} per search at both; {check / (double)large.Length:0} measured)");
        table.AppendLine();
        SideBySide.Table(table, contenders, "The same engines, requests and measure as above; a source that found nothing at the smaller scale is left out at both. This is what the data costs a search whose results do not grow.", firstOverThis: false);
        return table.ToString();
    }

    private static async Task<string> HttpLevelAsync(double[] scales, double seconds, int rounds)
    {
        string api = Path.Combine(ServiceProcess.Repository(), "api/bin/Release/net10.0/Alternance.Api.dll");
        if (!File.Exists(api)) throw new InvalidOperationException($"{api} is missing: run `dotnet build -c Release` first.");
        string root = Path.Combine(Path.GetTempPath(), "alternance-scale-api-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        var servers = new List<ServiceProcess>();
        var clients = new List<HttpClient>();
        var leanClients = new List<LoadClient>();
        var contenders = new List<Contender>();
        string[] urls = HttpLoad.Queries("/api/v1/jobs", 30);
        long errors = 0;
        try
        {
            foreach (double scale in scales)
            {
                string name = "scale-" + scale.ToString(CultureInfo.InvariantCulture);
                int port = ServiceProcess.FreePort();
                var clock = Stopwatch.StartNew();
                var server = ServiceProcess.Start(name, api, root, ["--RateLimiting:Enabled=false", "--Cluster:Dashboard=false",
                    "--Logging:LogLevel:Default=Warning", "--Privacy:EmailKey=" + new string('a', 64), $"--urls=http://127.0.0.1:{port}",
                    "--Cluster:Mode=Embedded", "--Cluster:Storage=File", $"--Cluster:StoragePath={Path.Combine(root, name)}",
                    $"--Cluster:SiloPort={ServiceProcess.FreePort()}", $"--Cluster:GatewayPort={ServiceProcess.FreePort()}",
                    $"--Cluster:ServiceId={name}", $"--Cluster:ClusterId={name}", $"--Dataset:Scale={scale.ToString(CultureInfo.InvariantCulture)}"]);
                servers.Add(server);
                HttpClient client = HttpLoad.Client($"http://127.0.0.1:{port}", SideBySide.Concurrencies[^1]);
                clients.Add(client);
                await ServiceProcess.WaitReadyAsync(client, server, TimeSpan.FromMinutes(30));
                double ready = clock.Elapsed.TotalSeconds;
                long items = DatasetCount(scale);
                // Every request once: cells active, each answer's JSON written once.
                await Parallel.ForEachAsync(urls, new ParallelOptions { MaxDegreeOfParallelism = SideBySide.Concurrencies[^1] }, async (url, ct) =>
                {
                    using HttpResponseMessage response = await client.GetAsync(url, ct);
                    await response.Content.CopyToAsync(Stream.Null, ct);
                });
                Console.WriteLine($"scale {scale}: API process ready after {ready:0} s, {server.ResidentBytes / 1048576.0:N0} MiB resident ({server.ResidentBytes / (double)items:N0} B/item); load {SideBySide.LoadAverage()}");
                var lean = new LoadClient($"http://127.0.0.1:{port}");
                leanClients.Add(lean);
                LoadRequests requests = LoadRequests.Of(lean, urls);
                contenders.Add(new Contender($"`/api/v1/jobs`, scale {scale} ({items:N0} items)", $"{ready:0} s to ready", "",
                    async i =>
                    {
                        if (!(await requests.SendAsync(i)).Ok) Interlocked.Increment(ref errors);
                    }, () => server.CpuSeconds));
            }
            await SideBySide.Measure(contenders, urls.Length, seconds, rounds);
            for (int s = 0; s < scales.Length; s++)
            {
                long items = DatasetCount(scales[s]);
                contenders[s].Memory = $"{servers[s].ResidentBytes / 1048576.0:N0} MiB RSS = {servers[s].ResidentBytes / (double)items:N0} B/item";
            }
            if (errors > 0) throw new InvalidOperationException($"{errors} requests failed.");
            var table = new StringBuilder();
            table.AppendLine("### HTTP level (the embedded default, one process per scale, fresh file store)");
            table.AppendLine();
            SideBySide.Table(table, contenders, "Time to ready: from process start to `/health/ready` (dataset generated, ingested durably and warmed). Resident memory after the run, all in (runtime, API, silo, item JSON kept by the front).", firstOverThis: false);
            return table.ToString();
        }
        finally
        {
            foreach (HttpClient client in clients) client.Dispose();
            foreach (LoadClient lean in leanClients) lean.Dispose();
            foreach (ServiceProcess server in servers) await server.StopAsync();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    private static long DatasetCount(double scale)
    {
        var generator = new DatasetGenerator(ReferenceData.Load(), new GeneratorOptions { Scale = scale });
        return (long)generator.FormationCount + generator.PeJobCount + generator.MatchaCount + generator.CompanyCount;
    }
}
