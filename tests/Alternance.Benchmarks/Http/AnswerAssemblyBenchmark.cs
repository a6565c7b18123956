using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using Alternance.Api.Json;
using Alternance.Api.Search;
using Alternance.Data;
using Alternance.Search;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Alternance.Benchmarks.Http;

/// <summary>
/// <c>answer</c> mode: how a search answer's results are assembled from the front's item JSON (<see cref="ItemRenderings"/>:
/// look up each hit's rendering, format its distance, copy the pieces into the output as a response pipe gives it: one
/// buffer of the length asked for), single-threaded, on the bundled dataset's items, against copying a pre-built body of
/// the same size into the same output (the HTTP floor's
/// share of the work), in the same process. A /jobs answer: 150 national offers, 62 posted offers and 150 companies,
/// drawn at random among all items (a cold cache, as on a busy server whose answers span the country).
/// <c>dotnet run -c Release --project tests/Alternance.Benchmarks -- answer [--seconds 4]</c>
/// </summary>
public static class AnswerAssemblyBenchmark
{
    private static readonly (Source Source, int Hits)[] JobsAnswer = [(Source.PeJob, 150), (Source.Matcha, 62), (Source.Company, 150)];

    public static Task<int> RunAsync(string[] args)
    {
        double seconds = double.Parse(Option(args, "--seconds", "4"), CultureInfo.InvariantCulture);
        var generator = new DatasetGenerator(ReferenceData.Load(), new GeneratorOptions { Scale = 1 });
        var items = new Dictionary<Source, SearchItem[]>();
        long version = ItemVersions.New();
        foreach (var (source, _) in JobsAnswer) items[source] = [.. generator.Items(source).Select(i => i with { Version = version })];

        using var protector = new AesCtrContactProtector(Convert.FromHexString(AesCtrContactProtector.DevelopmentKeyHex));
        var cells = new ItemsById(items);
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        var fragments = new ItemRenderings(protector, cells, Options.Create(new RenderingOptions { CacheMegabytes = 4096 }), meters);
        var output = new BlockWriter();
        // Every item rendered once, as a warm server has them.
        foreach (var (source, all) in items)
        {
            for (int i = 0; i < all.Length; i += 500)
            {
                Hit[] warm = new Hit[Math.Min(500, all.Length - i)];
                for (int k = 0; k < warm.Length; k++) warm[k] = HitOf(all[i + k], 1.5);
                using ItemRenderings.ResultList? list = fragments.ResolveAsync(source, 1, warm, showCompanyPhone: false, withDescription: false,
                    acceptChanged: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            }
        }

        var random = new Random(BenchmarkRequests.Seed);
        Hit[][][] answers = new Hit[256][][];
        for (int a = 0; a < answers.Length; a++)
        {
            answers[a] = new Hit[JobsAnswer.Length][];
            for (int s = 0; s < JobsAnswer.Length; s++)
            {
                SearchItem[] all = items[JobsAnswer[s].Source];
                var hits = new Hit[JobsAnswer[s].Hits];
                for (int k = 0; k < hits.Length; k++) hits[k] = HitOf(all[random.Next(all.Length)], random.NextDouble() * 30);
                answers[a][s] = hits;
            }
        }

        // The answer, measured once, sizes the pre-built body.
        long totalBytes = 0;
        foreach (Hit[][] answer in answers) totalBytes += Assemble(fragments, answer, output);
        byte[] prebuilt = new byte[(int)(totalBytes / answers.Length)];
        random.NextBytes(prebuilt);

        for (int warm = 0; warm < 2; warm++)
        {
            Measure(() => { foreach (Hit[][] answer in answers) Assemble(fragments, answer, output); }, answers.Length, seconds / 4);
            Measure(() => { for (int a = 0; a < answers.Length; a++) Copy(prebuilt, output); }, answers.Length, seconds / 4);
        }
        double assembled = Measure(() => { foreach (Hit[][] answer in answers) Assemble(fragments, answer, output); }, answers.Length, seconds);
        double copied = Measure(() => { for (int a = 0; a < answers.Length; a++) Copy(prebuilt, output); }, answers.Length, seconds);
        int hitsPerAnswer = 0;
        foreach (var (_, n) in JobsAnswer) hitsPerAnswer += n;

        Console.WriteLine($"Answer assembly, one thread: a /jobs answer of {hitsPerAnswer} results ({prebuilt.Length:N0} bytes), items drawn at random among {items.Values.Sum(a => a.Length):N0}");
        Console.WriteLine();
        Console.WriteLine("| work | µs per answer | ns per result |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| assembled from the front's item JSON | {assembled:0.0} | {assembled * 1000 / hitsPerAnswer:0} |");
        Console.WriteLine($"| pre-built body copied | {copied:0.0} | |");
        Console.WriteLine($"| ratio | {assembled / copied:0.0}× | |");
        return Task.FromResult(0);
    }

    private static Hit HitOf(SearchItem item, double distance) => new(item.Id, distance, item.Version, Cell: 1, Fingerprint.Of(item.Id));

    private static int Assemble(ItemRenderings fragments, Hit[][] answer, BlockWriter output)
    {
        output.Reset();
        int length = 0;
        for (int s = 0; s < answer.Length; s++)
        {
            // Every item is kept after the warm-up: the lookups answer synchronously.
            ValueTask<ItemRenderings.ResultList?> resolving = fragments.ResolveAsync(JobsAnswer[s].Source, 1, answer[s], showCompanyPhone: false,
                withDescription: false, acceptChanged: false, CancellationToken.None);
            using ItemRenderings.ResultList list = resolving.IsCompletedSuccessfully ? resolving.Result! : throw new InvalidOperationException("a rendering was missing");
            length += list.Length;
            list.WriteTo(output);
        }
        return length;
    }

    /// <summary>The items by id, as cells would answer a front's fetches.</summary>
    private sealed class ItemsById(Dictionary<Source, SearchItem[]> items) : ISearchBackend
    {
        private readonly Dictionary<string, SearchItem> _byId = items.Values.SelectMany(a => a).ToDictionary(i => i.Source + "/" + i.Id);

        public Task<SearchItem?[]> FetchAsync(Source source, long generation, IReadOnlyList<Hit> hits, CancellationToken cancellationToken) =>
            Task.FromResult(hits.Select(h => _byId.GetValueOrDefault(source + "/" + h.Id)).ToArray());

        public Task<SearchOutcome[]> SearchAsync(IReadOnlyList<SourceQuery> queries, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<SearchItem?> GetAsync(Source source, string id, CancellationToken cancellationToken) => throw new NotSupportedException();

        public IAsyncEnumerable<SearchItem> ListAllAsync(IReadOnlyList<SourceQuery> queries, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private static void Copy(byte[] body, BlockWriter output)
    {
        output.Reset();
        body.CopyTo(output.GetSpan(body.Length));
        output.Advance(body.Length);
    }

    /// <returns>Microseconds per answer.</returns>
    private static double Measure(Action batch, int answersPerBatch, double seconds)
    {
        long answers = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            batch();
            answers += answersPerBatch;
        }
        return clock.Elapsed.TotalMicroseconds / answers;
    }

    /// <summary>
    /// A response pipe's shape: 4 KB blocks from a pool, handed out one at a time, or, asked for more, one buffer of that
    /// size (the pipe rents it from the shared array pool); here reused in turn.
    /// </summary>
    private sealed class BlockWriter : IBufferWriter<byte>
    {
        private readonly byte[][] _blocks = [.. Enumerable.Range(0, 64).Select(_ => new byte[4096])];
        private readonly byte[]?[] _large = new byte[]?[4];
        private int _block;
        private int _used;
        private byte[]? _current;

        public void Reset()
        {
            _block = 0;
            _used = 0;
            _current = null;
        }

        public void Advance(int count) => _used += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => Next(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0) => Next(sizeHint).Span;

        private Memory<byte> Next(int sizeHint)
        {
            if (_current is not null && _current.Length - _used >= Math.Max(1, sizeHint)) return _current.AsMemory(_used);
            _block = (_block + 1) % _blocks.Length;
            _used = 0;
            if (sizeHint <= 4096) return _current = _blocks[_block];
            ref byte[]? large = ref _large[_block % _large.Length];
            if (large is null || large.Length < sizeHint) large = new byte[(int)BitOperations.RoundUpToPowerOf2((uint)sizeHint)];
            return _current = large;
        }
    }

    private static string Option(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
