using System.Globalization;
using System.Text.Json;
using Alternance.Api.Mail;
using Microsoft.Extensions.Options;

namespace Alternance.Api.Json;

/// <summary>Where the v3 shape's <c>apply.url</c> sends a candidate for the items of this service (its job pages).</summary>
public sealed class V3Links
{
    private readonly string _publicUrl;

    public V3Links(IOptions<MailOptions> mail) : this(mail.Value.PublicUrl)
    {
    }

    public V3Links(string publicUrl) => _publicUrl = publicUrl.TrimEnd('/');

    /// <summary>A posted offer's card on the job search page (the widget opens the item named by <c>type</c> and <c>itemId</c>).</summary>
    public string Offer(MatchaItem m) => $"{_publicUrl}/recherche-emploi?type=matcha&itemId={Uri.EscapeDataString(m.Id)}";

    public string Company(CompanyItem c) => $"{_publicUrl}/recherche-emploi?type=lba&itemId={Uri.EscapeDataString(c.Siret)}";
}

/// <summary>
/// The v3 shapes of La bonne alternance (<c>/api/v3/jobs/search</c>, <c>/api/v3/jobs/{id}</c>, the export; reference
/// §1.13): a job offer <c>{identifier, workplace, apply, contract, offer, is_delegated}</c> for posted and national offers,
/// a recruiter <c>{identifier, workplace, apply}</c> for companies. Written straight from the items, like
/// <see cref="ItemWriter"/>; nothing in them depends on the request, so a front keeps one rendering per item and version.
/// E-mails are never written (applications name a <c>recipient_id</c>); companies' phones neither (no caller to allow).
/// </summary>
public static class V3ItemWriter
{
    /// <summary>The <c>partner_label</c> of offers posted on La bonne alternance (the recruiters feed and the v1 routes).</summary>
    public const string LbaOffers = PartnerOffer.LbaOffers;
    /// <summary>The <c>partner_label</c> of national offers.</summary>
    public const string FranceTravail = "France Travail";
    /// <summary>The <c>partner_label</c> of companies likely to hire (the <c>recruiters</c> list).</summary>
    public const string LbaCompanies = "recruteurs_lba";

    /// <summary>The item's v3 JSON: a job offer for posted and national offers, a recruiter for companies.</summary>
    public static void Write(Utf8JsonWriter w, SearchItem item, V3Links links)
    {
        switch (item)
        {
            case MatchaItem m: WriteOffer(w, m, links); break;
            case PeJobItem p: WriteOffer(w, p); break;
            case CompanyItem c: WriteRecruiter(w, c, links); break;
            default: throw new ArgumentException($"A {item.Source} item has no v3 shape.", nameof(item));
        }
    }

    /// <summary>What an application names to reach an item's recipient (<c>POST /api/v2/application</c>), null when it has no e-mail.</summary>
    public static string? RecipientId(SearchItem item) => item switch
    {
        MatchaItem m when !string.IsNullOrEmpty(m.Partner?.ApplyEmail ?? m.Recruiter.Email) => "recruiters_" + m.Id,
        CompanyItem { Email: { Length: > 0 } } c => "recruteur_" + c.Siret,
        _ => null,
    };

    private static void WriteOffer(Utf8JsonWriter w, MatchaItem m, V3Links links)
    {
        RecruiterInfo r = m.Recruiter;
        PartnerOffer? p = m.Partner;
        w.WriteStartObject();
        WriteIdentifier(w, m.Id, m.PartnerLabel, p?.JobId ?? m.Id);

        w.WriteStartObject("workplace"u8);
        w.WriteString("siret"u8, r.IsDelegated ? r.CfaDelegatedSiret : r.Siret);
        w.WriteString("brand"u8, r.IsDelegated ? null : r.Enseigne);
        w.WriteString("legal_name"u8, r.RaisonSociale);
        w.WriteString("website"u8, p?.WorkplaceWebsite);
        w.WriteString("name"u8, p?.WorkplaceName ?? r.RaisonSociale ?? r.Enseigne ?? "Enseigne inconnue");
        w.WriteString("description"u8, m.JobEmployerDescription);
        w.WriteString("size"u8, r.EstablishmentSize);
        WriteLocation(w, m.CustomAddress ?? r.Address, m.Latitude, m.Longitude);
        WriteDomain(w, r.Idcc, r.Opco, r.NafCode, r.NafLabel);
        w.WriteEndObject();

        w.WriteStartObject("apply"u8);
        w.WriteString("url"u8, p?.ApplyUrl ?? links.Offer(m));
        w.WriteString("phone"u8, p is null ? r.Phone : p.ApplyPhone);
        w.WriteString("recipient_id"u8, RecipientId(m));
        w.WriteEndObject();

        w.WriteStartObject("contract"u8);
        WriteDate(w, "start"u8, m.JobStartDate);
        if (m.JobDuration is int months) w.WriteNumber("duration"u8, months);
        else w.WriteNull("duration"u8);
        w.WriteStartArray("type"u8);
        if (m.JobType.Length == 0)
        {
            // No type given: both, as La bonne alternance defaults it.
            w.WriteStringValue("Apprentissage");
            w.WriteStringValue("Professionnalisation");
        }
        foreach (string type in m.JobType) w.WriteStringValue(type);
        w.WriteEndArray();
        w.WriteString("remote"u8, p?.Remote);
        w.WriteEndObject();

        w.WriteStartObject("offer"u8);
        w.WriteString("title"u8, Ranking.Title(m));
        WriteStrings(w, "rome_codes"u8, m.RomeCodes);
        w.WriteString("description"u8, m.JobDescription ?? "");
        WriteTargetDiploma(w, DiplomaRules.MatchaLevel(m.JobLevelLabel), m.JobLevelLabel);
        WriteStrings(w, "desired_skills"u8, p?.DesiredSkills ?? []);
        WriteStrings(w, "to_be_acquired_skills"u8, p?.ToBeAcquiredSkills ?? []);
        WriteStrings(w, "access_conditions"u8, p?.AccessConditions ?? []);
        w.WriteStartObject("publication"u8);
        WriteDate(w, "creation"u8, m.JobCreationDate);
        WriteDate(w, "expiration"u8, m.JobExpirationDate);
        w.WriteEndObject();
        w.WriteNumber("opening_count"u8, m.JobCount);
        w.WriteString("status"u8, OfferStatus(m));
        w.WriteEndObject();

        w.WriteBoolean("is_delegated"u8, r.IsDelegated);
        w.WriteEndObject();
    }

