using System.Security.Cryptography;

namespace Alternance.Data.Tests;

public sealed class GeneratorTests
{
    private static readonly GeneratorOptions Small = new() { Scale = 0.01 };
    private static DatasetGenerator Gen(GeneratorOptions? o = null) => new(Shared.Reference, o ?? Small);

    // Generous boxes around metropolitan France (with Corsica) and the five overseas départements.
    private static readonly (string Name, double MinLat, double MaxLat, double MinLon, double MaxLon)[] Boxes =
    [
        ("metro", 41.2, 51.2, -5.3, 9.7),
        ("Guadeloupe", 15.8, 16.6, -61.9, -60.9),
        ("Martinique", 14.3, 14.95, -61.3, -60.75),
        ("Guyane", 2.0, 5.9, -54.7, -51.5),
        ("La Réunion", -21.45, -20.8, 55.15, 55.9),
        ("Mayotte", -13.1, -12.55, 44.95, 45.35),
    ];

    private static string? BoxOf(double lat, double lon)
    {
        foreach (var b in Boxes)
            if (lat >= b.MinLat && lat <= b.MaxLat && lon >= b.MinLon && lon <= b.MaxLon) return b.Name;
        return null;
    }

    private static IEnumerable<SearchItem> All(DatasetGenerator g) =>
        g.Formations().Cast<SearchItem>().Concat(g.PeJobs()).Concat(g.Matchas()).Concat(g.Companies());

    private static async Task<string> FeedHash(DatasetGenerator g, Source source)
    {
        var ms = new MemoryStream();
        await FeedWriter.WriteAsync(ms, source, g.Items(source));
        return Convert.ToHexString(SHA256.HashData(ms.ToArray()));
    }

    [Fact]
    public async Task The_same_seed_gives_byte_identical_feeds_and_another_seed_different_ones()
    {
        foreach (var source in (Source[])[Source.Formation, Source.PeJob, Source.Matcha, Source.Company])
        {
            var a = await FeedHash(Gen(), source);
            var b = await FeedHash(Gen(), source);
            var c = await FeedHash(Gen(Small with { Seed = 7 }), source);
            Assert.Equal(a, b);
            Assert.NotEqual(a, c);
        }
    }

    [Fact]
    public void Sources_are_independent_streams()
    {
        var g = Gen();
        var companiesFirst = g.Companies().Select(Shared.Canonical).ToList();
        _ = g.Formations().Count();
        _ = g.PeJobs().Count();
        Assert.Equal(companiesFirst, Gen().Companies().Select(Shared.Canonical));
    }

