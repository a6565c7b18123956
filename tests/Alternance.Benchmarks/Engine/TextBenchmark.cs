using System.Diagnostics;
using Alternance.Data;
using Alternance.Grains;
using Alternance.Search;
using Alternance.Text;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using LuceneDirectory = Lucene.Net.Store.Directory;
using ItemField = Alternance.Text.TextField;

namespace Alternance.Benchmarks.Engine;

/// <summary>
/// <c>-- text</c>: the same free-text + circle queries against the engine (front, cells, merge, facets) and against one
/// Lucene.Net index of the same items in the same process (same analyser, BM25, the same alternatives: synonyms as
/// terms, one-edit <see cref="FuzzyQuery"/> on 5+ letter words; the circle as a numeric bounding-box filter on latitude
/// and longitude, then the exact distance in the collector). Throughput and latency with 1 and 16 concurrent queries,
/// the two sides in alternating slices; the match counts of both are compared first. Also the memory a text index adds
/// per item (built per cell, as the cells do).
/// </summary>
public static class TextBenchmark
{
    private static readonly string[] Fields = ["title", "organisation", "keywords"];

    public static async Task<int> RunAsync(string[] args)
    {
        double scale = Arg(args, "--scale", 1.0);
        double seconds = Arg(args, "--seconds", 3.0);
        int rounds = (int)Arg(args, "--rounds", 3);
        int concurrency = (int)Arg(args, "--concurrency", 16);
        Console.WriteLine($"Text benchmark: scale {scale}, {seconds} s slices × {rounds} per side, {Environment.ProcessorCount} cores, server GC {System.Runtime.GCSettings.IsServerGC}, load {Load()}");
        var generator = new DatasetGenerator(ReferenceData.Load(), new GeneratorOptions { Scale = scale });
        var items = new Dictionary<Source, SearchItem[]>();
        foreach (Source source in Enum.GetValues<Source>()) items[source] = [.. generator.Items(source)];
        long total = items.Values.Sum(a => (long)a.Length);
        using var analyzer = new TextAnalyzer();

        MeasureMemory(items, analyzer, total);

        string store = Path.Combine(Path.GetTempPath(), "alternance-text-bench-" + Guid.NewGuid().ToString("N")[..8]);
        using IHost host = EngineBenchmark.StartSilo(store);
        await host.StartAsync();
        var importer = host.Services.GetRequiredService<FeedImporter>();
        foreach (var (source, list) in items) await importer.ReplaceAsync(source, list);
        var engine = host.Services.GetRequiredService<TextSearchEngine>();

        var clock = Stopwatch.StartNew();
        using var lucene = new LuceneBaseline(items, analyzer);
        Console.WriteLine($"Lucene index of {total:N0} items built in {clock.Elapsed.TotalSeconds:0.0} s");

        var random = new Random(2026);
        foreach (double radius in new[] { 10.0, 30.0, 100.0 })
        {
            TextSearchRequest[] queries = Queries(items, random, radius, 2000);
            // Both sides match the same items: compare the counts first.
            int differ = 0;
            for (int i = 0; i < 200; i++)
            {
                TextSearchResult e = await engine.SearchAsync(queries[i]);
                int l = lucene.Search(queries[i], analyzer).Total;
                if (e.NbHits != l) differ++;
            }
            var sides = new (string Name, Func<TextSearchRequest, Task> Run)[]
            {
                ("engine", async q => { await engine.SearchAsync(q); }),
                ("lucene", q => { lucene.Search(q, analyzer); return Task.CompletedTask; }),
            };
            foreach (int c in new[] { 1, concurrency })
            {
                var runs = new List<LoopRun>[2] { [], [] };
                for (int r = 0; r < rounds; r++)
                {
                    for (int s = 0; s < sides.Length; s++) runs[s].Add(await ClosedLoop.Measure(queries, c, seconds, sides[s].Run, warmup: 50));
                }
                LoopRun engineRun = LoopRun.Combine(runs[0]), luceneRun = LoopRun.Combine(runs[1]);
                Console.WriteLine($"| {radius} km | {c} | {engineRun.Qps:N0} | {engineRun.P50:0.00} | {engineRun.P99:0.00} | {luceneRun.Qps:N0} | {luceneRun.P50:0.00} | {luceneRun.P99:0.00} | {engineRun.Qps / luceneRun.Qps:0.00} | slices {string.Join(" ", runs[0].Zip(runs[1], (a, b) => (a.Qps / b.Qps).ToString("0.00")))} | counts differ {differ}/200 |");
            }
        }
        Console.WriteLine($"load after: {Load()}");
        await host.StopAsync();
        try { System.IO.Directory.Delete(store, recursive: true); } catch (IOException) { }
        return 0;
    }

