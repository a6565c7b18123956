namespace Alternance;

/// <summary>
/// The contract's ordering and grouping rules, shared by the cells (their local top-N), the front (the
/// k-way merge) and the brute-force checks in the tests.
/// </summary>
public static class Ranking
{
    /// <summary>Geographic order: ascending distance, ties by ascending id (ordinal).</summary>
    public static int CompareByDistance(in Hit a, in Hit b)
    {
        int c = a.DistanceKm.CompareTo(b.DistanceKm);
        return c != 0 ? c : string.CompareOrdinal(a.Item.Id, b.Item.Id);
    }

    /// <summary>Listing order: title, then company name (ordinal, upper-cased invariantly), then id.</summary>
    public static int CompareForListing(in Hit a, in Hit b)
    {
        int c = string.CompareOrdinal(TitleKey(a.Item), TitleKey(b.Item));
        if (c != 0) return c;
        c = string.CompareOrdinal(CompanyKey(a.Item), CompanyKey(b.Item));
        return c != 0 ? c : string.CompareOrdinal(a.Item.Id, b.Item.Id);
    }

    public static string Title(SearchItem item) => item switch
    {
        FormationItem f => f.IntituleLong ?? f.IntituleCourt ?? "",
        PeJobItem p => p.Intitule ?? "",
        MatchaItem m => m.CustomJobTitle ?? m.RomeAppellationLabel ?? m.RomeLabel ?? "",
        CompanyItem c => c.Enseigne ?? c.RaisonSociale ?? "",
        _ => "",
    };

    public static string CompanyName(SearchItem item) => item switch
    {
        FormationItem f => f.FormateurEnseigne ?? f.FormateurRaisonSociale ?? f.GestionnaireRaisonSociale ?? "",
        PeJobItem p => p.EntrepriseNom ?? "",
        MatchaItem m => m.Recruiter.Enseigne ?? m.Recruiter.RaisonSociale ?? "Enseigne inconnue",
        CompanyItem c => c.Enseigne ?? c.RaisonSociale ?? "",
        _ => "",
    };

    public static string TitleKey(SearchItem item) => Title(item).ToUpperInvariant();

    public static string CompanyKey(SearchItem item) => CompanyName(item).ToUpperInvariant();

    /// <summary>
    /// The group a result limit counts, built once per item (merges look it up for every ranked hit, and hashing a
    /// training's key each time was a tenth of a training search): see <see cref="GroupParts"/>.
    /// </summary>
    public static ItemGroup GroupOf(SearchItem item) => item.GroupCache ??= new ItemGroup(GroupParts.Of(item).Join());

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

        var heads = new int[lists.Count];
        var output = new List<Hit>(Math.Min(total, limit));
        HashSet<ItemGroup>? groups = rule == GroupRule.Item ? null : new HashSet<ItemGroup>(Math.Min(total, limit));
        while (true)
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
            if (best < 0) break;
            Hit hit = lists[best][heads[best]++];
            if (groups is null)
            {
                output.Add(hit);
                if (output.Count == limit) break;
                continue;
            }
            ItemGroup key = GroupOf(hit.Item);
            if (groups.Contains(key))
            {
                if (rule == GroupRule.WholeGroup) output.Add(hit);
                continue;
            }
            if (groups.Count == limit)
            {
                // Every item of a kept recruiter must still be collected, wherever it sits in the order.
                if (rule == GroupRule.WholeGroup) continue;
                break;
            }
            groups.Add(key);
            output.Add(hit);
        }
        return output.ToArray();
    }

    /// <summary>
    /// Whether a lone list is already the answer: at most <paramref name="limit"/> groups, and for de-duplicated
    /// trainings no key twice (a cell's list is, having been walked the same way; a raw list may not be).
    /// </summary>
    private static bool AlreadyGrouped(Hit[] list, GroupRule rule, int limit)
    {
        if (rule == GroupRule.FirstOfGroup && list.Length > limit) return false;
        var groups = new HashSet<ItemGroup>(list.Length);
        foreach (Hit hit in list)
        {
            bool added = groups.Add(GroupOf(hit.Item));
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
/// What makes an item's group: a training's de-duplication fields (reference §3.1: titles, trainer SIRET, diploma,
/// postal code; null as empty), a posted offer's recruiter (the limit is on recruiters), or any other item itself. Cells
/// number their groups by these parts; fronts merge by their joined key (<see cref="Ranking.GroupOf"/>).
/// </summary>
public readonly record struct GroupParts(string A, string B, string C, string D, string E)
{
    public static GroupParts Of(SearchItem item) => item switch
    {
        FormationItem f => new(f.IntituleLong ?? "", f.IntituleCourt ?? "", f.FormateurSiret ?? "", f.Diplome ?? "", f.CodePostal ?? ""),
        MatchaItem m => new(m.Recruiter.EstablishmentId, "", "", "", ""),
        _ => new(item.Id, "", "", "", ""),
    };

    public string Join() => string.Join('\u001f', A, B, C, D, E);
}

/// <summary>A group key and its hash (ordinal): equal groups of different items compare their strings only when hashes match.</summary>
public sealed class ItemGroup(string key) : IEquatable<ItemGroup>
{
    private readonly int _hash = string.GetHashCode(key, StringComparison.Ordinal);

    public string Key { get; } = key;

    public bool Equals(ItemGroup? other) =>
        other is not null && (ReferenceEquals(this, other) || _hash == other._hash && string.Equals(Key, other.Key, StringComparison.Ordinal));

    public override bool Equals(object? obj) => Equals(obj as ItemGroup);

    public override int GetHashCode() => _hash;

    public override string ToString() => Key;
}
