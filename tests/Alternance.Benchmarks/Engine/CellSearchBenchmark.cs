using System.Diagnostics;
using Alternance.Data;
using Alternance.Geo;
using Alternance.Benchmarks.Http;
using Alternance.Grains;

namespace Alternance.Benchmarks.Engine;

/// <summary>
/// <c>cell</c> mode: the in-cell search alone, single-threaded, on the bundled dataset: the queries of the HTTP benchmark
/// (30 km, 1–3 popular ROME codes, around the 500 most populous communes), each source's index of every cell the
/// circle covers, as the cells would run them. No grain calls, no HTTP: the figure for before/after changes of
/// <c>SourceIndex</c>. <c>dotnet run -c Release --project tests/Alternance.Benchmarks -- cell [--seconds 3] [--radius 30] [--source companies]</c>
/// </summary>
public static class CellSearchBenchmark
{
    public static Task<int> RunAsync(string[] args)
    {
        double seconds = double.Parse(Option(args, "--seconds", "3"), System.Globalization.CultureInfo.InvariantCulture);
        double radius = double.Parse(Option(args, "--radius", "30"), System.Globalization.CultureInfo.InvariantCulture);
        string only = Option(args, "--source", "");
        ReferenceData reference = ReferenceData.Load();
        var generator = new DatasetGenerator(reference, new GeneratorOptions { Scale = 1 });
        var indexes = new Dictionary<(Source, ulong), SourceIndex>();
        foreach (Source source in Enum.GetValues<Source>())
        {
            var byCell = new Dictionary<ulong, List<SearchItem>>();
            foreach (SearchItem item in generator.Items(source))
            {
                ulong cell = H3.LatLngToCell(item.Latitude, item.Longitude, CellKeys.Resolution);
                if (!byCell.TryGetValue(cell, out List<SearchItem>? list)) byCell[cell] = list = [];
                list.Add(item);
            }
            foreach (var (cell, list) in byCell) indexes[(source, cell)] = new SourceIndex(source, list, (long)cell);
        }

        var work = new List<(SourceIndex Index, SourceQuery Query)>[Sources.Count];
        for (int s = 0; s < work.Length; s++) work[s] = [];
        foreach (var (place, romes) in BenchmarkRequests.Draw(reference, new Random(BenchmarkRequests.Seed), 2000))
        {
            foreach (Source source in Enum.GetValues<Source>())
            {
                SourceQuery query = BenchmarkRequests.Query(source, place, romes, radius);
                foreach (ulong cell in H3.CoverCircle(place.Latitude, place.Longitude, radius, CellKeys.Resolution))
                {
                    if (indexes.TryGetValue((source, cell), out SourceIndex? index)) work[(int)source].Add((index, query));
                }
            }
        }

        Console.WriteLine($"In-cell search, one thread, {radius} km, the HTTP benchmark's queries ({Environment.ProcessorCount} cores, machine shared)");
        Console.WriteLine();
        Console.WriteLine("| source | cell searches/s | µs per cell search | hits per cell search |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (Source source in Enum.GetValues<Source>())
        {
            var list = work[(int)source];
            if (only.Length > 0 && only != source.FeedName()) continue;
            for (int i = 0; i < Math.Min(list.Count, 500); i++) list[i].Index.Search(list[i].Query);
            long done = 0, hits = 0;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                var (index, query) = list[(int)(done % list.Count)];
                hits += index.Search(query).Length;
                done++;
            }
            double elapsed = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"| {source.FeedName()} | {done / elapsed:N0} | {elapsed * 1e6 / done:0.0} | {hits / (double)done:0} |");
        }
        return Task.FromResult(0);
    }

    private static string Option(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
