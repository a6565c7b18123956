namespace Alternance.Text;

/// <summary>Sums text statistics (a cell's indexes, then the cells of a collection).</summary>
public sealed class TextStatisticsBuilder
{
    public int Documents { get; set; }
    public long[] FieldLengths { get; } = new long[ItemDocument.FieldCount];
    public Dictionary<string, int> Terms { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, int> Titles { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, int> Organisations { get; } = new(StringComparer.Ordinal);

    /// <summary>The phrase kinds of <see cref="TextCellStatistics.PhraseKinds"/>.</summary>
    public const byte TitlePhrase = 0, OrganisationPhrase = 1;

    public TextCellStatistics ToStatistics()
    {
        var terms = new string[Terms.Count];
        var frequencies = new int[Terms.Count];
        int i = 0;
        foreach (var (term, df) in Terms) { terms[i] = term; frequencies[i++] = df; }
        int phrases = Titles.Count + Organisations.Count;
        var text = new string[phrases];
        var counts = new int[phrases];
        var kinds = new byte[phrases];
        i = 0;
        foreach (var (title, count) in Titles) { text[i] = title; counts[i] = count; kinds[i++] = TitlePhrase; }
        foreach (var (name, count) in Organisations) { text[i] = name; counts[i] = count; kinds[i++] = OrganisationPhrase; }
        return new TextCellStatistics(Documents, [.. FieldLengths], terms, frequencies, text, counts, kinds);
    }

    public void Add(TextCellStatistics cell)
    {
        Documents += cell.Documents;
        for (int f = 0; f < FieldLengths.Length && f < cell.FieldLengths.Length; f++) FieldLengths[f] += cell.FieldLengths[f];
        for (int t = 0; t < cell.Terms.Length; t++)
        {
            Terms[cell.Terms[t]] = Terms.GetValueOrDefault(cell.Terms[t]) + cell.DocumentFrequencies[t];
        }
        for (int p = 0; p < cell.Phrases.Length; p++)
        {
            Dictionary<string, int> into = cell.PhraseKinds[p] == TitlePhrase ? Titles : Organisations;
            into[cell.Phrases[p]] = into.GetValueOrDefault(cell.Phrases[p]) + cell.PhraseCounts[p];
        }
    }
}
