namespace Alternance;

/// <summary>
/// What every searchable item has: a stable id (unique within its source), a position, and the ROME
/// codes it is filed under. Items are immutable: an update is a new item with the same id.
/// </summary>
[GenerateSerializer, Immutable, Alias("alt.item")]
public abstract partial record class SearchItem
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required double Latitude { get; init; }
    [Id(2)] public required double Longitude { get; init; }
    [Id(3)] public required string[] RomeCodes { get; init; }
    /// <summary>
    /// Which write this item came from: the importer and the recruiter grain stamp every item they write with a new
    /// <see cref="ItemVersions.New"/>, so a front that kept an item's JSON knows whether it is still this item's.
    /// </summary>
    [Id(4)] public long Version { get; init; }

    public abstract Source Source { get; }
}

/// <summary>Item versions (<see cref="SearchItem.Version"/>): random 63-bit numbers, never 0 (items written before versions).</summary>
public static class ItemVersions
{
    public static long New() => Random.Shared.NextInt64(1, long.MaxValue);
}

/// <summary>A training, from the training catalogue feed (field names of the feed in the comments).</summary>
[GenerateSerializer, Immutable, Alias("alt.formation")]
public sealed partial record class FormationItem : SearchItem
{
    public override Source Source => Source.Formation;

    [Id(0)] public string? IntituleLong { get; init; }          // intitule_long
    [Id(1)] public string? IntituleCourt { get; init; }         // intitule_court
    [Id(2)] public string? Diplome { get; init; }               // diplome
    [Id(3)] public string? Niveau { get; init; }                // niveau, e.g. "3 (CAP...)"
    [Id(4)] public string? Cfd { get; init; }
    [Id(5)] public string? RncpCode { get; init; }
    [Id(6)] public string? RncpIntitule { get; init; }
    [Id(7)] public bool? RncpEligibleApprentissage { get; init; }
    [Id(8)] public string? Adresse { get; init; }               // lieu_formation_adresse
    [Id(9)] public string? CodePostal { get; init; }
    [Id(10)] public string? CodeCommuneInsee { get; init; }
    [Id(11)] public string? Localite { get; init; }
    [Id(12)] public string? NumDepartement { get; init; }
    [Id(13)] public string? Region { get; init; }
    [Id(14)] public string? FormateurSiret { get; init; }
    [Id(15)] public string? FormateurEnseigne { get; init; }
    [Id(16)] public string? FormateurRaisonSociale { get; init; }
    [Id(17)] public string? FormateurUai { get; init; }
    [Id(18)] public string? FormateurCedex { get; init; }
    [Id(19)] public string? GestionnaireSiret { get; init; }
    [Id(20)] public string? GestionnaireRaisonSociale { get; init; }
    [Id(21)] public string? GestionnaireUai { get; init; }
    [Id(22)] public string? Phone { get; init; }                // num_tel
    [Id(23)] public string? Email { get; init; }                // email (CFA contact, used for appointment requests)
    [Id(24)] public string? OnisepUrl { get; init; }
    [Id(25)] public string? Capacite { get; init; }
    [Id(26)] public string? IdRcoFormation { get; init; }
    [Id(27)] public string? IdFormation { get; init; }          // id_formation (idRco)
    [Id(28)] public string[] DateDebut { get; init; } = [];
    [Id(29)] public string[] DateFin { get; init; } = [];
    [Id(30)] public string? Objectif { get; init; }
    [Id(31)] public string? Contenu { get; init; }
    [Id(32)] public bool EntierementADistance { get; init; }
    [Id(33)] public string? ParcoursupId { get; init; }

    /// <summary>Diploma level 3..7 from the first character of <see cref="Niveau"/>, 0 when unknown.</summary>
    public int DiplomaLevel => Niveau is { Length: > 0 } n && n[0] >= '3' && n[0] <= '7' ? n[0] - '0' : 0;
}

/// <summary>A national job offer ("Offres d'emploi v2" shape).</summary>
[GenerateSerializer, Immutable, Alias("alt.pejob")]
public sealed partial record class PeJobItem : SearchItem
{
    public override Source Source => Source.PeJob;

