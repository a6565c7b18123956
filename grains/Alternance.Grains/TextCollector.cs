using Alternance.Text;

namespace Alternance.Grains;

/// <summary>
/// What a cell's text indexes found for one query: its best hits so far (trimmed to the limit as they come), how many
/// items matched, and the facet counts.
/// </summary>
internal sealed class TextCollector(TextQuery query)
{
    private readonly int _limit = query.Limit;
    private readonly TextHitOrder _order = new(query.Sort);
    private TextHit[] _hits = new TextHit[Math.Min(Math.Max(16, query.Limit * 2), 4096)];
    private int _count;
    private Dictionary<string, int>? _sectors;

    public int Matched;
    public int Type;
    public readonly int[] Contract = new int[ItemDocument.ContractTypeValues.Length];
    public readonly int[] Level = new int[ItemDocument.LevelValues.Length];
    public readonly int[] Disabled = new int[2];
    public readonly int[] SmartApply = new int[2];
    public readonly int[] Algo = new int[2];

    public void CountSector(string sector)
    {
        _sectors ??= new Dictionary<string, int>(StringComparer.Ordinal);
        _sectors[sector] = _sectors.GetValueOrDefault(sector) + 1;
    }

    public void Add(in TextHit hit)
    {
        if (_limit <= 0) return;
        if (_count == _hits.Length)
        {
            if (_hits.Length < _limit * 2) Array.Resize(ref _hits, _hits.Length * 2);
            else Trim();
        }
        _hits[_count++] = hit;
    }

    /// <summary>Keeps the first <c>limit</c> hits in order.</summary>
    private void Trim()
    {
        Array.Sort(_hits, 0, _count, _order);
        _count = Math.Min(_count, _limit);
    }

    public TextCellAnswer ToAnswer(Source source)
    {
        Trim();
        var facets = new List<FacetCount>(16);
        if (Type > 0) facets.Add(new FacetCount(TextFacet.TypeFilterLabel, ItemDocument.TypeLabel(source), Type));
        for (int i = 0; i < Contract.Length; i++) if (Contract[i] > 0) facets.Add(new FacetCount(TextFacet.ContractType, ItemDocument.ContractTypeValues[i], Contract[i]));
        for (int i = 0; i < Level.Length; i++) if (Level[i] > 0) facets.Add(new FacetCount(TextFacet.Level, ItemDocument.LevelValues[i], Level[i]));
        if (_sectors is not null) foreach (var (sector, count) in _sectors) facets.Add(new FacetCount(TextFacet.ActivitySector, sector, count));
        AddBoolean(facets, TextFacet.IsDisabledElligible, Disabled);
        AddBoolean(facets, TextFacet.SmartApply, SmartApply);
        AddBoolean(facets, TextFacet.IsAlgoCompany, Algo);
        return new TextCellAnswer(_hits.AsSpan(0, _count).ToArray(), Matched, [.. facets]);
    }

    private static void AddBoolean(List<FacetCount> facets, TextFacet facet, int[] counts)
    {
        if (counts[0] > 0) facets.Add(new FacetCount(facet, "false", counts[0]));
        if (counts[1] > 0) facets.Add(new FacetCount(facet, "true", counts[1]));
    }
}
