using System.Globalization;

namespace Alternance;

/// <summary>
/// The dates searches read from offers: when an offer stops being shown (its expiration date, <c>job_expiration_date</c>
/// of posted offers) and how new it is (for the v3 order, newest first). Instants are Unix milliseconds, so that a cell
/// compares one array entry per candidate with the query's <see cref="SourceQuery.AsOf"/>.
/// </summary>
public static class OfferDates
{
    /// <summary>The expiry of an item that never expires: trainings, companies, national offers (their feed has no
    /// expiration date), posted offers without a readable one.</summary>
    public const long Never = long.MaxValue;

    /// <summary>When the item leaves searches and item routes: at that instant and after (<see cref="Never"/> for none).</summary>
    public static long ExpiresAt(SearchItem item) =>
        item is MatchaItem m && ParseMilliseconds(m.JobExpirationDate) is { } at ? at : Never;

    /// <summary>Whether the item's expiration date has passed at <paramref name="asOf"/> (Unix ms).</summary>
    public static bool IsExpired(SearchItem item, long asOf) => ExpiresAt(item) <= asOf;

    /// <summary>When the offer was created (Unix ms); 0 when unknown or not an offer (sorts as the oldest).</summary>
    public static long CreatedAt(SearchItem item) => item switch
    {
        MatchaItem m => ParseMilliseconds(m.JobCreationDate) ?? 0,
        PeJobItem p => ParseMilliseconds(p.DateCreation) ?? 0,
        _ => 0,
    };

    /// <summary>
    /// What the v3 order breaks distance ties by and sorts listings by: newest first, as a fixed-width text (the
    /// creation instant subtracted from the largest one, in hex) so that ordinal order is newest first.
    /// </summary>
    public static string NewestKey(SearchItem item) =>
        (long.MaxValue - Math.Max(0, CreatedAt(item))).ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>An ISO 8601 date or date-time (a date alone is midnight UTC, as JavaScript reads it); null when unreadable.</summary>
    public static long? ParseMilliseconds(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset at)
            ? at.ToUnixTimeMilliseconds()
            : null;
    }
}