    [Id(0)] public string? Intitule { get; init; }
    [Id(1)] public string? Description { get; init; }
    [Id(2)] public string? DateCreation { get; init; }
    [Id(3)] public string? LieuLibelle { get; init; }
    [Id(4)] public string? CodePostal { get; init; }
    [Id(5)] public string? CommuneInsee { get; init; }
    [Id(6)] public string? AppellationLibelle { get; init; }
    [Id(7)] public string? EntrepriseNom { get; init; }
    [Id(8)] public string? EntrepriseDescription { get; init; }
    [Id(9)] public string? EntrepriseLogo { get; init; }
    [Id(10)] public string? EntrepriseSiret { get; init; }
    [Id(11)] public string? TypeContrat { get; init; }
    [Id(12)] public string? TypeContratLibelle { get; init; }
    [Id(13)] public string? NatureContrat { get; init; }
    [Id(14)] public string? DureeTravailLibelle { get; init; }
    [Id(15)] public string? SecteurActivite { get; init; }
    [Id(16)] public string? SecteurActiviteLibelle { get; init; }
    [Id(17)] public string? ContactNom { get; init; }
    [Id(18)] public string? ContactCourriel { get; init; }
    /// <summary>NV1..NV5, or null when the offer states no level.</summary>
    [Id(19)] public string? NiveauFormation { get; init; }
    /// <summary>OPCO of the employer (short name, upper case), resolved by SIREN at import when known.</summary>
    [Id(20)] public string? Opco { get; init; }
    [Id(21)] public string? OpcoUrl { get; init; }
}

/// <summary>The recruiter (establishment) an offer was posted by; shared by all its jobs.</summary>
[GenerateSerializer, Immutable, Alias("alt.recruiter")]
public sealed record class RecruiterInfo
{
    [Id(0)] public required string EstablishmentId { get; init; }
    [Id(1)] public string? Siret { get; init; }
    [Id(2)] public string? RaisonSociale { get; init; }
    [Id(3)] public string? Enseigne { get; init; }
    [Id(4)] public string? Address { get; init; }
    [Id(5)] public string? City { get; init; }
    [Id(6)] public required double Latitude { get; init; }
    [Id(7)] public required double Longitude { get; init; }
    [Id(8)] public string? FirstName { get; init; }
    [Id(9)] public string? LastName { get; init; }
    [Id(10)] public string? Phone { get; init; }
    [Id(11)] public string? Email { get; init; }
    [Id(12)] public string? Opco { get; init; }
    [Id(13)] public string? OpcoUrl { get; init; }
    [Id(14)] public string? Idcc { get; init; }
    [Id(15)] public string? NafCode { get; init; }
    [Id(16)] public string? NafLabel { get; init; }
    [Id(17)] public string? EstablishmentSize { get; init; }
    [Id(18)] public string? EstablishmentCreationDate { get; init; }
    [Id(19)] public bool IsDelegated { get; init; }
    [Id(20)] public string? CfaDelegatedSiret { get; init; }
    /// <summary><c>Actif</c>, <c>Archivé</c> or <c>En attente de validation</c>.</summary>
    [Id(21)] public string Status { get; init; } = "Actif";
    [Id(22)] public string? Origin { get; init; }
    [Id(23)] public string? ManagedBy { get; init; }
    /// <summary>The establishment's postal code (<c>address_detail.code_postal</c>, else read from the address): what a
    /// département filter matches.</summary>
    [Id(24)] public string? ZipCode { get; init; }
}

/// <summary>Postal codes of French addresses.</summary>
public static class PostalCodes
{
    /// <summary>The last five-digit group of an address ("27 RUE PASTEUR 71350 TOUTENANT" → 71350), or null.</summary>
    public static string? FromAddress(string? address)
    {
        if (string.IsNullOrEmpty(address)) return null;
        for (int end = address.Length; end >= 5; end--)
        {
            int start = end - 5;
            if (!IsDigits(address.AsSpan(start, 5))) continue;
            bool alone = (start == 0 || !char.IsAsciiDigit(address[start - 1])) && (end == address.Length || !char.IsAsciiDigit(address[end]));
            if (alone) return address.Substring(start, 5);
        }
        return null;
    }

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        foreach (char c in text) if (!char.IsAsciiDigit(c)) return false;
        return true;
    }
}

/// <summary>One job of a recruiter: the item <c>matchas</c> lists (id = the job's id).</summary>
[GenerateSerializer, Immutable, Alias("alt.matcha")]
public sealed partial record class MatchaItem : SearchItem
{
    public override Source Source => Source.Matcha;

