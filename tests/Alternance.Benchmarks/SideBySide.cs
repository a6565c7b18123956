using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Alternance.Benchmarks.Engine;

namespace Alternance.Benchmarks;

/// <summary>A system under measure in a side-by-side run: how it answers search <c>i</c>, what its servers' CPU time is (0 when in-process).</summary>
internal sealed class Contender(string name, string load, string memory, Func<int, Task> search, Func<double> serverCpuSeconds)
{
    public string Name => name;
    public string Load { get; set; } = load;
    public string Memory { get; set; } = memory;
    public Func<int, Task> Search => search;
    public Func<double> ServerCpuSeconds => serverCpuSeconds;
    /// <summary>The next search: each contender walks the whole list across its slices.</summary>
    public long Cursor;
    public readonly List<LoopRun>[] Runs = [.. SideBySide.Concurrencies.Select(_ => new List<LoopRun>())];
    public readonly double[] CpuMs = new double[SideBySide.Concurrencies.Length];
    public LoopRun Result(int c) => LoopRun.Combine(Runs[c]);
    public double CpuPerQuery(int c) => CpuMs[c] / Runs[c].Sum(r => r.Latencies.Length);
}

/// <summary>
/// Several systems measured on the same searches in alternated slices (on a shared machine the load drifts over seconds:
/// taking turns puts every contender under the same drift), at 1 and 16 concurrent clients, with the CPU time every
/// process involved spent per query; and the table the runs append to <c>docs/BENCHMARKS.md</c>.
/// </summary>
internal static class SideBySide
{
    public static readonly int[] Concurrencies = [1, 16];

    /// <summary>Each contender and concurrency for <paramref name="seconds"/>, cut into <paramref name="rounds"/> slices taken in turn.</summary>
    public static async Task Measure(List<Contender> contenders, int queryCount, double seconds, int rounds)
    {
        double slice = seconds / rounds;
        foreach (Contender c in contenders) await Slice(c, Concurrencies[^1], Math.Min(2, slice), queryCount); // warm-up
        for (int round = 0; round < rounds; round++)
        {
            for (int k = 0; k < Concurrencies.Length; k++)
            {
                foreach (Contender c in contenders)
                {
                    await Slice(c, Concurrencies[k], Math.Min(0.5, slice / 4), queryCount); // what the previous one left behind
                    double cpuBefore = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds + c.ServerCpuSeconds();
                    LoopRun run = await Slice(c, Concurrencies[k], slice, queryCount);
                    c.CpuMs[k] += (Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds + c.ServerCpuSeconds() - cpuBefore) * 1000;
                    c.Runs[k].Add(run);
                }
            }
            Console.WriteLine($"  round {round + 1}/{rounds}: {string.Join(", ", contenders.Select(c => $"{c.Name} {c.Runs[^1][^1].Qps:N0} q/s"))} ({Concurrencies[^1]} clients); load {LoadAverage()}");
        }
    }

    private static Task<LoopRun> Slice(Contender c, int concurrency, double seconds, int queryCount) =>
        ClosedLoop.Run(concurrency, seconds, () => c.Search((int)(Interlocked.Increment(ref c.Cursor) % queryCount)));

    /// <summary>
    /// One row per contender. <paramref name="firstOverThis"/>: the ratio column is the first contender's rate over this
    /// one's (how many times faster ours is than a peer); otherwise this one's over the first's (scale 10 against 1).
    /// </summary>
    public static void Table(StringBuilder table, List<Contender> contenders, string note, bool firstOverThis)
    {
        Contender first = contenders[0];
        string ratioHeader = firstOverThis ? "ours ÷ this, q/s at 1 / 16 | this p99 ÷ ours (16)" : "this ÷ first, q/s at 1 / 16 | this p99 ÷ first's (16)";
        table.AppendLine($"| system | load | memory | q/s, 1 client | p50 ms | p99 ms | q/s, 16 clients | p50 ms | p99 ms | CPU ms/query (16) | {ratioHeader} |");
        table.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (Contender c in contenders)
        {
            LoopRun one = c.Result(0), many = c.Result(1);
            LoopRun firstOne = first.Result(0), firstMany = first.Result(1);
            string ratio = c == first ? "1" : firstOverThis
                ? string.Create(CultureInfo.InvariantCulture, $"{firstOne.Qps / one.Qps:0.00}× / {firstMany.Qps / many.Qps:0.00}×")
                : string.Create(CultureInfo.InvariantCulture, $"{one.Qps / firstOne.Qps:0.00}× / {many.Qps / firstMany.Qps:0.00}×");
            string p99 = c == first ? "1" : string.Create(CultureInfo.InvariantCulture, $"{many.P99 / firstMany.P99:0.0}×");
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| {c.Name} | {c.Load} | {c.Memory} | {one.Qps:N0} | {one.P50:0.00} | {one.P99:0.00} | {many.Qps:N0} | {many.P50:0.00} | {many.P99:0.00} | {c.CpuPerQuery(1):0.000} | {ratio} | {p99} |");
        }
        table.AppendLine();
        table.AppendLine(note);
        table.AppendLine();
    }

    public static string Machine()
    {
        string model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        string memory = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal", StringComparison.Ordinal));
        long kb = long.Parse(memory.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return $"{Environment.ProcessorCount} × {model}, {kb / 1048576.0:0} GiB RAM, {RuntimeInformation.OSDescription}";
    }

    /// <summary>How this process collects garbage, as the GC reports it: server or workstation, and whether DATAS (the
    /// server GC's dynamic adaptation, on by default) runs. The API and silo processes it starts run the same settings.</summary>
    public static string GarbageCollector()
    {
        string datas = GC.GetConfigurationVariables().TryGetValue("GCDynamicAdaptationMode", out object? mode)
            ? (Convert.ToInt64(mode, CultureInfo.InvariantCulture) == 1 ? "DATAS on" : "DATAS off") : "DATAS unknown";
        return $"{(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC, {datas}";
    }

    /// <summary>The 1, 5 and 15 minute load averages.</summary>
    public static string LoadAverage() => string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    /// <summary>The managed heap after full, compacting collections.</summary>
    public static long Heap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>Appends a run's section to the benchmarks page (with its preamble when the page is new).</summary>
    public static async Task AppendAsync(string path, string section)
    {
        bool exists = File.Exists(path);
        await File.AppendAllTextAsync(path, (exists ? "\n" : Preamble) + section);
        Console.WriteLine($"appended to {path}");
    }

    /// <summary>Opens the page when a run is the first (the page in the repository says more: how each run is made).</summary>
    private const string Preamble = """
        # Benchmarks: the engine beside its peers, and at scale

        One section per run, appended by the benchmark that made it (newest last).


        """;
}
