using Alternance.Text;

namespace Alternance.Testing;

/// <summary>A free-text query as the oracle takes it (the API's parameters, already parsed).</summary>
public sealed record class TextOracleQuery
{
    public string Q { get; init; } = "";
    public Source[] Sources { get; init; } = [Source.Formation, Source.PeJob, Source.Matcha, Source.Company];
    public bool HasCenter { get; init; }
    public double Latitude { get; init; }
    public double Longitude { get; init; }
    public double RadiusKm { get; init; } = 30;
    /// <summary>Postal-code prefixes of the admin area; empty for none.</summary>
    public string[] PostalPrefixes { get; init; } = [];
    public string[] TypeLabels { get; init; } = [];
    public string[] ContractTypes { get; init; } = [];
    public string[] Levels { get; init; } = [];
    public string[] Sectors { get; init; } = [];
    public string[] Organisations { get; init; } = [];
    public DateOnly? StartDateAtMost { get; init; }
    public bool? DisabledElligible { get; init; }
    public bool? SmartApply { get; init; }
    public bool? AlgoCompany { get; init; }
    /// <summary><c>relevance</c>, <c>proximity</c>, <c>date</c>, <c>start_date</c>.</summary>
    public string Sort { get; init; } = "relevance";
    public int Page { get; init; }
    public int HitsPerPage { get; init; } = 20;
}

/// <summary>One hit of the oracle's answer.</summary>
public readonly record struct TextOracleHit(string Kind, string Id, double Score, double DistanceKm);

/// <summary>The oracle's answer: the page, the number of matches, every facet count ("facet/value" → count).</summary>
public sealed record class TextOracleAnswer(TextOracleHit[] Hits, int NbHits, SortedDictionary<string, int> Facets);

/// <summary>
/// The free-text search of docs/text-search.md written the plain way: every item analysed with the service's analyser
/// (Lucene's French chain) and synonym table, then for each query a scan of every item — its own field table, its own
/// BM25, its own one-edit test, filters, facets and sorts — with no index, no cells and no merge.
/// </summary>
public sealed class TextOracle
{
    private const double K1 = 1.2, B = 0.75;
    private static readonly double[] Boost = [3, 2, 1];

    private sealed class Doc
    {
        public required SearchItem Item;
        public required Source Source;
        /// <summary>Per field: term → frequency (capped at 31).</summary>
        public required Dictionary<string, int>[] Tf;
        public required int[] Length;
    }

    private sealed class Collection
    {
        public int N;
        public double[] Average = new double[3];
        public Dictionary<string, int> Df = new(StringComparer.Ordinal);
    }

    private readonly TextAnalyzer _analyzer;
    private readonly List<Doc> _docs = [];
    private readonly Dictionary<Source, Collection> _collections = [];

    private readonly long _asOf;

    /// <param name="asOf">The instant searches are made at (Unix ms): posted offers whose expiration date is at or before
    /// it are not found (they still count in the collection statistics, which the cells gather without a clock).</param>
    public TextOracle(IEnumerable<SearchItem> items, TextAnalyzer analyzer, long asOf = 0)
    {
        _analyzer = analyzer;
        _asOf = asOf;
        var terms = new List<string>();
        foreach (SearchItem item in items)
        {
            if (item is MatchaItem m && !(m.JobStatus == "Active" && m.Recruiter.Status == "Actif")) continue;
            var doc = new Doc { Item = item, Source = item.Source, Tf = new Dictionary<string, int>[3], Length = new int[3] };
            string?[] fields = Fields(item);
            for (int f = 0; f < 3; f++)
            {
                terms.Clear();
                analyzer.Analyze(fields[f], terms);
                doc.Length[f] = Math.Min(terms.Count, 255);
                doc.Tf[f] = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (string t in terms) doc.Tf[f][t] = Math.Min(31, doc.Tf[f].GetValueOrDefault(t) + 1);
            }
            _docs.Add(doc);
            if (!_collections.TryGetValue(item.Source, out Collection? c)) _collections[item.Source] = c = new Collection();
            c.N++;
            var distinct = new HashSet<string>(StringComparer.Ordinal);
            for (int f = 0; f < 3; f++)
            {
                c.Average[f] += doc.Length[f];
                distinct.UnionWith(doc.Tf[f].Keys);
            }
            foreach (string t in distinct) c.Df[t] = c.Df.GetValueOrDefault(t) + 1;
        }
        foreach (Collection c in _collections.Values)
        {
            for (int f = 0; f < 3; f++) c.Average[f] = c.N == 0 ? 0 : c.Average[f] / c.N;
        }
    }

