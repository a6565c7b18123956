using System.Buffers;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Alternance;

/// <summary>
/// The contract's ordering and grouping rules, shared by the cells (their local top-N), the front (the
/// k-way merge) and the brute-force checks in the tests.
/// </summary>
public static class Ranking
{
    /// <summary>
    /// Geographic order: ascending distance, ties by ascending id (ordinal) — after the newest first when the query asks
    /// for the v3 order (the hits then carry <see cref="OfferDates.NewestKey"/>; otherwise both keys are null).
    /// </summary>
    public static int CompareByDistance(in Hit a, in Hit b)
    {
        int c = a.DistanceKm.CompareTo(b.DistanceKm);
        if (c != 0) return c;
        c = string.CompareOrdinal(a.ListingKey, b.ListingKey);
        return c != 0 ? c : string.CompareOrdinal(a.Id, b.Id);
    }

    /// <summary>Listing order: title, then company name (ordinal, upper-cased invariantly), then id.</summary>
    public static int CompareForListing(in Hit a, in Hit b)
    {
        int c = string.CompareOrdinal(a.ListingKey, b.ListingKey);
        return c != 0 ? c : string.CompareOrdinal(a.Id, b.Id);
    }

    /// <summary>
    /// What listings sort by: the upper-cased title, U+0000, the upper-cased company name. U+0000 sorts before every
    /// other character, so ordinal order of the keys is the order of (title, company).
    /// </summary>
    public static string ListingKey(SearchItem item) => string.Concat(
        (ItemLabels.Title(item) ?? "").ToUpperInvariant(), "\u0000", (ItemLabels.CompanyName(item) ?? "").ToUpperInvariant());

    /// <summary>
    /// Whether the limit counts groups that may hold several items (trainings are de-duplicated: only the
    /// first of a group is kept; posted offers keep every job of the recruiters within the limit).
    /// </summary>
    public static GroupRule GroupRuleOf(Source source) => source switch
    {
        Source.Formation => GroupRule.FirstOfGroup,
        Source.Matcha => GroupRule.WholeGroup,
        _ => GroupRule.Item,
    };

    /// <summary>
    /// Merges ranked lists into the first <paramref name="limit"/> groups, applying the source's grouping rule.
    /// Each input list must already be in the order of <paramref name="area"/>. A k-way merge: at each step the
    /// smallest head among the lists is taken.
    /// </summary>
    public static Hit[] Merge(IReadOnlyList<Hit[]> lists, Source source, SearchArea area, int limit)
    {
        GroupRule rule = GroupRuleOf(source);
        int total = 0;
        int nonEmpty = 0;
        Hit[]? single = null;
        for (int i = 0; i < lists.Count; i++)
        {
            if (lists[i].Length > 0)
            {
                total += lists[i].Length;
                nonEmpty++;
                single = lists[i];
            }
        }
        if (total == 0 || limit <= 0)
        {
            return [];
        }
        if (nonEmpty == 1 && rule == GroupRule.Item)
        {
            return single!.Length <= limit ? single : single.AsSpan(0, limit).ToArray();
        }
        if (nonEmpty == 1 && AlreadyGrouped(single!, rule, limit))
        {
            return single!;
        }

        Span<int> heads = lists.Count <= 64 ? stackalloc int[lists.Count] : new int[lists.Count];
        if (rule == GroupRule.Item)
        {
            // Every head taken is kept until the limit: the answer's size is known, and it is written in place.
            var items = new Hit[Math.Min(total, limit)];
            for (int n = 0; n < items.Length; n++)
            {
                int from = Smallest(lists, heads, area);
                items[n] = lists[from][heads[from]++];
            }
            return items;
        }

        // Groups: how many items the limit keeps is known only at the end; they gather in a pooled buffer, copied once.
        Hit[] buffer = ArrayPool<Hit>.Shared.Rent(total);
        int count = 0;
        var groups = new HashSet<Fingerprint>(Math.Min(total, limit));
        while (true)
        {
            int best = Smallest(lists, heads, area);
            if (best < 0) break;
            Hit hit = lists[best][heads[best]++];
            if (groups.Contains(hit.Group))
            {
                if (rule == GroupRule.WholeGroup) buffer[count++] = hit;
                continue;
            }
            if (groups.Count == limit)
            {
                // Every item of a kept recruiter must still be collected, wherever it sits in the order.
                if (rule == GroupRule.WholeGroup) continue;
                break;
            }
            groups.Add(hit.Group);
            buffer[count++] = hit;
        }
        Hit[] output = buffer.AsSpan(0, count).ToArray();
        // Only the part written holds references (a rented array may be far longer than the answer).
        buffer.AsSpan(0, count).Clear();
        ArrayPool<Hit>.Shared.Return(buffer);
        return output;
    }

