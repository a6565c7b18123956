using System.IO.Compression;
using System.Text;

namespace Alternance.Data.Tests;

public sealed class FeedWriterTests
{
    private static readonly GeneratorOptions Small = new() { Scale = 0.01 };

    [Theory]
    [InlineData(Source.Formation, false)]
    [InlineData(Source.PeJob, false)]
    [InlineData(Source.Matcha, false)]
    [InlineData(Source.Company, false)]
    [InlineData(Source.Formation, true)]
    [InlineData(Source.Matcha, true)]
    public async Task Generated_items_written_then_read_back_are_equal(Source source, bool gzip)
    {
        var g = new DatasetGenerator(Shared.Reference, Small);
        var expected = g.Items(source).ToList();
        var ms = new MemoryStream();
        await FeedWriter.WriteAsync(ms, source, expected, gzip);
        ms.Position = 0;
        Assert.Equal(gzip, ms.Length > 2 && ms.GetBuffer()[0] == 0x1F && ms.GetBuffer()[1] == 0x8B);
        var (items, report) = await FeedReader.ReadAllAsync(ms, source);
        Assert.Equal(0, report.Rejected);
        Assert.Equal(expected.Count, items.Count);
        Assert.Equal(expected.Select(Shared.Canonical), items.Select(Shared.Canonical));
    }

