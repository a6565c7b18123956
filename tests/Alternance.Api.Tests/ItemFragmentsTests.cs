using System.Text;
using System.Text.Json;
using Alternance.Api.Json;
using Alternance.Data;

namespace Alternance.Api.Tests;

/// <summary>
/// Search answers are assembled from each item's cached JSON (<see cref="ItemFragments"/>): they must be byte for byte
/// what writing every item afresh gives, for every source, option and distance, and a replaced item must never answer
/// its old JSON.
/// </summary>
public sealed class ItemFragmentsTests
{
    /// <summary>Deterministic "encryption" so that both writing paths can be compared byte for byte.</summary>
    private sealed class MarkingProtector : IContactProtector
    {
        public (string Email, string Iv) Protect(string email) => ("enc:" + email, "iv:" + email.Length);
    }

    [Fact]
    public void Cached_item_json_is_identical_to_writing_the_items_afresh()
    {
        var generator = new DatasetGenerator(ReferenceData.Load(), new GeneratorOptions { Seed = 5, Scale = 0.004 });
        var random = new Random(5);
        var protector = new MarkingProtector();
        var fragments = new ItemFragments(protector);
        int compared = 0;
        foreach (Source source in Enum.GetValues<Source>())
        {
            var items = new List<SearchItem>(generator.Items(source));
            items.AddRange(Awkward(source, items[0]));
            Assert.True(items.Count > 50, $"{source}: {items.Count} items");
            for (int round = 0; round < 3; round++) // later rounds read the cache the first one filled
            {
                foreach (bool phone in new[] { false, true })
                {
                    foreach (bool description in new[] { false, true })
                    {
                        Hit[] hits = new Hit[items.Count];
                        for (int i = 0; i < hits.Length; i++) hits[i] = new Hit(items[i], Distance(random));
                        string fresh = Write(hits, new ItemWriteOptions(protector, phone, description));
                        string cached = Assemble(fragments, hits, phone, description);
                        Assert.Equal(fresh, cached);
                        using var parsed = JsonDocument.Parse(cached); // and it is JSON
                        Assert.Equal(items.Count, parsed.RootElement.GetProperty("results").GetArrayLength());
                        compared += items.Count;
                    }
                }
            }
        }
        Assert.True(compared > 2_000);
    }

    [Fact]
    public void A_replaced_item_answers_its_new_json()
    {
        var protector = new MarkingProtector();
        var fragments = new ItemFragments(protector);
        var offer = new PeJobItem { Id = "1", Latitude = 48.85, Longitude = 2.35, RomeCodes = ["M1607"], Intitule = "Assistant (H/F)" };
        string before = Assemble(fragments, [new Hit(offer, 1.5)], false, false);
        PeJobItem renamed = offer with { Intitule = "Assistante de direction (H/F)" };
        string after = Assemble(fragments, [new Hit(renamed, 1.5)], false, false);
        Assert.Contains("\"title\":\"Assistant (H/F)\"", before);
        Assert.Contains("\"title\":\"Assistante de direction (H/F)\"", after);
    }

    /// <summary>A protector that marks what it encrypts with its own name: which front wrote an e-mail shows.</summary>
    private sealed class NamedProtector(string name) : IContactProtector
    {
        public (string Email, string Iv) Protect(string email) => (name + ":" + email, "iv");
    }

    [Fact]
    public void Two_fronts_over_the_same_items_each_write_with_their_own_key()
    {
        // Items are shared when fronts share a process with their silo; each front's e-mails are under its own key,
        // in the first rendering (kept on the item) and in the second (phones), whichever front wrote first.
        var company = new CompanyItem
        {
            Id = "c1", Latitude = 48.85, Longitude = 2.35, RomeCodes = ["M1607"],
            Email = "rh@example.org", Phone = "0102030405",
        };
        var a = new ItemFragments(new NamedProtector("A"));
        var b = new ItemFragments(new NamedProtector("B"));
        for (int round = 0; round < 2; round++)
        {
            foreach (bool phone in new[] { false, true })
            {
                string byA = Assemble(a, [new Hit(company, 1)], phone, false);
                string byB = Assemble(b, [new Hit(company, 1)], phone, false);
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
            int n = ItemFragments.FormatDistance(buffer, Source.Formation, d);
            string actual = Encoding.ASCII.GetString(buffer, 0, n);
            if (expected != actual) Assert.Fail($"{d:R}: {actual}, expected {expected}");
        }
        Assert.Equal("null", Encoding.ASCII.GetString(buffer, 0, ItemFragments.FormatDistance(buffer, Source.Formation, double.NaN)));
        Assert.Equal("0", Encoding.ASCII.GetString(buffer, 0, ItemFragments.FormatDistance(buffer, Source.PeJob, double.NaN)));
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

    /// <summary>As a search answer does: resolved and measured, then written; the measure must be exact.</summary>
    private static string Assemble(ItemFragments fragments, Hit[] hits, bool phone, bool description)
    {
        using ItemFragments.ResultList list = fragments.Resolve(hits, hits[0].Item.Source, phone, description);
        using var buffer = new PooledBufferWriter();
        list.WriteTo(buffer);
        Assert.Equal(list.Length, buffer.WrittenCount);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Write(Hit[] hits, ItemWriteOptions options)
    {
        using var buffer = new PooledBufferWriter();
        using (var writer = new Utf8JsonWriter(buffer, PooledJson.WriterOptions))
        {
            ItemWriter.WriteResults(writer, hits, options);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
