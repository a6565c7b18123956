namespace Alternance;

/// <summary>
/// The diploma filter per source (docs/contract.md#diploma): trainings match their <c>niveau</c> level exactly;
/// national offers match their <c>niveauFormation</c> (NV5 = level 3 … NV1 = level 7); posted offers match their
/// level or <c>Indifférent</c>; companies are never filtered by diploma.
/// </summary>
public static class DiplomaRules
{
    /// <summary>Level of a posted offer that matches every diploma filter.</summary>
    public const sbyte Any = 0;
    /// <summary>Level of an item that matches no diploma filter.</summary>
    public const sbyte None = -1;

    public static sbyte PeJobLevel(string? niveauFormation) => niveauFormation switch
    {
        "NV1" => 7,
        "NV2" => 6,
        "NV3" => 5,
        "NV4" => 4,
        "NV5" => 3,
        _ => None,
    };

    /// <summary>The level of an offer's <c>job_level_label</c> (either era's wording).</summary>
    public static sbyte MatchaLevel(string? jobLevelLabel)
    {
        if (jobLevelLabel is null) return None;
        if (jobLevelLabel.StartsWith("Indiff", StringComparison.Ordinal)) return Any;
        if (jobLevelLabel.Contains("(Infrabac)", StringComparison.Ordinal)) return 3;
        if (jobLevelLabel.Contains("(Bac+2)", StringComparison.Ordinal)) return 5;
        if (jobLevelLabel.Contains("(Bac+3)", StringComparison.Ordinal)) return 6;
        if (jobLevelLabel.Contains("(Bac+5)", StringComparison.Ordinal)) return 7;
        if (jobLevelLabel.Contains("(Bac)", StringComparison.Ordinal)) return 4;
        return None;
    }

    /// <summary>Whether an item of <paramref name="source"/> at <paramref name="itemLevel"/> passes a filter on <paramref name="wanted"/> (3..7).</summary>
    public static bool Matches(Source source, sbyte itemLevel, int wanted) => source switch
    {
        Source.Company => true,
        Source.Matcha => itemLevel == Any || itemLevel == wanted,
        _ => itemLevel == wanted,
    };

    /// <summary>The level an item is filtered on.</summary>
    public static sbyte LevelOf(SearchItem item) => item switch
    {
        FormationItem f => (sbyte)f.DiplomaLevel,
        PeJobItem p => PeJobLevel(p.NiveauFormation),
        MatchaItem m => MatchaLevel(m.JobLevelLabel),
        _ => None,
    };
}
