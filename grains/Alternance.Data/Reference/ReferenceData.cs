using System.IO.Compression;
using System.Runtime.CompilerServices;
using nietras.SeparatedValues;

namespace Alternance.Data;

/// <summary>
/// The bundled reference tables (communes, départements, régions, ROME 4.0, appellations, NAF, OPCOs, diploma levels,
/// RNCP → ROME), read from the CSV files embedded in this assembly. Immutable once loaded: register one instance as a
/// singleton (<c>services.AddSingleton(ReferenceData.Load())</c>). Look-ups are case-insensitive on codes.
/// </summary>
public sealed class ReferenceData
{
    private const string ResourcePrefix = "Alternance.Data.ReferenceData.";

    private readonly Dictionary<string, Commune> _communeByInsee;
    private readonly Dictionary<string, List<Commune>> _communesByDepartement;
    private readonly Dictionary<string, List<Commune>> _communesByPostalCode;
    private readonly Dictionary<string, Departement> _departementByCode;
    private readonly Dictionary<string, Region> _regionByCode;
    private readonly Dictionary<string, RomeCode> _romeByCode;
    private readonly Dictionary<string, List<RomeCode>> _romesByDomainOrSubdomain;
    private readonly Dictionary<string, RomeDomain> _domainByCode;
    private readonly Dictionary<string, RomeSubdomain> _subdomainByCode;
    private readonly Dictionary<string, RomeAppellation> _appellationByOgr;
    private readonly Dictionary<string, List<RomeAppellation>> _appellationsByRome;
    private readonly Dictionary<string, string[]> _v4ByV3;
    private readonly Dictionary<string, NafCode> _nafByCode;
    private readonly Dictionary<string, Opco> _opcoByName;
    private readonly Dictionary<string, RncpCertification> _rncpByCode;
    private readonly DiplomaLevel?[] _diplomaByLevel = new DiplomaLevel?[8];