    [Fact]
    public async Task Recruiters_are_written_one_document_per_recruiter_with_its_jobs()
    {
        var jobs = new DatasetGenerator(Shared.Reference, Small).Matchas().ToList();
        // Shuffle so the jobs of a recruiter are not together: the writer still groups them.
        var shuffled = jobs.Where((_, i) => i % 2 == 0).Concat(jobs.Where((_, i) => i % 2 == 1)).ToList();
        var ms = new MemoryStream();
        await FeedWriter.WriteAsync(ms, Source.Matcha, shuffled);
        var lines = Encoding.UTF8.GetString(ms.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(jobs.Select(j => j.Recruiter.EstablishmentId).Distinct().Count(), lines.Length);
        ms.Position = 0;
        var (items, _) = await FeedReader.ReadAllAsync(ms, Source.Matcha);
        Assert.Equal(jobs.Select(Shared.Canonical).Order(), items.Select(Shared.Canonical).Order());
        // Jobs of one recruiter share one RecruiterInfo instance after reading.
        var byRecruiter = items.Cast<MatchaItem>().GroupBy(m => m.Recruiter.EstablishmentId);
        Assert.All(byRecruiter, grp => Assert.Single(grp.Select(m => m.Recruiter).Distinct(ReferenceEqualityComparer.Instance)));
    }

    [Fact]
    public async Task Awkward_text_and_every_field_survive_a_round_trip()
    {
        var recruiter = new RecruiterInfo
        {
            EstablishmentId = "r-1", Siret = "78424186100011", RaisonSociale = "L'ÉCOLE \"NOUVELLE\"", Enseigne = "Œuvre & Cie",
            Address = "1 rue\tdu Port", City = "Saint-Denis", Latitude = -20.882057, Longitude = 55.450675, FirstName = "Zoé",
            LastName = "N'Guyen", Phone = "0262000000", Email = "a@b.re", Opco = "AKTO", OpcoUrl = "https://www.akto.fr", Idcc = "843",
            NafCode = "56.10A", NafLabel = "Restauration traditionnelle", EstablishmentSize = "1 ou 2 salariés",
            EstablishmentCreationDate = "2001-01-01T00:00:00.000Z", IsDelegated = true, CfaDelegatedSiret = "19690000000017",
            Status = "Archivé", Origin = "lba", ManagedBy = "abc",
        };
        SearchItem[] formations =
        [
            new FormationItem
            {
                Id = "id with \\ backslash and \u2028 separator", Latitude = 0.1 + 0.2, Longitude = -0.000001, RomeCodes = ["A1101", "A1102"],
                IntituleLong = "ligne 1\nligne 2", Niveau = "7 (Master, titre ingénieur...)", RncpEligibleApprentissage = false,
                DateDebut = ["a", "b"], DateFin = [], EntierementADistance = true, FormateurCedex = "CEDEX 9", Contenu = "emoji 🎓",
            },
        ];
        SearchItem[] matchas =
        [
            new MatchaItem
            {
                Id = "j-1", Latitude = recruiter.Latitude, Longitude = recruiter.Longitude, RomeCodes = ["G1602"], Recruiter = recruiter,
                JobType = ["Apprentissage"], JobStatus = "En attente", IsMultiPublished = false, JobCount = 3, JobDuration = null,
                JobProlongationCount = 2, CustomAddress = "Marché", CustomJobTitle = "Commis",
            },
            new MatchaItem { Id = "j-2", Latitude = recruiter.Latitude, Longitude = recruiter.Longitude, RomeCodes = ["G1603"], Recruiter = recruiter, JobDuration = 12 },
        ];
        SearchItem[] pejobs =
        [
            new PeJobItem { Id = "1ABCDEF", Latitude = 48.1, Longitude = -1.6, RomeCodes = ["M1805"], Opco = "ATLAS", OpcoUrl = "https://x", NiveauFormation = "NV2" },
        ];
        SearchItem[] companies =
        [
            new CompanyItem { Id = "78424186100011", Latitude = 43.3, Longitude = 5.4, RomeCodes = ["M1805"], RecruitmentPotential = 1.0 / 3 },
        ];
        foreach (var (source, items) in new[] { (Source.Formation, formations), (Source.Matcha, matchas), (Source.PeJob, pejobs), (Source.Company, companies) })
        {
            var ms = new MemoryStream();
            await FeedWriter.WriteAsync(ms, source, items);
            var text = Encoding.UTF8.GetString(ms.ToArray());
            Assert.Equal(source == Source.Matcha ? 1 : items.Length, text.Count(c => c == '\n')); // one line per document
            ms.Position = 0;
            var (read, report) = await FeedReader.ReadAllAsync(ms, source);
            Assert.Equal(0, report.Rejected);
            Assert.Equal(items.Select(Shared.Canonical), read.Select(Shared.Canonical));
        }
    }

    [Fact]
    public async Task Writing_an_item_of_another_source_is_refused()
    {
        var f = new DatasetGenerator(Shared.Reference, Small).Formations().First();
        await Assert.ThrowsAsync<ArgumentException>(() => FeedWriter.WriteAsync(new MemoryStream(), Source.Company, [f]));
    }

    [Fact]
    public async Task WriteFeedsAsync_writes_the_four_files_that_the_reader_reads_back()
    {
        var dir = Path.Combine(Path.GetTempPath(), "alt-data-" + Guid.NewGuid().ToString("N"));
        try
        {
            var g = new DatasetGenerator(Shared.Reference, Small);
            await g.WriteFeedsAsync(dir, gzip: true);
            Assert.Equal(["companies.jsonl.gz", "formations.jsonl.gz", "peJobs.jsonl.gz", "recruiters.jsonl.gz"],
                Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            foreach (var source in (Source[])[Source.Formation, Source.PeJob, Source.Matcha, Source.Company])
            {
                var items = new List<SearchItem>();
                var report = await FeedReader.ReadFileAsync(Path.Combine(dir, DatasetGenerator.FeedFileName(source, true)), source, b =>
                {
                    items.AddRange(b.ToArray());
                    return ValueTask.CompletedTask;
                });
                Assert.Equal(0, report.Rejected);
                Assert.Equal(g.Items(source).Select(Shared.Canonical), items.Select(Shared.Canonical));
            }
            await using var gz = new GZipStream(File.OpenRead(Path.Combine(dir, "peJobs.jsonl.gz")), CompressionMode.Decompress);
            using var reader = new StreamReader(gz);
            Assert.StartsWith("{\"id\":\"", await reader.ReadLineAsync());
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }
}
