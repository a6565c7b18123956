namespace Alternance.Text;

/// <summary>The fields free text is matched in, in scoring order (docs/text-search.md).</summary>
public enum TextField : byte { Title = 0, Organisation = 1, Keywords = 2 }

/// <summary>
/// What free-text search reads of an item: its three text fields, what it is filtered, faceted and sorted on, and what a
/// hit shows. One definition for the cells' index and the fronts' rendering (the test oracle writes its own).
/// </summary>
public static class ItemDocument
{
    public const int FieldCount = 3;

    /// <summary>The <c>type_filter_label</c> of each source.</summary>
    public static string TypeLabel(Source source) => source switch
    {
        Source.Formation => "Formations",
        Source.Company => "Entreprises",
        _ => "Offres d'emploi",
    };

    /// <summary>The <c>kind</c> of a hit.</summary>
    public static string Kind(Source source) => source switch
    {
        Source.Formation => "formation",
        Source.PeJob => "offre",
        Source.Matcha => "offre_lba",
        _ => "entreprise",
    };

    /// <summary>The text of one field (null when the item has none).</summary>
    public static string? Field(SearchItem item, TextField field) => (item, field) switch
    {
        (FormationItem f, TextField.Title) => f.IntituleLong ?? f.IntituleCourt,
        (FormationItem f, TextField.Organisation) => f.FormateurEnseigne ?? f.FormateurRaisonSociale,
        (FormationItem f, TextField.Keywords) => Join(f.Diplome, f.Niveau, f.Localite),
        (PeJobItem p, TextField.Title) => p.Intitule,
        (PeJobItem p, TextField.Organisation) => p.EntrepriseNom,
        (PeJobItem p, TextField.Keywords) => Join(p.SecteurActiviteLibelle, p.LieuLibelle, null),
        (MatchaItem m, TextField.Title) => m.CustomJobTitle ?? m.RomeAppellationLabel ?? m.RomeLabel,
        (MatchaItem m, TextField.Organisation) => m.Recruiter.Enseigne ?? m.Recruiter.RaisonSociale,
        (MatchaItem m, TextField.Keywords) => Join(m.RomeLabel, m.Recruiter.NafLabel, m.Recruiter.City),
        (CompanyItem c, TextField.Title) => c.Enseigne ?? c.RaisonSociale,
        (CompanyItem c, TextField.Keywords) => Join(c.NafLabel, c.City, null),
        _ => null,
    };

    private static string? Join(string? a, string? b, string? c)
    {
        int parts = (a is null ? 0 : 1) + (b is null ? 0 : 1) + (c is null ? 0 : 1);
        if (parts == 0) return null;
        return string.Join(' ', a ?? "", b ?? "", c ?? "").Trim();
    }

    /// <summary>The organisation a hit shows and <c>organization_name</c> matches (folded by <see cref="NameKey"/>).</summary>
    public static string? Organisation(SearchItem item) => item switch
    {
        FormationItem f => f.FormateurEnseigne ?? f.FormateurRaisonSociale,
        PeJobItem p => p.EntrepriseNom,
        MatchaItem m => m.Recruiter.Enseigne ?? m.Recruiter.RaisonSociale,
        CompanyItem c => c.RaisonSociale ?? c.Enseigne,
        _ => null,
    };

    /// <summary>The title a hit shows (and highlights).</summary>
    public static string Title(SearchItem item) => Field(item, TextField.Title) ?? "";

    /// <summary>The town a hit shows.</summary>
    public static string? City(SearchItem item) => item switch
    {
        FormationItem f => f.Localite,
        PeJobItem p => p.LieuLibelle,
        MatchaItem m => m.Recruiter.City,
        CompanyItem c => c.City,
        _ => null,
    };

    /// <summary>Contract types: bit 1 apprenticeship, bit 2 professionalisation (0: the item states none).</summary>
    public static byte ContractTypes(SearchItem item)
    {
        switch (item)
        {
            case PeJobItem p when p.NatureContrat is { } nature:
                if (nature.Contains("apprentissage", StringComparison.OrdinalIgnoreCase)) return ContractApprenticeship;
                if (nature.Contains("professionnalisation", StringComparison.OrdinalIgnoreCase)) return ContractProfessionalisation;
                return 0;
            case MatchaItem m:
                byte bits = 0;
                foreach (string type in m.JobType)
                {
                    if (string.Equals(type, "Apprentissage", StringComparison.OrdinalIgnoreCase)) bits |= ContractApprenticeship;
                    else if (string.Equals(type, "Professionnalisation", StringComparison.OrdinalIgnoreCase)) bits |= ContractProfessionalisation;
                }
                return bits;
            default:
                return 0;
        }
    }

