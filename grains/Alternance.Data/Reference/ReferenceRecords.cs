namespace Alternance.Data;

/// <summary>A commune (COG 2026), or a municipal arrondissement of Paris, Lyon or Marseille.</summary>
/// <remarks>Arrondissements have no centre of their own in the source: they carry their parent commune's centre,
/// <see cref="ParentInsee"/> set and <see cref="IsArrondissement"/> true.</remarks>
public sealed record Commune(
    string Insee,
    string Name,
    string PostalCode,
    string[] PostalCodes,
    string DepartementCode,
    string DepartementName,
    string RegionCode,
    string RegionName,
    string Zone,
    double Latitude,
    double Longitude,
    int Population,
    string? ParentInsee = null)
{
    public bool IsArrondissement => ParentInsee is not null;
    public bool IsOverseas => Zone == "drom";
}

public sealed record Departement(
    string Code,
    string Name,
    string RegionCode,
    string RegionName,
    string Zone,
    string ChefLieuInsee,
    string ChefLieuName,
    double ChefLieuLatitude,
    double ChefLieuLongitude,
    double CentroidLatitude,
    double CentroidLongitude,
    int CommunesCount,
    long Population)
{
    /// <summary>The postal-code prefix of the département (2A and 2B share <c>20</c>).</summary>
    public string PostalPrefix => Code is "2A" or "2B" ? "20" : Code;
}

public sealed record Region(
    string Code,
    string Name,
    string Zone,
    string ChefLieuInsee,
    string ChefLieuName,
    double ChefLieuLatitude,
    double ChefLieuLongitude,
    double CentroidLatitude,
    double CentroidLongitude,
    int DepartementsCount,
    int CommunesCount,
    long Population,
    IReadOnlyList<string> DepartementCodes,
    IReadOnlyList<string> PostalPrefixes);

/// <summary>A ROME 4.0 fiche.</summary>
public sealed record RomeCode(
    string Code,
    string Label,
    string DomainCode,
    string DomainLabel,
    string SubdomainCode,
    string SubdomainLabel,
    string CodeRomeParent,
    bool IsRomeV3Code,
    string? LabelRomeV3,
    string CodeOgr,
    string? CodeFicheMetier)
{
    /// <summary>A ROME code's shape, defined once for the API's checks and the feed reader: an upper-case ASCII letter and
    /// four digits (<c>^[A-Z][0-9]{4}$</c>), e.g. M1607.</summary>
    public static bool HasShape(ReadOnlySpan<char> s) =>
        s.Length == 5 && char.IsAsciiLetterUpper(s[0]) && char.IsAsciiDigit(s[1]) && char.IsAsciiDigit(s[2])
        && char.IsAsciiDigit(s[3]) && char.IsAsciiDigit(s[4]);
}

public sealed record RomeDomain(string Code, string Label, int RomeCodesCount);

public sealed record RomeSubdomain(string Code, string Label, string DomainCode, string DomainLabel, int RomeCodesCount);

/// <summary>A ROME 4.0 appellation (job title), keyed by <c>code_ogr</c>.</summary>
public sealed record RomeAppellation(
    string CodeOgr,
    string Label,
    string LabelShort,
    string RomeCode,
    string RomeCodeParent,
    bool IsPrincipal,
    bool PeuUsite);

/// <summary>A NAF rév. 2 sub-class with its four parent levels.</summary>
public sealed record NafCode(
    string Code,
    string CompactCode,
    string Label,
    string ClassCode,
    string ClassLabel,
    string GroupCode,
    string GroupLabel,
    string DivisionCode,
    string DivisionLabel,
    string SectionCode,
    string SectionLabel);

public sealed record NafSection(string Code, string Label, IReadOnlyList<string> Divisions);

/// <summary>An OPCO: <see cref="Key"/> is the upper-case short name (AKTO...), <see cref="V1Param"/> the JS-era lower-case value.</summary>
public sealed record Opco(string Key, string LbaLabel, string V1Param);

/// <summary>A diploma level (european level 3..7, or 0 for <c>Indifférent</c>).</summary>
public sealed record DiplomaLevel(
    int Level,
    string LbaParam,
    string Label,
    string LabelUntil202606,
    string? FranceTravailNiveau,
    string? SeoTitles,
    string? BacLevel);

/// <summary>An RNCP certification (2021 export) with its ROME codes, v3 as exported and mapped to v4.</summary>
public sealed record RncpCertification(
    string Code,
    string Title,
    int LevelEu,
    bool Active2021,
    IReadOnlyList<string> RomeCodesV3,
    IReadOnlyList<string> RomeCodesV4);
