using System.Text;
using Alternance.Data;

namespace Alternance.Api.Metiers;

/// <summary>
/// A métier (the reference's <c>domainesmetiers</c> "sous_domaine"): a ROME v3 fiche with the ROME 4.0 codes it was
/// split into. Searchable through its label, its ROME labels, its appellations, its RNCP titles and its domain.
/// </summary>
public sealed class Metier
{
    public required string Label { get; init; }
    public required string[] Romes { get; init; }
    public required string[] Rncps { get; init; }
    public required RomeCode[] RomeCodes { get; init; }

    // Accent-free lower-case search texts, one field each (lines joined by '\n').
    public required string LabelKey { get; init; }
    public required string RomeLabels { get; init; }
    public required string Appellations { get; init; }
    public required string RncpTitles { get; init; }
    public required string Domains { get; init; }
    public required string SortKey { get; init; }
}

/// <summary>The métiers built once from the bundled referential, with the look-ups the métier routes need.</summary>
public sealed class MetierCatalog
{
    public const int MaxResults = 20;

    // La Bonne Alternance's weights (docs/contract.md#job-title-look-ups), plus the JS weight for appellations.
    private const int LabelWeight = 80, AppellationWeight = 15, RomeLabelWeight = 7, RncpWeight = 7, DomainWeight = 3, StartsWithBonus = 20;

    private readonly Dictionary<string, List<Metier>> _byRome = new(StringComparer.OrdinalIgnoreCase);
    private readonly ReferenceData _reference;

