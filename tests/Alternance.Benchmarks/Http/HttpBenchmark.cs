using System.Diagnostics;
using System.Globalization;
using System.Net;
using Alternance.Data;

namespace Alternance.Benchmarks.Http;

/// <summary>
/// <c>http</c> mode: HTTP throughput and latency of <c>/api/v1/jobs</c> and <c>/api/v1/formations</c> on a running API
/// (the bundled dataset, 30 km, 1–3 ROME codes around populous communes), next to the same server answering a
/// pre-built body of the same size (<c>/__benchmarks/static</c>, mapped when the server runs with
/// <c>Benchmarks:Enabled=true</c>). The ratio tells what a search costs over the HTTP floor. Each run also reports the CPU
/// time per request of the server (read from its <c>/metrics</c>) and of this client: on a shared machine these move
/// less than throughput does.
/// <para>Start the server: <c>dotnet run -c Release --project api -- --Benchmarks:Enabled=true --RateLimiting:Enabled=false</c>;
/// then: <c>dotnet run -c Release --project tests/Alternance.Benchmarks -- http [--url http://localhost:8080]
/// [--duration 15] [--warmup 5] [--rounds 5] [--concurrency 32] [--routes jobs,formations] [--mix peers] [--client lean|httpclient] [--encodings identity,gzip,br]</c>. Each side is measured for
/// --duration seconds in --rounds slices, the two sides alternating.</para>
/// </summary>
public static class HttpBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        string url = HttpLoad.Option(args, "--url", "http://localhost:8080").TrimEnd('/');
        int duration = int.Parse(HttpLoad.Option(args, "--duration", "15"), CultureInfo.InvariantCulture);
        int warmup = int.Parse(HttpLoad.Option(args, "--warmup", "5"), CultureInfo.InvariantCulture);
        int concurrency = int.Parse(HttpLoad.Option(args, "--concurrency", "32"), CultureInfo.InvariantCulture);
        int radius = int.Parse(HttpLoad.Option(args, "--radius", "30"), CultureInfo.InvariantCulture);
        // The measured time of each side is cut into this many slices, search and pre-built body alternating.
        int rounds = Math.Max(1, int.Parse(HttpLoad.Option(args, "--rounds", "5"), CultureInfo.InvariantCulture));
        // --mix peers: the peers benchmark's /jobs searches (offres + lba, 10–100 km, the same 10,000 URLs) instead of the
        // 30 km three-source ones; what the HTTP target of docs/BENCHMARKS.md is measured on, without starting the peers.
        bool peersMix = HttpLoad.Option(args, "--mix", "") == "peers";
        var slices = new List<string>();
        // Which search routes to measure (comma-separated): a change to one route is measured faster alone.
        string[] routes = HttpLoad.Option(args, "--routes", "jobs,formations").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (string route in routes)
        {
            if (route is not ("jobs" or "formations"))
            {
                Console.Error.WriteLine($"--routes takes jobs and/or formations, not '{route}'.");
                return 1;
            }
        }

        using HttpClient client = HttpLoad.Client(url, concurrency);
        // --client httpclient: the load through HttpClient rather than the lean LoadClient (which costs the shared cores less).
        bool viaHttpClient = HttpLoad.Option(args, "--client", "lean") == "httpclient";
        using var lean = new LoadClient(url);
        LoadRequests Requests(string[] paths) => viaHttpClient ? LoadRequests.Of(client, paths) : LoadRequests.Of(lean, paths);

        using (HttpResponseMessage ready = await client.GetAsync("/health/ready"))
        {
            if (!ready.IsSuccessStatusCode)
            {
                Console.Error.WriteLine($"{url}/health/ready answered {(int)ready.StatusCode}: start the API and wait for its dataset.");
                return 1;
            }
        }
        using (HttpResponseMessage probe = await client.GetAsync("/__benchmarks/static?bytes=100"))
        {
            if (!probe.IsSuccessStatusCode)
            {
                Console.Error.WriteLine("The server does not serve /__benchmarks/static: start it with --Benchmarks:Enabled=true.");
                return 1;
            }
        }


        Console.WriteLine($"HTTP benchmark against {url}: {concurrency} concurrent requests, {warmup} s warm-up, {duration} s measured per side "
            + $"in {rounds} alternating slices, radius {radius} km, 1-3 ROME codes.");
        Console.WriteLine($"Client ({(viaHttpClient ? "HttpClient" : "the lean load client")}) and server share this machine ({Environment.ProcessorCount} logical CPUs).");
        Console.WriteLine();
        // CPU per request (the server's from its /metrics, this client's own) is steadier than throughput on a shared machine.
        Console.WriteLine("| route | requests/s | p50 ms | p99 ms | mean body bytes | server CPU ms/request | client CPU ms/request | errors |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (string route in routes)
        {
            string path = "/api/v1/" + route;
            string[] paths = peersMix && route == "jobs"
                ? [.. Peers.PeerWorkload.Create(ReferenceData.Load(), 1, 10_000, seed: 17).Queries.Select(Peers.PeerWorkload.Url)]
                : HttpLoad.Queries(path, radius);
            LoadRequests queries = Requests(paths);
            // The warm-up's answers size the pre-built body.
            LoadResult warm = await HttpLoad.Measure(queries, concurrency, warmup);
            int bytes = (int)Math.Round(warm.MeanBytes);
            LoadRequests statics = Requests([$"/__benchmarks/static?bytes={bytes}"]);
            await HttpLoad.Measure(statics, concurrency, Math.Max(1, warmup / 2));
            // Search and pre-built body take turns in short slices, so that both see the same machine: on a shared host
            // the load drifts over seconds, and one long run of each put the drift into the ratio.
            var search = new List<LoadResult>(rounds);
            var floor = new List<LoadResult>(rounds);
            double slice = (double)duration / rounds;
            // Each slice runs unmeasured for a moment first, so that what the other side left behind (a collection its
            // allocations made due, cold caches) is not counted against this one.
            double settle = Math.Min(1, slice / 4);
            for (int r = 0; r < rounds; r++)
            {
                await HttpLoad.Measure(queries, concurrency, settle);
                search.Add(await HttpLoad.Measure(queries, concurrency, slice, () => HttpLoad.PrometheusCpuSeconds(client)));
                await HttpLoad.Measure(statics, concurrency, settle);
                floor.Add(await HttpLoad.Measure(statics, concurrency, slice, () => HttpLoad.PrometheusCpuSeconds(client)));
            }
            LoadResult s = LoadResult.Combine(search), f = LoadResult.Combine(floor);
            Print(path + (peersMix && route == "jobs" ? " (peers' mix)" : " (30 km)"), s);
            Print($"pre-built body of {bytes} bytes", f);
            Console.WriteLine($"| ratio search / pre-built | {s.Throughput / f.Throughput:0.00}× | {s.P50 / f.P50:0.0}× | {s.P99 / f.P99:0.0}× | "
                + $"| {Ratio(s.ServerCpuPerRequest, f.ServerCpuPerRequest)} | {Ratio(s.ClientCpuPerRequest, f.ClientCpuPerRequest)} | |");
            var perRound = new double[rounds];
            for (int r = 0; r < rounds; r++) perRound[r] = search[r].Throughput / floor[r].Throughput;
            slices.Add($"{path}: throughput ratio per slice pair {string.Join(", ", perRound.Select(x => x.ToString("0.00", CultureInfo.InvariantCulture)))}");
        }
        Console.WriteLine();
        foreach (string line in slices) Console.WriteLine(line);

        // --encodings identity,gzip,br: the same searches asking for each content coding in turn (slices alternating).
        string[] encodings = HttpLoad.Option(args, "--encodings", "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (encodings.Length > 0)
        {
            Console.WriteLine();
            Console.WriteLine("| route | Accept-Encoding | requests/s | p50 ms | p99 ms | mean body bytes | server CPU ms/request | errors |");
            Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
            foreach (string route in routes)
            {
                string[] queries = HttpLoad.Queries("/api/v1/" + route, radius);
                var clients = encodings.Select(e => HttpLoad.Client(url, concurrency, e == "identity" ? null : e)).ToArray();
                var results = encodings.Select(_ => new List<LoadResult>(rounds)).ToArray();
                double slice = (double)duration / rounds;
                foreach (HttpClient c in clients) await HttpLoad.Measure(c, queries, concurrency, Math.Max(1, warmup / 2));
                for (int r = 0; r < rounds; r++)
                {
                    for (int e = 0; e < encodings.Length; e++)
                    {
                        await HttpLoad.Measure(clients[e], queries, concurrency, Math.Min(1, slice / 4));
                        results[e].Add(await HttpLoad.Measure(clients[e], queries, concurrency, slice, () => HttpLoad.PrometheusCpuSeconds(client)));
                    }
                }
                for (int e = 0; e < encodings.Length; e++)
                {
                    LoadResult x = LoadResult.Combine(results[e]);
                    Console.WriteLine($"| /api/v1/{route} | {encodings[e]} | {x.Throughput:0} | {x.P50:0.00} | {x.P99:0.00} | {x.MeanBytes:0} | {LoadResult.Cpu(x.ServerCpuPerRequest)} | {x.Errors} |");
                }
                foreach (HttpClient c in clients) c.Dispose();
            }
        }
        return 0;
    }

    private static void Print(string name, LoadResult r) =>
        Console.WriteLine($"| {name} | {r.Throughput:0} | {r.P50:0.00} | {r.P99:0.00} | {r.MeanBytes:0} | {LoadResult.Cpu(r.ServerCpuPerRequest)} | {LoadResult.Cpu(r.ClientCpuPerRequest)} | {r.Errors} |");

    private static string Ratio(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? "" : $"{a / b:0.0}×";
}