    public const byte ContractApprenticeship = 1;
    public const byte ContractProfessionalisation = 2;

    /// <summary>The <c>contract_type</c> values, by bit.</summary>
    public static readonly string[] ContractTypeValues = ["Apprentissage", "Professionnalisation"];

    /// <summary>The <c>level</c> values: 3..7, and <c>indifferent</c> for posted offers open to every level.</summary>
    public static readonly string[] LevelValues = ["3", "4", "5", "6", "7", "indifferent"];

    /// <summary>The item's <c>level</c> as an index of <see cref="LevelValues"/>, −1 when it states none.</summary>
    public static sbyte Level(SearchItem item)
    {
        sbyte level = item switch
        {
            FormationItem f => f.DiplomaLevel == 0 ? DiplomaRules.None : (sbyte)f.DiplomaLevel,
            PeJobItem p => DiplomaRules.PeJobLevel(p.NiveauFormation),
            MatchaItem m => DiplomaRules.MatchaLevel(m.JobLevelLabel),
            _ => DiplomaRules.None,
        };
        return level switch
        {
            DiplomaRules.Any => 5,
            >= 3 and <= 7 => (sbyte)(level - 3),
            _ => -1,
        };
    }

    /// <summary>The <c>activity_sector</c> (the NAF label as the feed gives it), or null.</summary>
    public static string? Sector(SearchItem item) => item switch
    {
        PeJobItem p => p.SecteurActiviteLibelle,
        MatchaItem m => m.Recruiter.NafLabel,
        CompanyItem c => c.NafLabel,
        _ => null,
    };

    /// <summary>The date <c>sort=date</c> orders by (newest first): the offer's creation; none for trainings and companies.</summary>
    public static int CreatedDay(SearchItem item) => item switch
    {
        PeJobItem p => Day(p.DateCreation),
        MatchaItem m => Day(m.JobCreationDate),
        _ => NoDay,
    };

    /// <summary>The start <c>start_date</c> filters and sorts on: a training's first session, a posted offer's start.</summary>
    public static int StartDay(SearchItem item)
    {
        switch (item)
        {
            case FormationItem f:
                int first = NoDay;
                foreach (string d in f.DateDebut)
                {
                    int day = Day(d);
                    if (day != NoDay && (first == NoDay || day < first)) first = day;
                }
                return first;
            case MatchaItem m:
                return Day(m.JobStartDate);
            default:
                return NoDay;
        }
    }

    /// <summary>No date.</summary>
    public const int NoDay = int.MinValue;

    /// <summary>Days since 1970-01-01 of an ISO date (its first ten characters), or <see cref="NoDay"/>.</summary>
    public static int Day(string? iso)
    {
        if (iso is null || iso.Length < 10) return NoDay;
        return DateOnly.TryParseExact(iso.AsSpan(0, 10), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.None, out DateOnly date)
            ? date.DayNumber - Epoch
            : NoDay;
    }

    private static readonly int Epoch = new DateOnly(1970, 1, 1).DayNumber;

    public static string? DayText(int day) => day == NoDay ? null : DateOnly.FromDayNumber(day + Epoch).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static bool DisabledElligible(SearchItem item) => item is MatchaItem { IsDisabledElligible: true };

    /// <summary>Whether one applies through the service: posted offers, companies and trainings with an e-mail.</summary>
    public static bool SmartApply(SearchItem item) => item switch
    {
        MatchaItem => true,
        CompanyItem c => !string.IsNullOrEmpty(c.Email),
        FormationItem f => !string.IsNullOrEmpty(f.Email),
        _ => false,
    };

    public static bool AlgoCompany(SearchItem item) => item is CompanyItem;

    /// <summary>The postal code <c>admin_area</c> matches (a posted offer's is read from its recruiter's address), or null.</summary>
    public static string? PostalCode(SearchItem item) => item switch
    {
        FormationItem f => f.CodePostal,
        PeJobItem p => p.CodePostal,
        CompanyItem c => c.ZipCode,
        MatchaItem m => PostalCodeIn(m.Recruiter.Address),
        _ => null,
    };

    /// <summary>The last run of exactly five digits in an address.</summary>
    public static string? PostalCodeIn(string? address)
    {
        if (address is null) return null;
        for (int end = address.Length; end >= 5; end--)
        {
            int start = end - 5;
            bool digits = true;
            for (int k = start; k < end && digits; k++) digits = char.IsAsciiDigit(address[k]);
            if (!digits) continue;
            bool before = start == 0 || !char.IsAsciiDigit(address[start - 1]);
            bool after = end == address.Length || !char.IsAsciiDigit(address[end]);
            if (before && after) return address.Substring(start, 5);
        }
        return null;
    }
}