    [Fact]
    public void The_output_is_pinned_across_runtimes()
    {
        // First items of the default seed: a change here means every generated dataset changed.
        var g = Gen();
        var f = g.Formations().First();
        var c = g.Companies().First();
        Assert.True(Siret.IsValid(c.Id));
        Assert.Equal(f.Id, Gen().Formations().First().Id);
        Assert.Equal(Pinned.FormationId, f.Id);
        Assert.Equal(Pinned.FormationLatitude, f.Latitude);
        Assert.Equal(Pinned.CompanyId, c.Id);
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.03)]
    public void Counts_are_proportional_to_the_scale(double scale)
    {
        var g = Gen(new GeneratorOptions { Scale = scale });
        Assert.Equal((int)Math.Round(50_000 * scale), g.FormationCount);
        Assert.Equal((int)Math.Round(100_000 * scale), g.PeJobCount);
        Assert.Equal((int)Math.Round(25_000 * scale), g.MatchaCount);
        Assert.Equal((int)Math.Round(300_000 * scale), g.CompanyCount);
        Assert.Equal(g.FormationCount, g.Formations().Count());
        Assert.Equal(g.PeJobCount, g.PeJobs().Count());
        Assert.Equal(g.CompanyCount, g.Companies().Count());
        var matchas = g.Matchas().ToList();
        Assert.Equal(g.MatchaCount, matchas.Count);
        // ~12,000 recruiters for 25,000 offers at scale 1.
        int recruiters = matchas.Select(m => m.Recruiter.EstablishmentId).Distinct().Count();
        Assert.InRange(recruiters, 12_000 * scale * 0.8, 12_000 * scale * 1.25);
    }

    [Fact]
    public void Scale_one_has_the_real_service_volumes()
    {
        var g = Gen(new GeneratorOptions());
        Assert.Equal(50_000, g.FormationCount);
        Assert.Equal(100_000, g.PeJobCount);
        Assert.Equal(25_000, g.MatchaCount);
        Assert.Equal(300_000, g.CompanyCount);
    }

    [Fact]
    public void Every_position_is_in_France_or_an_overseas_departement_and_both_occur()
    {
        var g = Gen(new GeneratorOptions { Scale = 0.1 });
        var seen = new HashSet<string>();
        foreach (var item in All(g))
        {
            var box = BoxOf(item.Latitude, item.Longitude);
            Assert.True(box is not null, $"{item.Source} {item.Id} at {item.Latitude},{item.Longitude}");
            seen.Add(box!);
        }
        Assert.Contains("metro", seen);
        Assert.Contains("La Réunion", seen);
        Assert.True(seen.Count >= 4, string.Join(",", seen));
        // The reference communes themselves fit the boxes (the boxes are not too tight to mean anything).
        Assert.All(Shared.Reference.Communes, c => Assert.NotNull(BoxOf(c.Latitude, c.Longitude)));
    }

    [Fact]
    public void Ids_are_unique_within_each_source_and_shaped_like_the_real_ones()
    {
        var g = Gen(new GeneratorOptions { Scale = 0.05 });
        var formations = g.Formations().ToList();
        var pejobs = g.PeJobs().ToList();
        var matchas = g.Matchas().ToList();
        var companies = g.Companies().ToList();
        Assert.Equal(formations.Count, formations.Select(i => i.Id).Distinct().Count());
        Assert.Equal(pejobs.Count, pejobs.Select(i => i.Id).Distinct().Count());
        Assert.Equal(matchas.Count, matchas.Select(i => i.Id).Distinct().Count());
        Assert.Equal(companies.Count, companies.Select(i => i.Id).Distinct().Count());

        Assert.All(pejobs, p => Assert.Matches("^[0-9]{3}[0-9A-Z]{4}$", p.Id));
        Assert.All(matchas, m => Assert.Matches("^[0-9a-f]{24}$", m.Id));
        Assert.All(matchas, m => Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", m.Recruiter.EstablishmentId));
        Assert.All(companies, c => Assert.True(Siret.IsValid(c.Id), c.Id));
        Assert.All(companies, c => Assert.True(Siret.IsValidSiren(c.Id.AsSpan(0, 9)), c.Id));
        Assert.All(matchas, m => Assert.True(Siret.IsValid(m.Recruiter.Siret), m.Recruiter.Siret));
        Assert.All(formations, f => Assert.True(Siret.IsValid(f.FormateurSiret), f.FormateurSiret));
        Assert.All(formations, f => Assert.Contains("#L", f.Id));
    }

    [Fact]
    public void Trainings_carry_real_codes_levels_and_one_to_four_romes_of_one_subdomain()
    {
        var r = Shared.Reference;
        var formations = Gen(new GeneratorOptions { Scale = 0.05 }).Formations().ToList();
        var levels = r.DiplomaLevels.Where(d => d.Level > 0).Select(d => d.LbaParam).ToHashSet();
        int withRncp = 0;
        foreach (var f in formations)
        {
            Assert.InRange(f.RomeCodes.Length, 1, 4);
            Assert.Equal(f.RomeCodes.Length, f.RomeCodes.Distinct().Count());
            Assert.All(f.RomeCodes, code => Assert.True(r.IsRomeCode(code), code));
            Assert.Single(f.RomeCodes.Select(code => r.FindRome(code)!.SubdomainCode).Distinct());
            Assert.Contains(f.Niveau!, levels);
            Assert.InRange(f.DiplomaLevel, 3, 7);
            Assert.Matches("^[0-9]{8}$", f.Cfd);
            Assert.EndsWith(")", f.IntituleLong);
            Assert.StartsWith(f.IntituleCourt!, f.IntituleLong);
            Assert.Equal(r.FindCommune(f.CodeCommuneInsee)?.DepartementCode, f.NumDepartement);
            Assert.NotEmpty(f.DateDebut);
            if (f.RncpCode is not null)
            {
                withRncp++;
                var cert = r.FindRncp(f.RncpCode);
                Assert.NotNull(cert);
                Assert.Equal(cert.Title, f.RncpIntitule);
                Assert.Contains(f.RomeCodes[0], cert.RomeCodesV4);
            }
        }
        Assert.True(withRncp > formations.Count * 0.8, $"{withRncp} of {formations.Count} cite an RNCP code");
    }

    [Fact]
    public void Rome_popularity_is_skewed()
    {
        var counts = Gen(new GeneratorOptions { Scale = 0.1 }).PeJobs().GroupBy(p => p.RomeCodes[0]).Select(g => g.Count())
            .OrderDescending().ToList();
        int total = counts.Sum();
        // Zipf-like: the ten most common codes hold far more than 10/1584 of the offers.
        Assert.True(counts.Take(10).Sum() > total * 0.15, $"top 10 = {counts.Take(10).Sum()} of {total}");
        Assert.True(counts.Count > 300, $"{counts.Count} distinct codes");
    }

    [Fact]
    public void Establishments_share_exact_coordinates_so_distance_ties_happen()
    {
        var g = Gen(new GeneratorOptions { Scale = 0.05 });
        static int Shared(IEnumerable<SearchItem> items) =>
            items.GroupBy(i => (i.Latitude, i.Longitude)).Count(grp => grp.Count() > 1);
        Assert.True(Shared(g.Formations()) > 50);
        Assert.True(Shared(g.PeJobs()) > 50);
        Assert.True(Shared(g.Matchas()) > 20);
        Assert.True(Shared(g.Companies()) > 100);
    }

    [Fact]
    public void About_two_percent_of_trainings_are_near_duplicates()
    {
        var formations = Gen(new GeneratorOptions { Scale = 0.1 }).Formations().ToList();
        var dupes = formations
            .GroupBy(f => (f.IntituleLong, f.IntituleCourt, f.FormateurSiret, f.Diplome, f.CodePostal))
            .Where(grp => grp.Select(f => (f.Latitude, f.Longitude)).Distinct().Count() > 1)
            .ToList();
        Assert.InRange(dupes.Count, formations.Count * 0.01, formations.Count * 0.04);
        Assert.All(dupes, grp => Assert.Equal(grp.Count(), grp.Select(f => f.Id).Distinct().Count()));
    }

    [Fact]
    public void Offers_and_companies_use_the_reference_vocabularies()
    {
        var r = Shared.Reference;
        var g = Gen(new GeneratorOptions { Scale = 0.05 });
        var pejobs = g.PeJobs().ToList();
        Assert.All(pejobs, p => Assert.Contains(p.AppellationLibelle, r.AppellationsForRome(p.RomeCodes[0]).Select(a => a.Label)));
        Assert.All(pejobs, p => Assert.True(p.NiveauFormation is null or "NV1" or "NV2" or "NV3" or "NV4" or "NV5"));
        Assert.Contains(pejobs, p => p.NiveauFormation is null);
        Assert.Contains(pejobs, p => p.NatureContrat == "Cont. professionnalisation");

        var matchas = g.Matchas().ToList();
        string[] levels = ["Indifférent", "Cap, autres formations niveau (Infrabac)", "BP, Bac, autres formations niveau (Bac)",
            "BTS, DEUST, autres formations niveau (Bac+2)", "Licence, autres formations niveau (Bac+3)",
            "Master, titre ingénieur, autres formations niveau (Bac+5)"];
        Assert.All(matchas, m => Assert.Contains(m.JobLevelLabel, levels));
        Assert.All(matchas, m => Assert.NotNull(r.FindNaf(m.Recruiter.NafCode)));
        Assert.All(matchas, m => Assert.NotNull(r.FindOpco(m.Recruiter.Opco)));
        Assert.All(matchas, m => Assert.True(m.JobStatus is "Active" or "Pourvue" or "Annulée"));
        Assert.True(matchas.Count(m => m.JobStatus == "Active") > matchas.Count * 0.7);
        Assert.Contains(matchas, m => m.Recruiter.Status == "Archivé");
        Assert.True(matchas.Count(m => m.Recruiter.Status == "Actif") > matchas.Count * 0.8);
        Assert.True(matchas.Count(m => m.IsMultiPublished) > matchas.Count * 0.75);

        var companies = g.Companies().ToList();
        Assert.All(companies, c => Assert.InRange(c.RomeCodes.Length, 1, 5));
        Assert.All(companies, c => Assert.Equal(r.FindNaf(c.NafCode)?.Label, c.NafLabel));
        Assert.All(companies.Where(c => c.OpcoShortName is not null), c => Assert.Equal(c.OpcoShortName, r.FindOpco(c.Opco)?.Key));
        Assert.All(companies, c => Assert.InRange(c.RecruitmentPotential, 0.5, 10));
    }
}
