using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using Alternance.Api.Json;
using Alternance.Api.Search;
using Alternance.Data;
using Alternance.Search;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Alternance.Api.Tests;

/// <summary>
/// Search answers are assembled from the front's item JSON (<see cref="ItemRenderings"/>): they must be byte for byte
/// what writing every item afresh gives, for every source, option and distance; an item whose version changed must
/// never answer its old JSON; a hit whose item changed in its cell is reported, not answered; the cache stays within
/// its budget. The cells are stood in for by a dictionary of items (the engine tests cover the real ones).
/// </summary>
public sealed class ItemRenderingsTests
{
    /// <summary>Deterministic "encryption" so that both writing paths can be compared byte for byte.</summary>
    private sealed class MarkingProtector : IContactProtector
    {
        public (string Email, string Iv) Protect(string email, string context) => ("enc:" + email, "iv:" + context);
    }

    /// <summary>What the cells hold: the current item of each id. Counts the items fetched.</summary>
    private sealed class Cells : ISearchBackend
    {
        public readonly Dictionary<string, SearchItem> Items = new(StringComparer.Ordinal);
        public int Fetched;

        public Task<SearchItem?[]> FetchAsync(Source source, long generation, IReadOnlyList<Hit> hits, CancellationToken cancellationToken)
        {
            var found = new SearchItem?[hits.Count];
            for (int i = 0; i < found.Length; i++) found[i] = Items.GetValueOrDefault(hits[i].Id);
            Interlocked.Add(ref Fetched, found.Length);
            return Task.FromResult(found);
        }