    /// <summary>RNCP codes in numeric order (RNCP701 before RNCP2444).</summary>
    private static readonly Comparer<string> RncpOrder =
        Comparer<string>.Create(static (a, b) => a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b));

    public IReadOnlyList<Metier> All { get; }
    /// <summary>Every label, sorted alphabetically (accents ignored).</summary>
    public IReadOnlyList<string> Labels { get; }

    public MetierCatalog(ReferenceData reference)
    {
        _reference = reference;
        var groups = new Dictionary<string, List<RomeCode>>(StringComparer.Ordinal);
        foreach (RomeCode rome in reference.Romes)
        {
            string parent = string.IsNullOrEmpty(rome.CodeRomeParent) ? rome.Code : rome.CodeRomeParent;
            if (!groups.TryGetValue(parent, out var list)) groups[parent] = list = [];
            list.Add(rome);
        }
        var rncpsByRome = new Dictionary<string, List<RncpCertification>>(StringComparer.OrdinalIgnoreCase);
        foreach (RncpCertification c in reference.Rncps)
        {
            if (!c.Active2021) continue;
            foreach (string rome in c.RomeCodesV4)
            {
                if (!rncpsByRome.TryGetValue(rome, out var list)) rncpsByRome[rome] = list = [];
                list.Add(c);
            }
        }

        var metiers = new List<Metier>(groups.Count);
        var labels = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (parentCode, romes) in groups)
        {
            RomeCode parent = reference.FindRome(parentCode) ?? romes[0];
            string label = string.IsNullOrEmpty(parent.LabelRomeV3) ? parent.Label : parent.LabelRomeV3!;
            if (!labels.Add(label)) label = $"{label} ({parentCode})";
            romes.Sort(static (a, b) => string.CompareOrdinal(a.Code, b.Code));

            var rncps = new SortedSet<string>(RncpOrder);
            var rncpTitles = new StringBuilder();
            var romeLabels = new StringBuilder();
            var appellations = new StringBuilder();
            var domains = new StringBuilder();
            var seenTitles = new HashSet<string>(StringComparer.Ordinal);
            foreach (RomeCode rome in romes)
            {
                romeLabels.Append(Normalize(rome.Label)).Append('\n');
                foreach (RomeAppellation a in reference.AppellationsForRome(rome.Code)) appellations.Append(Normalize(a.Label)).Append('\n');
                if (seenTitles.Add(rome.SubdomainLabel)) domains.Append(Normalize(rome.SubdomainLabel)).Append('\n');
                if (seenTitles.Add(rome.DomainLabel)) domains.Append(Normalize(rome.DomainLabel)).Append('\n');
                if (rncpsByRome.TryGetValue(rome.Code, out var certifications))
                {
                    foreach (RncpCertification c in certifications)
                    {
                        if (rncps.Add(c.Code) && seenTitles.Add(c.Title)) rncpTitles.Append(Normalize(c.Title)).Append('\n');
                    }
                }
            }
            string key = Normalize(label);
            var romeCodes = new string[romes.Count];
            for (int i = 0; i < romeCodes.Length; i++) romeCodes[i] = romes[i].Code;
            var metier = new Metier
            {
                Label = label,
                Romes = romeCodes,
                Rncps = [.. rncps],
                RomeCodes = [.. romes],
                LabelKey = key,
                RomeLabels = romeLabels.ToString(),
                Appellations = appellations.ToString(),
                RncpTitles = rncpTitles.ToString(),
                Domains = domains.ToString(),
                SortKey = key,
            };
            metiers.Add(metier);
            foreach (string code in romeCodes)
            {
                if (!_byRome.TryGetValue(code, out var list)) _byRome[code] = list = [];
                list.Add(metier);
            }
        }
        metiers.Sort(CompareLabels);
        All = metiers;
        var names = new string[metiers.Count];
        for (int i = 0; i < names.Length; i++) names[i] = metiers[i].Label;
        Labels = names;
    }

    private static int CompareLabels(Metier a, Metier b)
    {
        int c = string.CompareOrdinal(a.SortKey, b.SortKey);
        return c != 0 ? c : string.CompareOrdinal(a.Label, b.Label);
    }

    /// <summary>The métiers a ROME 4.0 code belongs to.</summary>
    public IReadOnlyList<Metier> ForRome(string code) => _byRome.TryGetValue(code, out var l) ? l : [];

    /// <summary>
    /// <c>/api/v1/metiers</c>: métiers filed under one of <paramref name="romes"/> and one of the ROME codes of
    /// <paramref name="rncps"/> (each filter only when given), ranked by <paramref name="title"/> when given
    /// (docs/contract.md#job-title-look-ups), else alphabetically; at most 20.
    /// </summary>
    public List<Metier> Find(string? title, IReadOnlyCollection<string>? romes, IReadOnlyCollection<string>? rncps)
    {
        HashSet<Metier>? romeFilter = null, rncpFilter = null;
        if (romes is { Count: > 0 })
        {
            romeFilter = [];
            foreach (string code in romes) foreach (Metier m in ForRome(code)) romeFilter.Add(m);
        }
        if (rncps is { Count: > 0 })
        {
            rncpFilter = [];
            foreach (string rncp in rncps)
            {
                if (_reference.FindRncp(rncp) is not { } certification) continue;
                foreach (string code in certification.RomeCodesV4) foreach (Metier m in ForRome(code)) rncpFilter.Add(m);
            }
        }

        var result = new List<Metier>(MaxResults);
        if (string.IsNullOrWhiteSpace(title))
        {
            foreach (Metier m in All)
            {
                if (romeFilter is not null && !romeFilter.Contains(m)) continue;
                if (rncpFilter is not null && !rncpFilter.Contains(m)) continue;
                result.Add(m);
                if (result.Count == MaxResults) break;
            }
            return result;
        }

        string phrase = Normalize(title).Trim();
        var terms = new List<string>();
        string[] words = phrase.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (int i = 0; i < words.Length; i++)
        {
            // The first term always; the others when longer than one character; the whole phrase when it has several words.
            if (i == 0 || words[i].Length > 1) terms.Add(words[i]);
        }
        if (words.Length > 1) terms.Add(string.Join(' ', words));
        if (terms.Count == 0) return result;

        var scored = new List<(Metier Metier, int Score)>();
        foreach (Metier m in All)
        {
            if (romeFilter is not null && !romeFilter.Contains(m)) continue;
            if (rncpFilter is not null && !rncpFilter.Contains(m)) continue;
            int score = 0;
            foreach (string term in terms)
            {
                if (WordStarts(m.LabelKey, term)) score += LabelWeight;
                if (WordStarts(m.Appellations, term)) score += AppellationWeight;
                if (WordStarts(m.RomeLabels, term)) score += RomeLabelWeight;
                if (WordStarts(m.RncpTitles, term)) score += RncpWeight;
                if (WordStarts(m.Domains, term)) score += DomainWeight;
            }
            if (score > 0 && m.LabelKey.StartsWith(phrase, StringComparison.Ordinal)) score += StartsWithBonus;
            if (score > 0) scored.Add((m, score));
        }
        scored.Sort(static (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : CompareLabels(a.Metier, b.Metier));
        for (int i = 0; i < scored.Count && i < MaxResults; i++) result.Add(scored[i].Metier);
        return result;
    }

    /// <summary>Whether <paramref name="term"/> occurs in <paramref name="text"/> at the start of a word (regex <c>\bterm</c>).</summary>
    internal static bool WordStarts(string text, string term)
    {
        int from = 0;
        while (true)
        {
            int at = text.IndexOf(term, from, StringComparison.Ordinal);
            if (at < 0) return false;
            if (at == 0 || !char.IsLetterOrDigit(text[at - 1])) return true;
            from = at + 1;
        }
    }

    /// <summary>Lower case, accents removed, œ/æ spelt out: the form titles are compared in (no ICU needed).</summary>
    public static string Normalize(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char raw in text)
        {
            char c = char.ToLowerInvariant(raw);
            switch (c)
            {
                case 'à' or 'â' or 'ä' or 'á' or 'ã' or 'å': sb.Append('a'); break;
                case 'ç': sb.Append('c'); break;
                case 'é' or 'è' or 'ê' or 'ë': sb.Append('e'); break;
                case 'î' or 'ï' or 'í' or 'ì': sb.Append('i'); break;
                case 'ô' or 'ö' or 'ó' or 'ò' or 'õ': sb.Append('o'); break;
                case 'ù' or 'û' or 'ü' or 'ú': sb.Append('u'); break;
                case 'ÿ' or 'ý': sb.Append('y'); break;
                case 'ñ': sb.Append('n'); break;
                case 'œ': sb.Append("oe"); break;
                case 'æ': sb.Append("ae"); break;
                case '’' or '`': sb.Append('\''); break;
                case '\u00a0': sb.Append(' '); break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }
}
