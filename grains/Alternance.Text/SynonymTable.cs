using System.Collections.Frozen;

namespace Alternance.Text;

/// <summary>
/// The curated synonym groups shipped with the service (<c>synonyms.txt</c>, an embedded resource), as analysed terms:
/// a query term that belongs to a group also looks for every other term of the group.
/// </summary>
public sealed class SynonymTable
{
    private readonly FrozenDictionary<string, string[]> _others;

    private SynonymTable(FrozenDictionary<string, string[]> others) => _others = others;

    /// <summary>The other terms of <paramref name="term"/>'s groups (several groups are merged), or empty.</summary>
    public string[] Of(string term) => _others.TryGetValue(term, out string[]? others) ? others : [];

    /// <summary>Every term that has synonyms.</summary>
    public IEnumerable<string> Terms => _others.Keys;

    internal static SynonymTable Load(TextAnalyzer analyzer)
    {
        using Stream stream = typeof(SynonymTable).Assembly.GetManifestResourceStream("Alternance.Text.synonyms.txt")
            ?? throw new InvalidOperationException("synonyms.txt is not embedded.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), analyzer);
    }

    /// <summary>Reads groups (one per line, comma-separated words); a word that is not exactly one term is an error.</summary>
    public static SynonymTable Parse(string text, TextAnalyzer analyzer)
    {
        var groups = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        var terms = new List<string>();
        int lineNumber = 0;
        foreach (string raw in text.Split('\n'))
        {
            lineNumber++;
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var group = new List<string>();
            foreach (string word in line.Split(','))
            {
                terms.Clear();
                analyzer.Analyze(word.Trim(), terms);
                if (terms.Count != 1)
                {
                    throw new FormatException($"synonyms.txt line {lineNumber}: '{word.Trim()}' analyses to {terms.Count} terms, not one.");
                }
                if (!group.Contains(terms[0])) group.Add(terms[0]);
            }
            foreach (string term in group)
            {
                if (!groups.TryGetValue(term, out SortedSet<string>? others)) groups[term] = others = new SortedSet<string>(StringComparer.Ordinal);
                foreach (string other in group) if (other != term) others.Add(other);
            }
        }
        var frozen = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (term, others) in groups) frozen[term] = [.. others];
        return new SynonymTable(frozen.ToFrozenDictionary(StringComparer.Ordinal));
    }
}
