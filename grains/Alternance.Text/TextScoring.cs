namespace Alternance.Text;

/// <summary>
/// The numbers of free-text scoring (BM25 per field, summed with boosts; docs/text-search.md gives the whole formula).
/// </summary>
public static class TextScoring
{
    public const double K1 = 1.2;
    public const double B = 0.75;
    /// <summary>Field boosts in <see cref="TextField"/> order: title, organisation, keywords.</summary>
    public static readonly double[] Boosts = [3.0, 2.0, 1.0];
    /// <summary>The query word itself.</summary>
    public const double ExactWeight = 1.0;
    /// <summary>A synonym of the query word (<c>synonyms.txt</c>).</summary>
    public const double SynonymWeight = 0.8;
    /// <summary>A term of the collection one edit away from the query word (words of 5+ characters).</summary>
    public const double TypoWeight = 0.5;
    /// <summary>Query words (analysed terms) shorter than this get no typo alternatives.</summary>
    public const int TypoMinLength = 5;

    /// <summary>idf = ln(1 + (N − df + 0.5) / (df + 0.5)).</summary>
    public static double Idf(long documents, long documentFrequency) =>
        Math.Log(1 + (documents - documentFrequency + 0.5) / (documentFrequency + 0.5));

    /// <summary>k1 × (1 − b + b × length / average); k1 × (1 − b) when the collection has no such field.</summary>
    public static double LengthNorm(int length, double average) =>
        average > 0 ? K1 * (1 - B + B * length / average) : K1 * (1 - B);

    /// <summary>Whether two terms are one edit apart (one insertion, deletion or substitution; not equal).</summary>
    public static bool OneEditApart(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.Length < b.Length) { var t = a; a = b; b = t; }
        if (a.Length - b.Length > 1) return false;
        int i = 0;
        while (i < b.Length && a[i] == b[i]) i++;
        if (a.Length == b.Length)
        {
            // One substitution: the rest after the first difference is equal.
            return i < a.Length && a[(i + 1)..].SequenceEqual(b[(i + 1)..]);
        }
        // One deletion from the longer.
        return a[(i + 1)..].SequenceEqual(b[i..]);
    }

    /// <summary>The order of hits for a sort (docs/text-search.md); the front adds the source as a last key.</summary>
    public static int Compare(in TextHit a, in TextHit b, TextSort sort)
    {
        int c;
        switch (sort)
        {
            case TextSort.Proximity:
                c = a.DistanceKm.CompareTo(b.DistanceKm);
                if (c != 0) return c;
                c = b.Score.CompareTo(a.Score);
                if (c != 0) return c;
                return string.CompareOrdinal(a.Id, b.Id);
            case TextSort.Date:
                c = b.Day.CompareTo(a.Day); // no date (int.MinValue) last
                break;
            case TextSort.StartDate:
                c = StartKey(a.Day).CompareTo(StartKey(b.Day));
                break;
            default:
                c = 0;
                break;
        }
        if (c != 0) return c;
        c = b.Score.CompareTo(a.Score);
        if (c != 0) return c;
        c = a.DistanceKm.CompareTo(b.DistanceKm);
        if (c != 0) return c;
        return string.CompareOrdinal(a.Id, b.Id);
    }

    private static long StartKey(int day) => day == ItemDocument.NoDay ? long.MaxValue : day;
}

/// <summary>Orders hits by a sort, as a struct so that sorting inlines the comparison.</summary>
public readonly struct TextHitOrder(TextSort sort) : IComparer<TextHit>
{
    public int Compare(TextHit a, TextHit b) => TextScoring.Compare(a, b, sort);
}
