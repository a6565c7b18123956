using System.Globalization;
using Alternance.Data;

namespace Alternance.Benchmarks.Peers;

/// <summary>
/// One search of the peers' mix: what <c>/api/v1/jobs?sources=offres,lba</c> asks — the nearest 150 national offers and
/// the nearest 150 companies within the radius that carry any of the codes (the two job sources whose limit counts
/// items; posted offers, grouped by recruiter, are left out).
/// </summary>
/// <param name="Lists">The peers' posting lists the search reads: one per (source, code), see <see cref="PeerWorkload.ListOf"/>.</param>
internal sealed record PeerQuery(double Latitude, double Longitude, double RadiusKm, string[] Romes, short[] Lists);

/// <summary>An answer: per source of <see cref="PeerWorkload.Sources"/>, the ids nearest first and their exact distances.</summary>
internal sealed record PeerAnswer(string[][] Ids, double[][] DistancesKm);

/// <summary>
/// The items every contender loads (the bundled dataset's national offers and companies at a given scale) and the
/// searches they all run: centres at communes drawn by population, radius 10/30/60/100 km at 0.3/0.4/0.2/0.1, 1–3 ROME
/// codes drawn by how many items carry them, the nearest 150 of each source.
/// </summary>
internal sealed class PeerWorkload
{
    public static readonly Source[] Sources = [Source.PeJob, Source.Company];
    public const int Limit = 150;
    /// <summary>A list id is source slot × this + the code's index: a smallint in PostgreSQL, a key suffix in Redis.</summary>
    private const int ListsPerSource = 4096;
    private static readonly double[] Radii = [10, 30, 60, 100];
    private static readonly double[] RadiusWeights = [0.3, 0.4, 0.2, 0.1];

    private readonly Dictionary<string, int> _codeIndex;

    private PeerWorkload(Dictionary<Source, SearchItem[]> items, string[] codes, PeerQuery[] queries, long asOf)
    {
        Items = items;
        Codes = codes;
        Queries = queries;
        AsOf = asOf;
        _codeIndex = new Dictionary<string, int>(codes.Length, StringComparer.Ordinal);
        for (int i = 0; i < codes.Length; i++) _codeIndex[codes[i]] = i;
    }

    /// <summary>The items of <see cref="Sources"/>, as the generator makes them.</summary>
    public Dictionary<Source, SearchItem[]> Items { get; }

    /// <summary>Every ROME code an item carries, sorted (ordinal).</summary>
    public string[] Codes { get; }

    public PeerQuery[] Queries { get; }

    /// <summary>The dataset's day, the instant every engine query is made at (neither source expires).</summary>
    public long AsOf { get; }

    public long ItemCount => Items.Values.Sum(a => (long)a.Length);

    public static short ListOf(int sourceSlot, int codeIndex) => checked((short)(sourceSlot * ListsPerSource + codeIndex));

    public static int SourceSlotOf(short list) => list / ListsPerSource;

    public int CodeIndexOf(string code) => _codeIndex[code];

    public static PeerWorkload Create(ReferenceData reference, double scale, int queryCount, int seed)
    {
        var generator = new DatasetGenerator(reference, new GeneratorOptions { Scale = scale });
        var items = new Dictionary<Source, SearchItem[]>();
        foreach (Source source in Sources) items[source] = [.. generator.Items(source)];

        // Code popularity: how many items carry each code.
        var carriers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (SearchItem[] list in items.Values)
        {
            foreach (SearchItem item in list)
            {
                foreach (string code in item.RomeCodes.Distinct()) carriers[code] = carriers.GetValueOrDefault(code) + 1;
            }
        }
        string[] codes = [.. carriers.Keys.Order(StringComparer.Ordinal)];
        if (codes.Length > ListsPerSource) throw new InvalidOperationException($"{codes.Length} ROME codes: more than {ListsPerSource} lists per source.");
        var codeIndex = codes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var codeTable = new WeightedTable<string>([.. codes.Select(c => (c, (long)carriers[c]))]);
        var places = new WeightedTable<Commune>([.. reference.Communes.Where(c => c.Population > 0).Select(c => (c, (long)c.Population))]);

        var random = new Random(seed);
        var queries = new PeerQuery[queryCount];
        for (int i = 0; i < queryCount; i++)
        {
            Commune place = places.Draw(random);
            double radius = Radii[^1];
            double u = random.NextDouble();
            for (int r = 0; r < Radii.Length; r++)
            {
                if (u < RadiusWeights[r]) { radius = Radii[r]; break; }
                u -= RadiusWeights[r];
            }
            int count = 1 + random.Next(3);
            var romes = new List<string>(count);
            while (romes.Count < count)
            {
                string code = codeTable.Draw(random);
                if (!romes.Contains(code)) romes.Add(code);
            }
            var lists = new short[Sources.Length * count];
            for (int s = 0; s < Sources.Length; s++)
            {
                for (int c = 0; c < count; c++) lists[s * count + c] = ListOf(s, codeIndex[romes[c]]);
            }
            queries[i] = new PeerQuery(place.Latitude, place.Longitude, radius, [.. romes], lists);
        }
        return new PeerWorkload(items, codes, queries, new DateTimeOffset(DatasetGenerator.DefaultToday).ToUnixTimeMilliseconds());
    }

    /// <summary>The engine's queries for a search: one per source, in <see cref="Sources"/> order.</summary>
    public SourceQuery[] EngineQueries(PeerQuery q)
    {
        var queries = new SourceQuery[Sources.Length];
        for (int s = 0; s < Sources.Length; s++)
        {
            queries[s] = new SourceQuery
            {
                Source = Sources[s],
                Latitude = q.Latitude,
                Longitude = q.Longitude,
                RadiusKm = q.RadiusKm,
                Romes = q.Romes,
                Limit = Limit,
                AsOf = AsOf,
            };
        }
        return queries;
    }

    /// <summary>The same search as the public API takes it.</summary>
    public static string Url(PeerQuery q) =>
        string.Create(CultureInfo.InvariantCulture,
            $"/api/v1/jobs?caller=peers&sources=offres,lba&romes={string.Join(',', q.Romes)}&latitude={q.Latitude}&longitude={q.Longitude}&radius={q.RadiusKm}");

    /// <summary>Draws values with probability proportional to their weights (cumulative sums, binary search).</summary>
    private sealed class WeightedTable<T>
    {
        private readonly T[] _values;
        private readonly long[] _cumulative;

        public WeightedTable((T Value, long Weight)[] entries)
        {
            _values = new T[entries.Length];
            _cumulative = new long[entries.Length];
            long total = 0;
            for (int i = 0; i < entries.Length; i++)
            {
                _values[i] = entries[i].Value;
                total += entries[i].Weight;
                _cumulative[i] = total;
            }
        }

        public T Draw(Random random)
        {
            long at = random.NextInt64(_cumulative[^1]);
            int i = Array.BinarySearch(_cumulative, at + 1);
            return _values[i >= 0 ? i : ~i];
        }
    }
}
