using System.Diagnostics;
using Alternance.Data;

namespace Alternance.Benchmarks.Data;

/// <summary>
/// The data layer's figures (docs/data.md): reference tables loading, dataset generation, feed writing and
/// reading a million items. Wall and CPU time side by side: on a shared machine the CPU time is the steadier one.
/// <c>dotnet run -c Release --project tests/Alternance.Benchmarks -- data</c>
/// </summary>
public static class DataBenchmark
{
    public static async Task<int> RunAsync()
    {
        var loads = new List<double>();
        for (int i = 0; i < 6; i++)
        {
            var (wall, cpu) = Measure(() => ReferenceData.Load());
            loads.Add(wall.TotalMilliseconds);
            Console.WriteLine($"ReferenceData.Load #{i + 1}: {wall.TotalMilliseconds:F0} ms wall, {cpu.TotalMilliseconds:F0} ms CPU");
        }
        loads.Sort();
        Console.WriteLine($"ReferenceData.Load median: {loads[loads.Count / 2]:F0} ms");

        ReferenceData reference = ReferenceData.Load();
        var generator = new DatasetGenerator(reference);
        long n = 0;
        var (genWall, genCpu) = Measure(() =>
        {
            foreach (Source source in Enum.GetValues<Source>())
                foreach (SearchItem _ in generator.Items(source)) n++;
        });
        Console.WriteLine($"generated {n:N0} items (scale 1) in {genWall.TotalMilliseconds:F0} ms wall, {genCpu.TotalMilliseconds:F0} ms CPU");

        string dir = Path.Combine(Path.GetTempPath(), "alt-data-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            foreach (bool gzip in (bool[])[false, true])
            {
                string target = Path.Combine(dir, gzip ? "gz" : "plain");
                var (wall, cpu) = await MeasureAsync(() => generator.WriteFeedsAsync(target, gzip));
                long bytes = Directory.GetFiles(target).Sum(f => new FileInfo(f).Length);
                Console.WriteLine($"WriteFeedsAsync(gzip: {gzip}): {wall.TotalMilliseconds:F0} ms wall, {cpu.TotalMilliseconds:F0} ms CPU, {bytes / 1e6:F0} MB");
            }
            // 1,000,020 companies (scale 3.3334) and 1,000,000 national offers (scale 10).
            foreach (var (source, scale) in new[] { (Source.Company, 3.3334), (Source.PeJob, 10.0) })
            {
                string path = Path.Combine(dir, DatasetGenerator.FeedFileName(source, false));
                var big = new DatasetGenerator(reference, new GeneratorOptions { Scale = scale });
                await FeedWriter.WriteFileAsync(path, source, big.Items(source));
                long size = new FileInfo(path).Length;
                FeedReport? report = null;
                var (wall, cpu) = await MeasureAsync(async () =>
                    report = await FeedReader.ReadFileAsync(path, source, _ => ValueTask.CompletedTask));
                Console.WriteLine($"read {report!.Items:N0} {source} items ({size / 1e6:F0} MB) in {wall.TotalMilliseconds:F0} ms wall, " +
                    $"{cpu.TotalMilliseconds:F0} ms CPU ({report.Items / wall.TotalSeconds:N0} items/s), {report.Rejected} rejected");
                File.Delete(path);
            }
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
        return 0;
    }

    private static (TimeSpan Wall, TimeSpan Cpu) Measure(Action action)
    {
        var process = Process.GetCurrentProcess();
        TimeSpan cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        action();
        clock.Stop();
        process.Refresh();
        return (clock.Elapsed, process.TotalProcessorTime - cpu);
    }

    private static async Task<(TimeSpan Wall, TimeSpan Cpu)> MeasureAsync(Func<Task> action)
    {
        var process = Process.GetCurrentProcess();
        TimeSpan cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await action();
        clock.Stop();
        process.Refresh();
        return (clock.Elapsed, process.TotalProcessorTime - cpu);
    }
}