    /// <summary>The field table of docs/text-search.md: title, organisation, keywords.</summary>
    private static string?[] Fields(SearchItem item)
    {
        static string? Join(params string?[] parts)
        {
            var present = parts.Where(p => p is not null).ToArray();
            return present.Length == 0 ? null : string.Join(' ', parts.Select(p => p ?? "")).Trim();
        }
        return item switch
        {
            FormationItem f => [f.IntituleLong ?? f.IntituleCourt, f.FormateurEnseigne ?? f.FormateurRaisonSociale, Join(f.Diplome, f.Niveau, f.Localite)],
            PeJobItem p => [p.Intitule, p.EntrepriseNom, Join(p.SecteurActiviteLibelle, p.LieuLibelle, null)],
            MatchaItem m => [m.CustomJobTitle ?? m.RomeAppellationLabel ?? m.RomeLabel, m.Recruiter.Enseigne ?? m.Recruiter.RaisonSociale, Join(m.RomeLabel, m.Recruiter.NafLabel, m.Recruiter.City)],
            CompanyItem c => [c.Enseigne ?? c.RaisonSociale, null, Join(c.NafLabel, c.City, null)],
            _ => [null, null, null],
        };
    }

    /// <summary>The analysed, distinct words of a query text.</summary>
    public List<string> Words(string q)
    {
        var words = new List<string>();
        _analyzer.Analyze(q, words);
        return words.Distinct(StringComparer.Ordinal).ToList();
    }