    [Id(0)] public required RecruiterInfo Recruiter { get; init; }
    [Id(1)] public string? RomeLabel { get; init; }
    [Id(2)] public string? RomeAppellationLabel { get; init; }
    [Id(3)] public string? JobLevelLabel { get; init; }
    [Id(4)] public string? JobStartDate { get; init; }
    [Id(5)] public string? JobDescription { get; init; }
    [Id(6)] public string? JobEmployerDescription { get; init; }
    [Id(7)] public string? JobCreationDate { get; init; }
    [Id(8)] public string? JobExpirationDate { get; init; }
    [Id(9)] public string? JobUpdateDate { get; init; }
    /// <summary><c>Active</c>, <c>Pourvue</c>, <c>Annulée</c> or <c>En attente</c>.</summary>
    [Id(10)] public string JobStatus { get; init; } = "Active";
    [Id(11)] public string[] JobType { get; init; } = [];
    [Id(12)] public bool IsMultiPublished { get; init; } = true;
    [Id(13)] public bool IsDisabledElligible { get; init; }
    [Id(14)] public int JobCount { get; init; } = 1;
    [Id(15)] public int? JobDuration { get; init; }
    [Id(16)] public string? JobRythm { get; init; }
    [Id(17)] public string? CustomAddress { get; init; }
    [Id(18)] public string? CustomJobTitle { get; init; }
    [Id(19)] public int JobProlongationCount { get; init; }
    /// <summary>True when the offer was posted through this service's API rather than imported from the feed.</summary>
    [Id(20)] public bool PostedThroughApi { get; init; }
    /// <summary>What a partner posted through the v3 routes gave beyond the v1 job; null for other offers.</summary>
    [Id(21)] public PartnerOffer? Partner { get; init; }

    /// <summary>The v3 <c>partner_label</c>: the posting partner's, else La bonne alternance's own offers'.</summary>
    public string PartnerLabel => Partner?.Label ?? PartnerOffer.LbaOffers;

    /// <summary>Searchable: the job is active and its recruiter is active.</summary>
    public bool IsActive => JobStatus == "Active" && Recruiter.Status == "Actif";
}

/// <summary>
/// The fields of an offer posted by a partner through <c>POST /api/v3/jobs</c> (La bonne alternance's <c>jobs_partners</c>)
/// that the v1 job has no place for; the rest of the offer is the job itself.
/// </summary>
[GenerateSerializer, Immutable, Alias("alt.partneroffer")]
public sealed record class PartnerOffer
{
    /// <summary>The <c>partner_label</c> of La bonne alternance's own offers (the recruiters feed, the v1 routes).</summary>
    public const string LbaOffers = "offres_emploi_lba";

    /// <summary><c>partner_label</c>: the partner that posted it.</summary>
    [Id(0)] public required string Label { get; init; }
    /// <summary><c>partner_job_id</c>: the partner's own id for it (the offer's id when it gave none).</summary>
    [Id(1)] public required string JobId { get; init; }
    [Id(2)] public string[] DesiredSkills { get; init; } = [];
    [Id(3)] public string[] ToBeAcquiredSkills { get; init; } = [];
    [Id(4)] public string[] AccessConditions { get; init; } = [];
    [Id(5)] public string? ApplyUrl { get; init; }
    [Id(6)] public string? ApplyEmail { get; init; }
    [Id(7)] public string? ApplyPhone { get; init; }
    [Id(8)] public string? WorkplaceName { get; init; }
    [Id(9)] public string? WorkplaceWebsite { get; init; }
    /// <summary><c>onsite</c>, <c>remote</c> or <c>hybrid</c>.</summary>
    [Id(10)] public string? Remote { get; init; }
    [Id(11)] public string? Origin { get; init; }
    /// <summary>The contract's start, when given (the v1 job's start date is required; a v3 offer's is not).</summary>
    [Id(12)] public string? ContractStart { get; init; }
}

/// <summary>A company likely to hire apprentices (the "algo" output).</summary>
[GenerateSerializer, Immutable, Alias("alt.company")]
public sealed partial record class CompanyItem : SearchItem
{
    public override Source Source => Source.Company;

    /// <summary>The SIRET, which is also <see cref="SearchItem.Id"/>.</summary>
    public string Siret => Id;
    [Id(0)] public string? RaisonSociale { get; init; }
    [Id(1)] public string? Enseigne { get; init; }
    [Id(2)] public string? NafCode { get; init; }
    [Id(3)] public string? NafLabel { get; init; }
    [Id(4)] public string? StreetNumber { get; init; }
    [Id(5)] public string? StreetName { get; init; }
    [Id(6)] public string? InseeCityCode { get; init; }
    [Id(7)] public string? ZipCode { get; init; }
    [Id(8)] public string? City { get; init; }
    [Id(9)] public string? Email { get; init; }
    [Id(10)] public string? Phone { get; init; }
    [Id(11)] public string? CompanySize { get; init; }
    [Id(12)] public string? Website { get; init; }
    [Id(13)] public string? Opco { get; init; }
    /// <summary>Upper-case OPCO short name (AKTO, ATLAS, ...), the value the <c>opco</c> filter matches.</summary>
    [Id(14)] public string? OpcoShortName { get; init; }
    [Id(15)] public string? OpcoUrl { get; init; }
    [Id(16)] public double RecruitmentPotential { get; init; }
}
