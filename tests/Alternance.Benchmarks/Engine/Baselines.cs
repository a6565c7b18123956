using Alternance.Testing;

namespace Alternance.Benchmarks.Engine;

/// <summary>What the engine is measured against: the same answers computed without grains or H3.</summary>
internal interface ISearchBaseline
{
    Found[] Search(SourceQuery query);
}

/// <summary>Shared by the baselines: the contract's filter, order and grouping, written plainly.</summary>
internal static class BaselineRules
{
    public static bool Passes(SearchItem item, SourceQuery q)
    {
        if (q.Romes.Length > 0)
        {
            bool any = false;
            foreach (string code in item.RomeCodes)
            {
                if (Array.IndexOf(q.Romes, code) >= 0) { any = true; break; }
            }
            if (!any) return false;
        }
        if (q.DiplomaLevel != 0 && !DiplomaRules.Matches(item.Source, DiplomaRules.LevelOf(item), q.DiplomaLevel)) return false;
        if (item is MatchaItem m && (!m.IsActive || q.MultiPublishedOnly && !m.IsMultiPublished)) return false;
        if (OfferDates.IsExpired(item, q.AsOf)) return false;
        return true;
    }

    /// <summary>Nearest first (ties by id), then the first <c>limit</c> groups (<see cref="Ranking.GroupRuleOf"/>).</summary>
    public static Found[] Rank(List<Found> candidates, SourceQuery q)
    {
        candidates.Sort(static (a, b) => a.DistanceKm != b.DistanceKm ? a.DistanceKm.CompareTo(b.DistanceKm) : string.CompareOrdinal(a.Item.Id, b.Item.Id));
        GroupRule rule = Ranking.GroupRuleOf(q.Source);
        if (rule == GroupRule.Item) return [.. candidates.Take(q.Limit)];
        var groups = new HashSet<Fingerprint>();
        var kept = new List<Found>();
        foreach (Found found in candidates)
        {
            Fingerprint group = ListingGroup.KeyOf(found.Item);
            if (groups.Contains(group))
            {
                if (rule == GroupRule.WholeGroup) kept.Add(found);
            }
            else if (groups.Count < q.Limit)
            {
                groups.Add(group);
                kept.Add(found);
            }
            else if (rule == GroupRule.FirstOfGroup)
            {
                break;
            }
        }
        return [.. kept];
    }
}

/// <summary>Every item of the source, every query: the definition, and the floor.</summary>
internal sealed class BruteScan(IReadOnlyDictionary<Source, SearchItem[]> items) : ISearchBaseline
{
    public Found[] Search(SourceQuery q)
    {
        var candidates = new List<Found>();
        foreach (SearchItem item in items[q.Source])
        {
            if (!BaselineRules.Passes(item, q)) continue;
            double d = GreatCircle.DistanceKm(q.Latitude, q.Longitude, item.Latitude, item.Longitude);
            if (d <= q.RadiusKm) candidates.Add(new Found(item, d));
        }
        return BaselineRules.Rank(candidates, q);
    }
}

/// <summary>
/// A plain in-memory index: per source and ROME code, a 0.1° × 0.1° grid of item lists. A query scans the grid
/// squares of the circle's bounding box. What a careful single-process implementation would do.
/// </summary>
internal sealed class PlainGrid : ISearchBaseline
{
    private const double Step = 0.1;
    private readonly Dictionary<Source, Dictionary<string, Dictionary<long, List<SearchItem>>>> _grid = [];

    public PlainGrid(IReadOnlyDictionary<Source, SearchItem[]> items)
    {
        foreach (var (source, list) in items)
        {
            var byRome = new Dictionary<string, Dictionary<long, List<SearchItem>>>();
            foreach (SearchItem item in list)
            {
                long square = Square((int)Math.Floor(item.Latitude / Step), (int)Math.Floor(item.Longitude / Step));
                foreach (string code in item.RomeCodes.Distinct())
                {
                    if (!byRome.TryGetValue(code, out var squares)) byRome[code] = squares = [];
                    if (!squares.TryGetValue(square, out var cell)) squares[square] = cell = [];
                    cell.Add(item);
                }
            }
            _grid[source] = byRome;
        }
    }

    private static long Square(int y, int x) => ((long)y << 32) | (uint)x;

    public Found[] Search(SourceQuery q)
    {
        double rho = q.RadiusKm / GreatCircle.EarthRadiusKm;
        double dLat = rho * 180 / Math.PI + 1e-9;
        double cosLat = Math.Cos(q.Latitude * Math.PI / 180);
        double s = Math.Sin(Math.Min(rho, Math.PI / 2));
        bool wholeLongitude = Math.Abs(q.Latitude) + dLat >= 90 || s >= cosLat;
        double dLon = wholeLongitude ? 180 : Math.Asin(s / cosLat) * 180 / Math.PI + 1e-9;
        int y0 = (int)Math.Floor((q.Latitude - dLat) / Step), y1 = (int)Math.Floor((q.Latitude + dLat) / Step);
        int x0 = (int)Math.Floor((q.Longitude - dLon) / Step), x1 = (int)Math.Floor((q.Longitude + dLon) / Step);
        var candidates = new List<Found>();
        var byRome = _grid[q.Source];
        for (int r = 0; r < q.Romes.Length; r++)
        {
            if (!byRome.TryGetValue(q.Romes[r], out var squares)) continue;
            for (int y = y0; y <= y1; y++)
            {
                for (int x = x0; x <= x1; x++)
                {
                    if (!squares.TryGetValue(Square(y, x), out var cell)) continue;
                    foreach (SearchItem item in cell)
                    {
                        if (SeenUnderEarlierCode(item, q.Romes, r) || !BaselineRules.Passes(item, q)) continue;
                        double d = GreatCircle.DistanceKm(q.Latitude, q.Longitude, item.Latitude, item.Longitude);
                        if (d <= q.RadiusKm) candidates.Add(new Found(item, d));
                    }
                }
            }
        }
        return BaselineRules.Rank(candidates, q);
    }

    private static bool SeenUnderEarlierCode(SearchItem item, string[] romes, int current)
    {
        for (int i = 0; i < current; i++)
        {
            if (Array.IndexOf(item.RomeCodes, romes[i]) >= 0) return true;
        }
        return false;
    }
}