    private static void WriteOffer(Utf8JsonWriter w, PeJobItem p)
    {
        w.WriteStartObject();
        WriteIdentifier(w, p.Id, FranceTravail, p.Id);

        w.WriteStartObject("workplace"u8);
        // Blanked for API callers, as in the v1 answers (reference §1.1).
        w.WriteNull("siret"u8);
        w.WriteNull("brand"u8);
        w.WriteNull("legal_name"u8);
        w.WriteNull("website"u8);
        w.WriteString("name"u8, p.EntrepriseNom);
        w.WriteString("description"u8, p.EntrepriseDescription);
        w.WriteNull("size"u8);
        WriteLocation(w, p.LieuLibelle, p.Latitude, p.Longitude);
        WriteDomain(w, null, p.Opco, p.SecteurActivite, p.SecteurActiviteLibelle);
        w.WriteEndObject();

        w.WriteStartObject("apply"u8);
        w.WriteString("url"u8, string.Concat(ItemWriter.PeJobUrlPrefix, p.Id, ItemWriter.PeJobUrlSuffix));
        w.WriteNull("phone"u8);
        w.WriteNull("recipient_id"u8);
        w.WriteEndObject();

        w.WriteStartObject("contract"u8);
        w.WriteNull("start"u8);
        if (ContractMonths(p.TypeContratLibelle) is int months) w.WriteNumber("duration"u8, months);
        else w.WriteNull("duration"u8);
        w.WriteStartArray("type"u8);
        if (p.NatureContrat is { } nature)
        {
            if (nature.Contains("apprentissage", StringComparison.OrdinalIgnoreCase)) w.WriteStringValue("Apprentissage");
            else if (nature.Contains("professionnalisation", StringComparison.OrdinalIgnoreCase)) w.WriteStringValue("Professionnalisation");
        }
        w.WriteEndArray();
        w.WriteNull("remote"u8);
        w.WriteEndObject();

        w.WriteStartObject("offer"u8);
        w.WriteString("title"u8, p.Intitule);
        WriteStrings(w, "rome_codes"u8, p.RomeCodes);
        w.WriteString("description"u8, p.Description ?? "");
        sbyte level = DiplomaRules.PeJobLevel(p.NiveauFormation);
        WriteTargetDiploma(w, level, LevelLabel(level));
        WriteStrings(w, "desired_skills"u8, []);
        WriteStrings(w, "to_be_acquired_skills"u8, []);
        WriteStrings(w, "access_conditions"u8, []);
        w.WriteStartObject("publication"u8);
        WriteDate(w, "creation"u8, p.DateCreation);
        w.WriteNull("expiration"u8);
        w.WriteEndObject();
        w.WriteNumber("opening_count"u8, 1);
        w.WriteString("status"u8, "Active");
        w.WriteEndObject();

        w.WriteBoolean("is_delegated"u8, false);
        w.WriteEndObject();
    }

