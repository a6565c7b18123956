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
        long next = 0;
        return await Run(concurrency, seconds, () => search(queries[Interlocked.Increment(ref next) % queries.Length]));
    }

    /// <summary>
    /// <paramref name="concurrency"/> workers, each sending its next search when its last one is answered, for
    /// <paramref name="seconds"/>. A search is timed from the moment its worker decides to send it.
    /// </summary>
    /// <remarks>
    /// Each search starts from the thread pool's global queue (<see cref="Task.Yield"/>), as a request arriving from a
    /// socket does, and its wait there counts in its latency. Started inline instead, a worker whose answer just came
    /// back sends its next search from the top of its thread's local queue (which is LIFO), ahead of the answers of the
    /// other workers already waiting there: a few workers ran back to back while the others waited, which read as a p50
    /// of 0.06 ms and a p99 of 13-15 ms at 16 workers, a measure of the driver's order rather than of the engine (with
    /// the same throughput; the mean latency is set by it).
    /// </remarks>
    public static async Task<LoopRun> Run(int concurrency, double seconds, Func<Task> search)
    {
        var latencies = new List<double>[concurrency];
        var clock = Stopwatch.StartNew();
        var workers = new Task[concurrency];
        for (int w = 0; w < concurrency; w++)
        {
            var mine = latencies[w] = new List<double>(20_000);
            workers[w] = Task.Run(async () =>
            {
                while (clock.Elapsed.TotalSeconds < seconds)
                {
                    long start = Stopwatch.GetTimestamp();
                    await Task.Yield();
                    await search();
                    mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            });
        }
        await Task.WhenAll(workers);
        double elapsed = clock.Elapsed.TotalSeconds;
        double[] all = [.. latencies.SelectMany(l => l)];
        Array.Sort(all);
        return LoopRun.Of(all, elapsed);
    }
}
