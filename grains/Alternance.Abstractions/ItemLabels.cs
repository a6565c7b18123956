namespace Alternance;

/// <summary>
/// What an item is called: its <c>title</c> and its <c>company.name</c> in the v1 answers (docs/contract.md#json-shapes),
/// which are also what listings sort by (<see cref="Ranking.ListingKey"/>). One definition for the writers, the listing
/// order and the applications' recipients. Null when the feed names nothing (the JSON then holds null).
/// </summary>
public static class ItemLabels
{
    /// <summary>A posted offer's company name when its recruiter has neither a trade name nor a legal name.</summary>
    public const string UnknownRecruiter = "Enseigne inconnue";

    public static string? Title(FormationItem f) => f.IntituleLong ?? f.IntituleCourt;

    public static string? Title(PeJobItem p) => p.Intitule;

    public static string? Title(MatchaItem m) => JobTitle(m.CustomJobTitle, m.RomeAppellationLabel, m.RomeLabel);

    public static string? Title(CompanyItem c) => c.Enseigne ?? c.RaisonSociale;

    public static string? Title(SearchItem item) => item switch
    {
        FormationItem f => Title(f),
        PeJobItem p => Title(p),
        MatchaItem m => Title(m),
        CompanyItem c => Title(c),
        _ => null,
    };

    /// <summary>A posted offer's title: the partner's own title, else the ROME appellation, else the ROME label.</summary>
    public static string? JobTitle(string? customJobTitle, string? romeAppellationLabel, string? romeLabel) =>
        customJobTitle ?? romeAppellationLabel ?? romeLabel;

    public static string? CompanyName(FormationItem f) =>
        f.FormateurEnseigne ?? f.FormateurRaisonSociale ?? f.GestionnaireRaisonSociale;

    public static string? CompanyName(PeJobItem p) => p.EntrepriseNom;

    public static string CompanyName(MatchaItem m) => RecruiterName(m.Recruiter.Enseigne, m.Recruiter.RaisonSociale);

    public static string? CompanyName(CompanyItem c) => c.Enseigne ?? c.RaisonSociale;

    public static string? CompanyName(SearchItem item) => item switch
    {
        FormationItem f => CompanyName(f),
        PeJobItem p => CompanyName(p),
        MatchaItem m => CompanyName(m),
        CompanyItem c => CompanyName(c),
        _ => null,
    };

    /// <summary>
    /// A company's address, <c>"{street_number} {street_name}, {zip_code} {city}"</c> without the missing parts; empty
    /// when it has none (the answers write <c>""</c>).
    /// </summary>
    public static string CompanyAddress(CompanyItem c)
    {
        string street = Join(c.StreetNumber, c.StreetName);
        string town = Join(c.ZipCode, c.City);
        if (street.Length == 0) return town;
        if (town.Length == 0) return street;
        return string.Concat(street, ", ", town);
    }

    /// <summary><see cref="CompanyAddress"/>, null for no company or no address (a recruiter's address taken from its company).</summary>
    public static string? CompanyAddressOrNull(CompanyItem? c) => c is null ? null : CompanyAddress(c) is { Length: > 0 } a ? a : null;

    /// <summary>A recruiter's name: its trade name, else its legal name, else <see cref="UnknownRecruiter"/>.</summary>
    public static string RecruiterName(string? enseigne, string? raisonSociale) => enseigne ?? raisonSociale ?? UnknownRecruiter;

    private static string Join(string? a, string? b) =>
        string.IsNullOrEmpty(a) ? b ?? "" : string.IsNullOrEmpty(b) ? a : string.Concat(a, " ", b);
}
