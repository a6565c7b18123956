using Alternance.Api.Json;
using Alternance.Data;

namespace Alternance.Api.Metiers;

/// <summary>
/// <c>/api/v1/metiers/intitule</c>: ROME appellations matching a label, ranked the way match-sorter ranks (equal,
/// starts with, a word starts with, contains, every word found), ties alphabetical; one per appellation; at most 100.
/// </summary>
public sealed class AppellationIndex
{
    public const int MaxResults = 100;

    private readonly (string Key, AppellationCouple Couple, string Code)[] _entries;

    public AppellationIndex(ReferenceData reference)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var entries = new List<(string, AppellationCouple, string)>(reference.Appellations.Count);
        foreach (RomeAppellation a in reference.Appellations)
        {
            if (!seen.Add(a.Label)) continue;
            string intitule = reference.FindRome(a.RomeCode)?.Label ?? a.RomeCode;
            entries.Add((MetierCatalog.Normalize(a.Label), new AppellationCouple(a.RomeCode, intitule, a.Label), a.CodeOgr));
        }
        entries.Sort(static (x, y) => string.CompareOrdinal(x.Item1, y.Item1));
        _entries = [.. entries];
    }

    public List<AppellationCouple> Find(string label)
    {
        List<int> ranked = Rank(label, MaxResults);
        var result = new List<AppellationCouple>(ranked.Count);
        foreach (int i in ranked) result.Add(_entries[i].Couple);
        return result;
    }

    /// <summary>As <see cref="Find"/>, with each appellation's code (<c>code_ogr</c>, what an offer is posted with).</summary>
    public List<(AppellationCouple Couple, string Code)> FindWithCodes(string label, int max)
    {
        List<int> ranked = Rank(label, Math.Min(max, MaxResults));
        var result = new List<(AppellationCouple, string)>(ranked.Count);
        foreach (int i in ranked) result.Add((_entries[i].Couple, _entries[i].Code));
        return result;
    }

    /// <summary>The indices of the entries matching <paramref name="label"/>, best first, at most <paramref name="max"/>.</summary>
    private List<int> Rank(string label, int max)
    {
        string phrase = MetierCatalog.Normalize(label).Trim();
        string[] words = phrase.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ranked = new List<(int Rank, int Order)>();
        if (words.Length == 0) return [];
        phrase = string.Join(' ', words);
        for (int i = 0; i < _entries.Length; i++)
        {
            string key = _entries[i].Key;
            int rank;
            if (key == phrase) rank = 5;
            else if (key.StartsWith(phrase, StringComparison.Ordinal)) rank = 4;
            else if (MetierCatalog.WordStarts(key, phrase)) rank = 3;
            else if (key.Contains(phrase, StringComparison.Ordinal)) rank = 2;
            else if (words.Length > 1 && AllWordsStart(key, words)) rank = 1;
            else continue;
            ranked.Add((rank, i));
        }
        // Entries are in alphabetical order already: the order index breaks ties.
        ranked.Sort(static (a, b) => a.Rank != b.Rank ? b.Rank.CompareTo(a.Rank) : a.Order.CompareTo(b.Order));
        var result = new List<int>(Math.Min(ranked.Count, max));
        for (int i = 0; i < ranked.Count && result.Count < max; i++) result.Add(ranked[i].Order);
        return result;
    }

    private static bool AllWordsStart(string key, string[] words)
    {
        foreach (string word in words) if (!MetierCatalog.WordStarts(key, word)) return false;
        return true;
    }
}
