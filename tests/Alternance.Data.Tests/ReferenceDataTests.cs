namespace Alternance.Data.Tests;

public sealed class ReferenceDataTests
{
    private static ReferenceData Ref => Shared.Reference;

    [Fact]
    public void Load_reads_every_table_with_its_row_count()
    {
        Assert.Equal(34_875, Ref.Communes.Count);
        Assert.Equal(45, Ref.Arrondissements.Count);
        Assert.Equal(101, Ref.Departements.Count);
        Assert.Equal(18, Ref.Regions.Count);
        Assert.Equal(1_584, Ref.Romes.Count);
        Assert.Equal(1_584, Ref.RomeCodes.Count);
        Assert.Equal(14, Ref.RomeDomains.Count);
        Assert.Equal(110, Ref.RomeSubdomains.Count);
        Assert.Equal(13_120, Ref.Appellations.Count);
        Assert.Equal(732, Ref.NafCodes.Count);
        Assert.Equal(21, Ref.NafSections.Count);
        Assert.Equal(11, Ref.Opcos.Count);
        Assert.Equal(6, Ref.DiplomaLevels.Count);
        Assert.Equal(16_160, Ref.Rncps.Count);
        Assert.Contains("Licence Ouverte", Ref.SourcesMarkdown);
    }

    [Fact]
    public void LoadFrom_a_folder_reads_the_same_tables_and_the_embedded_files_are_all_there()
    {
        var assembly = typeof(ReferenceData).Assembly;
        const string Prefix = "Alternance.Data.ReferenceData.";
        var names = assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).ToList();
        Assert.Equal(15, names.Count); // 13 CSV, the RNCP gzip, SOURCES.md
        var dir = Path.Combine(Path.GetTempPath(), "alt-ref-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            foreach (var name in names)
            {
                using var from = assembly.GetManifestResourceStream(name)!;
                using var to = File.Create(Path.Combine(dir, name[Prefix.Length..]));
                from.CopyTo(to);
            }
            var copy = ReferenceData.LoadFrom(dir);
            Assert.Equal(Ref.Communes.Count, copy.Communes.Count);
            Assert.Equal(Ref.Rncps.Count, copy.Rncps.Count);
            Assert.Equal(Ref.Appellations.Count, copy.Appellations.Count);
            Assert.Equal(Ref.RomesForRncp("RNCP184"), copy.RomesForRncp("RNCP184"));
            var arrondissement = copy.FindCommune("75101");
            Assert.NotNull(arrondissement);
            Assert.Equal(Ref.FindCommune("75101"), arrondissement with { PostalCodes = Ref.FindCommune("75101")!.PostalCodes });
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Paris_is_found_with_its_centre_postal_codes_and_population()
    {
        var paris = Ref.FindCommune("75056");
        Assert.NotNull(paris);
        Assert.Equal("Paris", paris.Name);
        Assert.InRange(paris.Latitude, 48.84, 48.88);
        Assert.InRange(paris.Longitude, 2.32, 2.38);
        Assert.Equal("75", paris.DepartementCode);
        Assert.Equal("11", paris.RegionCode);
        Assert.Equal("Île-de-France", paris.RegionName);
        Assert.Contains("75116", paris.PostalCodes);
        Assert.Equal(21, paris.PostalCodes.Length);
        Assert.True(paris.Population > 2_000_000);
        Assert.False(paris.IsArrondissement);
        Assert.Contains(paris, Ref.CommunesByPostalCode("75011"));
    }

    [Theory]
    [InlineData("75101", "75056", "75001")]
    [InlineData("75120", "75056", "75020")]
    [InlineData("13201", "13055", "13001")]
    [InlineData("69381", "69123", "69001")]
    public void Municipal_arrondissements_are_known_at_their_parents_centre(string insee, string parent, string postal)
    {
        var a = Ref.FindCommune(insee);
        var p = Ref.FindCommune(parent);
        Assert.NotNull(a);
        Assert.NotNull(p);
        Assert.True(a.IsArrondissement);
        Assert.Equal(parent, a.ParentInsee);
        Assert.Equal(postal, a.PostalCode);
        Assert.Equal(p.Latitude, a.Latitude);
        Assert.Equal(p.Longitude, a.Longitude);
        Assert.Equal(p.RegionCode, a.RegionCode);
        Assert.DoesNotContain(a, Ref.Communes);
        Assert.Contains(a, Ref.ArrondissementsOf(parent));
    }

    [Fact]
    public void Corsica_2A_and_2B_are_communes_departements_and_one_region_with_postal_prefix_20()
    {
        var ajaccio = Ref.FindCommune("2A004");
        Assert.NotNull(ajaccio);
        Assert.Equal("Ajaccio", ajaccio.Name);
        Assert.Equal("2A", ajaccio.DepartementCode);
        Assert.Same(ajaccio, Ref.FindCommune("2a004"));
        Assert.Equal("Bastia", Ref.FindCommune("2B033")?.Name);
        Assert.Equal("Corse-du-Sud", Ref.FindDepartement("2A")?.Name);
        Assert.Equal("20", Ref.FindDepartement("2B")?.PostalPrefix);
        var corse = Ref.FindRegion("94");
        Assert.NotNull(corse);
        Assert.Equal(["2A", "2B"], corse.DepartementCodes);
        Assert.Equal(["20"], corse.PostalPrefixes);
    }

    [Fact]
    public void Overseas_departements_and_regions_are_present()
    {
        Assert.Equal("La Réunion", Ref.FindDepartement("974")?.Name);
        Assert.Equal("drom", Ref.FindRegion("06")?.Zone);
        Assert.Equal(["976"], Ref.FindRegion("06")?.PostalPrefixes);
        var stDenis = Ref.FindCommune("97411");
        Assert.NotNull(stDenis);
        Assert.True(stDenis.IsOverseas);
        Assert.InRange(stDenis.Latitude, -21.0, -20.8);
        Assert.Equal(["01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74"], Ref.FindRegion("84")?.PostalPrefixes);
        Assert.Null(Ref.FindCommune("99999"));
        Assert.Null(Ref.FindCommune(null));
    }

    [Fact]
    public void Rome_codes_domains_subdomains_and_appellations_are_indexed()
    {
        var boulanger = Ref.FindRome("D1102");
        Assert.NotNull(boulanger);
        Assert.Equal("Boulanger / Boulangère", boulanger.Label);
        Assert.Equal("D", boulanger.DomainCode);
        Assert.Equal("D11", boulanger.SubdomainCode);
        Assert.Same(boulanger, Ref.FindRome("d1102"));
        Assert.True(Ref.IsRomeCode("M1805"));
        Assert.False(Ref.IsRomeCode("Z9999"));
        Assert.Contains(boulanger, Ref.RomesIn("D11"));
        Assert.Contains(boulanger, Ref.RomesIn("D"));
        Assert.Equal(115, Ref.RomesIn("D").Count); // rome_domains.csv rome_codes_count
        Assert.Empty(Ref.RomesIn("Z"));
        Assert.Equal("Santé", Ref.FindRomeDomain("J")?.Label);
        Assert.Equal("Commerce alimentaire et métiers de bouche", Ref.FindRomeSubdomain("D11")?.Label);
        Assert.Equal(Ref.RomeCodes.Order(StringComparer.Ordinal), Ref.RomeCodes);

        var appellation = Ref.FindAppellation("404030");
        Assert.NotNull(appellation);
        Assert.Equal("A1101", appellation.RomeCode);
        Assert.True(appellation.IsPrincipal);
        var forRome = Ref.AppellationsForRome("A1101");
        Assert.Contains(forRome, a => a.CodeOgr == "11987" && !a.IsPrincipal);
        Assert.All(forRome, a => Assert.Equal("A1101", a.RomeCode));
        Assert.Equal(["A1101", "A1102"], Ref.RomeV4ForV3("A1101"));
    }

    [Fact]
    public void Naf_opco_and_diploma_tables_resolve_their_codes()
    {
        var naf = Ref.FindNaf("56.10A");
        Assert.NotNull(naf);
        Assert.Same(naf, Ref.FindNaf("5610A"));
        Assert.Equal("Restauration traditionnelle", naf.Label);
        Assert.Equal("I", naf.SectionCode);
        Assert.Null(Ref.FindNaf("00.00Z"));

        Assert.Equal("AKTO", Ref.FindOpco("akto")?.Key);
        Assert.Equal("UNIFORMATION", Ref.FindOpco("Uniformation, l'Opco de la Cohésion sociale")?.Key);
        Assert.Null(Ref.FindOpco("nope"));

        Assert.Equal("3 (CAP...)", Ref.DiplomaForLevel(3)?.LbaParam);
        Assert.Equal("7 (Master, titre ingénieur...)", Ref.DiplomaForLevel(7)?.LbaParam);
        Assert.Equal("NV5", Ref.DiplomaForLevel(3)?.FranceTravailNiveau);
        Assert.Equal(5, Ref.DiplomaForParam("5xxx")?.Level);
        Assert.Equal(6, Ref.DiplomaForParam("6 (Licence, BUT...)")?.Level);
        Assert.Null(Ref.DiplomaForParam("8 (Doctorat)"));
        Assert.Null(Ref.DiplomaForLevel(2));
        Assert.Equal(7, Ref.DiplomaForFranceTravail("NV1")?.Level);
        Assert.Equal("Indifférent", Ref.DiplomaLevels[^1].LbaParam);
    }

    [Fact]
    public void Rncp_codes_resolve_to_rome_v4_codes_through_the_v3_mapping()
    {
        Assert.Equal(["H2906", "H3301", "H3304", "H3305"], Ref.RomesForRncp("RNCP184"));
        Assert.Equal(["G1602", "G1606", "G1609", "G1610", "G1613"], Ref.RomesForRncp("rncp31053"));
        var cert = Ref.FindRncp("RNCP184");
        Assert.NotNull(cert);
        Assert.Equal(3, cert.LevelEu);
        Assert.True(cert.Active2021);
        Assert.Equal(["H2906", "H3301"], cert.RomeCodesV3);
        // Only a v3 "subdomain" code (M1800) that has no v4 counterpart: known, but no ROME.
        Assert.NotNull(Ref.FindRncp("RNCP34342"));
        Assert.Empty(Ref.RomesForRncp("RNCP34342"));
        Assert.Empty(Ref.RomesForRncp("RNCP0"));
        Assert.All(Ref.Rncps, c => Assert.All(c.RomeCodesV4, code => Assert.True(Ref.IsRomeCode(code), code)));
    }
}
