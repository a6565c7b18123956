using System.Text.RegularExpressions;
using Alternance.Api.Mail;
using Alternance.Api.Security;
using Alternance.Search;

namespace Alternance.Api.Applications;

/// <summary>Configuration section <c>Applications</c>.</summary>
public sealed class ApplicationOptions
{
    public const string Section = "Applications";

    /// <summary>Referers that count as this service's own pages (no <c>caller</c> needed), besides <c>Mail:PublicUrl</c>.</summary>
    public string[] LocalReferers { get; set; } = [];

    /// <summary>Extra disposable e-mail domains refused, besides the built-in list.</summary>
    public string[] BurnerDomains { get; set; } = [];
}

/// <summary>
/// <c>POST /api/v1/application</c> (reference §1.10): checks the application, finds the recipient from the target item
/// (the e-mail of the offer's recruiter or of the company: never an address the client sent), enforces the quotas,
/// stores the application, then delivers it to the recipient with the CV attached and acknowledges it to the
/// applicant. The CV is only ever in memory and in the delivered message.
/// </summary>
public sealed partial class ApplicationService(
    IGrainFactory grains,
    SearchEngine engine,
    IMailTransport mail,
    MailComposer composer,
    Microsoft.Extensions.Options.IOptions<ApplicationOptions> options,
    ILogger<ApplicationService> logger,
    IServiceProvider services)
{
    /// <summary>The longest <c>applicant_file_content</c> accepted (≈ 3 MB of file once decoded).</summary>
    public const int MaxFileContentLength = 4_215_276;

    public static readonly string[] CompanyTypes = ["matcha", "lba", "lbb", "offres_emploi_lba", "recruteurs_lba"];

    private static readonly HashSet<string> Burners = new(StringComparer.OrdinalIgnoreCase)
    {
        "yopmail.com", "yopmail.fr", "yopmail.net", "mailinator.com", "guerrillamail.com", "guerrillamail.net", "sharklasers.com",
        "10minutemail.com", "10minutemail.net", "tempmail.com", "temp-mail.org", "trashmail.com", "trashmail.fr", "jetable.org",
        "throwawaymail.com", "getnada.com", "maildrop.cc", "dispostable.com", "fakeinbox.com", "mohmal.com", "mailnesia.com",
        "spamgourmet.com", "mytemp.email", "tempail.com", "emailondeck.com", "mintemail.com", "mailcatch.com", "yopmail.org",
        "cool.fr.nf", "jetable.fr.nf", "nospam.ze.tc", "nomail.xl.cx", "mega.zik.dj", "speed.1s.fr", "courriel.fr.nf",
        "moncourrier.fr.nf", "monemail.fr.nf", "monmail.fr.nf", "discard.email", "tempr.email", "burnermail.io",
    };

    private readonly TimeProvider _clock = services.GetKeyedService<TimeProvider>(WriteClock.Key) ?? TimeProvider.System;

    [GeneratedRegex(@"^(\+33|0033|0)[1-9][0-9]{8}$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"^\+[0-9]{8,15}$")]
    private static partial Regex InternationalPhonePattern();

    [GeneratedRegex(@"\.(docx|pdf)$", RegexOptions.IgnoreCase)]
    private static partial Regex FileNamePattern();

    [GeneratedRegex(@"^[0-9]{14}$")]
    private static partial Regex SiretPattern();

    [GeneratedRegex(@"(https?://|www\.)\S+", RegexOptions.IgnoreCase)]
    private static partial Regex UrlPattern();

    public async Task<IResult> Send(HttpContext context)
    {
        var (document, failure) = await RequestBodies.ReadJsonAsync(context, RequestBodies.ApplicationLimit);
        if (document is null) return failure!;
        byte[] attachment;
        NewApplication application;
        using (document)
        {
            var v = new BodyValidator(document.RootElement);
            if (!v.RequireObject()) return v.ToResult();
            string? email = v.Email("applicant_email", required: true);
            string? firstName = v.String("applicant_first_name", required: true, min: 1, max: 50);
            string? lastName = v.String("applicant_last_name", required: true, min: 1, max: 50);
            string? phoneRaw = v.String("applicant_phone", required: true);
            string? phone = phoneRaw is null ? null : Regex.Replace(phoneRaw, @"[\s.\-]", "");
            if (phone is not null && !PhonePattern().IsMatch(phone))
            {
                v.Add("applicant_phone", "Téléphone invalide", "invalid_string");
            }
            string? fileName = v.String("applicant_file_name", required: true, min: 1);
            if (fileName is not null && !FileNamePattern().IsMatch(fileName))
            {
                v.Add("applicant_file_name", "Invalid", "invalid_string");
            }
            string? fileContent = v.String("applicant_file_content", required: true, max: MaxFileContentLength);
            string? message = v.String("message", required: false);
            string? companyType = v.Enum("company_type", required: true, CompanyTypes);
            string? companySiret = v.String("company_siret", required: false, trim: true);
            if (companySiret is not null && !SiretPattern().IsMatch(companySiret))
            {
                v.Add("company_siret", "SIRET invalide", "invalid_string");
            }
            v.String("company_name", required: false);
            v.String("company_naf", required: false);
            v.String("company_address", required: false);
            string? jobId = v.String("job_id", required: false);
            v.String("job_title", required: false);
            string? caller = v.String("caller", required: false);
            string? searched = v.String("searched_for_job_label", required: false);
            if (v.HasIssues) return v.ToResult();

            application = new NewApplication(
                email!.ToLowerInvariant(), Clean(firstName!), Clean(lastName!), phone!, fileName!, message, companyType!,
                string.IsNullOrEmpty(companySiret) ? null : companySiret, string.IsNullOrEmpty(jobId) ? null : jobId,
                string.IsNullOrWhiteSpace(caller) ? null : caller.Trim(), searched);

            if (application.Caller is null && !IsLocalReferer(context.Request))
            {
                return Boom.ErrorCode("missing_caller");
            }
            if (IsBurner(application.ApplicantEmail))
            {
                return Boom.ErrorCode("email temporaire non autorisé");
            }
            attachment = Decode(fileContent!);
        }

        var (_, error, status) = await Apply(application, attachment, context.RequestAborted);
        if (error is not null) return Boom.ErrorCode(error, status);
        return new JsonBody(StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteString("result", "ok");
            w.WriteString("message", "messages sent");
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// <c>POST /api/v2/application</c> (reference §1.13, La bonne alternance's <c>ZApplicationApiPublic</c>): the applicant,
    /// the CV, and the <c>recipient_id</c> the search answers gave (<c>recruiters_{jobId}</c> for a posted offer,
    /// <c>recruteur_{siret}</c> for a company); the caller is the partner of the API key. The same checks, quotas, storage
    /// and delivery as v1; 202 <c>{"id"}</c>, errors in La bonne alternance's Boom shape.
    /// </summary>
    public async Task<IResult> SendV2(HttpContext context, Partner partner)
    {
        var (document, failure) = await RequestBodies.ReadJsonAsync(context, RequestBodies.ApplicationLimit);
        if (document is null) return failure!;
        byte[] attachment;
        NewApplication application;
        using (document)
        {
            var v = new BodyValidator(document.RootElement);
            if (!v.RequireObject()) return v.ToResult();
            string? email = v.Email("applicant_email", required: true);
            string? firstName = v.String("applicant_first_name", required: true, min: 1, max: 50);
            string? lastName = v.String("applicant_last_name", required: true, min: 1, max: 50);
            string? phoneRaw = v.String("applicant_phone", required: true, trim: true);
            string? phone = phoneRaw is null ? null : Regex.Replace(phoneRaw, @"[\s.\-]", "");
            if (phone is not null && !PhonePattern().IsMatch(phone) && !InternationalPhonePattern().IsMatch(phone))
            {
                v.Add("applicant_phone", "Invalid Phone Number: please use international format (+XXXX...) or french national format (06XXX...)");
            }
            string? fileName = v.String("applicant_attachment_name", required: true, min: 1);
            if (fileName is not null && !FileNamePattern().IsMatch(fileName))
            {
                v.Add("applicant_attachment_name", "Invalid", "invalid_string");
            }
            string? fileContent = v.String("applicant_attachment_content", required: true, max: MaxFileContentLength);
            string? message = v.String("applicant_message", required: false);
            string? recipient = v.String("recipient_id", required: true);
            (string Collection, string Id)? target = null;
            if (recipient is not null)
            {
                target = ParseRecipient(recipient, out string? problem);
                if (problem is not null) v.Add("recipient_id", problem);
            }
            if (v.HasIssues) return v.ToResult();

            bool offer = target!.Value.Collection is "recruiters" or "partners";
            application = new NewApplication(
                email!.ToLowerInvariant(), Clean(firstName!), Clean(lastName!), phone!, fileName!, message,
                offer ? "offres_emploi_lba" : "recruteurs_lba", offer ? null : target.Value.Id, offer ? target.Value.Id : null, partner.Name, null);
            if (IsBurner(application.ApplicantEmail)) return Boom.BadRequest("email temporaire non autorisé");
            attachment = Decode(fileContent!);
        }
        var (id, error, status) = await Apply(application, attachment, context.RequestAborted);
        if (error is not null) return Boom.Result(status, error);
        return new JsonBody(StatusCodes.Status202Accepted, w =>
        {
            w.WriteStartObject();
            w.WriteString("id", id);
            w.WriteEndObject();
        });
    }

    /// <summary><c>{collection}_{id}</c>: <c>recruiters</c> or <c>partners</c> and an ObjectId, or <c>recruteur</c> and a SIRET.</summary>
    private static (string Collection, string Id)? ParseRecipient(string recipient, out string? problem)
    {
        problem = null;
        int separator = recipient.IndexOf('_');
        string collection = separator < 0 ? recipient : recipient[..separator];
        string id = separator < 0 ? "" : recipient[(separator + 1)..];
        switch (collection)
        {
            case "recruiters" or "partners":
                if (!WriteIds.IsObjectId(id)) problem = $"Invalid job identifier: {id}";
                break;
            case "recruteur":
                if (!SiretPattern().IsMatch(id) || !Recruiters.RecruiterService.Luhn(id)) problem = $"Invalid siret identifier: {id}";
                break;
            default:
                problem = $"Invalid collection name: {collection}";
                break;
        }
        return problem is null ? (collection, id) : null;
    }

    /// <summary>
    /// The application, once its body is read: the target and its recipient (from the stored item, never from the
    /// request), the quotas, storage, then delivery. Answers the application's id, or the reference's error code.
    /// </summary>
    private async Task<(string? Id, string? Error, int Status)> Apply(NewApplication application, byte[] attachment, CancellationToken cancellationToken)
    {
        const int Refused = StatusCodes.Status400BadRequest;
        // The target, and from it the recipient.
        bool offer = application.CompanyType is "matcha" or "offres_emploi_lba";
        Target? target;
        string? error;
        (target, error) = offer ? await FindOffer(application.JobId) : await FindCompany(application.CompanySiret);
        if (target is null) return (null, error!, Refused);

        DateTimeOffset now = _clock.GetUtcNow();
        string id = WriteIds.NewObjectId(now);
        DateTimeOffset dayStart = ParisTime.StartOfDay(now);
        DateTimeOffset dayEnd = ParisTime.StartOfDay(dayStart.AddHours(36));
        var mark = new ApplicationMark(id, now, offer ? $"job:{target.JobId}" : $"siret:{target.Siret}", application.Caller?.ToLowerInvariant(), target.Siret);
        IApplicantGrain applicant = grains.GetGrain<IApplicantGrain>(application.ApplicantEmail);
        if (await applicant.TryRecord(mark, dayStart, dayEnd) is { } refused)
        {
            return (null, refused, Refused);
        }
        ISiretApplicationsGrain? perSiret = target.Siret is { } siret ? grains.GetGrain<ISiretApplicationsGrain>(siret) : null;
        if (perSiret is not null && await perSiret.TryRecord(mark, dayStart, dayEnd) is { } quota)
        {
            await applicant.Forget(id);
            return (null, quota, Refused);
        }
        if (attachment.Length == 0)
        {
            await Forget(applicant, perSiret, id);
            return (null, "pièce jointe invalide", Refused);
        }
        if (string.IsNullOrWhiteSpace(target.RecipientEmail) || !BodyValidator.IsEmail(target.RecipientEmail))
        {
            await Forget(applicant, perSiret, id);
            return (null, "email du recruteur manquant", Refused);
        }

        var record = new ApplicationRecord
        {
            Id = id,
            ApplicantEmail = application.ApplicantEmail,
            ApplicantFirstName = application.FirstName,
            ApplicantLastName = application.LastName,
            ApplicantPhone = application.Phone,
            ApplicantAttachmentName = application.FileName,
            ApplicantMessageToCompany = application.Message,
            CompanySiret = target.Siret,
            CompanyEmail = target.RecipientEmail.ToLowerInvariant(),
            CompanyName = target.CompanyName,
            CompanyNaf = target.Naf,
            CompanyAddress = target.Address,
            JobOrigin = offer ? "offres_emploi_lba" : "recruteurs_lba",
            JobTitle = target.JobTitle,
            JobId = target.JobId,
            Caller = application.Caller,
            SearchedForJobLabel = application.SearchedForJobLabel,
            Status = "pending",
            CreatedAt = now,
            LastUpdateAt = now,
        };
        IApplicationGrain stored = grains.GetGrain<IApplicationGrain>(id);
        await stored.Save(record);

        try
        {
            string subject = offer
                ? $"Candidature en alternance - {record.JobTitle}"
                : "Candidature spontanée en alternance" + (string.IsNullOrWhiteSpace(record.SearchedForJobLabel) ? "" : $" - {record.SearchedForJobLabel}");
            string toCompany = await mail.SendAsync(composer.Compose(record.CompanyEmail!, subject, CompanyMessage(record), (record.ApplicantAttachmentName!, attachment), replyTo: record.ApplicantEmail), cancellationToken);
            string toApplicant = await mail.SendAsync(composer.Compose(record.ApplicantEmail, $"Votre candidature chez {record.CompanyName}", ApplicantMessage(record)), cancellationToken);
            await stored.Save(record with { Status = "sent", ToCompanyMessageId = toCompany, ToApplicantMessageId = toApplicant, LastUpdateAt = _clock.GetUtcNow() });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Delivering application {Application} failed", id);
            await stored.Save(record with { Status = "failed", LastUpdateAt = _clock.GetUtcNow() });
            await Forget(applicant, perSiret, id);
            return (null, "error_sending_application", StatusCodes.Status500InternalServerError);
        }
        return (id, null, 0);
    }

    private static async Task Forget(IApplicantGrain applicant, ISiretApplicationsGrain? perSiret, string id)
    {
        await applicant.Forget(id);
        if (perSiret is not null) await perSiret.Forget(id);
    }

    private sealed record NewApplication(
        string ApplicantEmail, string FirstName, string LastName, string Phone, string FileName, string? Message, string CompanyType,
        string? CompanySiret, string? JobId, string? Caller, string? SearchedForJobLabel);

    /// <summary>What an application is sent to: the recipient comes from the stored item, never from the request.</summary>
    private sealed record Target(string? RecipientEmail, string? Siret, string? CompanyName, string? Naf, string? Address, string? JobId, string? JobTitle);

    private async Task<(Target?, string?)> FindOffer(string? jobId)
    {
        if (jobId is null) return (null, "job_id manquant");
        // An offer posted through the API: its recruiter grain is the truth (status included).
        if (WriteIds.IsObjectId(jobId) && await grains.GetGrain<IJobOfferGrain>(jobId).GetEstablishment() is { } establishment
            && await grains.GetGrain<IRecruiterGrain>(establishment).Get() is { } recruiter
            && recruiter.Jobs.FirstOrDefault(j => j.Id == jobId) is { } job)
        {
            if (recruiter.Status != "Actif" || job.Status != "Active" || job.ExpirationDate.ToUnixTimeMilliseconds() <= engine.Now)
            {
                return (null, "offre expirée");
            }
            return (new Target(job.Partner is { } partner ? partner.ApplyEmail : recruiter.Email, recruiter.Siret, recruiter.Enseigne ?? recruiter.RaisonSociale ?? "Enseigne inconnue",
                recruiter.NafLabel, recruiter.Address, job.Id, job.CustomJobTitle ?? job.RomeAppellationLabel ?? job.RomeLabel), null);
        }
        // An offer of the recruiters feed.
        if (await engine.GetAsync(Source.Matcha, jobId, includeExpired: true) is MatchaItem item)
        {
            if (!item.IsActive || OfferDates.IsExpired(item, engine.Now)) return (null, "offre expirée");
            RecruiterInfo r = item.Recruiter;
            return (new Target(item.Partner is { } partner ? partner.ApplyEmail : r.Email, r.Siret, r.Enseigne ?? r.RaisonSociale ?? "Enseigne inconnue", r.NafLabel,
                r.IsDelegated ? null : r.Address, item.Id, item.CustomJobTitle ?? item.RomeAppellationLabel ?? item.RomeLabel), null);
        }
        return (null, "offre manquante");
    }

    private async Task<(Target?, string?)> FindCompany(string? siret)
    {
        if (siret is null) return (null, "company_siret manquant");
        if (await engine.GetAsync(Source.Company, siret) is not CompanyItem company) return (null, "société manquante");
        string street = string.Join(' ', new[] { company.StreetNumber, company.StreetName }.Where(s => !string.IsNullOrWhiteSpace(s)));
        string town = string.Join(' ', new[] { company.ZipCode, company.City }.Where(s => !string.IsNullOrWhiteSpace(s)));
        string address = string.Join(", ", new[] { street, town }.Where(s => s.Length > 0));
        string? name = company.Enseigne ?? company.RaisonSociale;
        return (new Target(company.Email, company.Siret, name, company.NafLabel, address.Length > 0 ? address : null, null, name), null);
    }

    private static List<string> CompanyMessage(ApplicationRecord a)
    {
        var lines = new List<string>
        {
            "Bonjour,",
            $"{a.ApplicantFirstName} {a.ApplicantLastName} vous adresse sa candidature en alternance" +
                (a.JobTitle is { Length: > 0 } t && a.JobId is not null ? $" pour l'offre « {t} »." : "."),
        };
        if (!string.IsNullOrWhiteSpace(a.ApplicantMessageToCompany))
        {
            lines.Add("Son message :");
            lines.Add(a.ApplicantMessageToCompany);
        }
        lines.Add($"Pour lui répondre : {a.ApplicantEmail} — {a.ApplicantPhone}");
        lines.Add($"Son CV est joint à ce message ({a.ApplicantAttachmentName}).");
        lines.Add("La bonne alternance");
        return lines;
    }

    private static List<string> ApplicantMessage(ApplicationRecord a) =>
    [
        $"Bonjour {a.ApplicantFirstName},",
        $"Votre candidature a bien été envoyée à {a.CompanyName}" + (a.JobTitle is { Length: > 0 } t && a.JobId is not null ? $" pour l'offre « {t} »." : "."),
        "Le recruteur vous répondra directement, par e-mail ou par téléphone.",
        "La bonne alternance",
    ];

    private bool IsLocalReferer(HttpRequest request)
    {
        string? referer = request.Headers.Referer;
        if (string.IsNullOrEmpty(referer) || referer.Contains("api-docs", StringComparison.OrdinalIgnoreCase)) return false;
        if (Uri.TryCreate(referer, UriKind.Absolute, out Uri? uri) && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        string publicUrl = composer.PublicUrl;
        if (publicUrl.Length > 0 && referer.StartsWith(publicUrl, StringComparison.OrdinalIgnoreCase)) return true;
        return options.Value.LocalReferers.Any(r => referer.StartsWith(r, StringComparison.OrdinalIgnoreCase));
    }

    private bool IsBurner(string email)
    {
        string domain = email[(email.LastIndexOf('@') + 1)..];
        return Burners.Contains(domain) || options.Value.BurnerDomains.Contains(domain, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The file's bytes from a data URL or plain base64; empty when it is not valid base64.</summary>
    public static byte[] Decode(string content)
    {
        int comma = content.StartsWith("data:", StringComparison.OrdinalIgnoreCase) ? content.IndexOf(',') : -1;
        string base64 = comma >= 0 ? content[(comma + 1)..] : content;
        try
        {
            return Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            return [];
        }
    }

    /// <summary>Names lose any URL (reference: URLs stripped).</summary>
    private static string Clean(string text) => UrlPattern().Replace(text, "").Trim();
}

public static class ApplicationRoutes
{
    public static IServiceCollection AddApplications(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ApplicationOptions>(configuration.GetSection(ApplicationOptions.Section));
        services.AddSingleton<ApplicationService>();
        return services;
    }

    public static IEndpointRouteBuilder MapApplicationRoutes(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/application", (HttpContext c, ApplicationService s) => s.Send(c)).WithTags("V1 - Applications");
        foreach (string path in (string[])["/api/v2/application", "/job/v1/apply"])
        {
            app.MapPost(path, async (HttpContext c, ApplicationService s, ApiKeys keys) =>
                {
                    var (partner, denied) = keys.AuthenticatePartner(c.Request);
                    return partner is null ? denied! : await s.SendV2(c, partner);
                })
                .WithTags("V2 - Applications").WithSummary("Send an application to an offer or a company (v2)")
                .WithDescription("A partner key (the caller). Body: applicant_first_name, applicant_last_name, applicant_email, applicant_phone, "
                    + "applicant_attachment_name (.pdf, .docx), applicant_attachment_content (base64 or data URL, 4,215,276 characters at most), "
                    + "applicant_message, recipient_id (recruiters_{jobId} or recruteur_{siret}, from the search answers). 202 {id}; 400 with "
                    + "the reference's codes (TOO_MANY_APPLICATIONS_PER_DAY, TOO_MANY_APPLICATIONS_PER_OFFER, the SIRET quota, offre expirée...).")
                .Accepts<Docs.ApplicationV2Doc>("application/json").Produces<Docs.OfferIdDoc>(202).Produces<Docs.BoomError>(400);
        }
        return app;
    }
}
