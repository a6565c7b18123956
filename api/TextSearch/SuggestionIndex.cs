using Alternance.Data;
using Alternance.Search;
using Alternance.Text;

namespace Alternance.Api.TextSearch;

/// <summary>A completion: its text and what it is (<c>title</c>, <c>rome</c>, <c>appellation</c>, <c>organisation</c>).</summary>
public readonly record struct Suggestion(string Text, string Kind);

/// <summary>
/// The phrases suggestions complete to, indexed by every prefix of every word: ROME labels and appellations (the bundled
/// referential), the items' titles and organisation names (which the cells report, <see cref="ICellGrain.TextPhrases"/>). A phrase
/// matches when every word of the query starts a word of the phrase (accents and case ignored); matches are ranked by
/// how many items carry the phrase (referential entries count as one), then shorter first, then alphabetically.
/// </summary>
public sealed class SuggestionTable
{
    /// <summary>Prefixes up to this length have their best matches listed ahead of time (single-word queries read one list).</summary>
    private const int ListedPrefixLength = 12;
    private const int MaxPhrasesPerKind = 30_000;

    private readonly string[] _text;
    private readonly string[] _kind;
    /// <summary>Each phrase's folded words.</summary>
    private readonly string[][] _words;
    /// <summary>Prefix → phrase ids in rank order (at most the route's limit).</summary>
    private readonly Dictionary<string, int[]> _byPrefix;
    private readonly Dictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _byPrefixSpan;

    public DateTime BuiltAt { get; }
    public long DirectoryVersion { get; }

    public SuggestionTable(IEnumerable<(string Text, string Kind, int Weight)> phrases, long directoryVersion, DateTime builtAt)
    {
        DirectoryVersion = directoryVersion;
        BuiltAt = builtAt;
        var list = new List<(string Text, string Kind, int Weight)>();
        var seen = new HashSet<(string, string)>();
        foreach (var phrase in phrases)
        {
            if (phrase.Text.Length == 0 || !seen.Add((NameKey.Of(phrase.Text), phrase.Kind))) continue;
            list.Add(phrase);
        }
        list.Sort(static (a, b) =>
        {
            int c = b.Weight.CompareTo(a.Weight);
            if (c != 0) return c;
            c = a.Text.Length.CompareTo(b.Text.Length);
            return c != 0 ? c : string.CompareOrdinal(a.Text, b.Text);
        });
        _text = new string[list.Count];
        _kind = new string[list.Count];
        _words = new string[list.Count][];
        _byPrefix = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var building = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int id = 0; id < list.Count; id++)
        {
            _text[id] = list[id].Text;
            _kind[id] = list[id].Kind;
            _words[id] = WordsOf(list[id].Text);
            foreach (string word in _words[id])
            {
                for (int length = 1; length <= Math.Min(word.Length, ListedPrefixLength); length++)
                {
                    string prefix = word[..length];
                    if (!building.TryGetValue(prefix, out List<int>? ids)) building[prefix] = ids = [];
                    // Phrases come in rank order: a list keeps its first ones (a phrase once, even with two such words).
                    if (ids.Count < TextSearchMessages.MaxSuggestions && (ids.Count == 0 || ids[^1] != id)) ids.Add(id);
                }
            }
        }
        foreach (var (prefix, ids) in building) _byPrefix[prefix] = [.. ids];
        _byPrefixSpan = _byPrefix.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _text.Length;

    /// <summary>At most <paramref name="limit"/> completions of <paramref name="query"/>, best first.</summary>
    public Suggestion[] Complete(string query, int limit)
    {
        string[] words = WordsOf(query);
        if (words.Length == 0) return [];
        if (words.Length == 1 && words[0].Length <= ListedPrefixLength)
        {
            if (!_byPrefixSpan.TryGetValue(words[0], out int[]? ids)) return [];
            var direct = new Suggestion[Math.Min(limit, ids.Length)];
            for (int i = 0; i < direct.Length; i++) direct[i] = new Suggestion(_text[ids[i]], _kind[ids[i]]);
            return direct;
        }
        // Several words (or a long one): the phrases of the longest word's listed prefix are only its best ones, so scan
        // every phrase holding that prefix, in rank order, for the other words.
        string longest = words[0];
        foreach (string w in words) if (w.Length > longest.Length) longest = w;
        var found = new List<Suggestion>(limit);
        for (int id = 0; id < _text.Length && found.Count < limit; id++)
        {
            if (Matches(_words[id], words)) found.Add(new Suggestion(_text[id], _kind[id]));
        }
        return [.. found];
    }