    public IReadOnlyList<Commune> Communes { get; }
    public IReadOnlyList<Commune> Arrondissements { get; }
    public IReadOnlyList<Departement> Departements { get; }
    public IReadOnlyList<Region> Regions { get; }
    /// <summary>ROME 4.0 fiches, in code order.</summary>
    public IReadOnlyList<RomeCode> Romes { get; }
    /// <summary>All ROME 4.0 codes, in order.</summary>
    public IReadOnlyList<string> RomeCodes { get; }
    public IReadOnlyList<RomeDomain> RomeDomains { get; }
    public IReadOnlyList<RomeSubdomain> RomeSubdomains { get; }
    public IReadOnlyList<RomeAppellation> Appellations { get; }
    public IReadOnlyList<NafCode> NafCodes { get; }
    public IReadOnlyList<NafSection> NafSections { get; }
    public IReadOnlyList<Opco> Opcos { get; }
    /// <summary>Levels 3..7 in order, then <c>Indifférent</c> (level 0).</summary>
    public IReadOnlyList<DiplomaLevel> DiplomaLevels { get; }
    public IReadOnlyList<RncpCertification> Rncps { get; }
    /// <summary>SOURCES.md: origin, licences and the attribution text the Licence Ouverte requires.</summary>
    public string SourcesMarkdown { get; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once: straight to optimized code, not tier-0
    private ReferenceData(string? directory)
    {
        // The three big tables (gzip RNCP, communes, appellations) load on their own threads while the small ones are
        // parsed here; on two cores this about halves the wall time.
        var rncpTask = Start(() => ReadRncpRows(directory));
        var communesTask = Start(() => LoadCommunes(directory));
        var appellationsTask = Start(() => LoadAppellations(directory));

        var departements = new List<Departement>(101);
        _departementByCode = new Dictionary<string, Departement>(StringComparer.OrdinalIgnoreCase);
        using (var reader = Open(directory, "departements.csv"))
        {
            var h = reader.Header;
            int code = h.IndexOf("code"), name = h.IndexOf("name"), reg = h.IndexOf("region_code"), regName = h.IndexOf("region_name"),
                zone = h.IndexOf("zone"), cli = h.IndexOf("chef_lieu_insee"), cln = h.IndexOf("chef_lieu_name"),
                clLat = h.IndexOf("chef_lieu_latitude"), clLon = h.IndexOf("chef_lieu_longitude"),
                cLat = h.IndexOf("centroid_latitude"), cLon = h.IndexOf("centroid_longitude"),
                count = h.IndexOf("communes_count"), pop = h.IndexOf("population");
            foreach (var row in reader)
            {
                var d = new Departement(row[code].ToString(), new string(row[name].Span), row[reg].ToString(), row[regName].ToString(),
                    row[zone].ToString(), row[cli].ToString(), row[cln].ToString(), row[clLat].Parse<double>(), row[clLon].Parse<double>(),
                    row[cLat].Parse<double>(), row[cLon].Parse<double>(), ParseInt(row[count].Span), ParseLong(row[pop].Span));
                departements.Add(d);
                _departementByCode[d.Code] = d;
            }
        }
        Departements = departements;

        var regions = new List<Region>(18);
        _regionByCode = new Dictionary<string, Region>(StringComparer.OrdinalIgnoreCase);
        using (var reader = Open(directory, "regions.csv"))
        {
            var h = reader.Header;
            int code = h.IndexOf("code"), name = h.IndexOf("name"), zone = h.IndexOf("zone"), cli = h.IndexOf("chef_lieu_insee"),
                cln = h.IndexOf("chef_lieu_name"), clLat = h.IndexOf("chef_lieu_latitude"), clLon = h.IndexOf("chef_lieu_longitude"),
                cLat = h.IndexOf("centroid_latitude"), cLon = h.IndexOf("centroid_longitude"), deps = h.IndexOf("departements_count"),
                count = h.IndexOf("communes_count"), pop = h.IndexOf("population");
            foreach (var row in reader)
            {
                var regionCode = row[code].ToString();
                var depCodes = new List<string>();
                var prefixes = new List<string>();
                foreach (var d in departements)
                {
                    if (d.RegionCode != regionCode) continue;
                    depCodes.Add(d.Code);
                    if (!prefixes.Contains(d.PostalPrefix)) prefixes.Add(d.PostalPrefix);
                }
                var r = new Region(regionCode, new string(row[name].Span), row[zone].ToString(), row[cli].ToString(), row[cln].ToString(),
                    row[clLat].Parse<double>(), row[clLon].Parse<double>(), row[cLat].Parse<double>(), row[cLon].Parse<double>(),
                    ParseInt(row[deps].Span), ParseInt(row[count].Span), ParseLong(row[pop].Span), depCodes, prefixes);
                regions.Add(r);
                _regionByCode[r.Code] = r;
            }
        }
        Regions = regions;

        var domains = new List<RomeDomain>(14);
        _domainByCode = new Dictionary<string, RomeDomain>(StringComparer.OrdinalIgnoreCase);
        using (var reader = Open(directory, "rome_domains.csv"))
        {
            foreach (var row in reader)
            {
                var d = new RomeDomain(row["code"].ToString(), row["label"].ToString(), ParseInt(row["rome_codes_count"].Span));
                domains.Add(d);
                _domainByCode[d.Code] = d;
            }
        }
        RomeDomains = domains;

        var subdomains = new List<RomeSubdomain>(110);
        _subdomainByCode = new Dictionary<string, RomeSubdomain>(StringComparer.OrdinalIgnoreCase);
        using (var reader = Open(directory, "rome_subdomains.csv"))
        {
            foreach (var row in reader)
            {
                var s = new RomeSubdomain(row["code"].ToString(), row["label"].ToString(), row["domain_code"].ToString(),
                    row["domain_label"].ToString(), ParseInt(row["rome_codes_count"].Span));
                subdomains.Add(s);
                _subdomainByCode[s.Code] = s;
            }
        }
        RomeSubdomains = subdomains;

        var romes = new List<RomeCode>(1600);
        _romeByCode = new Dictionary<string, RomeCode>(1600, StringComparer.OrdinalIgnoreCase);
        _romesByDomainOrSubdomain = new Dictionary<string, List<RomeCode>>(StringComparer.OrdinalIgnoreCase);
        using (var reader = Open(directory, "rome.csv"))
        {
            var h = reader.Header;
            int code = h.IndexOf("code"), label = h.IndexOf("label"), dom = h.IndexOf("domain_code"), domLabel = h.IndexOf("domain_label"),
                sub = h.IndexOf("subdomain_code"), subLabel = h.IndexOf("subdomain_label"), parent = h.IndexOf("code_rome_parent"),
                isV3 = h.IndexOf("is_rome_v3_code"), v3Label = h.IndexOf("label_rome_v3"), ogr = h.IndexOf("code_ogr"),
                fiche = h.IndexOf("code_fiche_metier");
            foreach (var row in reader)
            {
                var r = new RomeCode(row[code].ToString(), new string(row[label].Span), row[dom].ToString(), row[domLabel].ToString(),
                    row[sub].ToString(), row[subLabel].ToString(), row[parent].ToString(), row[isV3].Span is "true",
                    NullIfEmpty(row[v3Label].ToString()), new string(row[ogr].Span), NullIfEmpty(row[fiche].ToString()));
                romes.Add(r);
                _romeByCode[r.Code] = r;
                AddTo(_romesByDomainOrSubdomain, r.DomainCode, r);
                AddTo(_romesByDomainOrSubdomain, r.SubdomainCode, r);
            }
        }
        romes.Sort(static (a, b) => string.CompareOrdinal(a.Code, b.Code));
        Romes = romes;
        var romeCodes = new string[romes.Count];
        for (int i = 0; i < romeCodes.Length; i++) romeCodes[i] = romes[i].Code;
        RomeCodes = romeCodes;


        var v4ByV3 = new Dictionary<string, List<string>>(600, StringComparer.OrdinalIgnoreCase);
        using (var reader = Open(directory, "rome_v3_to_v4.csv"))
        {
            int v3 = reader.Header.IndexOf("code_rome_v3"), v4 = reader.Header.IndexOf("code_rome_v4");
            foreach (var row in reader) AddTo(v4ByV3, row[v3].ToString(), row[v4].ToString());
        }
        _v4ByV3 = new Dictionary<string, string[]>(v4ByV3.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in v4ByV3) _v4ByV3[k] = [.. v];

        var naf = new List<NafCode>(732);
        _nafByCode = new Dictionary<string, NafCode>(1500, StringComparer.OrdinalIgnoreCase);
        using (var reader = Open(directory, "naf.csv"))
        {
            var h = reader.Header;
            int code = h.IndexOf("code"), compact = h.IndexOf("code_compact"), label = h.IndexOf("label"), cc = h.IndexOf("class_code"),
                cl = h.IndexOf("class_label"), gc = h.IndexOf("group_code"), gl = h.IndexOf("group_label"), dc = h.IndexOf("division_code"),
                dl = h.IndexOf("division_label"), sc = h.IndexOf("section_code"), sl = h.IndexOf("section_label");
            foreach (var row in reader)
            {
                var n = new NafCode(row[code].ToString(), row[compact].ToString(), new string(row[label].Span), row[cc].ToString(),
                    row[cl].ToString(), row[gc].ToString(), row[gl].ToString(), row[dc].ToString(), row[dl].ToString(),
                    row[sc].ToString(), row[sl].ToString());
                naf.Add(n);
                _nafByCode[n.Code] = n;
                _nafByCode[n.CompactCode] = n;
            }
        }
        NafCodes = naf;

        var sections = new List<NafSection>(21);
        using (var reader = Open(directory, "naf_sections.csv"))
        {
            foreach (var row in reader)
                sections.Add(new NafSection(row["code"].ToString(), row["label"].ToString(), SplitList(row["divisions"].Span)));
        }
        NafSections = sections;

        var opcos = new List<Opco>(11);
        _opcoByName = new Dictionary<string, Opco>(StringComparer.OrdinalIgnoreCase);
        using (var reader = Open(directory, "opco.csv"))
        {
            foreach (var row in reader)
            {
                var o = new Opco(row["key"].ToString(), row["lba_label"].ToString(), row["lba_v1_opco_param"].ToString());
                opcos.Add(o);
                _opcoByName[o.Key] = o;
                _opcoByName[o.LbaLabel] = o;
            }
        }
        Opcos = opcos;

        var diplomas = new List<DiplomaLevel>(6);
        using (var reader = Open(directory, "diplomas.csv"))
        {
            var h = reader.Header;
            int lvl = h.IndexOf("european_level"), param = h.IndexOf("lba_diploma_param"), label = h.IndexOf("label"),
                old = h.IndexOf("label_until_2026_06"), ft = h.IndexOf("france_travail_offres_niveau"), seo = h.IndexOf("seo_titles"),
                bac = h.IndexOf("bac_level");
            foreach (var row in reader)
            {
                int level = ParseInt(row[lvl].Span);
                var label0 = new string(row[label].Span);
                // The "INDIFFERENT" row's search value is the label itself, as the late-era API accepts it.
                var d = new DiplomaLevel(level, level == 0 ? label0 : row[param].ToString(), label0, row[old].ToString(),
                    NullIfEmpty(row[ft].ToString()), NullIfEmpty(row[seo].ToString()), NullIfEmpty(row[bac].ToString()));
                diplomas.Add(d);
                if (level is >= 3 and <= 7) _diplomaByLevel[level] = d;
            }
        }
        DiplomaLevels = diplomas;

        var communeTables = communesTask.GetAwaiter().GetResult();
        Communes = communeTables.Communes;
        Arrondissements = communeTables.Arrondissements;
        _communeByInsee = communeTables.ByInsee;
        _communesByDepartement = communeTables.ByDepartement;
        _communesByPostalCode = communeTables.ByPostalCode;

        var appellationTables = appellationsTask.GetAwaiter().GetResult();
        Appellations = appellationTables.Appellations;
        _appellationByOgr = appellationTables.ByOgr;
        _appellationsByRome = appellationTables.ByRome;

        // RNCP → ROME v3 (2021), mapped to v4 through rome_v3_to_v4; v3 "subdomain" codes (M1500...) have no v4 and drop out.
        var rawRncps = rncpTask.GetAwaiter().GetResult();
        var rncps = new List<RncpCertification>(rawRncps.Count);
        _rncpByCode = new Dictionary<string, RncpCertification>(rawRncps.Count, StringComparer.OrdinalIgnoreCase);
        var v4s = new List<string>(32);
        foreach (var raw in rawRncps)
        {
            foreach (var v3 in raw.V3)
                if (_v4ByV3.TryGetValue(v3, out var mapped))
                    foreach (var v4 in mapped)
                        if (!v4s.Contains(v4)) v4s.Add(v4);
            var cert = new RncpCertification(raw.Code, raw.Title, raw.Level, raw.Active, raw.V3, [.. v4s]);
            v4s.Clear();
            if (_rncpByCode.TryAdd(cert.Code, cert)) rncps.Add(cert);
        }
        Rncps = rncps;

        using (var s = OpenRaw(directory, "SOURCES.md"))
        using (var r = new StreamReader(s))
            SourcesMarkdown = r.ReadToEnd();
    }

    /// <summary>Reads the tables embedded in this assembly.</summary>
    public static ReferenceData Load() => new(null);

    /// <summary>Reads the tables from a folder holding the same files (a newer export, say).</summary>
    public static ReferenceData LoadFrom(string directory) => new(directory ?? throw new ArgumentNullException(nameof(directory)));

    // ---- communes ----

    /// <summary>A commune or municipal arrondissement by INSEE code (2A/2B in any case).</summary>
    public Commune? FindCommune(string? insee) =>
        insee is not null && _communeByInsee.TryGetValue(insee.Trim(), out var c) ? c : null;

    public bool TryGetCommune(string? insee, out Commune commune)
    {
        commune = FindCommune(insee)!;
        return commune is not null;
    }

    public IReadOnlyList<Commune> CommunesInDepartement(string code) =>
        _communesByDepartement.TryGetValue(code, out var l) ? l : [];

    /// <summary>Communes (not arrondissements) served by a postal code.</summary>
    public IReadOnlyList<Commune> CommunesByPostalCode(string postalCode) =>
        _communesByPostalCode.TryGetValue(postalCode, out var l) ? l : [];

    /// <summary>The arrondissements of a commune (Paris 75056, Marseille 13055, Lyon 69123), empty for others.</summary>
    public IReadOnlyList<Commune> ArrondissementsOf(string parentInsee)
    {
        var result = new List<Commune>();
        foreach (var a in Arrondissements) if (a.ParentInsee == parentInsee) result.Add(a);
        return result;
    }

    // ---- départements, régions ----

    public Departement? FindDepartement(string? code) =>
        code is not null && _departementByCode.TryGetValue(code, out var d) ? d : null;

    public Region? FindRegion(string? code) =>
        code is not null && _regionByCode.TryGetValue(code, out var r) ? r : null;

    // ---- ROME ----

    public RomeCode? FindRome(string? code) =>
        code is not null && _romeByCode.TryGetValue(code, out var r) ? r : null;

    public bool IsRomeCode(string? code) => code is not null && _romeByCode.ContainsKey(code);

    public RomeDomain? FindRomeDomain(string? code) =>
        code is not null && _domainByCode.TryGetValue(code, out var d) ? d : null;

    public RomeSubdomain? FindRomeSubdomain(string? code) =>
        code is not null && _subdomainByCode.TryGetValue(code, out var d) ? d : null;

    /// <summary>ROME codes of a domain (<c>A</c>) or subdomain (<c>A12</c>); empty when unknown.</summary>
    public IReadOnlyList<RomeCode> RomesIn(string domainOrSubdomain) =>
        _romesByDomainOrSubdomain.TryGetValue(domainOrSubdomain, out var l) ? l : [];

    public RomeAppellation? FindAppellation(string? codeOgr) =>
        codeOgr is not null && _appellationByOgr.TryGetValue(codeOgr, out var a) ? a : null;

    /// <summary>Appellations of a ROME code, the principal one first (file order).</summary>
    public IReadOnlyList<RomeAppellation> AppellationsForRome(string romeCode) =>
        _appellationsByRome.TryGetValue(romeCode, out var l) ? l : [];

    /// <summary>The ROME 4.0 codes a ROME v3 code was split into; empty when unknown.</summary>
    public IReadOnlyList<string> RomeV4ForV3(string v3Code) =>
        _v4ByV3.TryGetValue(v3Code, out var l) ? l : [];

    // ---- NAF, OPCO ----

    /// <summary>A NAF sub-class by code, dotted (<c>56.10A</c>) or compact (<c>5610A</c>).</summary>
    public NafCode? FindNaf(string? code) =>
        code is not null && _nafByCode.TryGetValue(code, out var n) ? n : null;

    /// <summary>An OPCO by short name (<c>AKTO</c>, any case, so the v1 lower-case values too) or LBA label.</summary>
    public Opco? FindOpco(string? name) =>
        name is not null && _opcoByName.TryGetValue(name.Trim(), out var o) ? o : null;

    // ---- diplomas ----

    /// <summary>The level 3..7, or null.</summary>
    public DiplomaLevel? DiplomaForLevel(int level) => level is >= 3 and <= 7 ? _diplomaByLevel[level] : null;

    /// <summary>A search value whose first character is 3..7 (e.g. <c>3 (CAP...)</c>, <c>3xxx</c>) → its level; null otherwise.</summary>
    public DiplomaLevel? DiplomaForParam(string? value) =>
        value is { Length: > 0 } && value[0] is >= '3' and <= '7' ? _diplomaByLevel[value[0] - '0'] : null;

    /// <summary>France Travail <c>NV1</c>..<c>NV5</c> → level.</summary>
    public DiplomaLevel? DiplomaForFranceTravail(string? niveau)
    {
        if (niveau is null) return null;
        for (int l = 3; l <= 7; l++)
            if (string.Equals(_diplomaByLevel[l]!.FranceTravailNiveau, niveau, StringComparison.OrdinalIgnoreCase)) return _diplomaByLevel[l];
        return null;
    }

    // ---- RNCP ----

    public RncpCertification? FindRncp(string? rncp) =>
        rncp is not null && _rncpByCode.TryGetValue(rncp.Trim(), out var c) ? c : null;

    /// <summary>ROME 4.0 codes of an RNCP certification (<c>RNCP12345</c>, any case); empty when unknown.</summary>
    public IReadOnlyList<string> RomesForRncp(string rncp) => FindRncp(rncp)?.RomeCodesV4 ?? [];

    // ---- loading ----

    private static Task<T> Start<T>(Func<T> load) =>
        Task.Factory.StartNew(load, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private sealed record CommuneTables(
        List<Commune> Communes, List<Commune> Arrondissements, Dictionary<string, Commune> ByInsee,
        Dictionary<string, List<Commune>> ByDepartement, Dictionary<string, List<Commune>> ByPostalCode);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static CommuneTables LoadCommunes(string? directory)
    {
        // Communes and arrondissements share one index so an arrondissement code (75101, 69381...) resolves.
        var communes = new List<Commune>(35_000);
        var byInsee = new Dictionary<string, Commune>(35_000, StringComparer.OrdinalIgnoreCase);
        var byDepartement = new Dictionary<string, List<Commune>>(StringComparer.OrdinalIgnoreCase);
        var byPostalCode = new Dictionary<string, List<Commune>>(40_000, StringComparer.Ordinal);
        using (var reader = Open(directory, "communes.csv"))
        {
            var h = reader.Header;
            int insee = h.IndexOf("insee_code"), name = h.IndexOf("name"), pc = h.IndexOf("postal_code"),
                pcs = h.IndexOf("postal_codes"), dep = h.IndexOf("departement_code"), depName = h.IndexOf("departement_name"),
                reg = h.IndexOf("region_code"), regName = h.IndexOf("region_name"), zone = h.IndexOf("zone"),
                lat = h.IndexOf("latitude"), lon = h.IndexOf("longitude"), pop = h.IndexOf("population");
            foreach (var row in reader)
            {
                var c = new Commune(
                    new string(row[insee].Span), new string(row[name].Span), row[pc].ToString(), SplitList(row[pcs].Span),
                    row[dep].ToString(), row[depName].ToString(), row[reg].ToString(), row[regName].ToString(),
                    row[zone].ToString(), row[lat].Parse<double>(), row[lon].Parse<double>(), ParseInt(row[pop].Span));
                communes.Add(c);
                byInsee[c.Insee] = c;
                AddTo(byDepartement, c.DepartementCode, c);
                foreach (var p in c.PostalCodes) AddTo(byPostalCode, p, c);
            }
        }

        var arrondissements = new List<Commune>(45);
        using (var reader = Open(directory, "arrondissements_municipaux.csv"))
        {
            var h = reader.Header;
            int insee = h.IndexOf("insee_code"), name = h.IndexOf("name"), parent = h.IndexOf("parent_insee_code"),
                pc = h.IndexOf("postal_code"), pcs = h.IndexOf("postal_codes"), dep = h.IndexOf("departement_code"),
                pop = h.IndexOf("population"), lat = h.IndexOf("parent_latitude"), lon = h.IndexOf("parent_longitude");
            foreach (var row in reader)
            {
                var p = byInsee[row[parent].ToString()];
                var a = new Commune(
                    new string(row[insee].Span), new string(row[name].Span), row[pc].ToString(), SplitList(row[pcs].Span),
                    row[dep].ToString(), p.DepartementName, p.RegionCode, p.RegionName, p.Zone,
                    row[lat].Parse<double>(), row[lon].Parse<double>(), ParseInt(row[pop].Span), p.Insee);
                arrondissements.Add(a);
                byInsee[a.Insee] = a;
            }
        }
        return new CommuneTables(communes, arrondissements, byInsee, byDepartement, byPostalCode);
    }

    private sealed record AppellationTables(
        List<RomeAppellation> Appellations, Dictionary<string, RomeAppellation> ByOgr, Dictionary<string, List<RomeAppellation>> ByRome);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static AppellationTables LoadAppellations(string? directory)
    {
        var appellations = new List<RomeAppellation>(13_200);
        var byOgr = new Dictionary<string, RomeAppellation>(13_200, StringComparer.Ordinal);
        var byRome = new Dictionary<string, List<RomeAppellation>>(1600, StringComparer.OrdinalIgnoreCase);
        using (var reader = Open(directory, "rome_appellations.csv"))
        {
            var h = reader.Header;
            int ogr = h.IndexOf("code_ogr"), label = h.IndexOf("label"), shortLabel = h.IndexOf("label_short"), rome = h.IndexOf("code_rome"),
                parent = h.IndexOf("code_rome_parent"), cls = h.IndexOf("classification"), rare = h.IndexOf("peu_usite");
            foreach (var row in reader)
            {
                var a = new RomeAppellation(new string(row[ogr].Span), new string(row[label].Span), new string(row[shortLabel].Span), row[rome].ToString(),
                    row[parent].ToString(), row[cls].Span is "PRINCIPALE", row[rare].Span is "O");
                appellations.Add(a);
                byOgr[a.CodeOgr] = a;
                AddTo(byRome, a.RomeCode, a);
            }
        }
        return new AppellationTables(appellations, byOgr, byRome);
    }


    private sealed record RawRncp(string Code, string Title, int Level, bool Active, string[] V3);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static List<RawRncp> ReadRncpRows(string? directory)
    {
        var result = new List<RawRncp>(16_500);
        using var reader = Open(directory, "rncp_rome_2021.csv.gz");
        var h = reader.Header;
        int code = h.IndexOf("rncp_code"), title = h.IndexOf("rncp_title"), lvl = h.IndexOf("rncp_level_eu"),
            status = h.IndexOf("rncp_status_2021"), rome = h.IndexOf("rome_code_v3");
        string? current = null;
        string currentTitle = "";
        int currentLevel = 0;
        bool currentActive = false;
        var v3s = new List<string>(8);
        foreach (var row in reader)
        {
            var rncpSpan = row[code].Span;
            // Rows of one certification are contiguous: one record per run of rows.
            if (current is null || !rncpSpan.SequenceEqual(current))
            {
                if (current is not null) result.Add(new RawRncp(current, currentTitle, currentLevel, currentActive, [.. v3s]));
                v3s.Clear();
                current = new string(row[code].Span);
                currentTitle = new string(row[title].Span);
                currentLevel = ParseInt(row[lvl].Span);
                currentActive = row[status].Span is "ACTIVE";
            }
            var v3 = row[rome].ToString();
            if (v3.Length != 0 && !v3s.Contains(v3)) v3s.Add(v3);
        }
        if (current is not null) result.Add(new RawRncp(current, currentTitle, currentLevel, currentActive, [.. v3s]));
        return result;
    }

    private static SepReader Open(string? directory, string file)
    {
        Stream s = OpenRaw(directory, file);
        if (file.EndsWith(".gz", StringComparison.Ordinal)) s = new GZipStream(s, CompressionMode.Decompress);
        // Unescape for the quoted labels; a pool per column shares the repeated names (départements, régions, domains);
        // the columns of unique values (codes, names, labels) bypass it with new string(span).
        return Sep.New(',').Reader(o => o with { Unescape = true, CreateToString = SepToString.PoolPerCol(maximumStringLength: 64) }).From(s);
    }

    private static Stream OpenRaw(string? directory, string file)
    {
        if (directory is not null) return File.OpenRead(Path.Combine(directory, file));
        return typeof(ReferenceData).Assembly.GetManifestResourceStream(ResourcePrefix + file)
            ?? throw new InvalidOperationException($"Embedded reference file '{file}' is missing from {typeof(ReferenceData).Assembly.GetName().Name}.");
    }

    private static string[] SplitList(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty) return [];
        int n = s.Count(';') + 1;
        var result = new string[n];
        int i = 0;
        foreach (var range in s.Split(';')) result[i++] = new string(s[range]);
        return result;
    }

    private static int ParseInt(ReadOnlySpan<char> s) => int.TryParse(s, out var v) ? v : 0;
    private static long ParseLong(ReadOnlySpan<char> s) => long.TryParse(s, out var v) ? v : 0;
    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;

    private static void AddTo<TKey, TValue>(Dictionary<TKey, List<TValue>> index, TKey key, TValue value) where TKey : notnull
    {
        if (!index.TryGetValue(key, out var list)) index[key] = list = [];
        list.Add(value);
    }
}
