namespace Alternance.Api.Tests;

/// <summary>What a search must answer, computed the plain way over the regenerated dataset (contract semantics).</summary>
public static class Expected
{
    public static string[] Ids(IEnumerable<SearchItem> items, SourceQuery q)
    {
        Hit[] hits = Run(items, q);
        if (hits.Length == 0 && q is { Source: Source.Formation, Area: SearchArea.Radius })
        {
            hits = Run(items, q with { RadiusKm = 21000, Limit = 5 });
        }
        var ids = new string[hits.Length];
        for (int i = 0; i < ids.Length; i++) ids[i] = hits[i].Item.Id;
        return ids;
    }

    public static Hit[] Run(IEnumerable<SearchItem> items, SourceQuery q)
    {
        var matches = new List<Hit>();
        foreach (SearchItem item in items)
        {
            if (!Passes(item, q)) continue;
            if (q.Area == SearchArea.Listing)
            {
                matches.Add(new Hit(item, double.NaN));
                continue;
            }
            double d = GreatCircle.DistanceKm(q.Latitude, q.Longitude, item.Latitude, item.Longitude);
            if (d <= q.RadiusKm) matches.Add(new Hit(item, d));
        }
        matches.Sort((a, b) => Ranking.Compare(q.Area, a, b));
        return Ranking.Merge([matches.ToArray()], q.Source, q.Area, q.Limit);
    }

    private static bool Passes(SearchItem item, SourceQuery q)
    {
        if (item is MatchaItem m && (!m.IsActive || (q.MultiPublishedOnly && !m.IsMultiPublished))) return false;
        if (q.Romes.Length > 0 && !item.RomeCodes.Any(q.Romes.Contains)) return false;
        if (q.RomeDomain is { } domain && !item.RomeCodes.Any(r => r.StartsWith(domain, StringComparison.Ordinal))) return false;
        if (q.DiplomaLevel != 0 && !DiplomaRules.Matches(item.Source, DiplomaRules.LevelOf(item), q.DiplomaLevel)) return false;
        if (q.Opco is not null && !string.Equals(Opco(item), q.Opco, StringComparison.Ordinal)) return false;
        if (q.PostalPrefixes.Length > 0)
        {
            string? postal = item switch { FormationItem f => f.CodePostal, PeJobItem p => p.CodePostal, CompanyItem c => c.ZipCode, _ => null };
            if (postal is null || !q.PostalPrefixes.Any(p => postal.StartsWith(p, StringComparison.Ordinal))) return false;
        }
        return true;
    }

    private static string? Opco(SearchItem item) => item switch
    {
        PeJobItem p => p.Opco?.ToUpperInvariant(),
        MatchaItem m => m.Recruiter.Opco?.ToUpperInvariant(),
        CompanyItem c => (c.OpcoShortName ?? c.Opco)?.ToUpperInvariant(),
        _ => null,
    };
}