    private static bool Matches(string[] phraseWords, string[] queryWords)
    {
        foreach (string q in queryWords)
        {
            bool any = false;
            foreach (string w in phraseWords)
            {
                if (w.StartsWith(q, StringComparison.Ordinal)) { any = true; break; }
            }
            if (!any) return false;
        }
        return true;
    }

    /// <summary>The folded words of a text (letters and digits).</summary>
    public static string[] WordsOf(string text)
    {
        string folded = NameKey.Of(text);
        var words = new List<string>();
        int start = -1;
        for (int i = 0; i <= folded.Length; i++)
        {
            bool letter = i < folded.Length && char.IsLetterOrDigit(folded[i]);
            if (letter && start < 0) start = i;
            else if (!letter && start >= 0)
            {
                words.Add(folded[start..i]);
                start = -1;
            }
        }
        return [.. words];
    }

    public static IEnumerable<(string, string, int)> Top(Dictionary<string, int> counts, string kind)
    {
        var list = new List<KeyValuePair<string, int>>(counts);
        list.Sort(static (a, b) => b.Value != a.Value ? b.Value.CompareTo(a.Value) : string.CompareOrdinal(a.Key, b.Key));
        for (int i = 0; i < list.Count && i < MaxPhrasesPerKind; i++) yield return (list[i].Key, kind, list[i].Value);
    }
}

/// <summary>
/// This front's <see cref="SuggestionTable"/>: built on the first suggestion asked, then again in the background when
/// the directory changed and the current table is over a minute old. Suggestions are answered from memory, no grain call.
/// </summary>
public sealed class SuggestionIndex(ReferenceData reference, DirectoryCache directory, TextCollections collections, TimeProvider? clock = null)
{
    private static readonly TimeSpan MinAge = TimeSpan.FromMinutes(1);

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private volatile SuggestionTable? _current;
    private Task<SuggestionTable>? _building;

    public async ValueTask<SuggestionTable> GetAsync()
    {
        SuggestionTable? current = _current;
        if (current is not null)
        {
            DirectorySnapshot? snapshot = directory.Current;
            if (snapshot is not null && snapshot.Version != current.DirectoryVersion && _clock.GetUtcNow().UtcDateTime - current.BuiltAt > MinAge)
            {
                _ = Build();
            }
            return current;
        }
        return await Build();
    }

    private Task<SuggestionTable> Build()
    {
        lock (_lock)
        {
            if (_building is { IsCompleted: false } running) return running;
            return _building = Gather();
        }
    }

    private async Task<SuggestionTable> Gather()
    {
        await Task.Yield();
        DirectorySnapshot snapshot = await directory.GetAsync();
        var titles = new Dictionary<string, int>(StringComparer.Ordinal);
        var organisations = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int s = 0; s < Sources.Count; s++)
        {
            TextPhrasesBuilder phrasesOfSource = await collections.GatherPhrasesAsync(snapshot, (Source)s);
            foreach (var (title, count) in phrasesOfSource.Titles) titles[title] = titles.GetValueOrDefault(title) + count;
            foreach (var (name, count) in phrasesOfSource.Organisations) organisations[name] = organisations.GetValueOrDefault(name) + count;
        }
        var phrases = new List<(string, string, int)>();
        phrases.AddRange(SuggestionTable.Top(titles, "title"));
        phrases.AddRange(SuggestionTable.Top(organisations, "organisation"));
        foreach (RomeCode rome in reference.Romes) phrases.Add((rome.Label, "rome", 1));
        foreach (RomeAppellation appellation in reference.Appellations) phrases.Add((appellation.Label, "appellation", 1));
        var table = new SuggestionTable(phrases, snapshot.Version, _clock.GetUtcNow().UtcDateTime);
        _current = table;
        return table;
    }
}
