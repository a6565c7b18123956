namespace Alternance.Grains;

/// <summary>One persisted generation of one source in one cell (two per source: the current and the next).</summary>
[GenerateSerializer, Alias("alt.cellslotstate")]
public sealed class CellSlotState
{
    [Id(0)] public long Generation { get; set; }
    [Id(1)] public SearchItem[] Items { get; set; } = [];
}

/// <summary>Offers posted through the API that sit in this cell, by recruiter.</summary>
[GenerateSerializer, Alias("alt.postedoffersstate")]
public sealed class PostedOffersState
{
    [Id(0)] public Dictionary<string, MatchaItem[]> ByEstablishment { get; set; } = new(StringComparer.Ordinal);
}
