using System.Globalization;
using System.Runtime.CompilerServices;

namespace Alternance.Data;

/// <summary>Size and seed of a generated dataset.</summary>
public sealed record GeneratorOptions
{
    public int Seed { get; init; } = 20261129;

    /// <summary>1 = the real service's volumes; 0.01 for unit tests, 10 for benchmarks.</summary>
    public double Scale { get; init; } = 1.0;

    /// <summary>
    /// The day the dataset is made on: offers are created up to three months before it and expire two to six months
    /// after their creation (so about a quarter of posted offers have already expired on that day, as in a real
    /// export). Fixed by default, so that a seed gives the same dataset (ids of posted offers carry their creation
    /// time); the service generates its bundled dataset on the day of its first start.
    /// </summary>
    public DateTime Today { get; init; } = DatasetGenerator.DefaultToday;
}

/// <summary>
/// A seeded, deterministic, realistic dataset for the four sources: items placed by commune population (metropolitan
/// France and the overseas départements) around the commune centre, real ROME 4.0 codes with a skewed popularity, real
/// RNCP certifications and diploma levels, Luhn-valid SIRETs, shared coordinates within one establishment (so distance
/// ties happen) and ~2% near-duplicate trainings. Each source is an independent stream: the same seed gives the same
/// items whatever is enumerated first, and enumeration streams (low memory).
/// </summary>
public sealed class DatasetGenerator
{
    public const int BaseFormations = 50_000;
    public const int BasePeJobs = 100_000;
    public const int BaseMatchas = 25_000;
    public const int BaseCompanies = 300_000;

    /// <summary>The default <see cref="GeneratorOptions.Today"/>.</summary>
    public static readonly DateTime DefaultToday = new(2026, 11, 29, 0, 0, 0, DateTimeKind.Utc);

    private DateTime Today => Options.Today;

    private readonly ReferenceData _ref;
    private readonly Commune[] _communes;
    private readonly double[] _cosLat;
    private readonly WeightedTable _communeTable;
    private readonly Dictionary<string, (Commune[] Items, WeightedTable Table)> _arrondissements = new(StringComparer.Ordinal);
    private readonly RomeCode[] _romes;                 // by popularity, most popular first
    private readonly WeightedTable _romeTable;
    private readonly Dictionary<string, (RomeCode[] Items, WeightedTable Table)> _romesByGroup = new(StringComparer.Ordinal);
    private readonly NafCode[] _nafs;                   // by popularity
    private readonly WeightedTable _nafTable;
    private readonly Dictionary<string, RncpCertification[][]> _rncpsByRome = new(StringComparer.Ordinal);
    private readonly WeightedTable _levelTable = new([17, 20, 30, 18, 15]);
    private readonly WeightedTable _sizeTable = new(FrenchText.SizeWeights);
    private readonly long _siretOffset;
    private readonly SharedStrings _strings = new();

    public GeneratorOptions Options { get; }
    public int FormationCount { get; }
    public int PeJobCount { get; }
    /// <summary>Posted offers (jobs); about 12,000 recruiters at scale 1.</summary>
    public int MatchaCount { get; }
    public int CompanyCount { get; }

    public DatasetGenerator(ReferenceData reference, GeneratorOptions? options = null)
    {
        _ref = reference ?? throw new ArgumentNullException(nameof(reference));
        Options = options ?? new GeneratorOptions();
        if (!double.IsFinite(Options.Scale) || Options.Scale < 0) throw new ArgumentOutOfRangeException(nameof(options), "Scale must be ≥ 0.");
        FormationCount = Count(BaseFormations);
        PeJobCount = Count(BasePeJobs);
        MatchaCount = Count(BaseMatchas);
        CompanyCount = Count(BaseCompanies);

        var setup = new Prng(Options.Seed, 0);
        _siretOffset = setup.NextLong(100_000_000);

        _communes = [.. reference.Communes];
        _cosLat = new double[_communes.Length];
        var weights = new long[_communes.Length];
        for (int i = 0; i < _communes.Length; i++)
        {
            weights[i] = _communes[i].Population;
            _cosLat[i] = DeterministicMath.Cos(DeterministicMath.DegreesToRadians(_communes[i].Latitude));
        }
        _communeTable = new WeightedTable(weights);
        foreach (var a in reference.Arrondissements)
        {
            if (_arrondissements.ContainsKey(a.ParentInsee!)) continue;
            var arr = reference.ArrondissementsOf(a.ParentInsee!).ToArray();
            var w = new long[arr.Length];
            for (int i = 0; i < arr.Length; i++) w[i] = Math.Max(1, arr[i].Population);
            _arrondissements[a.ParentInsee!] = (arr, new WeightedTable(w));
        }

        // ROME popularity: codes typical of apprenticeship first, the rest in a seeded order; Zipf weights by rank.
        var head = new List<RomeCode>();
        foreach (var code in PopularRomes) if (reference.FindRome(code) is { } r) head.Add(r);
        var tail = new List<RomeCode>();
        foreach (var r in reference.Romes) if (!head.Contains(r)) tail.Add(r);
        Shuffle(tail, setup);
        _romes = [.. head, .. tail];
        _romeTable = WeightedTable.Zipf(_romes.Length, 4);
        var rank = new Dictionary<string, int>(_romes.Length, StringComparer.Ordinal);
        for (int i = 0; i < _romes.Length; i++) rank[_romes[i].Code] = i;
        var groups = new Dictionary<string, List<RomeCode>>(StringComparer.Ordinal);
        foreach (var r in _romes)
        {
            (groups.TryGetValue(r.DomainCode, out var d) ? d : groups[r.DomainCode] = []).Add(r);
            (groups.TryGetValue(r.SubdomainCode, out var s) ? s : groups[r.SubdomainCode] = []).Add(r);
        }
        foreach (var (key, list) in groups)
        {
            var w = new long[list.Count];
            for (int i = 0; i < list.Count; i++) w[i] = (long)(1e9 / (rank[list[i].Code] + 4));
            _romesByGroup[key] = ([.. list], new WeightedTable(w));
        }

        var nafHead = new List<NafCode>();
        foreach (var code in PopularNafs) if (reference.FindNaf(code) is { } n) nafHead.Add(n);
        var nafTail = new List<NafCode>();
        foreach (var n in reference.NafCodes) if (!nafHead.Contains(n)) nafTail.Add(n);
        Shuffle(nafTail, setup);
        _nafs = [.. nafHead, .. nafTail];
        _nafTable = WeightedTable.Zipf(_nafs.Length, 6);

        // RNCP certifications by v4 ROME and level, active ones only (what a current catalogue would cite).
        var byRome = new Dictionary<string, List<RncpCertification>[]>(StringComparer.Ordinal);
        foreach (var c in reference.Rncps)
        {
            if (!c.Active2021 || c.RomeCodesV4.Count == 0 || c.LevelEu < 3) continue;
            int level = Math.Min(c.LevelEu, 7);
            foreach (var rome in c.RomeCodesV4)
            {
                if (!byRome.TryGetValue(rome, out var levels)) byRome[rome] = levels = new List<RncpCertification>[8];
                (levels[level] ??= []).Add(c);
            }
        }
        foreach (var (rome, levels) in byRome)
        {
            var arr = new RncpCertification[8][];
            for (int l = 0; l < 8; l++) arr[l] = levels[l]?.ToArray() ?? [];
            _rncpsByRome[rome] = arr;
        }
    }