        public Task<SearchOutcome[]> SearchAsync(IReadOnlyList<SourceQuery> queries, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<SearchItem?> GetAsync(Source source, string id, CancellationToken cancellationToken) => throw new NotSupportedException();

        public IAsyncEnumerable<SearchItem> ListAllAsync(IReadOnlyList<SourceQuery> queries, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private static readonly IMeterFactory Meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    private static ItemRenderings Front(IContactProtector protector, Cells cells, int megabytes = 512) =>
        new(protector, cells, Options.Create(new RenderingOptions { CacheMegabytes = megabytes }), Meters);

    private static Hit HitOf(SearchItem item, double distance) => new(item.Id, distance, item.Version, Cell: 1, Fingerprint.Of(item.Id));

    private static T Versioned<T>(T item) where T : SearchItem => item with { Version = ItemVersions.New() };

    [Fact]
    public async Task Kept_item_json_is_identical_to_writing_the_items_afresh()
    {
        var generator = new DatasetGenerator(ReferenceData.Load(), new GeneratorOptions { Seed = 5, Scale = 0.004 });
        var random = new Random(5);
        var protector = new MarkingProtector();
        var cells = new Cells();
        ItemRenderings front = Front(protector, cells);
        int compared = 0;
        foreach (Source source in Enum.GetValues<Source>())
        {
            var items = new List<SearchItem>();
            foreach (SearchItem item in generator.Items(source)) items.Add(Versioned(item));
            foreach (SearchItem item in Awkward(source, items[0])) items.Add(Versioned(item));
            foreach (SearchItem item in items) cells.Items[item.Id] = item;
            Assert.True(items.Count > 50, $"{source}: {items.Count} items");
            for (int round = 0; round < 3; round++) // later rounds read what the first one kept
            {
                foreach (bool phone in new[] { false, true })
                {
                    foreach (bool description in new[] { false, true })
                    {
                        Hit[] hits = new Hit[items.Count];
                        for (int i = 0; i < hits.Length; i++) hits[i] = HitOf(items[i], Distance(random));
                        string fresh = Write(items, hits, new ItemWriteOptions(protector, phone, description));
                        string kept = await Assemble(front, source, hits, phone, description);
                        Assert.Equal(fresh, kept);
                        using var parsed = JsonDocument.Parse(kept); // and it is JSON
                        Assert.Equal(items.Count, parsed.RootElement.GetProperty("results").GetArrayLength());
                        compared += items.Count;
                    }
                }
            }
        }
        Assert.True(compared > 2_000);
        // Each item was fetched once per rendering it needed (the plain one, then descriptions or phones), not per answer.
        Assert.True(cells.Fetched <= 2 * cells.Items.Count, $"{cells.Fetched} fetches for {cells.Items.Count} items");
    }

    [Fact]
    public async Task An_item_written_again_answers_its_new_json()
    {
        var cells = new Cells();
        ItemRenderings front = Front(new MarkingProtector(), cells);
        PeJobItem offer = Versioned(new PeJobItem { Id = "1", Latitude = 48.85, Longitude = 2.35, RomeCodes = ["M1607"], Intitule = "Assistant (H/F)" });
        cells.Items[offer.Id] = offer;
        string before = await Assemble(front, Source.PeJob, [HitOf(offer, 1.5)], false, false);
        PeJobItem renamed = Versioned(offer with { Intitule = "Assistante de direction (H/F)" });
        cells.Items[offer.Id] = renamed;
        string after = await Assemble(front, Source.PeJob, [HitOf(renamed, 1.5)], false, false);
        Assert.Contains("\"title\":\"Assistant (H/F)\"", before);
        Assert.Contains("\"title\":\"Assistante de direction (H/F)\"", after);
    }

    [Fact]
    public async Task A_hit_whose_item_changed_or_went_since_the_search_is_not_answered_unless_accepted()
    {
        var cells = new Cells();
        ItemRenderings front = Front(new MarkingProtector(), cells);
        PeJobItem first = Versioned(new PeJobItem { Id = "1", Latitude = 48.85, Longitude = 2.35, RomeCodes = ["M1607"], Intitule = "Avant" });
        PeJobItem second = Versioned(new PeJobItem { Id = "2", Latitude = 48.85, Longitude = 2.35, RomeCodes = ["M1607"], Intitule = "Reste" });
        cells.Items[second.Id] = second;
        cells.Items[first.Id] = Versioned(first with { Intitule = "Après" }); // written again after the search found `first`
        Hit[] hits = [HitOf(first, 1), HitOf(second, 2)];
        Assert.Null(await front.ResolveAsync(Source.PeJob, 1, hits, false, false, acceptChanged: false, CancellationToken.None));
        Assert.Contains("\"title\":\"Après\"", await Assemble(front, Source.PeJob, hits, false, false, acceptChanged: true));

        cells.Items.Remove(first.Id); // and then deleted
        PeJobItem third = Versioned(first with { Intitule = "Ailleurs" });
        Assert.Null(await front.ResolveAsync(Source.PeJob, 1, [HitOf(third, 1), HitOf(second, 2)], false, false, acceptChanged: false, CancellationToken.None));
        string answer = await Assemble(front, Source.PeJob, [HitOf(third, 1), HitOf(second, 2)], false, false, acceptChanged: true);
        using var parsed = JsonDocument.Parse(answer);
        Assert.Equal(["2"], parsed.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("job").GetProperty("id").GetString()));
    }

    /// <summary>A front whose kept JSON has a 1 MB budget, over the companies of a small generated dataset, each in its cell.</summary>
    private static (ItemRenderings Front, Cells Cells, MarkingProtector Protector, List<SearchItem> Items) CompaniesBehindOneMegabyte(int seed)
    {
        var generator = new DatasetGenerator(ReferenceData.Load(), new GeneratorOptions { Seed = seed, Scale = 0.02 });
        var cells = new Cells();
        var protector = new MarkingProtector();
        var items = new List<SearchItem>();
        foreach (SearchItem item in generator.Items(Source.Company)) items.Add(Versioned(item));
        foreach (SearchItem item in items) cells.Items[item.Id] = item;
        return (Front(protector, cells, megabytes: 1), cells, protector, items);
    }

    [Fact]
    public async Task The_kept_json_stays_within_its_budget_and_answers_stay_right()
    {
        var (front, cells, protector, items) = CompaniesBehindOneMegabyte(seed: 8);
        long kept = 0;
        var random = new Random(8);
        for (int round = 0; round < 40; round++)
        {
            int from = random.Next(items.Count - 150);
            List<SearchItem> page = items.GetRange(from, 150);
            Hit[] hits = [.. page.Select(i => HitOf(i, 3))];
            Assert.Equal(Write(page, hits, new ItemWriteOptions(protector, false, false)), await Assemble(front, Source.Company, hits, false, false));
            await Task.Delay(5); // the sweep runs on the thread pool
            kept = Math.Max(kept, front.Bytes);
        }
        Assert.True(items.Count * 400L > 2 * 1024 * 1024, "the items must not all fit in the budget");
        Assert.True(front.Bytes <= 1024 * 1024 + 200 * 1024, $"{front.Bytes} bytes kept for a 1 MB budget");
        Assert.True(cells.Fetched > items.Count / 4, "evicted items are fetched again");
    }

    [Fact]
    public async Task Past_its_budget_a_front_keeps_an_item_at_its_second_miss_not_at_its_first()
    {
        var (front, cells, protector, items) = CompaniesBehindOneMegabyte(seed: 9);

        async Task<int> Fetches(SearchItem item)
        {
            int before = cells.Fetched;
            Hit[] hits = [HitOf(item, 2)];
            Assert.Equal(Write([item], hits, new ItemWriteOptions(protector, false, false)), await Assemble(front, Source.Company, hits, false, false));
            return cells.Fetched - before;
        }

        // Room left: kept at the first miss.
        int[] roomLeft = [await Fetches(items[0]), await Fetches(items[0])];
        Assert.Equal([1, 0], roomLeft);

        // Fill up to the budget.
        int next = 1;
        for (; !front.ReachedBudget; next += 150)
        {
            await Assemble(front, Source.Company, [.. items.GetRange(next, 150).Select(i => HitOf(i, 3))], false, false);
        }
        // The sweep that makes room runs on the thread pool: until it has, a rendering admitted may find no free segment.
        for (int wait = 0; wait < 1000 && front.Sweeping; wait++) await Task.Delay(10);

        // Now an item seen once is written and not kept; seen again, it is kept.
        SearchItem fresh = items[next];
        int[] pastBudget = [await Fetches(fresh), await Fetches(fresh), await Fetches(fresh), await Fetches(fresh)];
        Assert.Equal([1, 1, 0, 0], pastBudget);
    }

    /// <summary>A protector that marks what it encrypts with its own name: which front wrote an e-mail shows.</summary>
    private sealed class NamedProtector(string name) : IContactProtector
    {
        public (string Email, string Iv) Protect(string email, string context) => (name + ":" + email, "iv");
    }

    [Fact]
    public async Task Two_fronts_over_the_same_items_each_write_with_their_own_key()
    {
        // Fronts in one process (tests, or a co-hosted front beside an API node) each write e-mails under their own key,
        // in the first rendering and in the second (phones), whichever front wrote first.
        var company = Versioned(new CompanyItem
        {
            Id = "c1", Latitude = 48.85, Longitude = 2.35, RomeCodes = ["M1607"],
            Email = "rh@example.org", Phone = "0102030405",
        });
        var cells = new Cells();
        cells.Items[company.Id] = company;
        ItemRenderings a = Front(new NamedProtector("A"), cells);
        ItemRenderings b = Front(new NamedProtector("B"), cells);
        for (int round = 0; round < 2; round++)
        {
            foreach (bool phone in new[] { false, true })
            {
                string byA = await Assemble(a, Source.Company, [HitOf(company, 1)], phone, false);
                string byB = await Assemble(b, Source.Company, [HitOf(company, 1)], phone, false);
                Assert.Contains("A:rh@example.org", byA);
                Assert.DoesNotContain("B:", byA);
                Assert.Contains("B:rh@example.org", byB);
                Assert.DoesNotContain("A:", byB);
                Assert.Equal(phone, byA.Contains("0102030405"));
            }
        }
    }

    [Fact]
    public void Distances_are_the_rounded_doubles_shortest_text()
    {
        // The integer formatting of hundredths must give what the double formatter gives for Math.Round(d, 2).
        var random = new Random(11);
        var buffer = new byte[32];
        for (int i = 0; i < 400_000; i++)
        {
            double d = (i % 4) switch
            {
                0 => i / 400.0 + 0.005,        // midpoints, and the binary values just around them
                1 => random.NextDouble() * 21_000,
                2 => random.NextDouble() * 0.1,
                _ => Math.BitIncrement(random.Next(0, 2_100_000) / 100.0 + 0.005),
            };
            string expected = Math.Round(d, 2, MidpointRounding.AwayFromZero).ToString(System.Globalization.CultureInfo.InvariantCulture);
            int n = DistanceText.Format(buffer, Source.Formation, d);
            string actual = Encoding.ASCII.GetString(buffer, 0, n);
            if (expected != actual) Assert.Fail($"{d:R}: {actual}, expected {expected}");
        }
        Assert.Equal("null", Encoding.ASCII.GetString(buffer, 0, DistanceText.Format(buffer, Source.Formation, double.NaN)));
        Assert.Equal("0", Encoding.ASCII.GetString(buffer, 0, DistanceText.Format(buffer, Source.PeJob, double.NaN)));
    }

    /// <summary>Distances as searches produce them: near zero, rounding edges, far away, and NaN in listings.</summary>
    private static double Distance(Random random) => random.Next(8) switch
    {
        0 => double.NaN,
        1 => 0,
        2 => random.Next(1, 2000) / 100.0 + 0.005, // a rounding midpoint
        3 => random.NextDouble() * 1e-3,
        4 => 19_000 + random.NextDouble() * 1_000,
        _ => random.NextDouble() * 200,
    };

    /// <summary>Text that looks like the distance property, quotes, escapes and missing fields.</summary>
    private static IEnumerable<SearchItem> Awkward(Source source, SearchItem sample)
    {
        const string tricky = "\"distance\":null \\ \"place\":{\"distance\":0} é ü \u2028 <script>";
        switch (sample)
        {
            case PeJobItem p:
                yield return p with { Id = "awkward-1", Intitule = tricky, Description = tricky, ContactNom = null, ContactCourriel = null };
                yield return p with { Id = "awkward-2", EntrepriseNom = tricky, LieuLibelle = null, CodePostal = null, NatureContrat = tricky };
                break;
            case FormationItem f:
                yield return f with { Id = "awkward-1", IntituleLong = tricky, Objectif = tricky, Contenu = tricky, Adresse = null };
                yield return f with { Id = "awkward-2", DateDebut = [], DateFin = ["not a date"] };
                break;
            case MatchaItem m:
                yield return m with { Id = "awkward-1", JobDescription = tricky + tricky, Recruiter = m.Recruiter with { Email = "", IsDelegated = true } };
                yield return m with { Id = "awkward-2", CustomAddress = tricky, Recruiter = m.Recruiter with { Opco = null, OpcoUrl = null, FirstName = null } };
                break;
            case CompanyItem c:
                yield return c with { Id = "awkward-1", Enseigne = tricky, Email = null, Phone = tricky };
                yield return c with { Id = "awkward-2", StreetName = null, StreetNumber = null, City = tricky };
                break;
            default:
                throw new InvalidOperationException($"No awkward items for {source}.");
        }
    }

    /// <summary>
    /// As a search answer does: resolved and measured, then written; the measure must be exact. Written twice: into one
    /// buffer of the answer's length (what a response pipe gives when asked for it all) and into small pieces whatever
    /// the size asked (what a compressing body's staging may give), which must hold the same bytes.
    /// </summary>
    private static async Task<string> Assemble(ItemRenderings front, Source source, Hit[] hits, bool phone, bool description, bool acceptChanged = false)
    {
        using ItemRenderings.ResultList? list = await front.ResolveAsync(source, 1, hits, phone, description, acceptChanged, CancellationToken.None);
        Assert.NotNull(list);
        using var buffer = new PooledBufferWriter();
        list.WriteTo(buffer);
        Assert.Equal(list.Length, buffer.WrittenCount);
        var pieces = new SmallPieces(37);
        list.WriteTo(pieces);
        Assert.True(buffer.WrittenSpan.SequenceEqual(pieces.Written.WrittenSpan), "written in small pieces, the answer differs");
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Hands out at most <paramref name="piece"/> bytes at a time, whatever size is asked for.</summary>
    private sealed class SmallPieces(int piece) : System.Buffers.IBufferWriter<byte>
    {
        public readonly System.Buffers.ArrayBufferWriter<byte> Written = new();

        public void Advance(int count) => Written.Advance(count);

        public Memory<byte> GetMemory(int sizeHint = 0) => Written.GetMemory(piece)[..piece];

        public Span<byte> GetSpan(int sizeHint = 0) => Written.GetSpan(piece)[..piece];
    }

    /// <summary>The results written item by item, as the item routes write one item.</summary>
    private static string Write(IReadOnlyList<SearchItem> items, Hit[] hits, ItemWriteOptions options)
    {
        using var buffer = new PooledBufferWriter();
        using (var writer = new Utf8JsonWriter(buffer, PooledJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("results"u8);
            for (int i = 0; i < hits.Length; i++) ItemWriter.WriteItem(writer, items[i], hits[i].DistanceKm, options);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
