using System.Text.Json;
using System.Text.RegularExpressions;
using Alternance.Api.Recruiters;
using Alternance.Api.Security;
using Alternance.Data;

namespace Alternance.Api.Jobs;

/// <summary>An offer as a partner writes it (La bonne alternance's <c>zJobOfferApiWriteV3</c>), checked.</summary>
public sealed partial record JobOfferBody(
    string? PartnerJobId,
    DateTimeOffset? ContractStart, int? ContractDuration, string[] ContractType, string? ContractRemote,
    string Title, string[]? RomeCodes, string Description, int TargetDiplomaLevel,
    string[] DesiredSkills, string[] ToBeAcquiredSkills, string[] AccessConditions,
    DateTimeOffset? Creation, DateTimeOffset? Expiration, int OpeningCount, string? Origin, bool Multicast, string Status,
    string? ApplyEmail, string? ApplyPhone, string? ApplyUrl,
    string Siret, string? WorkplaceName, string? WorkplaceWebsite, string? WorkplaceDescription, string? WorkplaceAddress)
{
    public static readonly string[] ContractTypes = ["Apprentissage", "Professionnalisation"];
    public static readonly string[] RemoteTypes = ["onsite", "remote", "hybrid"];
    /// <summary>v3 statuses, in La bonne alternance's English.</summary>
    public static readonly string[] Statuses = ["Active", "Filled", "Cancelled", "Pending"];
    private static readonly string[] EuropeanLevels = ["3", "4", "5", "6", "7"];
    /// <summary>Dates "in the past" or "in the future" are judged with this much slack for the callers' clocks.</summary>
    private static readonly TimeSpan ClockTolerance = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Reads an offer body: every issue with its zod path (<c>offer.description</c>, <c>apply.url</c>...) and message. When
    /// <paramref name="multiPartner"/>, the body also names <c>partner_label</c> and <c>partner_job_id</c> (the bulk route's
    /// upsert key).
    /// </summary>
    public static (JobOfferBody? Body, string? PartnerLabel, BodyValidator Validator) Read(JsonElement json, DateTimeOffset now, bool multiPartner = false)
    {
        var v = new BodyValidator(json);
        if (!v.RequireObject()) return (null, null, v);
        string? partnerLabel = null, partnerJobId = null;
        if (multiPartner)
        {
            partnerLabel = v.String("partner_label", required: true, min: 1);
            partnerJobId = v.String("partner_job_id", required: true, min: 1);
        }
        else if (v.Object("identifier", required: false) is { } identifier)
        {
            partnerJobId = identifier.String("partner_job_id", required: false, min: 1);
        }

        DateTimeOffset? start = null;
        int? duration = null;
        string[] types = ContractTypes;
        string? remote = null;
        if (v.Object("contract", required: false) is { } contract)
        {
            start = contract.DateTime("start", required: false);
            if (contract.Number("duration", required: false, min: 0) is { } months)
            {
                if (months != Math.Floor(months)) contract.Add("duration", "Expected integer, received float", "invalid_type");
                else duration = (int)months;
            }
            types = contract.EnumArray("type", required: false, ContractTypes) ?? ContractTypes;
            remote = contract.Enum("remote", required: false, RemoteTypes);
        }

        string? title = null, description = null, origin = null;
        string[]? romes = null;
        int level = 0, openings = 1;
        string[] desired = [], acquired = [], conditions = [];
        DateTimeOffset? creation = null, expiration = null;
        bool multicast = true;
        string status = "Active";
        if (v.Object("offer", required: true) is { } offer)
        {
            title = offer.String("title", required: true, min: 3);
            romes = offer.StringArray("rome_codes", required: false, code => RomeCode.HasShape(code) ? null : "Code ROME invalide");
            description = offer.String("description", required: true);
            if (description is not null && description.Length < 30)
            {
                offer.Add("description", "Job description should be at least 30 characters", "too_small");
                description = null;
            }
            if (offer.Object("target_diploma", required: false) is { } diploma
                && diploma.Enum("european", required: false, EuropeanLevels) is { } european)
            {
                level = european[0] - '0';
            }
            desired = offer.StringArray("desired_skills", required: false) ?? [];
            acquired = offer.StringArray("to_be_acquired_skills", required: false) ?? [];
            conditions = offer.StringArray("access_conditions", required: false) ?? [];
            if (offer.Object("publication", required: false) is { } publication)
            {
                creation = publication.DateTime("creation", required: false);
                if (creation > now + ClockTolerance)
                {
                    publication.Add("creation", "Creation date cannot be in the future");
                    creation = null;
                }
                expiration = publication.DateTime("expiration", required: false);
                if (expiration < now - ClockTolerance)
                {
                    publication.Add("expiration", "Expiration date cannot be in the past");
                    expiration = null;
                }
            }
            if (offer.Number("opening_count", required: false, min: 1) is { } count) openings = (int)Math.Min(count, 10_000);
            origin = offer.String("origin", required: false);
            multicast = offer.Boolean("multicast", required: false) ?? true;
            status = offer.Enum("status", required: false, Statuses) ?? "Active";
        }

        string? email = null, phone = null, url = null;
        if (v.Object("apply", required: true) is { } apply)
        {
            email = apply.Email("email", required: false);
            phone = apply.String("phone", required: false, trim: true);
            if (phone is not null && !IsPhone(phone))
            {
                apply.Add("phone", "Invalid Phone Number: please use international format (+XXXX...) or french national format (06XXX...)");
                phone = null;
            }
            url = apply.String("url", required: false);
            if (url is not null && !IsWebUrl(url))
            {
                apply.Add("url", "Invalid url", "invalid_string");
                url = null;
            }
            if (!apply.Has("url") && !apply.Has("email") && !apply.Has("phone"))
            {
                foreach (string key in (string[])["url", "email", "phone"]) apply.Add(key, "At least one of url, email, or phone is required");
            }
        }

        string? siret = null, name = null, website = null, workplaceDescription = null, address = null;
        if (v.Object("workplace", required: true) is { } workplace)
        {
            siret = workplace.String("siret", required: true, trim: true);
            if (siret is not null && !Alternance.Siret.HasShape(siret)) { workplace.Add("siret", "SIRET invalide", "invalid_string"); siret = null; }
            else if (siret is not null && !Alternance.Siret.IsLuhnValid(siret))
            {
                workplace.Add("siret", "Le siret ne respecte pas l'algorithme luhn (https://fr.wikipedia.org/wiki/Formule_de_Luhn)");
                siret = null;
            }
            name = workplace.String("name", required: false);
            website = workplace.String("website", required: false);
            workplaceDescription = workplace.String("description", required: false);
            if (workplace.Object("location", required: false) is { } location) address = location.String("address", required: false);
        }

        if (v.HasIssues) return (null, partnerLabel, v);
        return (new JobOfferBody(partnerJobId, start, duration, types, remote, title!, romes, description!, level, desired, acquired, conditions,
            creation, expiration, openings, origin, multicast, status, email?.ToLowerInvariant(), phone, url, siret!, name, website,
            workplaceDescription, address), partnerLabel, v);
    }

    /// <summary>The v1 job status of a v3 one.</summary>
    public static string JobStatus(string status) => status switch
    {
        "Filled" => "Pourvue",
        "Cancelled" => "Annulée",
        "Pending" => "En attente",
        _ => "Active",
    };

    /// <summary><c>^[A-Z]\d{4}$</c></summary>

    private static bool IsWebUrl(string s) => Uri.TryCreate(s, UriKind.Absolute, out Uri? uri) && uri.Scheme is "http" or "https";


    /// <summary>International (<c>+</c> and 8 to 15 digits) or French national (<c>0</c> and 9 digits), spaces, dots and dashes aside.</summary>
    private static bool IsPhone(string s) => PhonePattern().IsMatch(Regex.Replace(s, @"[\s.\-]", ""));

    [GeneratedRegex(@"^(\+\d{8,15}|0[1-9]\d{8})$")]
    private static partial Regex PhonePattern();
}
