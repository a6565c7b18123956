using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Alternance.Api.Json;
using Alternance.Api.Security;
using Alternance.Data;
using Alternance.Geo;
using Alternance.Search;
using Microsoft.Extensions.Options;

namespace Alternance.Api.Recruiters;

/// <summary>
/// The offer routes of the reference (§1.11): partners create establishments and post, update, close and extend offers
/// with their API key. The recruiter grain stores every change before it answers, and publishes the active offers to
/// the search cells; this node then refreshes its directory copy so that its own searches see them at once (other
/// nodes within a directory poll).
/// </summary>
public sealed partial class RecruiterService(
    IGrainFactory grains,
    ApiKeys keys,
    SearchEngine engine,
    DirectoryCache directory,
    ReferenceData reference,
    IContactProtector protector,
    IServiceProvider services)
{
    public static readonly string[] JobLevels =
    [
        "Indifférent",
        "Cap, autres formations niveau (Infrabac)",
        "BP, Bac, autres formations niveau (Bac)",
        "BTS, DEUST, autres formations niveau (Bac+2)",
        "Licence, autres formations niveau (Bac+3)",
        "Master, titre ingénieur, autres formations niveau (Bac+5)",
    ];

    public static readonly string[] JobTypes = ["Apprentissage", "Professionnalisation"];

    public static readonly string[] JobRythms =
    [
        "Indifférent",
        "1 jour / 4 jours",
        "2 jours / 3 jours",
        "1 semaine / 1 semaine",
        "2 semaines / 3 semaines",
        "6 semaines / 6 semaines",
    ];

    private static readonly string[] EstablishmentFields =
    [
        "establishment_siret", "first_name", "last_name", "phone", "email", "idcc", "origin",
        // Extensions (no SIRENE here): where the establishment is when the companies feed does not know its SIRET.
        "geo_coordinates", "address", "city", "establishment_raison_sociale", "establishment_enseigne",
    ];

    /// <summary>The recruiter widget's body: no origin (its page's) and no position (the companies feed's).</summary>
    private static readonly string[] WidgetEstablishmentFields = ["establishment_siret", "first_name", "last_name", "phone", "email", "idcc"];

    private static readonly string[] JobCreateFields =
    [
        "job_level_label", "job_duration", "job_type", "job_count", "job_rythm", "job_employer_description", "job_description",
        "is_disabled_elligible", "custom_address", "custom_geo_coordinates", "custom_job_title", "job_start_date", "appellation_code",
    ];

    private static readonly string[] JobPatchFields =
    [
        "job_level_label", "job_duration", "job_type", "is_disabled_elligible", "job_count", "job_rythm", "job_employer_description",
        "job_description", "custom_address", "custom_geo_coordinates", "job_start_date",
    ];

    private readonly TimeProvider _clock = services.GetKeyedService<TimeProvider>(WriteClock.Key) ?? TimeProvider.System;

    [GeneratedRegex(@"^[0-9]{14}$")]
    private static partial Regex SiretPattern();

    [GeneratedRegex(@"^0[1-9]\d{8}$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"^[0-9]+$")]
    private static partial Regex DigitsPattern();

    // POST /api/v1/jobs/establishment
    public async Task<IResult> CreateEstablishment(HttpContext context)
    {
        var (partner, denied) = keys.AuthenticatePartner(context.Request);
        if (partner is null) return denied!;
        return (await CreateEstablishment(context, partner, widgetOrigin: null)).Answer;
    }

    /// <summary>
    /// Creates an establishment for <paramref name="partner"/>: the partner route, or the recruiter widget
    /// (<paramref name="widgetOrigin"/> set: the origin is its page's, and the establishment is where the companies feed
    /// puts its SIRET, so the body's extension fields are refused).
    /// </summary>
    public async Task<(IResult Answer, RecruiterRecord? Created)> CreateEstablishment(HttpContext context, Partner partner, string? widgetOrigin)
    {
        var (document, failure) = await RequestBodies.ReadJsonAsync(context, RequestBodies.SmallLimit);
        if (document is null) return (failure!, null);
        using (document)
        {
            var v = new BodyValidator(document.RootElement);
            if (!v.RequireObject()) return (v.ToResult(), null);
            v.Strict(widgetOrigin is null ? EstablishmentFields : WidgetEstablishmentFields);
            string? siret = v.String("establishment_siret", required: true, trim: true);
            if (siret is not null)
            {
                if (!SiretPattern().IsMatch(siret)) { v.Add("establishment_siret", "SIRET invalide", "invalid_string"); siret = null; }
                else if (!Luhn(siret)) { v.Add("establishment_siret", "Le siret ne respecte pas l'algorithme luhn"); siret = null; }
            }
            string? firstName = v.String("first_name", required: true);
            string? lastName = v.String("last_name", required: true);
            string? phone = v.Matching("phone", required: false, PhonePattern(), trim: true);
            string? email = v.Email("email", required: true);
            string? idcc = v.String("idcc", required: false);
            string? origin = widgetOrigin ?? v.String("origin", required: false);
            string? geo = v.String("geo_coordinates", required: false);
            (double Lat, double Lon)? position = null;
            if (geo is not null)
            {
                position = ParseLatLon(geo);
                if (position is null) v.Add("geo_coordinates", "geo_coordinates doit être au format \"latitude,longitude\"");
            }
            string? address = v.String("address", required: false);
            string? city = v.String("city", required: false);
            string? raison = v.String("establishment_raison_sociale", required: false);
            string? enseigne = v.String("establishment_enseigne", required: false);
            if (v.HasIssues) return (v.ToResult(), null);

            IEstablishmentKeyGrain key = grains.GetGrain<IEstablishmentKeyGrain>($"{partner.Name}/{siret}");
            if (await key.Get() is { } holder && await grains.GetGrain<IRecruiterGrain>(holder).Get() is not null)
            {
                return (Boom.BusinessError("Un compte est déjà associé à ce couple email/siret."), null);
            }

            // Where the establishment is: given by the partner, else the companies feed (the service has no SIRENE access).
            var company = await engine.GetAsync(Source.Company, siret!) as CompanyItem;
            if (position is null && company is not null) position = (company.Latitude, company.Longitude);
            if (position is not { } at)
            {
                return (Boom.BusinessError("Le numéro siret est invalide."), null);
            }
            if (company?.NafCode is { } naf && naf.StartsWith("85", StringComparison.Ordinal))
            {
                return (Boom.BusinessError("Le numéro siret n'est pas référencé comme une entreprise."), null);
            }

            DateTimeOffset now = _clock.GetUtcNow();
            string establishmentId = Guid.NewGuid().ToString();
            string claimed = await key.Claim(establishmentId);
            if (claimed != establishmentId)
            {
                // The key is held: by a live establishment (refused), or by a creation that failed half-way (reused).
                if (await grains.GetGrain<IRecruiterGrain>(claimed).Get() is not null)
                {
                    return (Boom.BusinessError("Un compte est déjà associé à ce couple email/siret."), null);
                }
                establishmentId = claimed;
            }
            var record = new RecruiterRecord
            {
                DocumentId = WriteIds.NewObjectId(now),
                EstablishmentId = establishmentId,
                Partner = partner.Name,
                Siret = siret!,
                RaisonSociale = raison ?? company?.RaisonSociale,
                Enseigne = enseigne ?? company?.Enseigne,
                Address = address ?? CompanyAddress(company),
                City = city ?? company?.City,
                ZipCode = address is not null ? PostalCodes.FromAddress(address) : company?.ZipCode,
                Latitude = at.Lat,
                Longitude = at.Lon,
                Cell = CellOf(at.Lat, at.Lon),
                FirstName = firstName,
                LastName = lastName,
                Phone = phone,
                Email = email!.ToLowerInvariant(),
                Origin = string.IsNullOrEmpty(origin) ? partner.Name : $"{partner.Name}-{origin}",
                Opco = partner.Opco ?? company?.OpcoShortName ?? company?.Opco,
                OpcoUrl = company?.OpcoUrl,
                Idcc = idcc,
                NafCode = company?.NafCode,
                NafLabel = company?.NafLabel,
                EstablishmentSize = company?.CompanySize,
                Status = "Actif",
                CreatedAt = now,
                UpdatedAt = now,
            };
            RecruiterRecord created = await grains.GetGrain<IRecruiterGrain>(establishmentId).Create(record);
            return (Recruiter(created, StatusCodes.Status201Created), created);
        }
    }

    // POST /api/v1/jobs/{establishmentId}
    public async Task<IResult> CreateJob(HttpContext context, string establishmentId)
    {
        var (partner, denied) = keys.AuthenticatePartner(context.Request);
        if (partner is null) return denied!;
        return await CreateJob(context, establishmentId, partner.Name);
    }

    /// <summary>Posts an offer to an establishment that <paramref name="owner"/> (a partner's name) manages.</summary>
    public async Task<IResult> CreateJob(HttpContext context, string establishmentId, string owner)
    {
        var (document, failure) = await RequestBodies.ReadJsonAsync(context, RequestBodies.SmallLimit);
        if (document is null) return failure!;
        using (document)
        {
            var v = new BodyValidator(document.RootElement).Expect("job_type", "Array");
            if (!v.RequireObject()) return v.ToResult();
            v.Strict(JobCreateFields);
            DateTimeOffset now = _clock.GetUtcNow();
            JobFields fields = ReadJobFields(v, now, creating: true);
            string? appellationCode = v.Matching("appellation_code", required: true, DigitsPattern(), "appelation code ne doit contenir que des chiffres");
            if ((fields.CustomAddress is null) != (fields.CustomGeo is null))
            {
                v.Add("", "custom_geo_coordinates est obligatoire si custom_address est passé en paramètre");
            }
            if (v.HasIssues) return v.ToResult();

            IRecruiterGrain grain = grains.GetGrain<IRecruiterGrain>(establishmentId);
            TimeSpan window = services.GetRequiredService<IOptions<SearchOptions>>().Value.CellTimeout;
            RecruiterRecord? recruiter = Guid.TryParse(establishmentId, out _)
                ? await Redelivery.RunAsync(grain.Get, window, context.RequestAborted)
                : null;
            if (recruiter is null)
            {
                return Boom.BusinessError("Establishment does not exist");
            }
            if (recruiter.Partner != owner)
            {
                return Boom.Forbidden("Accès non autorisé");
            }
            RomeAppellation? appellation = reference.FindAppellation(appellationCode);
            if (appellation is null)
            {
                return Boom.BusinessError("ROME Code details could not be retrieved");
            }
            (double lat, double lon) = fields.Position ?? (recruiter.Latitude, recruiter.Longitude);
            var job = new JobRecord
            {
                Id = WriteIds.NewObjectId(now),
                RomeLabel = reference.FindRome(appellation.RomeCode)?.Label,
                RomeAppellationLabel = appellation.Label,
                RomeCodes = [appellation.RomeCode],
                JobLevelLabel = fields.Level,
                JobStartDate = fields.StartDate!.Value,
                JobDescription = fields.Description,
                JobEmployerDescription = fields.EmployerDescription,
                CreationDate = now,
                ExpirationDate = ParisTime.AddExpirationPeriod(now),
                Status = "Active",
                JobType = fields.Types ?? [],
                IsMultiPublished = true,
                IsDisabledElligible = fields.DisabledElligible ?? false,
                JobCount = fields.Count ?? 1,
                JobDuration = fields.Duration,
                JobRythm = fields.Rythm,
                CustomAddress = fields.CustomAddress,
                CustomGeoCoordinates = fields.CustomGeo,
                CustomJobTitle = fields.CustomTitle,
                Latitude = lat,
                Longitude = lon,
                Cell = CellOf(lat, lon),
            };
            // The job carries its id: the grain adds it once however often it is sent, so a call lost with a silo is sent again.
            RecruiterWriteResult result = await Redelivery.RunAsync(() => grain.AddJob(job), window, context.RequestAborted);
            if (result.Recruiter is null) return Boom.BusinessError(result.Error!);
            await directory.RefreshAsync();
            return Recruiter(result.Recruiter, StatusCodes.Status201Created);
        }
    }

    // PATCH /api/v1/jobs/{jobId}
    public async Task<IResult> PatchJob(HttpContext context, string jobId)
    {
        var (partner, denied) = keys.AuthenticatePartner(context.Request);
        if (partner is null) return denied!;
        var (document, failure) = await RequestBodies.ReadJsonAsync(context, RequestBodies.SmallLimit);
        if (document is null) return failure!;
        using (document)
        {
            var v = new BodyValidator(document.RootElement);
            if (!v.RequireObject()) return v.ToResult();
            v.Strict(JobPatchFields);
            JobFields fields = ReadJobFields(v, _clock.GetUtcNow(), creating: false);
            if (v.HasIssues) return v.ToResult();

            var (grain, owned) = await FindJob(jobId, partner);
            if (owned is not null) return owned;
            var patch = new JobPatch
            {
                JobLevelLabel = fields.Level,
                JobDuration = fields.Duration,
                JobType = fields.Types,
                IsDisabledElligible = fields.DisabledElligible,
                JobCount = fields.Count,
                JobRythm = fields.Rythm,
                JobEmployerDescription = fields.EmployerDescription,
                JobDescription = fields.Description,
                CustomAddress = fields.CustomAddress,
                CustomGeoCoordinates = fields.CustomGeo,
                JobStartDate = fields.StartDate,
                Latitude = fields.Position?.Lat,
                Longitude = fields.Position?.Lon,
                Cell = fields.Position is { } p ? CellOf(p.Lat, p.Lon) : null,
            };
            RecruiterWriteResult result = await grain!.PatchJob(jobId, patch);
            if (result.Recruiter is null) return Boom.BusinessError(result.Error!);
            await directory.RefreshAsync();
            return Recruiter(result.Recruiter, StatusCodes.Status200OK);
        }
    }

    // POST /api/v1/jobs/{provided|canceled|extend}/{jobId}
    public async Task<IResult> Lifecycle(HttpContext context, string jobId, JobAction action)
    {
        var (partner, denied) = keys.AuthenticatePartner(context.Request);
        if (partner is null) return denied!;
        var (grain, owned) = await FindJob(jobId, partner);
        if (owned is not null) return owned;
        RecruiterWriteResult result = await grain!.Apply(jobId, action);
        if (result.Recruiter is null) return Boom.BusinessError(result.Error!);
        await directory.RefreshAsync();
        return Results.NoContent();
    }

    /// <summary>The recruiter grain of a posted job, or the answer when there is none or it is another partner's.</summary>
    private async Task<(IRecruiterGrain? Grain, IResult? Failure)> FindJob(string jobId, Partner partner)
    {
        string? establishmentId = WriteIds.IsObjectId(jobId) ? await grains.GetGrain<IJobOfferGrain>(jobId).GetEstablishment() : null;
        if (establishmentId is null)
        {
            return (null, Boom.BusinessError("Job does not exists"));
        }
        IRecruiterGrain grain = grains.GetGrain<IRecruiterGrain>(establishmentId);
        RecruiterRecord? recruiter = await grain.Get();
        if (recruiter is null || recruiter.Jobs.All(j => j.Id != jobId))
        {
            return (null, Boom.BusinessError("Job does not exists"));
        }
        if (recruiter.Partner != partner.Name)
        {
            return (null, Boom.Forbidden("Accès non autorisé"));
        }
        return (grain, null);
    }

    private sealed record JobFields(
        string? Level, int? Duration, string[]? Types, int? Count, string? Rythm, string? EmployerDescription, string? Description,
        bool? DisabledElligible, string? CustomAddress, string? CustomGeo, (double Lat, double Lon)? Position, string? CustomTitle,
        DateTimeOffset? StartDate);

    /// <summary>The job fields shared by creation and update, with the reference's rules.</summary>
    private static JobFields ReadJobFields(BodyValidator v, DateTimeOffset now, bool creating)
    {
        string? level = v.Enum("job_level_label", required: false, JobLevels);
        double? duration = v.Number("job_duration", required: false, min: 6, max: 36);
        string[]? types = v.EnumArray("job_type", required: creating, JobTypes);
        double? count = v.Number("job_count", required: false);
        string? rythm = v.Enum("job_rythm", required: false, JobRythms);
        string? employer = v.String("job_employer_description", required: false);
        string? description = v.String("job_description", required: false);
        bool? disabled = v.Boolean("is_disabled_elligible", required: false);
        string? customAddress = v.String("custom_address", required: false);
        string? customGeo = v.String("custom_geo_coordinates", required: false);
        string? customTitle = creating ? v.String("custom_job_title", required: false) : null;
        (double Lat, double Lon)? position = null;
        if (customGeo is not null)
        {
            position = ParseLatLon(customGeo);
            if (position is null)
            {
                v.Add("custom_geo_coordinates", "custom_geo_coordinates doit être au format \"latitude,longitude\"");
            }
        }
        DateTimeOffset? start = creating || v.Present("job_start_date") ? v.Date("job_start_date", required: true) : null;
        if (start is { } s && s < ParisTime.StartOfDay(now))
        {
            // The day changes at midnight, Paris time.
            v.Add("job_start_date", "job_start_date must be greater or equal to today's date");
        }
        // An empty description is "not given" (the reference tests its truthiness).
        if (!string.IsNullOrEmpty(description) && description.Length < 30)
        {
            v.Add("", "job_description doit avoir un minimum de 30 caractères");
        }
        if (!string.IsNullOrEmpty(employer) && employer.Length < 30)
        {
            v.Add("", "job_employer_description doit avoir un minimum de 30 caractères");
        }
        return new JobFields(level, duration is { } d ? (int)Math.Round(d) : null, types, count is { } c ? (int)c : null, rythm, employer,
            description, disabled, customAddress, customGeo, position, customTitle, start);
    }

    private IResult Recruiter(RecruiterRecord recruiter, int status) =>
        new JsonBody(status, w => RecruiterJson.Write(w, recruiter, protector));

    public static long CellOf(double latitude, double longitude) => (long)H3.LatLngToCell(latitude, longitude, CellKeys.Resolution);

    public static (double Lat, double Lon)? ParseLatLon(string text)
    {
        string[] parts = text.Split(',');
        if (parts.Length != 2) return null;
        if (!double.TryParse(parts[0].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double lat)) return null;
        if (!double.TryParse(parts[1].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double lon)) return null;
        if (lat is < -90 or > 90 || lon is < -180 or > 180 || double.IsNaN(lat) || double.IsNaN(lon)) return null;
        return (lat, lon);
    }

    internal static string? CompanyAddress(CompanyItem? c)
    {
        if (c is null) return null;
        string street = string.Join(' ', new[] { c.StreetNumber, c.StreetName }.Where(s => !string.IsNullOrWhiteSpace(s)));
        string town = string.Join(' ', new[] { c.ZipCode, c.City }.Where(s => !string.IsNullOrWhiteSpace(s)));
        string full = string.Join(", ", new[] { street, town }.Where(s => s.Length > 0));
        return full.Length > 0 ? full : null;
    }

    /// <summary>The Luhn check every SIRET passes (the reference's <c>luhn.validate</c>).</summary>
    public static bool Luhn(string digits)
    {
        int sum = 0;
        bool twice = false;
        for (int i = digits.Length - 1; i >= 0; i--)
        {
            int d = digits[i] - '0';
            if (twice)
            {
                d *= 2;
                if (d > 9) d -= 9;
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }
}