    /// <summary>The list whose head comes first in <paramref name="area"/>'s order; -1 when every list is exhausted.</summary>
    private static int Smallest(IReadOnlyList<Hit[]> lists, Span<int> heads, SearchArea area)
    {
        int best = -1;
        for (int i = 0; i < lists.Count; i++)
        {
            if (heads[i] >= lists[i].Length) continue;
            if (best < 0 || Compare(area, lists[i][heads[i]], lists[best][heads[best]]) < 0)
            {
                best = i;
            }
        }
        return best;
    }

    /// <summary>
    /// Whether a lone list is already the answer: at most <paramref name="limit"/> groups, and for de-duplicated
    /// trainings no key twice (a cell's list is, having been walked the same way; a raw list may not be).
    /// </summary>
    private static bool AlreadyGrouped(Hit[] list, GroupRule rule, int limit)
    {
        if (rule == GroupRule.FirstOfGroup && list.Length > limit) return false;
        var groups = new HashSet<Fingerprint>(list.Length);
        foreach (Hit hit in list)
        {
            bool added = groups.Add(hit.Group);
            if (rule == GroupRule.FirstOfGroup ? !added : groups.Count > limit) return false;
        }
        return true;
    }

    public static int Compare(SearchArea area, in Hit a, in Hit b) =>
        area == SearchArea.Radius ? CompareByDistance(a, b) : CompareForListing(a, b);
}

public enum GroupRule : byte
{
    /// <summary>The limit counts items.</summary>
    Item,
    /// <summary>The limit counts groups and only the first item of each group is kept (training de-duplication).</summary>
    FirstOfGroup,
    /// <summary>The limit counts groups and every item of a kept group is kept (jobs of the nearest recruiters).</summary>
    WholeGroup,
}

/// <summary>
/// An item's listing group: a training's de-duplication fields (docs/contract.md#order-and-limits: long and short
/// titles, trainer SIRET, diploma, postal code; null as empty), a posted offer's recruiter (the limit is on recruiters),
/// or any other item itself. Cells and fronts compare groups by this key.
/// </summary>
public static class ListingGroup
{
    /// <summary>The XxHash128 of the group's fields, each followed by U+001F (moving a character between fields changes it).</summary>
    public static Fingerprint KeyOf(SearchItem item)
    {
        var hash = new XxHash128();
        switch (item)
        {
            case FormationItem f:
                Append(hash, f.IntituleLong);
                Append(hash, f.IntituleCourt);
                Append(hash, f.FormateurSiret);
                Append(hash, f.Diplome);
                Append(hash, f.CodePostal);
                break;
            case MatchaItem m:
                Append(hash, m.Recruiter.EstablishmentId);
                AppendEmpty(hash, 4);
                break;
            default:
                Append(hash, item.Id);
                AppendEmpty(hash, 4);
                break;
        }
        return Fingerprint.From(hash.GetCurrentHashAsUInt128());
    }

    /// <summary>Empty trailing fields, so that every source's key hashes five fields (keys stored by earlier builds stay equal).</summary>
    private static void AppendEmpty(XxHash128 hash, int count)
    {
        for (int i = 0; i < count; i++) Append(hash, null);
    }

    private static void Append(XxHash128 hash, string? part)
    {
        hash.Append(MemoryMarshal.AsBytes((part ?? "").AsSpan()));
        hash.Append(MemoryMarshal.AsBytes("\u001f".AsSpan()));
    }
}
