using System.Diagnostics;

namespace Alternance.Benchmarks.Engine;

/// <summary>A measured run: throughput and latency percentiles; slices of one side are pooled with <see cref="Combine"/>.</summary>
internal readonly record struct LoopRun(double Qps, double P50, double P99, double[] Latencies, double Seconds)
{
    public static LoopRun Of(double[] sortedLatencies, double seconds) =>
        new(sortedLatencies.Length / seconds, sortedLatencies[sortedLatencies.Length / 2],
            sortedLatencies[Math.Min(sortedLatencies.Length - 1, (int)(sortedLatencies.Length * 0.99))], sortedLatencies, seconds);

    public static LoopRun Combine(List<LoopRun> runs)
    {
        double[] all = [.. runs.SelectMany(r => r.Latencies)];
        Array.Sort(all);
        return Of(all, runs.Sum(r => r.Seconds));
    }
}

/// <summary>The in-process closed-loop load of the engine benchmarks: a fixed number of concurrent workers for a given time.</summary>
internal static class ClosedLoop
{
    public static async Task<LoopRun> Measure<T>(T[] queries, int concurrency, double seconds, Func<T, Task> search, int warmup = 200)
    {
        // Warm-up: JIT, activations, caches.
        for (int i = 0; i < warmup; i++) await search(queries[i % queries.Length]);
        var latencies = new List<double>[concurrency];
        long next = 0;
        var until = Stopwatch.StartNew();
        var workers = new Task[concurrency];
        for (int w = 0; w < concurrency; w++)
        {
            var mine = latencies[w] = new List<double>(100_000);
            workers[w] = Task.Run(async () =>
            {
                while (until.Elapsed.TotalSeconds < seconds)
                {
                    T q = queries[Interlocked.Increment(ref next) % queries.Length];
                    long start = Stopwatch.GetTimestamp();
                    await search(q);
                    mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            });
        }
        await Task.WhenAll(workers);
        double elapsed = until.Elapsed.TotalSeconds;
        double[] all = [.. latencies.SelectMany(l => l)];
        Array.Sort(all);
        return LoopRun.Of(all, elapsed);
    }
}
