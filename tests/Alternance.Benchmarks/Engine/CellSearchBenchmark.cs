using System.Diagnostics;
using Alternance.Data;
using Alternance.Geo;
using Alternance.Benchmarks.Http;
using Alternance.Grains;
using Alternance.Text;

namespace Alternance.Benchmarks.Engine;

/// <summary>
/// <c>cell</c> mode: the in-cell search alone, single-threaded, on the bundled dataset: the queries of the HTTP benchmark
/// (30 km, 1–3 popular ROME codes, around the 500 most populous communes), each source's index of every cell the
/// circle covers, as the cells would run them. No grain calls, no HTTP: the figure for before/after changes of
/// <c>SourceIndex</c>. With several scales (<c>--scales 1,10</c>) each is built and they are measured in alternated
/// slices; the managed heap the radius indexes (and with <c>--text</c>, the text indexes) take per item is printed, and
/// after the table each source's collections and GC pauses during its slices. With <c>--same-size</c> each query at the
/// later scales asks for as many hits as its cells found at the first (as the <c>scale</c> mode's same-size table): what
/// the data costs a search whose results do not grow.
/// <c>dotnet run -c Release --project tests/Alternance.Benchmarks -- cell [--seconds 3] [--radius 30] [--source companies] [--scales 1] [--rounds 3] [--text] [--same-size]</c>
/// </summary>
public static class CellSearchBenchmark
{
    public static Task<int> RunAsync(string[] args)
    {
        double seconds = double.Parse(Option(args, "--seconds", "3"), System.Globalization.CultureInfo.InvariantCulture);
        double radius = double.Parse(Option(args, "--radius", "30"), System.Globalization.CultureInfo.InvariantCulture);
        double[] scales = [.. Option(args, "--scales", "1").Split(',').Select(x => double.Parse(x, System.Globalization.CultureInfo.InvariantCulture))];
        int rounds = int.Parse(Option(args, "--rounds", "3"), System.Globalization.CultureInfo.InvariantCulture);
        bool text = Array.IndexOf(args, "--text") >= 0;
        bool sameSize = Array.IndexOf(args, "--same-size") >= 0;
        string only = Option(args, "--source", "");
        ReferenceData reference = ReferenceData.Load();
        Console.WriteLine($"In-cell search, one thread, {radius} km, the HTTP benchmark's queries ({Environment.ProcessorCount} cores, machine shared; {SideBySide.GarbageCollector()}; load {SideBySide.LoadAverage()})");
        var work = new List<(SourceIndex Index, SourceQuery Query)>[scales.Length, Sources.Count];
        var keep = new List<object>();
        var firstFound = new Dictionary<(int Request, Source Source), int>();
        for (int k = 0; k < scales.Length; k++)
        {
            var generator = new DatasetGenerator(reference, new GeneratorOptions { Scale = scales[k] });
            var items = new List<SearchItem[]>();
            foreach (Source source in Enum.GetValues<Source>()) items.Add([.. generator.Items(source)]);
            long total = items.Sum(x => (long)x.Length);
            long heapItems = SideBySide.Heap();
            var indexes = new Dictionary<(Source, ulong), SourceIndex>();
            var build = Stopwatch.StartNew();
            TimeSpan buildCpu = Process.GetCurrentProcess().TotalProcessorTime;
            foreach (SearchItem[] sourceItems in items)
            {
                var byCell = new Dictionary<ulong, List<SearchItem>>();
                foreach (SearchItem item in sourceItems)
                {
                    ulong cell = H3.LatLngToCell(item.Latitude, item.Longitude, CellKeys.Resolution);
                    if (!byCell.TryGetValue(cell, out List<SearchItem>? list)) byCell[cell] = list = [];
                    list.Add(item);
                }
                foreach (var (cell, list) in byCell) indexes[(sourceItems[0].Source, cell)] = new SourceIndex(sourceItems[0].Source, list, (long)cell);
            }
            double buildSeconds = build.Elapsed.TotalSeconds, buildCpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - buildCpu).TotalSeconds;
            long heapIndexes = SideBySide.Heap();
            string memory = $"radius indexes {(heapIndexes - heapItems) / (double)total:N0} B/item, built in {buildSeconds:0.00} s ({buildCpuSeconds:0.00} s of CPU, one thread, cells found by H3 included)";
            if (text)
            {
                var analyzer = new TextAnalyzer();
                keep.Add(indexes.Select(kv => new TextIndex(kv.Value, analyzer, (long)kv.Key.Item2)).ToList());
                memory += $", text indexes {(SideBySide.Heap() - heapIndexes) / (double)total:N0} B/item";
            }
            keep.Add(indexes);
            Console.WriteLine($"scale {scales[k]}: {total:N0} items in {indexes.Count} (source, cell) indexes; {memory}");

            for (int s = 0; s < Sources.Count; s++) work[k, s] = [];
            int request = 0;
            foreach (var (place, romes) in BenchmarkRequests.Draw(reference, new Random(BenchmarkRequests.Seed), 2000))
            {
                foreach (Source source in Enum.GetValues<Source>())
                {
                    SourceQuery query = BenchmarkRequests.Query(source, place, romes, radius);
                    ulong[] cover = H3.CoverCircle(place.Latitude, place.Longitude, radius, CellKeys.Resolution);
                    if (k == 0 && sameSize)
                    {
                        int found = 0;
                        foreach (ulong cell in cover)
                        {
                            if (indexes.TryGetValue((source, cell), out SourceIndex? index)) found += index.Search(query).Length;
                        }
                        firstFound[(request, source)] = Math.Min(found, query.Limit);
                        // Left out at both scales when it found nothing, as in the scale mode.
                        if (found == 0) continue;
                    }
                    else if (sameSize)
                    {
                        // The merged answer keeps at most the limit: as many as the first scale's cells found together.
                        query = query with { Limit = firstFound[(request, source)] };
                        if (query.Limit == 0) continue;
                    }
                    foreach (ulong cell in cover)
                    {
                        if (indexes.TryGetValue((source, cell), out SourceIndex? index)) work[k, (int)source].Add((index, query));
                    }
                }
                request++;
            }
        }

