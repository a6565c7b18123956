namespace Alternance.Grains;

/// <summary>One persisted generation of one source in one cell (two per source: the current and the next).</summary>
[GenerateSerializer, Alias("alt.cellslotstate")]
public sealed class CellSlotState
{
    [Id(0)] public long Generation { get; set; }
    [Id(1)] public SearchItem[] Items { get; set; } = [];
}

/// <summary>
/// Changes to a slot since it was last written whole: upserted items by id, null for a removal. An upsert of a
/// few items into a cell of tens of thousands writes this small record instead of the whole slot.
/// </summary>
[GenerateSerializer, Alias("alt.cellslotdelta")]
public sealed class CellSlotDelta
{
    [Id(0)] public long Generation { get; set; }
    [Id(1)] public Dictionary<string, SearchItem?> Changes { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Which of a cell's records exist, so that an activation reads those and nothing else (a cell has up to
/// seventeen records; most cells use five).
/// </summary>
[GenerateSerializer, Alias("alt.cellmanifest")]
public sealed class CellManifest
{
    [Id(0)] public bool[] Slots { get; set; } = new bool[Alternance.Sources.Count * 2];
    [Id(1)] public bool[] Deltas { get; set; } = new bool[Alternance.Sources.Count * 2];
    [Id(2)] public bool Posted { get; set; }
}

/// <summary>Offers posted through the API that sit in this cell, by recruiter.</summary>
[GenerateSerializer, Alias("alt.postedoffersstate")]
public sealed class PostedOffersState
{
    [Id(0)] public Dictionary<string, MatchaItem[]> ByEstablishment { get; set; } = new(StringComparer.Ordinal);
}
