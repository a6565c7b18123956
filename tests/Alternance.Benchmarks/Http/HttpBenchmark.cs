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
/// [--duration 15] [--warmup 5] [--rounds 5] [--concurrency 32] [--routes jobs,formations]</c>. Each side is measured for
/// --duration seconds in --rounds slices, the two sides alternating.</para>
/// </summary>
public static class HttpBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        string url = Option(args, "--url", "http://localhost:8080").TrimEnd('/');
        int duration = int.Parse(Option(args, "--duration", "15"), CultureInfo.InvariantCulture);
        int warmup = int.Parse(Option(args, "--warmup", "5"), CultureInfo.InvariantCulture);
        int concurrency = int.Parse(Option(args, "--concurrency", "32"), CultureInfo.InvariantCulture);
        int radius = int.Parse(Option(args, "--radius", "30"), CultureInfo.InvariantCulture);
        // The measured time of each side is cut into this many slices, search and pre-built body alternating.
        int rounds = Math.Max(1, int.Parse(Option(args, "--rounds", "5"), CultureInfo.InvariantCulture));
        var slices = new List<string>();
        // Which search routes to measure (comma-separated): a change to one route is measured faster alone.
        string[] routes = Option(args, "--routes", "jobs,formations").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (string route in routes)
        {
            if (route is not ("jobs" or "formations"))
            {
                Console.Error.WriteLine($"--routes takes jobs and/or formations, not '{route}'.");
                return 1;
            }
        }

        using var client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = concurrency,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            AutomaticDecompression = DecompressionMethods.None,
        }) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };

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

        ReferenceData reference = ReferenceData.Load();
        var rng = new Random(BenchmarkRequests.Seed);
        string[] Queries(string path) => [.. BenchmarkRequests.Draw(reference, rng, 2000).Select(r =>
            $"{path}?caller=benchmark&romes={string.Join(',', r.Romes)}&latitude={r.Place.Latitude.ToString(CultureInfo.InvariantCulture)}"
            + $"&longitude={r.Place.Longitude.ToString(CultureInfo.InvariantCulture)}&radius={radius}&insee={r.Place.Insee}")];

        Console.WriteLine($"HTTP benchmark against {url}: {concurrency} concurrent requests, {warmup} s warm-up, {duration} s measured per side "
            + $"in {rounds} alternating slices, radius {radius} km, 1-3 ROME codes.");
        Console.WriteLine($"Client and server share this machine ({Environment.ProcessorCount} logical CPUs).");
        Console.WriteLine();
        // CPU per request (the server's from its /metrics, this client's own) is steadier than throughput on a shared machine.
        Console.WriteLine("| route | requests/s | p50 ms | p99 ms | mean body bytes | server CPU ms/request | client CPU ms/request | errors |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (string route in routes)
        {
            string path = "/api/v1/" + route;
            string[] queries = Queries(path);
            // The warm-up's answers size the pre-built body.
            Result warm = await Measure(client, queries, concurrency, warmup, measured: false);
            int bytes = (int)Math.Round(warm.MeanBytes);
            string[] statics = [$"/__benchmarks/static?bytes={bytes}"];
            await Measure(client, statics, concurrency, Math.Max(1, warmup / 2), measured: false);
            // Search and pre-built body take turns in short slices, so that both see the same machine: on a shared host
            // the load drifts over seconds, and one long run of each put the drift into the ratio.
            var search = new List<Result>(rounds);
            var floor = new List<Result>(rounds);
            double slice = (double)duration / rounds;
            // Each slice runs unmeasured for a moment first, so that what the other side left behind (a collection its
            // allocations made due, cold caches) is not counted against this one.
            double settle = Math.Min(1, slice / 4);
            for (int r = 0; r < rounds; r++)
            {
                await Measure(client, queries, concurrency, settle, measured: false);
                search.Add(await Measure(client, queries, concurrency, slice, measured: true));
                await Measure(client, statics, concurrency, settle, measured: false);
                floor.Add(await Measure(client, statics, concurrency, slice, measured: true));
            }
            Result s = Result.Combine(search), f = Result.Combine(floor);
            Print(path + " (30 km)", s);
            Print($"pre-built body of {bytes} bytes", f);
            Console.WriteLine($"| ratio search / pre-built | {s.Throughput / f.Throughput:0.00}× | {s.P50 / f.P50:0.0}× | {s.P99 / f.P99:0.0}× | "
                + $"| {Ratio(s.ServerCpuPerRequest, f.ServerCpuPerRequest)} | {Ratio(s.ClientCpuPerRequest, f.ClientCpuPerRequest)} | |");
            var perRound = new double[rounds];
            for (int r = 0; r < rounds; r++) perRound[r] = search[r].Throughput / floor[r].Throughput;
            slices.Add($"{path}: throughput ratio per slice pair {string.Join(", ", perRound.Select(x => x.ToString("0.00", CultureInfo.InvariantCulture)))}");
        }
        Console.WriteLine();
        foreach (string line in slices) Console.WriteLine(line);
        return 0;
    }

    /// <summary>One measured run; <see cref="Combine"/> pools slices (latencies, counts and CPU, not their ratios).</summary>
    private sealed record Result(double[] Latencies, double Seconds, long Bytes, double ServerCpuMs, double ClientCpuMs, long Errors)
    {
        public int Requests => Latencies.Length;
        public double Throughput => Requests / Seconds;
        public double P50 => Percentile(Latencies, 0.50);
        public double P99 => Percentile(Latencies, 0.99);
        public double MeanBytes => Requests == 0 ? 0 : (double)Bytes / Requests;
        public double ServerCpuPerRequest => ServerCpuMs / Requests;
        public double ClientCpuPerRequest => ClientCpuMs / Requests;

        public static Result Combine(List<Result> runs)
        {
            double[] all = [.. runs.SelectMany(r => r.Latencies)];
            Array.Sort(all);
            return new Result(all, runs.Sum(r => r.Seconds), runs.Sum(r => r.Bytes), runs.Sum(r => r.ServerCpuMs),
                runs.Sum(r => r.ClientCpuMs), runs.Sum(r => r.Errors));
        }
    }

    private static void Print(string name, Result r) =>
        Console.WriteLine($"| {name} | {r.Throughput:0} | {r.P50:0.00} | {r.P99:0.00} | {r.MeanBytes:0} | {Cpu(r.ServerCpuPerRequest)} | {Cpu(r.ClientCpuPerRequest)} | {r.Errors} |");

    private static string Cpu(double ms) => double.IsNaN(ms) ? "n/a" : ms.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Ratio(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? "" : $"{a / b:0.0}×";

    /// <summary>The server process's CPU seconds (user + system) from its Prometheus page; NaN when it has none.</summary>
    private static async Task<double> ServerCpuSeconds(HttpClient client)
    {
        try
        {
            string metrics = await client.GetStringAsync("/metrics");
            double total = 0;
            bool found = false;
            foreach (string line in metrics.Split('\n'))
            {
                if (!line.StartsWith("dotnet_process_cpu_time_seconds_total{", StringComparison.Ordinal)) continue;
                total += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
                found = true;
            }
            return found ? total : double.NaN;
        }
        catch (HttpRequestException)
        {
            return double.NaN;
        }
    }

    private static async Task<Result> Measure(HttpClient client, string[] queries, int concurrency, double seconds, bool measured)
    {
        var latencies = new List<double>[concurrency];
        long bytes = 0, errors = 0;
        double serverCpuBefore = measured ? await ServerCpuSeconds(client) : double.NaN;
        TimeSpan clientCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var stop = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(seconds);
        var workers = new Task[concurrency];
        for (int w = 0; w < concurrency; w++)
        {
            int worker = w;
            latencies[w] = new List<double>(100_000);
            workers[w] = Task.Run(async () =>
            {
                int i = worker * 7919;
                var buffer = new byte[64 * 1024];
                while (stop.Elapsed < deadline)
                {
                    string query = queries[i++ % queries.Length];
                    long start = Stopwatch.GetTimestamp();
                    try
                    {
                        using HttpResponseMessage response = await client.GetAsync(query, HttpCompletionOption.ResponseHeadersRead);
                        await using Stream body = await response.Content.ReadAsStreamAsync();
                        long n = 0;
                        int read;
                        while ((read = await body.ReadAsync(buffer)) > 0) n += read;
                        if (!response.IsSuccessStatusCode) Interlocked.Increment(ref errors);
                        Interlocked.Add(ref bytes, n);
                    }
                    catch (Exception)
                    {
                        Interlocked.Increment(ref errors);
                    }
                    latencies[worker].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            });
        }
        await Task.WhenAll(workers);
        double elapsed = stop.Elapsed.TotalSeconds;
        double clientCpu = (Process.GetCurrentProcess().TotalProcessorTime - clientCpuBefore).TotalMilliseconds;
        double serverCpu = measured ? (await ServerCpuSeconds(client) - serverCpuBefore) * 1000 : double.NaN;
        double[] all = [.. latencies.SelectMany(l => l)];
        Array.Sort(all);
        return new Result(all, elapsed, bytes, serverCpu, clientCpu, errors);
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Floor(p * sorted.Length))];

    private static string Option(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
