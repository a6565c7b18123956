using System.Diagnostics;
using Xunit.Abstractions;

namespace Alternance.Data.Tests;

/// <summary>A test that runs only when <c>ALT_DATA_PERF=1</c>: timings mean nothing on a shared, busy CI machine.</summary>
public sealed class PerfFactAttribute : FactAttribute
{
    public PerfFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("ALT_DATA_PERF") != "1") Skip = "performance run: set ALT_DATA_PERF=1";
    }
}

[CollectionDefinition(nameof(PerfCollection), DisableParallelization = true)]
public sealed class PerfCollection;

/// <summary>
/// The figures of docs/data.md: <c>ALT_DATA_PERF=1 dotnet test tests/Alternance.Data.Tests -c Release --filter
/// "FullyQualifiedName~PerfTests" --logger "console;verbosity=detailed"</c>. Each asserts its target.
/// </summary>
[Collection(nameof(PerfCollection))] // alone: not in parallel with the other test classes
public sealed class PerfTests(ITestOutputHelper output)
{
    private static (TimeSpan Wall, TimeSpan Cpu) Measure(Action action)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        action();
        sw.Stop();
        process.Refresh();
        return (sw.Elapsed, process.TotalProcessorTime - cpu);
    }

    private static async Task<(TimeSpan Wall, TimeSpan Cpu)> MeasureAsync(Func<Task> action)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        await action();
        sw.Stop();
        process.Refresh();
        return (sw.Elapsed, process.TotalProcessorTime - cpu);
    }

    [PerfFact]
    public void Reference_data_loads_in_well_under_a_second()
    {
        var times = new List<double>();
        for (int i = 0; i < 6; i++)
        {
            var (wall, cpu) = Measure(() => ReferenceData.Load());
            times.Add(wall.TotalMilliseconds);
            output.WriteLine($"ReferenceData.Load #{i + 1}: {wall.TotalMilliseconds:F0} ms wall, {cpu.TotalMilliseconds:F0} ms CPU");
        }
        times.Sort();
        output.WriteLine($"median {times[times.Count / 2]:F0} ms");
        Assert.True(times[times.Count / 2] < 1000, $"median {times[times.Count / 2]:F0} ms");
    }

    [PerfFact]
    public void The_scale_one_dataset_is_generated_in_a_few_seconds()
    {
        var g = new DatasetGenerator(Shared.Reference);
        long n = 0;
        var (wall, cpu) = Measure(() =>
        {
            foreach (var s in (Source[])[Source.Formation, Source.PeJob, Source.Matcha, Source.Company])
                foreach (var _ in g.Items(s)) n++;
        });
        output.WriteLine($"generated {n:N0} items in {wall.TotalMilliseconds:F0} ms wall, {cpu.TotalMilliseconds:F0} ms CPU");
        Assert.Equal(475_000, n);
        Assert.True(wall < TimeSpan.FromSeconds(10), $"{wall.TotalMilliseconds:F0} ms");
    }

    [PerfFact]
    public async Task The_scale_one_feeds_are_written()
    {
        var dir = Path.Combine(Path.GetTempPath(), "alt-data-perf-" + Guid.NewGuid().ToString("N"));
        try
        {
            var g = new DatasetGenerator(Shared.Reference);
            foreach (var gzip in (bool[])[false, true])
            {
                var (wall, cpu) = await MeasureAsync(() => g.WriteFeedsAsync(Path.Combine(dir, gzip ? "gz" : "plain"), gzip));
                long bytes = Directory.GetFiles(Path.Combine(dir, gzip ? "gz" : "plain")).Sum(f => new FileInfo(f).Length);
                output.WriteLine($"WriteFeedsAsync(gzip: {gzip}): {wall.TotalMilliseconds:F0} ms wall, {cpu.TotalMilliseconds:F0} ms CPU, {bytes / 1e6:F0} MB");
                Assert.True(wall < TimeSpan.FromSeconds(60));
            }
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

    [PerfFact]
    public async Task A_million_items_are_read_in_well_under_fifteen_seconds()
    {
        var dir = Path.Combine(Path.GetTempPath(), "alt-data-perf-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            // 1,000,020 companies (scale 3.3334) and 1,000,000 national offers (scale 10).
            foreach (var (source, scale) in new[] { (Source.Company, 3.3334), (Source.PeJob, 10.0) })
            {
                var path = Path.Combine(dir, DatasetGenerator.FeedFileName(source, false));
                var g = new DatasetGenerator(Shared.Reference, new GeneratorOptions { Scale = scale });
                await FeedWriter.WriteFileAsync(path, source, g.Items(source));
                var size = new FileInfo(path).Length;
                FeedReport? report = null;
                var (wall, cpu) = await MeasureAsync(async () =>
                    report = await FeedReader.ReadFileAsync(path, source, _ => ValueTask.CompletedTask));
                output.WriteLine($"read {report!.Items:N0} {source} items ({size / 1e6:F0} MB) in {wall.TotalMilliseconds:F0} ms wall, " +
                    $"{cpu.TotalMilliseconds:F0} ms CPU ({report.Items / wall.TotalSeconds:N0} items/s)");
                Assert.Equal(0, report.Rejected);
                Assert.True(report.Items >= 1_000_000);
                Assert.True(wall < TimeSpan.FromSeconds(15), $"{wall.TotalMilliseconds:F0} ms");
                File.Delete(path);
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
