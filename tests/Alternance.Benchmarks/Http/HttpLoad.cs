using System.Diagnostics;
using System.Globalization;
using System.Net;
using Alternance.Data;

namespace Alternance.Benchmarks.Http;

/// <summary>
/// The HTTP load of the <c>http</c> and <c>topology</c> modes: a fixed number of concurrent requests, each worker walking
/// the request list from its own place, for a given time; latencies of every request, bytes, errors, and the CPU time the
/// server side and this client spent meanwhile.
/// </summary>
internal static class HttpLoad
{
    /// <param name="acceptEncoding">Sent as <c>Accept-Encoding</c> (bodies are counted as they come, compressed); none when null.</param>
    public static HttpClient Client(string url, int concurrency, string? acceptEncoding = null)
    {
        var client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = concurrency,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            AutomaticDecompression = DecompressionMethods.None,
        }) { BaseAddress = new Uri(url.TrimEnd('/')), Timeout = TimeSpan.FromSeconds(30) };
        if (acceptEncoding is not null) client.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        return client;
    }

    /// <summary>The search requests of every HTTP benchmark, as URLs of <paramref name="path"/> (30 km by default).</summary>
    public static string[] Queries(string path, int radius, int count = 2000)
    {
        ReferenceData reference = ReferenceData.Load();
        return [.. BenchmarkRequests.Draw(reference, new Random(BenchmarkRequests.Seed), count).Select(r =>
            $"{path}?caller=benchmark&romes={string.Join(',', r.Romes)}&latitude={r.Place.Latitude.ToString(CultureInfo.InvariantCulture)}"
            + $"&longitude={r.Place.Longitude.ToString(CultureInfo.InvariantCulture)}&radius={radius}&insee={r.Place.Insee}")];
    }

    /// <summary>Runs the load for <paramref name="seconds"/>; <paramref name="serverCpuSeconds"/> reads the server side's CPU time (NaN when unknown).</summary>
    public static Task<LoadResult> Measure(HttpClient client, string[] queries, int concurrency, double seconds, Func<Task<double>>? serverCpuSeconds = null) =>
        Measure(LoadRequests.Of(client, queries), concurrency, seconds, serverCpuSeconds);

    /// <inheritdoc cref="Measure(HttpClient, string[], int, double, Func{Task{double}}?)"/>
    public static async Task<LoadResult> Measure(LoadRequests requests, int concurrency, double seconds, Func<Task<double>>? serverCpuSeconds = null)
    {
        var latencies = new List<double>[concurrency];
        long bytes = 0, errors = 0;
        double serverCpuBefore = serverCpuSeconds is null ? double.NaN : await serverCpuSeconds();
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
                while (stop.Elapsed < deadline)
                {
                    long start = Stopwatch.GetTimestamp();
                    try
                    {
                        var (ok, n) = await requests.SendAsync(i++ % requests.Count);
                        if (!ok) Interlocked.Increment(ref errors);
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
        double serverCpu = serverCpuSeconds is null ? double.NaN : (await serverCpuSeconds() - serverCpuBefore) * 1000;
        double[] all = [.. latencies.SelectMany(l => l)];
        Array.Sort(all);
        return new LoadResult(all, elapsed, bytes, serverCpu, clientCpu, errors);
    }

    /// <summary>A server's CPU seconds (user + system) from its Prometheus page; NaN when it has none.</summary>
    public static Task<double> PrometheusCpuSeconds(HttpClient client) => PrometheusSum(client, "dotnet_process_cpu_time_seconds_total");

    /// <summary>The sum of a metric's series on a server's Prometheus page; NaN when it has none.</summary>
    public static async Task<double> PrometheusSum(HttpClient client, string metric)
    {
        try
        {
            string metrics = await client.GetStringAsync("/metrics");
            double total = 0;
            bool found = false;
            foreach (string line in metrics.Split('\n'))
            {
                if (!line.StartsWith(metric, StringComparison.Ordinal) || line.Length == metric.Length || (line[metric.Length] != '{' && line[metric.Length] != ' ')) continue;
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

    public static string Option(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}

/// <summary>
/// The requests a load sends, by index, through the lean <see cref="LoadClient"/> (requests encoded once) or through
/// <see cref="HttpClient"/>; each send answers whether the status was a success and how many body bytes came.
/// </summary>
internal sealed class LoadRequests(int count, Func<int, ValueTask<(bool Ok, long Bytes)>> send)
{
    public int Count => count;

    public ValueTask<(bool Ok, long Bytes)> SendAsync(int i) => send(i);

    public static LoadRequests Of(LoadClient client, string[] paths)
    {
        byte[][] requests = [.. paths.Select(client.Request)];
        return new(requests.Length, async i =>
        {
            LoadClient.Answer answer = await client.SendAsync(requests[i]);
            return (answer.IsSuccess, answer.BodyBytes);
        });
    }

    public static LoadRequests Of(HttpClient client, string[] paths)
    {
        // Bodies are counted and dropped: concurrent sends reading into one buffer spoil nothing (and nothing to dispose).
        var chunk = new byte[64 * 1024];
        return new(paths.Length, async i =>
        {
            using HttpResponseMessage response = await client.GetAsync(paths[i], HttpCompletionOption.ResponseHeadersRead);
            await using Stream body = await response.Content.ReadAsStreamAsync();
            long n = 0;
            int read;
            while ((read = await body.ReadAsync(chunk)) > 0) n += read;
            return (response.IsSuccessStatusCode, n);
        });
    }
}

/// <summary>One measured run; <see cref="Combine"/> pools slices (latencies, counts and CPU, not their ratios).</summary>
internal sealed record LoadResult(double[] Latencies, double Seconds, long Bytes, double ServerCpuMs, double ClientCpuMs, long Errors)
{
    public int Requests => Latencies.Length;
    public double Throughput => Requests / Seconds;
    public double P50 => Percentile(0.50);
    public double P99 => Percentile(0.99);
    public double MeanBytes => Requests == 0 ? 0 : (double)Bytes / Requests;
    public double ServerCpuPerRequest => ServerCpuMs / Requests;
    public double ClientCpuPerRequest => ClientCpuMs / Requests;

    private double Percentile(double p) => Latencies.Length == 0 ? double.NaN : Latencies[Math.Min(Latencies.Length - 1, (int)Math.Floor(p * Latencies.Length))];

    public static LoadResult Combine(List<LoadResult> runs)
    {
        double[] all = [.. runs.SelectMany(r => r.Latencies)];
        Array.Sort(all);
        return new LoadResult(all, runs.Sum(r => r.Seconds), runs.Sum(r => r.Bytes), runs.Sum(r => r.ServerCpuMs),
            runs.Sum(r => r.ClientCpuMs), runs.Sum(r => r.Errors));
    }

    public static string Cpu(double ms) => double.IsNaN(ms) ? "n/a" : ms.ToString("0.000", CultureInfo.InvariantCulture);
}
