namespace Alternance.Data;

/// <summary>A refused feed line (or, in the recruiters feed, a refused job of a line): its 1-based line number and why.</summary>
public readonly record struct FeedError(long Line, string Reason)
{
    public override string ToString() => $"line {Line}: {Reason}";
}

/// <summary>
/// The outcome of reading a feed. <see cref="Lines"/> counts the non-blank lines (documents) read; <see cref="Items"/>
/// the items produced (a recruiter line yields one item per job); <see cref="Rejected"/> the lines refused plus, in the
/// recruiters feed, the single jobs refused inside an otherwise good line. <see cref="Errors"/> keeps the first
/// <see cref="FeedReader.MaxErrors"/> of them, in line order.
/// </summary>
public sealed record FeedReport(long Lines, long Items, long Rejected, IReadOnlyList<FeedError> Errors)
{
    /// <summary>True when the feed had rejections beyond the ones kept in <see cref="Errors"/>.</summary>
    public bool ErrorsTruncated => Rejected > Errors.Count;
}