        // A full collection now, so that the background one the build's allocations start does not run beside the first slices.
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
        Console.WriteLine();
        Console.WriteLine("| source | scale | cell searches/s | µs per cell search | CPU µs per cell search | hits per cell search | B allocated per cell search | CPU µs ÷ first scale's |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        var collections = new List<string>();
        foreach (Source source in Enum.GetValues<Source>())
        {
            if (only.Length > 0 && only != source.FeedName()) continue;
            var done = new long[scales.Length];
            var hits = new long[scales.Length];
            var elapsed = new double[scales.Length];
            var cpu = new double[scales.Length];
            var allocated = new long[scales.Length];
            for (int k = 0; k < scales.Length; k++)
            {
                var list = work[k, (int)source];
                for (int i = 0; i < Math.Min(list.Count, 500); i++) list[i].Index.Search(list[i].Query);
            }
            // Collections and pauses over the source's slices: the scales share one heap, so these are not per scale.
            int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
            TimeSpan paused = GC.GetTotalPauseDuration();
            for (int r = 0; r < rounds; r++)
            {
                for (int k = 0; k < scales.Length; k++)
                {
                    var list = work[k, (int)source];
                    long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
                    double cpuBefore = ThreadCpuSeconds();
                    var clock = Stopwatch.StartNew();
                    while (clock.Elapsed.TotalSeconds < seconds / rounds)
                    {
                        var (index, query) = list[(int)(done[k] % list.Count)];
                        hits[k] += index.Search(query).Length;
                        done[k]++;
                    }
                    elapsed[k] += clock.Elapsed.TotalSeconds;
                    cpu[k] += ThreadCpuSeconds() - cpuBefore;
                    allocated[k] += GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
                }
            }
            for (int k = 0; k < scales.Length; k++)
            {
                double micros = elapsed[k] * 1e6 / done[k], cpuMicros = cpu[k] * 1e6 / done[k];
                Console.WriteLine($"| {source.FeedName()} | {scales[k]} | {done[k] / elapsed[k]:N0} | {micros:0.0} | {cpuMicros:0.0} | {hits[k] / (double)done[k]:0} | {allocated[k] / (double)done[k]:N0} | {cpuMicros / (cpu[0] * 1e6 / done[0]):0.00} |");
            }
            double measured = elapsed.Sum();
            collections.Add($"{source.FeedName()}: {GC.CollectionCount(0) - gen0} gen0, {GC.CollectionCount(1) - gen1} gen1, {GC.CollectionCount(2) - gen2} gen2 collections in {measured:0.0} s, " +
                $"paused {(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:N0} ms ({100 * (GC.GetTotalPauseDuration() - paused).TotalSeconds / measured:0.0} %)");
        }
        Console.WriteLine();
        foreach (string line in collections) Console.WriteLine(line);
        GC.KeepAlive(keep);
        return Task.FromResult(0);
    }

    /// <summary>
    /// This thread's CPU time: the machine is shared, and a slice's wall time counts whatever else ran on its core; the
    /// CPU time does not (collections on the GC's own threads are left out of it: see the allocations column).
    /// </summary>
    private static double ThreadCpuSeconds()
    {
        if (!OperatingSystem.IsLinux()) return Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;
        ClockGetTime(ClockThreadCpuTime, out TimeSpec now);
        return now.Seconds + now.Nanoseconds * 1e-9;
    }

    private const int ClockThreadCpuTime = 3;

    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    private static string Option(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