    private static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";

    /// <summary>The heap a text index adds per item, built per cell like the cells do (each cell its own dictionary).</summary>
    private static void MeasureMemory(Dictionary<Source, SearchItem[]> items, TextAnalyzer analyzer, long total)
    {
        var byCell = new List<SourceIndex>();
        foreach (var (source, list) in items)
        {
            foreach (var group in list.GroupBy(FeedImporter.CellOf)) byCell.Add(new SourceIndex(source, group, group.Key));
        }
        long before = GC.GetTotalMemory(forceFullCollection: true);
        var text = new List<TextIndex>(byCell.Count);
        foreach (SourceIndex index in byCell) text.Add(new TextIndex(index, analyzer, 0));
        long after = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"memory: text indexes {(after - before) / (double)total:N0} B/item ({byCell.Count} cell-source indexes, {(after - before) / 1e6:N0} MB for {total:N0} items)");
        GC.KeepAlive(text);
    }

    private static TextSearchRequest[] Queries(Dictionary<Source, SearchItem[]> items, Random random, double radius, int count)
    {
        SearchItem[] all = [.. items.Values.SelectMany(a => a)];
        var queries = new TextSearchRequest[count];
        for (int i = 0; i < count; i++)
        {
            SearchItem at = all[random.Next(all.Length)];
            string[] words = [.. (ItemDocument.Title(at) + " " + ItemDocument.Field(at, ItemField.Keywords))
                .Split([' ', '(', ')', ',', '-', '/', '\'', '.'], StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length >= 4)];
            string q = words.Length == 0 ? "alternance" : words[random.Next(words.Length)];
            if (words.Length > 1 && random.Next(3) == 0) q += " " + words[random.Next(words.Length)];
            queries[i] = new TextSearchRequest
            {
                Query = q,
                Sources = [Source.Formation, Source.PeJob, Source.Matcha, Source.Company],
                HasCenter = true,
                Latitude = at.Latitude + (random.NextDouble() - 0.5) * 0.05,
                Longitude = at.Longitude + (random.NextDouble() - 0.5) * 0.05,
                RadiusKm = radius,
                HitsPerPage = 20,
            };
        }
        return queries;
    }

    private static double Arg(string[] args, string name, double fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }

    /// <summary>One Lucene.Net index of every item: the same analyser, BM25, field boosts at query time.</summary>
    private sealed class LuceneBaseline : IDisposable
    {
        private readonly LuceneDirectory _directory = new RAMDirectory();
        private readonly DirectoryReader _reader;
        private readonly IndexSearcher _searcher;
        private readonly FieldCache.Doubles _latitudes, _longitudes;

        public LuceneBaseline(Dictionary<Source, SearchItem[]> items, TextAnalyzer analyzer)
        {
            var config = new IndexWriterConfig(FrenchTextAnalyzer.Version, new FrenchTextAnalyzer())
            {
                Similarity = new BM25Similarity(),
                RAMBufferSizeMB = 256,
                OpenMode = OpenMode.CREATE,
            };
            using (var writer = new IndexWriter(_directory, config))
            {
                foreach (var (source, list) in items)
                {
                    foreach (SearchItem item in list)
                    {
                        if (item is MatchaItem { IsActive: false } || OfferDates.IsExpired(item, EngineBenchmark.DatasetAsOf)) continue;
                        var doc = new Document
                        {
                            new StringField("id", item.Id, Field.Store.YES),
                            new StringField("source", ((int)source).ToString(), Field.Store.NO),
                            new DoubleField("lat", item.Latitude, Field.Store.NO),
                            new DoubleField("lon", item.Longitude, Field.Store.NO),
                        };
                        for (int f = 0; f < Fields.Length; f++)
                        {
                            if (ItemDocument.Field(item, (ItemField)f) is { } text) doc.Add(new Lucene.Net.Documents.TextField(Fields[f], text, Field.Store.NO));
                        }
                        writer.AddDocument(doc);
                    }
                }
                writer.ForceMerge(1);
            }
            _reader = DirectoryReader.Open(_directory);
            _searcher = new IndexSearcher(_reader) { Similarity = new BM25Similarity() };
            AtomicReader atomic = _reader.Leaves[0].AtomicReader;
            _latitudes = FieldCache.DEFAULT.GetDoubles(atomic, "lat", false);
            _longitudes = FieldCache.DEFAULT.GetDoubles(atomic, "lon", false);
        }

        public (int Total, ScoreDoc[] Top) Search(TextSearchRequest request, TextAnalyzer analyzer)
        {
            var words = new List<string>();
            analyzer.Analyze(request.Query, words);
            var query = new BooleanQuery();
            foreach (string word in words.Distinct())
            {
                var any = new BooleanQuery();
                for (int f = 0; f < Fields.Length; f++)
                {
                    float boost = (float)TextScoring.Boosts[f];
                    any.Add(new TermQuery(new Term(Fields[f], word)) { Boost = boost }, Occur.SHOULD);
                    foreach (string synonym in analyzer.Synonyms.Of(word))
                    {
                        any.Add(new TermQuery(new Term(Fields[f], synonym)) { Boost = boost * (float)TextScoring.SynonymWeight }, Occur.SHOULD);
                    }
                    if (word.Length >= TextScoring.TypoMinLength)
                    {
                        any.Add(new FuzzyQuery(new Term(Fields[f], word), 1, 0, 50, transpositions: false) { Boost = boost * (float)TextScoring.TypoWeight }, Occur.SHOULD);
                    }
                }
                query.Add(any, Occur.MUST);
            }
            // The circle's bounding box in degrees (with a margin), then the exact distance in the collector.
            double dLat = request.RadiusKm / GreatCircle.EarthRadiusKm / GreatCircle.DegToRad * 1.001 + 1e-9;
            double cos = Math.Cos(request.Latitude * GreatCircle.DegToRad);
            double dLon = cos < 1e-6 ? 180 : Math.Min(180, dLat / cos);
            Query text = words.Count == 0 ? new MatchAllDocsQuery() : query;
            Query boxed = new FilteredQuery(
                new FilteredQuery(text, NumericRangeFilter.NewDoubleRange("lat", request.Latitude - dLat, request.Latitude + dLat, true, true)),
                NumericRangeFilter.NewDoubleRange("lon", request.Longitude - dLon, request.Longitude + dLon, true, true));
            var collector = new CircleCollector(request, _latitudes, _longitudes, (request.Page + 1) * request.HitsPerPage);
            _searcher.Search(boxed, collector);
            return (collector.Total, collector.Top());
        }

        public void Dispose()
        {
            _reader.Dispose();
            _directory.Dispose();
        }
    }

    /// <summary>Keeps the documents inside the circle: counts them and keeps the best by score.</summary>
    private sealed class CircleCollector(TextSearchRequest request, FieldCache.Doubles latitudes, FieldCache.Doubles longitudes, int size) : ICollector
    {
        private readonly PriorityQueue<int, float> _top = new();
        private Scorer? _scorer;
        private int _docBase;

        public int Total { get; private set; }

        public bool AcceptsDocsOutOfOrder => true;

        public void SetScorer(Scorer scorer) => _scorer = scorer;

        public void SetNextReader(AtomicReaderContext context) => _docBase = context.DocBase;

        public void Collect(int doc)
        {
            double d = GreatCircle.DistanceKm(request.Latitude, request.Longitude, latitudes.Get(doc), longitudes.Get(doc));
            if (d > request.RadiusKm) return;
            Total++;
            float score = _scorer!.GetScore();
            if (_top.Count < size) _top.Enqueue(_docBase + doc, score);
            else if (_top.TryPeek(out _, out float lowest) && score > lowest) _top.EnqueueDequeue(_docBase + doc, score);
        }

        public ScoreDoc[] Top()
        {
            var list = new List<ScoreDoc>(_top.Count);
            while (_top.TryDequeue(out int doc, out float score)) list.Add(new ScoreDoc(doc, score));
            list.Reverse();
            return [.. list];
        }
    }
}
