namespace Alternance.Text;

/// <summary>Sums text statistics (a cell's indexes, then the cells of a collection).</summary>
public sealed class TextStatisticsBuilder
{
    public int Documents { get; set; }
    public long[] FieldLengths { get; } = new long[ItemDocument.FieldCount];
    public Dictionary<string, int> Terms { get; } = new(StringComparer.Ordinal);

    public TextCellStatistics ToStatistics()
    {
        var terms = new string[Terms.Count];
        var frequencies = new int[Terms.Count];
        int i = 0;
        foreach (var (term, df) in Terms) { terms[i] = term; frequencies[i++] = df; }
        return new TextCellStatistics(Documents, [.. FieldLengths], terms, frequencies);
    }

    public void Add(TextCellStatistics cell)
    {
        Documents += cell.Documents;
        for (int f = 0; f < FieldLengths.Length && f < cell.FieldLengths.Length; f++) FieldLengths[f] += cell.FieldLengths[f];
        for (int t = 0; t < cell.Terms.Length; t++)
        {
            Terms[cell.Terms[t]] = Terms.GetValueOrDefault(cell.Terms[t]) + cell.DocumentFrequencies[t];
        }
    }
}

/// <summary>Sums titles and organisation names with their counts (a cell's indexes, then every cell).</summary>
public sealed class TextPhrasesBuilder
{
    /// <summary>The phrase kinds of <see cref="TextCellPhrases.Kinds"/>.</summary>
    public const byte TitlePhrase = 0, OrganisationPhrase = 1;

    public Dictionary<string, int> Titles { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, int> Organisations { get; } = new(StringComparer.Ordinal);

    public TextCellPhrases ToPhrases()
    {
        int count = Titles.Count + Organisations.Count;
        var text = new string[count];
        var counts = new int[count];
        var kinds = new byte[count];
        int i = 0;
        foreach (var (title, n) in Titles) { text[i] = title; counts[i] = n; kinds[i++] = TitlePhrase; }
        foreach (var (name, n) in Organisations) { text[i] = name; counts[i] = n; kinds[i++] = OrganisationPhrase; }
        return new TextCellPhrases(text, counts, kinds);
    }

    public void Add(TextCellPhrases cell)
    {
        for (int p = 0; p < cell.Phrases.Length; p++)
        {
            Dictionary<string, int> into = cell.Kinds[p] == TitlePhrase ? Titles : Organisations;
            into[cell.Phrases[p]] = into.GetValueOrDefault(cell.Phrases[p]) + cell.Counts[p];
        }
    }
}