    public TextOracleAnswer Search(TextOracleQuery query)
    {
        List<string> words = Words(query.Q);
        var scored = new List<(Doc Doc, double Score, double Distance, int Day)>();
        var facets = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (Source source in query.Sources)
        {
            Collection c = _collections.GetValueOrDefault(source) ?? new Collection();
            // Per word: (term, weight × idf), the word first, then synonyms, then one-edit neighbours of 5+ letter words.
            var alternatives = new List<List<(string Term, double Weight)>>();
            foreach (string w in words)
            {
                var alts = new List<(string, double)>();
                void Add(string t, double weight)
                {
                    if (alts.Any(a => a.Item1 == t)) return;
                    int df = c.Df.GetValueOrDefault(t);
                    alts.Add((t, weight * Math.Log(1 + (c.N - df + 0.5) / (df + 0.5))));
                }
                Add(w, 1.0);
                foreach (string s in _analyzer.Synonyms.Of(w)) Add(s, 0.8);
                if (w.Length >= 5)
                {
                    foreach (string t in c.Df.Keys.Where(t => Levenshtein(t, w) == 1).OrderBy(t => t, StringComparer.Ordinal)) Add(t, 0.5);
                }
                alternatives.Add(alts);
            }
            foreach (Doc doc in _docs)
            {
                if (doc.Source != source) continue;
                double score = 0;
                bool all = true;
                foreach (var alts in alternatives)
                {
                    double best = double.NegativeInfinity;
                    foreach (var (term, weight) in alts)
                    {
                        bool any = false;
                        double sum = 0;
                        for (int f = 0; f < 3; f++)
                        {
                            int tf = doc.Tf[f].GetValueOrDefault(term);
                            if (tf == 0) continue;
                            any = true;
                            double norm = c.Average[f] > 0 ? K1 * (1 - B + B * doc.Length[f] / c.Average[f]) : K1 * (1 - B);
                            sum += Boost[f] * (tf * (K1 + 1)) / (tf + norm);
                        }
                        if (any) best = Math.Max(best, weight * sum);
                    }
                    if (double.IsNegativeInfinity(best)) { all = false; break; }
                    score += best;
                }
                if (!all) continue;
                SearchItem item = doc.Item;
                if (item is MatchaItem { JobExpirationDate: { } expiration }
                    && DateTimeOffset.TryParse(expiration, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out DateTimeOffset expires)
                    && expires.ToUnixTimeMilliseconds() <= _asOf) continue;
                double distance = double.NaN;
                if (query.HasCenter)
                {
                    distance = GreatCircle.DistanceKm(query.Latitude, query.Longitude, item.Latitude, item.Longitude);
                    if (!(distance <= query.RadiusKm)) continue;
                }
                else if (query.PostalPrefixes.Length > 0)
                {
                    string? postal = Postal(item);
                    if (postal is null || !query.PostalPrefixes.Any(p => postal.StartsWith(p, StringComparison.Ordinal))) continue;
                }
                // Filters: which does it fail?
                string type = source switch { Source.Formation => "Formations", Source.Company => "Entreprises", _ => "Offres d'emploi" };
                string[] contracts = Contracts(item);
                string? level = Level(item);
                string? sector = item switch { PeJobItem p => p.SecteurActiviteLibelle, MatchaItem m => m.Recruiter.NafLabel, CompanyItem co => co.NafLabel, _ => null };
                bool disabled = item is MatchaItem { IsDisabledElligible: true };
                bool smart = item switch { MatchaItem => true, CompanyItem co => !string.IsNullOrEmpty(co.Email), FormationItem fo => !string.IsNullOrEmpty(fo.Email), _ => false };
                bool algo = item is CompanyItem;
                var failed = new List<string>();
                if (query.TypeLabels.Length > 0 && !query.TypeLabels.Contains(type)) failed.Add("type_filter_label");
                if (query.ContractTypes.Length > 0 && !contracts.Any(query.ContractTypes.Contains)) failed.Add("contract_type");
                if (query.Levels.Length > 0 && (level is null || !query.Levels.Contains(level))) failed.Add("level");
                if (query.Sectors.Length > 0 && (sector is null || !query.Sectors.Contains(sector))) failed.Add("activity_sector");
                if (query.DisabledElligible is { } de && disabled != de) failed.Add("is_disabled_elligible");
                if (query.SmartApply is { } sa && smart != sa) failed.Add("smart_apply");
                if (query.AlgoCompany is { } ac && algo != ac) failed.Add("is_algo_company");
                string? organisation = item switch
                {
                    FormationItem fo => fo.FormateurEnseigne ?? fo.FormateurRaisonSociale,
                    PeJobItem p => p.EntrepriseNom,
                    MatchaItem m => m.Recruiter.Enseigne ?? m.Recruiter.RaisonSociale,
                    CompanyItem co => co.RaisonSociale ?? co.Enseigne,
                    _ => null,
                };
                if (query.Organisations.Length > 0 && !query.Organisations.Any(o => Fold(o) == Fold(organisation) && Fold(o).Length > 0)) failed.Add("*");
                DateOnly? start = Start(item);
                if (query.StartDateAtMost is { } most && (start is null || start > most)) failed.Add("*");
                if (failed.Count > 1 || failed.Contains("*")) continue;
                void Count(string facet, string value)
                {
                    if (failed.Count == 0 || failed[0] == facet) facets[facet + "/" + value] = facets.GetValueOrDefault(facet + "/" + value) + 1;
                }
                Count("type_filter_label", type);
                foreach (string contract in contracts) Count("contract_type", contract);
                if (level is not null) Count("level", level);
                if (sector is not null) Count("activity_sector", sector);
                Count("is_disabled_elligible", disabled ? "true" : "false");
                Count("smart_apply", smart ? "true" : "false");
                Count("is_algo_company", algo ? "true" : "false");
                if (failed.Count > 0) continue;
                int day = query.Sort == "start_date"
                    ? (start is { } s ? s.DayNumber : int.MinValue)
                    : (Created(item) is { } cr ? cr.DayNumber : int.MinValue);
                scored.Add((doc, score, distance, day));
            }
        }
        scored.Sort((a, b) =>
        {
            int c;
            switch (query.Sort)
            {
                case "proximity":
                    c = a.Distance.CompareTo(b.Distance);
                    if (c == 0) c = b.Score.CompareTo(a.Score);
                    if (c == 0) c = string.CompareOrdinal(a.Doc.Item.Id, b.Doc.Item.Id);
                    return c != 0 ? c : a.Doc.Source.CompareTo(b.Doc.Source);
                case "date":
                    c = b.Day.CompareTo(a.Day);
                    break;
                case "start_date":
                    c = (a.Day == int.MinValue ? long.MaxValue : a.Day).CompareTo(b.Day == int.MinValue ? long.MaxValue : b.Day);
                    break;
                default:
                    c = 0;
                    break;
            }
            if (c == 0) c = b.Score.CompareTo(a.Score);
            if (c == 0) c = a.Distance.CompareTo(b.Distance);
            if (c == 0) c = string.CompareOrdinal(a.Doc.Item.Id, b.Doc.Item.Id);
            return c != 0 ? c : a.Doc.Source.CompareTo(b.Doc.Source);
        });
        var page = scored.Skip(query.Page * query.HitsPerPage).Take(query.HitsPerPage)
            .Select(s => new TextOracleHit(Kind(s.Doc.Source), s.Doc.Item.Id, s.Score, s.Distance)).ToArray();
        return new TextOracleAnswer(page, scored.Count, facets);
    }