    private int Count(int baseCount) => (int)Math.Round(baseCount * Options.Scale, MidpointRounding.AwayFromZero);

    /// <summary>The items of one source.</summary>
    public IEnumerable<SearchItem> Items(Source source) => Shared(source switch
    {
        Source.Formation => Formations(),
        Source.PeJob => PeJobs(),
        Source.Matcha => Matchas(),
        Source.Company => Companies(),
        _ => throw new ArgumentOutOfRangeException(nameof(source)),
    });

    /// <summary>
    /// The items with one instance of each repeated value (<see cref="SearchItem.WithSharedStrings"/>), as a feed import
    /// gives them (its reader pools short strings): the cells that take them keep these instances instead of copying.
    /// </summary>
    private IEnumerable<SearchItem> Shared(IEnumerable<SearchItem> items)
    {
        foreach (SearchItem item in items) yield return item.WithSharedStrings(_strings);
    }

    /// <summary>The file name <see cref="WriteFeedsAsync"/> uses for a source: <c>formations.jsonl[.gz]</c>...</summary>
    public static string FeedFileName(Source source, bool gzip) => source.FeedName() + (gzip ? ".jsonl.gz" : ".jsonl");

    /// <summary>Writes the four feeds (formations, peJobs, recruiters, companies) into <paramref name="directory"/>.</summary>
    public async Task WriteFeedsAsync(string directory, bool gzip, CancellationToken ct = default)
    {
        Directory.CreateDirectory(directory);
        // The streams are independent, so writing them in parallel changes nothing in the output.
        var tasks = new List<Task>(4);
        foreach (var source in (ReadOnlySpan<Source>)[Source.Company, Source.PeJob, Source.Formation, Source.Matcha])
        {
            var path = Path.Combine(directory, FeedFileName(source, gzip));
            tasks.Add(Task.Run(() => FeedWriter.WriteFileAsync(path, source, Items(source), gzip, ct), ct));
        }
        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    // ------------------------------------------------------------------ places

    private readonly record struct Place(Commune Commune, string Insee, string PostalCode, double Latitude, double Longitude);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first item: skip tier-0
    private Place PickPlace(Prng rng)
    {
        int i = _communeTable.Sample(rng);
        var c = _communes[i];
        string insee = c.Insee, postal = c.PostalCodes.Length > 1 ? c.PostalCodes[rng.Next(c.PostalCodes.Length)] : c.PostalCode;
        if (_arrondissements.TryGetValue(c.Insee, out var arr))
        {
            var a = arr.Items[arr.Table.Sample(rng)];
            insee = a.Insee;
            postal = a.PostalCode;
        }
        // A few hundred metres around a village centre, up to 3 km in a city.
        double radiusKm = Math.Min(3.0, 0.3 + Math.Sqrt(c.Population) / 300.0);
        double dx, dy;
        do
        {
            dx = 2 * rng.NextDouble() - 1;
            dy = 2 * rng.NextDouble() - 1;
        } while (dx * dx + dy * dy > 1);
        double lat = DeterministicMath.Round6(c.Latitude + dy * radiusKm / 111.32);
        double lon = DeterministicMath.Round6(c.Longitude + dx * radiusKm / (111.32 * _cosLat[i]));
        return new Place(c, insee, postal, lat, lon);
    }

    private static string Address(Prng rng, out string number, out string street)
    {
        number = (1 + rng.Next(rng.Chance(0.7) ? 40 : 250)).ToString(CultureInfo.InvariantCulture);
        street = rng.Pick(FrenchText.Streets);
        return number + " " + street;
    }

    private static string PhoneNumber(Prng rng, Commune c, bool mobile = false)
    {
        string prefix = mobile ? (rng.Chance(0.5) ? "06" : "07") : c.DepartementCode switch
        {
            "971" => "0590", "972" => "0596", "973" => "0594", "974" => "0262", "976" => "0269",
            _ => c.RegionCode switch
            {
                "11" => "01",
                "24" or "28" or "52" or "53" => "02",
                "27" or "32" or "44" => "03",
                "84" or "93" or "94" => "04",
                _ => "05",
            },
        };
        Span<char> digits = stackalloc char[10];
        prefix.CopyTo(digits);
        for (int i = prefix.Length; i < 10; i++) digits[i] = (char)('0' + rng.Next(10));
        return $"{digits[..2]} {digits[2..4]} {digits[4..6]} {digits[6..8]} {digits[8..10]}";
    }

    // ------------------------------------------------------------------ ROME, NAF, names

    private RomeCode PickRome(Prng rng) => _romes[_romeTable.Sample(rng)];

    private RomeCode PickRomeIn(Prng rng, string group)
    {
        var (items, table) = _romesByGroup[group];
        return items[table.Sample(rng)];
    }

    private RomeAppellation? PickAppellation(Prng rng, RomeCode rome)
    {
        var list = _ref.AppellationsForRome(rome.Code);
        if (list.Count == 0) return null;
        // The principal appellation is the usual job title; synonyms now and then.
        if (rng.Chance(0.4)) foreach (var a in list) if (a.IsPrincipal) return a;
        return list[rng.Next(list.Count)];
    }

    private NafCode PickNaf(Prng rng) => _nafs[_nafTable.Sample(rng)];

    private Opco PickOpco(Prng rng) => _ref.Opcos[rng.Next(_ref.Opcos.Count)];

    private static string PersonLastName(Prng rng) => rng.Pick(FrenchText.LastNames);

    private static string CompanyName(Prng rng, NafCode naf, Commune c)
    {
        var pattern = rng.Pick(FrenchText.CompanyPatterns);
        return pattern.Replace("{A}", Activity(naf)).Replace("{N2}", rng.Pick(FrenchText.LastNames))
            .Replace("{N}", rng.Pick(FrenchText.LastNames)).Replace("{C}", FrenchText.UpperAscii(c.Name));
    }

    // A trade word for company names, from the NAF division.
    private static string Activity(NafCode naf) => naf.DivisionCode switch
    {
        "10" => naf.Code == "10.71C" ? "BOULANGERIE" : "ALIMENTATION",
        "41" or "42" or "43" => "BATIMENT",
        "45" => "GARAGE",
        "46" => "DISTRIBUTION",
        "47" => naf.Code == "47.73Z" ? "PHARMACIE" : "COMMERCE",
        "49" or "52" or "53" => "TRANSPORTS",
        "55" => "HOTEL",
        "56" => "RESTAURANT",
        "58" or "59" or "60" or "63" => "MEDIA",
        "62" => "INFORMATIQUE",
        "64" or "65" or "66" => "FINANCE",
        "68" => "IMMOBILIER",
        "69" => "CABINET",
        "70" or "73" or "74" => "CONSEIL",
        "71" => "INGENIERIE",
        "85" => "FORMATION",
        "86" => "CLINIQUE",
        "87" or "88" => "RESIDENCE",
        "96" => naf.Code == "96.02A" ? "COIFFURE" : "SERVICES",
        _ => naf.SectionCode switch { "A" => "EXPLOITATION", "C" => "INDUSTRIE", "F" => "BATIMENT", _ => "ENTREPRISE" },
    };

    // ROME domains a company of this NAF section hires in (companies' ROME codes follow their activity).
    private static string[] DomainsFor(NafCode naf) => naf.DivisionCode switch
    {
        "45" => ["I", "D"],
        "62" or "63" => ["M"],
        "96" => ["D", "K"],
        _ => naf.SectionCode switch
        {
            "A" => ["A"], "B" or "C" => ["H", "I"], "D" or "E" => ["I", "K"], "F" => ["F"], "G" => ["D"], "H" => ["N"],
            "I" => ["G"], "J" => ["E", "M"], "K" or "L" => ["C", "M"], "M" => ["M"], "N" => ["K", "M"], "P" => ["K"],
            "Q" => ["J", "K"], "R" => ["L", "G"], _ => ["K", "M"],
        },
    };

    private string NewSiret(long index, Prng rng) => SiretFactory.Make(index, _siretOffset, 10 + rng.Next(90));

    private static string Uuid(Prng rng)
    {
        ulong a = rng.NextUInt64(), b = rng.NextUInt64();
        a = (a & 0xFFFFFFFFFFFF0FFFUL) | 0x0000000000004000UL; // version 4
        b = (b & 0x3FFFFFFFFFFFFFFFUL) | 0x8000000000000000UL; // RFC 4122 variant
        return $"{a >> 32:x8}-{(a >> 16) & 0xFFFF:x4}-{a & 0xFFFF:x4}-{b >> 48:x4}-{b & 0xFFFFFFFFFFFFUL:x12}";
    }

    private static string IsoDate(DateTime d) => d.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static ulong Fnv(string s)
    {
        ulong h = 14695981039346656037UL;
        foreach (var c in s) { h ^= c; h *= 1099511628211UL; }
        return h;
    }

    private static void Shuffle<T>(List<T> list, Prng rng)
    {
        for (int i = list.Count - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }

    // ------------------------------------------------------------------ trainings

    private sealed record Cfa(
        string Siret, string Name, string? Enseigne, string Uai, Place Place, string Address, string Phone, string Email,
        string GestionnaireSiret, string GestionnaireName, string GestionnaireUai, string MainSubdomain, int Index);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first item: skip tier-0
    private Cfa NewCfa(Prng rng, int index)
    {
        var place = PickPlace(rng);
        var c = place.Commune;
        var name = rng.Pick(FrenchText.CfaPatterns).Replace("{C}", FrenchText.UpperAscii(c.Name))
            .Replace("{D}", FrenchText.UpperAscii(c.DepartementName)).Replace("{P}", rng.Pick(FrenchText.FamousPeople));
        var siret = NewSiret(60_000_000 + index, rng);
        var uai = Uai(rng, c);
        string gSiret = siret, gName = name, gUai = uai;
        if (rng.Chance(0.3))
        {
            // Run by a parent body (a chamber, a network, a university).
            gSiret = NewSiret(70_000_000 + index, rng);
            gName = rng.Chance(0.5) ? "CHAMBRE DE METIERS ET DE L ARTISANAT " + FrenchText.UpperAscii(c.RegionName) : "ASSOCIATION " + name;
            gUai = Uai(rng, c);
        }
        var main = PickRome(rng).SubdomainCode;
        return new Cfa(siret, name, rng.Chance(0.4) ? name : null, uai, place, Address(rng, out _, out _), PhoneNumber(rng, c),
            (rng.Chance(0.5) ? "contact@" : "formation@") + FrenchText.Slug(name) + ".fr", gSiret, gName, gUai, main, index);
    }

    private static string Uai(Prng rng, Commune c)
    {
        // 3-character département part (Corsica uses 620/720), 4 digits, a letter.
        string dep = c.DepartementCode switch { "2A" => "620", "2B" => "720", { Length: 3 } d => d, var d => "0" + d };
        return $"{dep}{rng.Next(10_000):D4}{(char)('A' + rng.Next(26))}";
    }

    private static readonly (string Diplome, string Acronym, string CfdPrefix, int Weight)[][] DiplomaKinds =
    [
        [], [], [],
        [("CERTIFICAT D'APTITUDES PROFESSIONNELLES", "CAP", "500", 70), ("TITRE PROFESSIONNEL", "TP", "463", 20), ("CERTIFICAT DE SPECIALISATION", "CS", "010", 10)],
        [("BAC PROFESSIONNEL", "BAC PRO", "400", 45), ("BREVET PROFESSIONNEL", "BP", "450", 30), ("TITRE PROFESSIONNEL", "TP", "463", 25)],
        [("BREVET DE TECHNICIEN SUPERIEUR", "BTS", "320", 70), ("TITRE PROFESSIONNEL", "TP", "363", 30)],
        [("LICENCE PROFESSIONNELLE", "LP", "250", 45), ("BACHELOR UNIVERSITAIRE DE TECHNOLOGIE", "BUT", "259", 25), ("TITRE CERTIFIE", "TITRE", "260", 30)],
        [("MASTER", "MASTER", "135", 40), ("DIPLOME D'INGENIEUR", "INGENIEUR", "170", 30), ("TITRE CERTIFIE", "TITRE", "160", 30)],
    ];

    /// <summary>~50,000 trainings at scale 1: CFAs (several trainings at one address) with real RNCP certifications.</summary>
    public IEnumerable<FormationItem> Formations()
    {
        var rng = new Prng(Options.Seed, 1);
        int produced = 0, cfaIndex = 0, seq = 0;
        while (produced < FormationCount)
        {
            var cfa = NewCfa(rng, cfaIndex++);
            int roll = rng.Next(100);
            int n = roll < 50 ? rng.Between(1, 4) : roll < 85 ? rng.Between(5, 12) : rng.Between(13, 30);
            for (int k = 0; k < n && produced < FormationCount; k++)
            {
                var t = NewTraining(rng, cfa, seq++, k + 1);
                yield return t;
                produced++;
                if (produced < FormationCount && rng.Chance(0.02))
                {
                    // Same training published twice (another id, a slightly different position): de-duplication fodder.
                    var id = TrainingId(seq++, t.Cfd!, cfa, t.CodeCommuneInsee!, k + 1);
                    yield return t with
                    {
                        Id = id,
                        Latitude = DeterministicMath.Round6(t.Latitude + (rng.NextDouble() - 0.5) * 0.001),
                        Longitude = DeterministicMath.Round6(t.Longitude + (rng.NextDouble() - 0.5) * 0.001),
                        IdRcoFormation = t.IdRcoFormation + "|D",
                    };
                    produced++;
                }
            }
        }
    }

    private static string TrainingId(int seq, string cfd, Cfa cfa, string insee, int site) =>
        $"{100_000 + seq}P{cfd}{cfa.Siret}{cfa.GestionnaireSiret}-{insee}#L{site % 100:D2}";

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first item: skip tier-0
    private FormationItem NewTraining(Prng rng, Cfa cfa, int seq, int site)
    {
        var main = rng.Chance(0.55) ? PickRomeIn(rng, cfa.MainSubdomain) : PickRome(rng);
        int level = 3 + _levelTable.Sample(rng);
        RncpCertification? rncp = null;
        if (_rncpsByRome.TryGetValue(main.Code, out var byLevel))
        {
            if (byLevel[level].Length > 0) rncp = rng.Pick(byLevel[level]);
            else
            {
                for (int l = 3; l <= 7 && rncp is null; l++)
                {
                    int ll = 3 + (level - 3 + l - 3) % 5; // nearest levels first, deterministic order
                    if (byLevel[ll].Length > 0) { rncp = rng.Pick(byLevel[ll]); level = ll; }
                }
            }
        }

        // 1-4 ROME codes of one subdomain: the main one, then the certification's others in that subdomain.
        var romes = new List<string>(4) { main.Code };
        int wanted = 1 + (rng.Chance(0.45) ? 0 : rng.Between(1, 3));
        if (rncp is not null)
            foreach (var code in rncp.RomeCodesV4)
            {
                if (romes.Count >= wanted) break;
                if (!romes.Contains(code) && _ref.FindRome(code)?.SubdomainCode == main.SubdomainCode) romes.Add(code);
            }
        for (int tries = 0; romes.Count < wanted && tries < 8; tries++)
        {
            var extra = PickRomeIn(rng, main.SubdomainCode).Code;
            if (!romes.Contains(extra)) romes.Add(extra);
        }

        var kinds = DiplomaKinds[level];
        var kind = kinds[0];
        string title = rncp?.Title ?? main.Label;
        if (title.StartsWith("Ingénieur", StringComparison.Ordinal) && level == 7) kind = kinds[1];
        else if (title.StartsWith("Master", StringComparison.Ordinal) && level == 7) kind = kinds[0];
        else
        {
            int total = 0, pick;
            foreach (var k in kinds) total += k.Weight;
            pick = rng.Next(total);
            foreach (var k in kinds) { if (pick < k.Weight) { kind = k; break; } pick -= k.Weight; }
        }
        var court = ShortTitle(title);
        var cfd = kind.CfdPrefix + (Fnv((rncp?.Code ?? main.Code) + kind.Acronym) % 100_000).ToString("D5", CultureInfo.InvariantCulture);
        var c = cfa.Place.Commune;

        int startYear = rng.Chance(0.8) ? 2026 : 2027;
        int months = level switch { 3 or 5 => 24, 4 => rng.Chance(0.5) ? 24 : 36, _ => rng.Chance(0.6) ? 12 : 24 };
        var start = new DateTime(startYear, 9, 1 + rng.Next(20), 0, 0, 0, DateTimeKind.Utc);
        var end = start.AddMonths(months).AddDays(-rng.Between(30, 75));
        string[] debut = [IsoDate(start)], fin = [IsoDate(end)];
        if (rng.Chance(0.25))
        {
            var start2 = start.AddMonths(rng.Between(2, 5));
            debut = [IsoDate(start), IsoDate(start2)];
            fin = [IsoDate(end), IsoDate(start2.AddMonths(months).AddDays(-rng.Between(30, 75)))];
        }

        return new FormationItem
        {
            Id = TrainingId(seq, cfd, cfa, cfa.Place.Insee, site),
            Latitude = cfa.Place.Latitude,
            Longitude = cfa.Place.Longitude,
            RomeCodes = [.. romes],
            IntituleLong = court + " (" + kind.Acronym + ")",
            IntituleCourt = court,
            Diplome = kind.Diplome,
            Niveau = _ref.DiplomaForLevel(level)!.LbaParam,
            Cfd = cfd,
            RncpCode = rncp?.Code,
            RncpIntitule = rncp?.Title,
            RncpEligibleApprentissage = rncp is null ? null : !rng.Chance(0.03),
            Adresse = cfa.Address,
            CodePostal = cfa.Place.PostalCode,
            CodeCommuneInsee = cfa.Place.Insee,
            Localite = c.Name,
            NumDepartement = c.DepartementCode,
            Region = c.RegionName,
            FormateurSiret = cfa.Siret,
            FormateurEnseigne = cfa.Enseigne,
            FormateurRaisonSociale = cfa.Name,
            FormateurUai = cfa.Uai,
            FormateurCedex = null,
            GestionnaireSiret = cfa.GestionnaireSiret,
            GestionnaireRaisonSociale = cfa.GestionnaireName,
            GestionnaireUai = cfa.GestionnaireUai,
            Phone = rng.Chance(0.85) ? cfa.Phone : null,
            Email = rng.Chance(0.8) ? cfa.Email : null,
            OnisepUrl = rng.Chance(0.5) ? $"https://www.onisep.fr/http/redirection/formation/slug/FOR.{1000 + (int)(Fnv(cfd) % 9000)}" : null,
            Capacite = rng.Chance(0.5) ? (8 + 2 * rng.Next(12)).ToString(CultureInfo.InvariantCulture) : null,
            IdRcoFormation = $"{10 + cfa.Index % 90}_{seq:D6}|{10 + cfa.Index % 90}_{cfa.Index:D6}|{100_000 + seq}",
            IdFormation = $"{10 + cfa.Index % 90}_{seq:D6}",
            DateDebut = debut,
            DateFin = fin,
            Objectif = rng.Chance(0.6) ? rng.Pick(FrenchText.TrainingObjectives) : null,
            Contenu = rng.Chance(0.6) ? rng.Pick(FrenchText.TrainingContents) : null,
            EntierementADistance = rng.Chance(0.01),
            ParcoursupId = level >= 5 && rng.Chance(0.3) ? (10_000 + rng.Next(40_000)).ToString(CultureInfo.InvariantCulture) : null,
        };
    }

    // "Conducteur / Conductrice de travaux (fiche nationale)" → "CONDUCTEUR DE TRAVAUX".
    private static string ShortTitle(string title)
    {
        int paren = title.IndexOf(" (", StringComparison.Ordinal);
        if (paren > 0) title = title[..paren];
        int slash = title.IndexOf(" / ", StringComparison.Ordinal);
        if (slash > 0)
        {
            // "Conducteur / Conductrice de travaux": keep the first form and what follows the second.
            var rest = title[(slash + 3)..];
            int space = rest.IndexOf(' ');
            title = title[..slash] + (space > 0 ? rest[space..] : "");
        }
        return FrenchText.UpperAscii(title).Trim();
    }

    // ------------------------------------------------------------------ national offers

    private sealed record Employer(string Name, string Siret, NafCode Naf, Place Place, string? Logo, string? Description, string? Email);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first item: skip tier-0
    private Employer NewEmployer(Prng rng, long index)
    {
        var place = PickPlace(rng);
        var naf = PickNaf(rng);
        var name = CompanyName(rng, naf, place.Commune);
        // A third of them are establishments of companies of the companies feed (same SIREN): their OPCO is known there.
        long siren = rng.Chance(1 / 3.0) && CompanyCount > 0 ? rng.Next(CompanyCount) : 80_000_000 + index;
        return new Employer(name, NewSiret(siren, rng), naf, place,
            rng.Chance(0.3) ? $"https://entreprise.francetravail.fr/static/img/logos/{Fnv(name) & 0xFFFFFFFFFFUL:x10}.png" : null,
            rng.Chance(0.5) ? rng.Pick(FrenchText.EmployerDescriptions) : null,
            rng.Chance(0.4) ? "recrutement@" + FrenchText.Slug(name) + ".fr" : null);
    }

    /// <summary>~100,000 national offers at scale 1 (France Travail "Offres d'emploi v2" shape).</summary>
    public IEnumerable<PeJobItem> PeJobs()
    {
        var rng = new Prng(Options.Seed, 2);
        var recent = new Employer[512];
        int recentCount = 0, employerIndex = 0;
        // FT-like ids: "1" + 2 digits + 4 base-36 characters, an affine bijection of the index so they never collide.
        const long Space = 100L * 36 * 36 * 36 * 36;
        long idOffset = rng.NextLong(Space);
        for (int i = 0; i < PeJobCount; i++)
        {
            Employer e;
            if (recentCount > 0 && rng.Chance(0.35)) e = recent[rng.Next(recentCount)]; // several offers, one address
            else
            {
                e = NewEmployer(rng, employerIndex++);
                recent[recentCount < recent.Length ? recentCount++ : rng.Next(recent.Length)] = e;
            }
            yield return NewPeJob(rng, e, FtId((i * 97_654_321L + idOffset) % Space));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first item: skip tier-0
    private PeJobItem NewPeJob(Prng rng, Employer e, string id)
    {
        var rome = PickRome(rng);
        var appellation = PickAppellation(rng, rome)?.Label ?? rome.Label;
        bool apprentissage = rng.Chance(0.8);
        bool cdi = rng.Chance(0.12);
        int months = rng.Pick(ContractMonths);
        var created = Today.AddDays(-rng.Next(120)).AddSeconds(rng.Next(86_400));
        var c = e.Place.Commune;
        string? niveau = rng.Chance(0.3) ? null : "NV" + (1 + rng.Next(5)).ToString(CultureInfo.InvariantCulture);
        return new PeJobItem
        {
            Id = id,
            Latitude = e.Place.Latitude,
            Longitude = e.Place.Longitude,
            RomeCodes = [rome.Code],
            Intitule = appellation + (rng.Chance(0.5) ? " (H/F)" : " en alternance (H/F)"),
            Description = rng.Pick(FrenchText.JobIntros) + " " + rng.Pick(FrenchText.JobTasks) + " " + rng.Pick(FrenchText.JobProfiles),
            DateCreation = IsoDate(created),
            LieuLibelle = c.DepartementCode + " - " + c.Name,
            CodePostal = e.Place.PostalCode,
            CommuneInsee = e.Place.Insee,
            AppellationLibelle = appellation,
            EntrepriseNom = rng.Chance(0.9) ? e.Name : null,
            EntrepriseDescription = e.Description,
            EntrepriseLogo = e.Logo,
            EntrepriseSiret = e.Siret,
            TypeContrat = cdi ? "CDI" : "CDD",
            TypeContratLibelle = cdi ? "Contrat à durée indéterminée" : $"Contrat à durée déterminée - {months} Mois",
            NatureContrat = apprentissage ? "Contrat apprentissage" : "Cont. professionnalisation",
            DureeTravailLibelle = rng.Pick(FrenchText.WorkDurations),
            SecteurActivite = e.Naf.DivisionCode,
            SecteurActiviteLibelle = e.Naf.Label,
            ContactNom = rng.Chance(0.6) ? e.Name + " - " + (rng.Chance(0.5) ? "Mme " : "M. ") + PersonLastName(rng) : null,
            ContactCourriel = e.Email,
            NiveauFormation = niveau,
        };
    }

    private static readonly int[] ContractMonths = [6, 12, 12, 18, 24, 24, 24, 36];

    private static string FtId(long v)
    {
        const string Digits36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        Span<char> s = stackalloc char[7];
        long head = v / (36 * 36 * 36 * 36), rest = v % (36 * 36 * 36 * 36);
        s[0] = '1';
        s[1] = (char)('0' + head / 10);
        s[2] = (char)('0' + head % 10);
        for (int k = 6; k >= 3; k--) { s[k] = Digits36[(int)(rest % 36)]; rest /= 36; }
        return new string(s);
    }

    // ------------------------------------------------------------------ posted offers

    /// <summary>~25,000 posted offers at scale 1, from ~12,000 recruiters (one item per job, jobs of a recruiter together).</summary>
    public IEnumerable<MatchaItem> Matchas()
    {
        var rng = new Prng(Options.Seed, 3);
        int produced = 0, recruiterIndex = 0;
        while (produced < MatchaCount)
        {
            var recruiter = NewRecruiter(rng, recruiterIndex++);
            int roll = rng.Next(100);
            int jobs = roll < 50 ? 1 : roll < 75 ? 2 : roll < 87 ? 3 : roll < 93 ? 4 : rng.Between(5, 8);
            var anchor = PickRome(rng);
            for (int j = 0; j < jobs && produced < MatchaCount; j++)
            {
                // A recruiter's jobs tend to be in one trade.
                var rome = j == 0 || rng.Chance(0.3) ? anchor : rng.Chance(0.5) ? PickRomeIn(rng, anchor.SubdomainCode) : PickRome(rng);
                yield return NewJob(rng, recruiter, rome, produced);
                produced++;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first item: skip tier-0
    private RecruiterInfo NewRecruiter(Prng rng, int index)
    {
        var place = PickPlace(rng);
        var c = place.Commune;
        var naf = PickNaf(rng);
        var name = CompanyName(rng, naf, c);
        var opco = PickOpco(rng);
        var first = rng.Pick(FrenchText.FirstNames);
        var last = PersonLastName(rng);
        bool delegated = rng.Chance(0.1);
        var address = Address(rng, out _, out _) + " " + place.PostalCode + " " + FrenchText.UpperAscii(c.Name);
        var created = new DateTime(1960 + rng.Next(65), 1 + rng.Next(12), 1 + rng.Next(28), 0, 0, 0, DateTimeKind.Utc);
        return new RecruiterInfo
        {
            EstablishmentId = Uuid(rng),
            Siret = NewSiret(40_000_000 + index, rng),
            RaisonSociale = name,
            Enseigne = rng.Chance(0.5) ? name : null,
            Address = address,
            City = c.Name,
            ZipCode = place.PostalCode,
            Latitude = place.Latitude,
            Longitude = place.Longitude,
            FirstName = first,
            LastName = last[0] + last[1..].ToLowerInvariant(),
            Phone = PhoneNumber(rng, c, mobile: rng.Chance(0.5)).Replace(" ", "", StringComparison.Ordinal),
            Email = FrenchText.Slug(first, 12) + "." + FrenchText.Slug(last, 12) + "@" + FrenchText.Slug(name) + ".fr",
            Opco = opco.LbaLabel,
            OpcoUrl = FrenchText.OpcoUrl(opco.Key),
            Idcc = rng.Chance(0.8) ? rng.Pick(Idccs) : null,
            NafCode = naf.Code,
            NafLabel = naf.Label,
            EstablishmentSize = FrenchText.EstablishmentSizes[Math.Min(_sizeTable.Sample(rng), FrenchText.EstablishmentSizes.Length - 1)],
            EstablishmentCreationDate = IsoDate(created),
            IsDelegated = delegated,
            CfaDelegatedSiret = delegated ? NewSiret(50_000_000 + index, rng) : null,
            Status = rng.Chance(0.92) ? "Actif" : "Archivé",
            Origin = rng.Pick(FrenchText.Origins),
            ManagedBy = ObjectId(rng, Today.AddDays(-rng.Next(900)), index),
        };
    }

    private static readonly string[] Idccs = ["1486", "2216", "1979", "843", "1517", "3248", "1596", "1597", "2264", "1090", "2511", "2120"];

    // A MongoDB-style ObjectId: 4-byte timestamp, then random bits, then a 3-byte counter that keeps ids unique.
    private static string ObjectId(Prng rng, DateTime when, int counter)
    {
        long seconds = (long)(when - DateTime.UnixEpoch).TotalSeconds;
        return $"{(uint)seconds:x8}{rng.NextUInt64() & 0xFFFFFFFFFFUL:x10}{counter & 0xFFFFFF:x6}";
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first item: skip tier-0
    private MatchaItem NewJob(Prng rng, RecruiterInfo recruiter, RomeCode rome, int index)
    {
        var appellation = PickAppellation(rng, rome);
        var created = Today.AddDays(-rng.Next(90)).AddSeconds(rng.Next(86_400));
        int prolongations = rng.Chance(0.8) ? 0 : rng.Between(1, 2);
        var roll = rng.Next(100);
        var status = roll < 85 ? "Active" : roll < 93 ? "Pourvue" : "Annulée";
        var typeRoll = rng.Next(100);
        string[] type = typeRoll < 70 ? ["Apprentissage"] : typeRoll < 90 ? ["Apprentissage", "Professionnalisation"] : ["Professionnalisation"];
        return new MatchaItem
        {
            Id = ObjectId(rng, created, index),
            Latitude = recruiter.Latitude,
            Longitude = recruiter.Longitude,
            RomeCodes = [rome.Code],
            Recruiter = recruiter,
            RomeLabel = rome.Label,
            RomeAppellationLabel = appellation?.Label ?? rome.Label,
            JobLevelLabel = FrenchText.JobLevelLabels[rng.Next(FrenchText.JobLevelLabels.Length)],
            JobStartDate = IsoDate(created.Date.AddDays(rng.Between(7, 120))),
            JobDescription = rng.Chance(0.7) ? rng.Pick(FrenchText.JobIntros) + " " + rng.Pick(FrenchText.JobTasks) : null,
            JobEmployerDescription = rng.Chance(0.4) ? rng.Pick(FrenchText.EmployerDescriptions) : null,
            JobCreationDate = IsoDate(created),
            JobExpirationDate = IsoDate(created.AddMonths(2 * (1 + prolongations))),
            JobUpdateDate = IsoDate(created.AddDays(rng.Next(10))),
            JobStatus = status,
            JobType = type,
            IsMultiPublished = rng.Chance(0.9),
            IsDisabledElligible = rng.Chance(0.15),
            JobCount = rng.Chance(0.85) ? 1 : rng.Between(2, 4),
            JobDuration = rng.Chance(0.8) ? rng.Pick(JobDurations) : null,
            JobRythm = rng.Chance(0.7) ? rng.Pick(FrenchText.JobRythms) : null,
            CustomAddress = null,
            CustomJobTitle = rng.Chance(0.05) ? (appellation?.Label ?? rome.Label) + " - alternance" : null,
            JobProlongationCount = prolongations,
        };
    }

    private static readonly int[] JobDurations = [6, 12, 12, 24, 24, 24, 36];

    // ------------------------------------------------------------------ companies

    private sealed record Building(Place Place, string Number, string Street);

    /// <summary>~300,000 companies likely to hire at scale 1 (id = SIRET), some sharing a building.</summary>
    public IEnumerable<CompanyItem> Companies()
    {
        var rng = new Prng(Options.Seed, 4);
        var recent = new Building[1024];
        int recentCount = 0;
        for (int i = 0; i < CompanyCount; i++)
        {
            Building b;
            if (recentCount > 0 && rng.Chance(0.12)) b = recent[rng.Next(recentCount)];
            else
            {
                var place = PickPlace(rng);
                Address(rng, out var number, out var street);
                b = new Building(place, number, street);
                recent[recentCount < recent.Length ? recentCount++ : rng.Next(recent.Length)] = b;
            }
            yield return NewCompany(rng, b, i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first item: skip tier-0
    private CompanyItem NewCompany(Prng rng, Building b, int i)
    {
        var c = b.Place.Commune;
        var naf = PickNaf(rng);
        var name = CompanyName(rng, naf, c);
        var domains = DomainsFor(naf);
        var first = PickRomeIn(rng, domains[rng.Next(domains.Length)]);
        int count = rng.Next(100) switch { < 40 => 1, < 65 => 2, < 82 => 3, < 93 => 4, _ => 5 };
        var romes = new List<string>(count) { first.Code };
        for (int tries = 0; romes.Count < count && tries < 10; tries++)
        {
            var extra = rng.Chance(0.6) ? PickRomeIn(rng, first.SubdomainCode) : PickRomeIn(rng, domains[rng.Next(domains.Length)]);
            if (!romes.Contains(extra.Code)) romes.Add(extra.Code);
        }
        var opco = rng.Chance(0.95) ? PickOpco(rng) : null;
        double u = rng.NextDouble();
        return new CompanyItem
        {
            Id = NewSiret(i, rng),
            Latitude = b.Place.Latitude,
            Longitude = b.Place.Longitude,
            RomeCodes = [.. romes],
            RaisonSociale = name,
            Enseigne = rng.Chance(0.7) ? name : FrenchText.UpperAscii(Activity(naf)) + " " + PersonLastName(rng),
            NafCode = naf.CompactCode,
            NafLabel = naf.Label,
            StreetNumber = b.Number,
            StreetName = b.Street,
            InseeCityCode = b.Place.Insee,
            ZipCode = b.Place.PostalCode,
            City = FrenchText.UpperAscii(c.Name),
            Email = rng.Chance(0.7) ? "contact@" + FrenchText.Slug(name) + ".fr" : null,
            Phone = rng.Chance(0.8) ? PhoneNumber(rng, c).Replace(" ", "", StringComparison.Ordinal) : null,
            CompanySize = FrenchText.CompanySizes[_sizeTable.Sample(rng)],
            Website = rng.Chance(0.3) ? "https://www." + FrenchText.Slug(name) + ".fr" : null,
            Opco = opco?.LbaLabel,
            OpcoShortName = opco?.Key,
            OpcoUrl = opco is null ? null : FrenchText.OpcoUrl(opco.Key),
            RecruitmentPotential = Math.Round(0.5 + 9.5 * u * u, 2),
        };
    }

    // ROME codes most offered in apprenticeship (sales, food trades, catering, office, mechanics, building, care...).
    private static readonly string[] PopularRomes =
    [
        "D1106", "G1602", "D1507", "G1803", "M1607", "I1604", "D1202", "M1203", "D1102", "M1805", "D1401", "J1501", "D1214", "F1602",
        "F1603", "D1104", "D1101", "N1103", "M1705", "H2913", "F1703", "K1302", "G1703", "D1402", "M1501", "I1304", "D1211", "H1203",
        "K2204", "A1203", "J1307", "D1212", "K1303", "G1501", "E1205", "A1414", "H2909", "M1302",
    ];

    private static readonly string[] PopularNafs =
    [
        "56.10A", "47.11F", "96.02A", "45.20A", "43.21A", "43.22A", "10.71C", "47.73Z", "62.01Z", "69.20Z", "86.90D", "88.10A",
        "41.20A", "43.32A", "47.71Z", "55.10Z", "56.30Z", "49.41A", "52.29B", "71.12B", "70.22Z", "85.59A", "87.10A", "43.99C",
        "25.62B", "68.31Z", "47.52A", "10.13B", "81.21Z", "78.20Z", "01.50Z", "47.30Z", "64.19Z", "65.12Z", "47.11D",
    ];
}