    private static void WriteRecruiter(Utf8JsonWriter w, CompanyItem c, V3Links links)
    {
        w.WriteStartObject();
        w.WriteStartObject("identifier"u8);
        w.WriteString("id"u8, c.Siret);
        w.WriteEndObject();

        w.WriteStartObject("workplace"u8);
        w.WriteString("siret"u8, c.Siret);
        w.WriteString("brand"u8, c.Enseigne);
        w.WriteString("legal_name"u8, c.RaisonSociale);
        w.WriteString("website"u8, c.Website);
        w.WriteString("name"u8, c.RaisonSociale ?? c.Enseigne);
        w.WriteNull("description"u8);
        w.WriteString("size"u8, c.CompanySize);
        WriteLocation(w, ItemWriter.CompanyAddress(c), c.Latitude, c.Longitude);
        WriteDomain(w, null, c.Opco ?? c.OpcoShortName, c.NafCode, c.NafLabel);
        w.WriteEndObject();

        w.WriteStartObject("apply"u8);
        w.WriteString("url"u8, links.Company(c));
        // Company phones go to allow-listed callers only (contract, privacy); v3 requests name no caller.
        w.WriteNull("phone"u8);
        w.WriteString("recipient_id"u8, RecipientId(c));
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteIdentifier(Utf8JsonWriter w, string id, string partnerLabel, string partnerJobId)
    {
        w.WriteStartObject("identifier"u8);
        w.WriteString("id"u8, id);
        w.WriteString("partner_label"u8, partnerLabel);
        w.WriteString("partner_job_id"u8, partnerJobId);
        w.WriteEndObject();
    }

    private static void WriteLocation(Utf8JsonWriter w, string? address, double latitude, double longitude)
    {
        w.WriteStartObject("location"u8);
        w.WriteString("address"u8, address);
        w.WriteStartObject("geopoint"u8);
        w.WriteString("type"u8, "Point");
        w.WriteStartArray("coordinates"u8);
        w.WriteNumberValue(longitude);
        w.WriteNumberValue(latitude);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteDomain(Utf8JsonWriter w, string? idcc, string? opco, string? nafCode, string? nafLabel)
    {
        w.WriteStartObject("domain"u8);
        if (int.TryParse(idcc, NumberStyles.None, CultureInfo.InvariantCulture, out int convention)) w.WriteNumber("idcc"u8, convention);
        else w.WriteNull("idcc"u8);
        w.WriteString("opco"u8, opco);
        if (nafCode is null)
        {
            w.WriteNull("naf"u8);
        }
        else
        {
            w.WriteStartObject("naf"u8);
            w.WriteString("code"u8, nafCode);
            w.WriteString("label"u8, nafLabel);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteTargetDiploma(Utf8JsonWriter w, sbyte level, string? label)
    {
        if (level < 3)
        {
            // Indifférent, or no level: no target.
            w.WriteNull("target_diploma"u8);
            return;
        }
        w.WriteStartObject("target_diploma"u8);
        w.WriteString("european"u8, level.ToString(CultureInfo.InvariantCulture));
        w.WriteString("label"u8, label ?? LevelLabel(level));
        w.WriteEndObject();
    }

    /// <summary>The offers' level labels (<c>job_level_label</c>) by European level.</summary>
    public static string? LevelLabel(int level) => level switch
    {
        3 => "Cap, autres formations niveau (Infrabac)",
        4 => "BP, Bac, autres formations niveau (Bac)",
        5 => "BTS, DEUST, autres formations niveau (Bac+2)",
        6 => "Licence, autres formations niveau (Bac+3)",
        7 => "Master, titre ingénieur, autres formations niveau (Bac+5)",
        _ => null,
    };

    /// <summary>The v3 status: <c>Active</c>, <c>Filled</c>, <c>Cancelled</c> or <c>Pending</c> (an inactive recruiter cancels its offers).</summary>
    public static string OfferStatus(MatchaItem m) => OfferStatus(m.JobStatus, m.Recruiter.Status);

    /// <summary>The v3 status of a job status (<c>Active</c>, <c>Pourvue</c>...) under a recruiter status (<c>Actif</c>...).</summary>
    public static string OfferStatus(string jobStatus, string recruiterStatus) => recruiterStatus != "Actif" ? "Cancelled" : jobStatus switch
    {
        "Active" => "Active",
        "Pourvue" => "Filled",
        "En attente" => "Pending",
        _ => "Cancelled",
    };

    /// <summary>An ISO 8601 instant (<c>2026-09-01T00:00:00.000Z</c>) from a feed's date text; null when there is none or it is unreadable.</summary>
    private static void WriteDate(Utf8JsonWriter w, ReadOnlySpan<byte> name, string? text)
    {
        if (OfferDates.ParseMilliseconds(text) is long ms)
        {
            w.WriteString(name, DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void WriteStrings(Utf8JsonWriter w, ReadOnlySpan<byte> name, string[] values)
    {
        w.WriteStartArray(name);
        foreach (string value in values) w.WriteStringValue(value);
        w.WriteEndArray();
    }

    /// <summary>The months of a national offer's contract ("Contrat à durée déterminée - 24 Mois" → 24), null when it states none.</summary>
    private static int? ContractMonths(string? label)
    {
        if (label is null) return null;
        int at = label.LastIndexOf(" Mois", StringComparison.OrdinalIgnoreCase);
        if (at <= 0) return null;
        int start = at;
        while (start > 0 && char.IsAsciiDigit(label[start - 1])) start--;
        return start < at && int.TryParse(label.AsSpan(start, at - start), NumberStyles.None, CultureInfo.InvariantCulture, out int months) ? months : null;
    }
}