    public static string Kind(Source source) => source switch
    {
        Source.Formation => "formation",
        Source.PeJob => "offre",
        Source.Matcha => "offre_lba",
        _ => "entreprise",
    };

    private static string[] Contracts(SearchItem item) => item switch
    {
        PeJobItem { NatureContrat: { } n } when n.Contains("apprentissage", StringComparison.OrdinalIgnoreCase) => ["Apprentissage"],
        PeJobItem { NatureContrat: { } n } when n.Contains("professionnalisation", StringComparison.OrdinalIgnoreCase) => ["Professionnalisation"],
        MatchaItem m => [.. new[] { "Apprentissage", "Professionnalisation" }.Where(v => m.JobType.Any(t => string.Equals(t, v, StringComparison.OrdinalIgnoreCase)))],
        _ => [],
    };

    private static string? Level(SearchItem item)
    {
        switch (item)
        {
            case FormationItem f:
                return f.Niveau is { Length: > 0 } n && n[0] is >= '3' and <= '7' ? n[0].ToString() : null;
            case PeJobItem p:
                return p.NiveauFormation switch { "NV1" => "7", "NV2" => "6", "NV3" => "5", "NV4" => "4", "NV5" => "3", _ => null };
            case MatchaItem m:
                string? label = m.JobLevelLabel;
                if (label is null) return null;
                if (label.StartsWith("Indiff", StringComparison.Ordinal)) return "indifferent";
                if (label.Contains("(Infrabac)", StringComparison.Ordinal)) return "3";
                if (label.Contains("(Bac+2)", StringComparison.Ordinal)) return "5";
                if (label.Contains("(Bac+3)", StringComparison.Ordinal)) return "6";
                if (label.Contains("(Bac+5)", StringComparison.Ordinal)) return "7";
                if (label.Contains("(Bac)", StringComparison.Ordinal)) return "4";
                return null;
            default:
                return null;
        }
    }

    private static DateOnly? Date(string? iso) =>
        iso is { Length: >= 10 } && DateOnly.TryParseExact(iso[..10], "yyyy-MM-dd", out DateOnly d) ? d : null;

    private static DateOnly? Created(SearchItem item) => item switch
    {
        PeJobItem p => Date(p.DateCreation),
        MatchaItem m => Date(m.JobCreationDate),
        _ => null,
    };

    private static DateOnly? Start(SearchItem item) => item switch
    {
        FormationItem f => f.DateDebut.Select(Date).Where(d => d is not null).Min(),
        MatchaItem m => Date(m.JobStartDate),
        _ => null,
    };

    private static string? Postal(SearchItem item) => item switch
    {
        FormationItem f => f.CodePostal,
        PeJobItem p => p.CodePostal,
        CompanyItem c => c.ZipCode,
        MatchaItem m => System.Text.RegularExpressions.Regex.Match(m.Recruiter.Address ?? "", @"(?<!\d)\d{5}(?!\d)", System.Text.RegularExpressions.RegexOptions.RightToLeft) is { Success: true } match ? match.Value : null,
        _ => null,
    };

    /// <summary>Accents and case folded, spaces collapsed (the <c>organization_name</c> comparison).</summary>
    public static string Fold(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return "";
        return NameKey.Of(name);
    }

    /// <summary>Plain dynamic-programming edit distance.</summary>
    public static int Levenshtein(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
        }
        return d[a.Length, b.Length];
    }
}
