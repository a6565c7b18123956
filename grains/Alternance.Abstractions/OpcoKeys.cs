namespace Alternance;

/// <summary>
/// The <c>opco</c> filter compares short names (AKTO, ATLAS, EP, …, docs/contract.md#opco) while feeds and recruiter
/// documents carry LBA's labels ("AKTO / Opco entreprises et salariés…", "Opco entreprises de proximité"): both
/// sides go through <see cref="ToKey"/>. The labels are LBA's OPCO list (reference data <c>opco.csv</c>).
/// </summary>
public static class OpcoKeys
{
    private static readonly Dictionary<string, string> ByLabel = new(StringComparer.OrdinalIgnoreCase)
    {
        ["AFDAS"] = "AFDAS",
        ["AKTO / Opco entreprises et salariés des services à forte intensité de main d'oeuvre"] = "AKTO",
        ["ATLAS"] = "ATLAS",
        ["Constructys"] = "CONSTRUCTYS",
        ["L'Opcommerce"] = "OPCOMMERCE",
        ["OCAPIAT"] = "OCAPIAT",
        ["OPCO 2i"] = "OPCO2I",
        ["Opco entreprises de proximité"] = "EP",
        ["Opco Mobilités"] = "MOBILITE",
        ["Opco Santé"] = "SANTE",
        ["Uniformation, l'Opco de la Cohésion sociale"] = "UNIFORMATION",
    };

    /// <summary>LBA's OPCO labels, in its order (the values the v3 <c>opco</c> filter accepts).</summary>
    public static IReadOnlyList<string> Labels { get; } = [.. ByLabel.Keys];

    /// <summary>The short names the labels stand for (AFDAS, AKTO, ...).</summary>
    public static IReadOnlyList<string> ShortNames { get; } = [.. ByLabel.Values];

    /// <summary>The upper-case short name of an OPCO given by short name or by label; other values upper-cased.</summary>
    public static string? ToKey(string? opco)
    {
        if (string.IsNullOrWhiteSpace(opco)) return null;
        string trimmed = opco.Trim();
        return ByLabel.TryGetValue(trimmed, out string? key) ? key : trimmed.ToUpperInvariant();
    }
}
