using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Alternance.Api.Mail;
using Alternance.Api.Recruiters;
using Alternance.Api.Security;
using Alternance.Search;

namespace Alternance.Api.Appointments;

/// <summary>
/// Appointment requests to training centres (reference §1.12): the context of a training (may a candidate ask it for an
/// appointment?), the request itself (stored, 4-day duplicate rule, the centre and the candidate notified by mail), and
/// the centre's reply (authorised by the token its notification carries).
/// </summary>
public sealed partial class AppointmentService(
    IGrainFactory grains,
    SearchEngine engine,
    IMailTransport mail,
    MailComposer composer,
    Metiers.CfdIndex catalogue,
    ILogger<AppointmentService> logger,
    IServiceProvider services)
{
    /// <summary>The referrers (lower-case keys) and their names.</summary>
    public static readonly string[] Referrers = ["parcoursup", "lba", "onisep", "jeune_1_solution", "affelnet"];

    public static readonly string[] Reasons =
        ["modalite", "contenu", "porte", "frais", "place", "horaire", "plus", "accompagnement", "lieu", "suivi", "autre", "debouche"];

    public static readonly string[] ApplicantTypes = ["etudiant", "parent"];

    private readonly TimeProvider _clock = services.GetKeyedService<TimeProvider>(WriteClock.Key) ?? TimeProvider.System;

    [GeneratedRegex(@"^(\+33|0033|0)[1-9][0-9]{8}$")]
    private static partial Regex PhonePattern();

    // POST /api/appointment-request/context/create
    public async Task<IResult> Context(HttpContext context)
    {
        var (document, failure) = await RequestBodies.ReadJsonAsync(context, RequestBodies.SmallLimit);
        if (document is null) return failure!;
        using (document)
        {
            JsonElement body = document.RootElement;
            var v = new BodyValidator(body);
            if (!v.RequireObject()) return Boom.BadRequest("Critère de recherche non conforme.");
            string? referrer = v.String("referrer", required: true)?.ToLowerInvariant();
            if (referrer is not null && !Referrers.Contains(referrer))
            {
                v.Add("referrer", BodyValidator.EnumMessage(Referrers, referrer), "invalid_enum_value");
            }
            v.Boolean("trainingHasJob", required: false);
            string? cle = v.Has("idCleMinistereEducatif") ? v.String("idCleMinistereEducatif", required: true, min: 1) : null;
            string? parcoursup = v.Has("idParcoursup") ? v.String("idParcoursup", required: true, min: 1) : null;
            string? action = v.Has("idActionFormation") ? v.String("idActionFormation", required: true, min: 1) : null;
            if (v.HasIssues) return v.ToResult();
            if (cle is null && parcoursup is null && action is null)
            {
                return Boom.BadRequest("Critère de recherche non conforme.");
            }
            FormationItem? training = await FindTraining(cle, parcoursup, action, context.RequestAborted);
            if (training is null)
            {
                return Boom.NotFound("Formation introuvable");
            }
            if (!AcceptsRequests(training))
            {
                return new JsonBody(StatusCodes.Status200OK, w =>
                {
                    w.WriteStartObject();
                    w.WriteString("error", "Prise de rendez-vous non disponible.");
                    w.WriteEndObject();
                });
            }
            string formUrl = $"{composer.PublicUrl}/espace-pro/form?referrer={referrer}&cleMinistereEducatif={Uri.EscapeDataString(training.Id)}";
            return new JsonBody(StatusCodes.Status200OK, w =>
            {
                w.WriteStartObject();
                Nullable(w, "etablissement_formateur_entreprise_raison_sociale", training.FormateurRaisonSociale ?? training.FormateurEnseigne);
                Nullable(w, "intitule_long", training.IntituleLong);
                Nullable(w, "lieu_formation_adresse", training.Adresse);
                Nullable(w, "code_postal", training.CodePostal);
                Nullable(w, "etablissement_formateur_siret", training.FormateurSiret);
                Nullable(w, "cfd", training.Cfd);
                Nullable(w, "localite", training.Localite);
                Nullable(w, "id_rco_formation", training.IdRcoFormation);
                w.WriteString("cle_ministere_educatif", training.Id);
                w.WriteString("form_url", formUrl);
                w.WriteEndObject();
            });
        }
    }

    /// <summary>
    /// The training a context asks about: by catalogue key, else by Parcoursup or ONISEP id (which several trainings may
    /// share: the first, in key order, that takes requests; else the first found). Null when there is none.
    /// </summary>
    private async Task<FormationItem?> FindTraining(string? cle, string? parcoursup, string? onisep, CancellationToken cancellationToken)
    {
        if (cle is not null) return await engine.GetAsync(Source.Formation, cle) as FormationItem;
        string[] keys = parcoursup is not null ? await catalogue.KeysForParcoursupAsync(parcoursup, cancellationToken)
            : onisep is not null ? await catalogue.KeysForOnisepAsync(onisep, cancellationToken)
            : [];
        FormationItem? first = null;
        foreach (string key in keys)
        {
            if (await engine.GetAsync(Source.Formation, key) is not FormationItem training) continue;
            if (AcceptsRequests(training)) return training;
            first ??= training;
        }
        return first;
    }

    private static readonly string[] V2Keys = ["cle_ministere_educatif", "parcoursup_id", "onisep_id"];

    /// <summary>
    /// <c>POST /api/v2/appointment</c> (reference §1.13): one of <c>cle_ministere_educatif</c>, <c>parcoursup_id</c>,
    /// <c>onisep_id</c> → the training's context and <c>form_url</c>, the link to this service's appointment form
    /// (<c>/rdva?cleMinistereEducatif=…&amp;referrer=…</c>; the referrer is named by the id given: <c>parcoursup</c>,
    /// <c>onisep</c>, else <c>lba</c>). 404 when the training is unknown or takes no requests.
    /// </summary>
    public async Task<IResult> ContextV2(HttpContext context)
    {
        var (document, failure) = await RequestBodies.ReadJsonAsync(context, RequestBodies.SmallLimit);
        if (document is null) return failure!;
        string? cle, parcoursup, onisep;
        using (document)
        {
            var v = new BodyValidator(document.RootElement);
            if (!v.RequireObject()) return v.ToResult();
            // One of three strict objects (zod's union): exactly one known key, and no other.
            var keys = document.RootElement.EnumerateObject().Select(p => p.Name).ToList();
            if (keys.Count != 1 || Array.IndexOf(V2Keys, keys[0]) < 0)
            {
                v.Add("", "Invalid input", "invalid_union");
                return v.ToResult();
            }
            cle = v.Present("cle_ministere_educatif") ? v.String("cle_ministere_educatif", required: true, min: 1) : null;
            parcoursup = v.Present("parcoursup_id") ? v.String("parcoursup_id", required: true, min: 1) : null;
            onisep = v.Present("onisep_id") ? v.String("onisep_id", required: true, min: 1) : null;
            if (v.HasIssues) return v.ToResult();
        }
        FormationItem? training = await FindTraining(cle, parcoursup, onisep, context.RequestAborted);
        if (training is null) return Boom.NotFound("Formation introuvable");
        if (!AcceptsRequests(training)) return Boom.NotFound("Appointment request not available");
        string referrer = parcoursup is not null ? "parcoursup" : onisep is not null ? "onisep" : "lba";
        string formUrl = $"{composer.PublicUrl}/rdva?cleMinistereEducatif={Uri.EscapeDataString(training.Id)}&referrer={referrer}";
        return new JsonBody(StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            Nullable(w, "etablissement_formateur_entreprise_raison_sociale", training.FormateurRaisonSociale ?? training.FormateurEnseigne);
            Nullable(w, "intitule_long", training.IntituleLong);
            w.WriteString("lieu_formation_adresse", training.Adresse ?? "");
            w.WriteString("code_postal", training.CodePostal ?? "");
            Nullable(w, "etablissement_formateur_siret", training.FormateurSiret);
            w.WriteString("cfd", training.Cfd ?? "");
            w.WriteString("localite", training.Localite ?? "");
            w.WriteString("cle_ministere_educatif", training.Id);
            w.WriteString("form_url", formUrl);
            w.WriteEndObject();
        });
    }

    /// <summary>A training takes appointment requests when it has a valid contact e-mail (for every referrer).</summary>
    public static bool AcceptsRequests(FormationItem training) =>
        !string.IsNullOrWhiteSpace(training.Email) && BodyValidator.IsEmail(training.Email.Trim());

    // POST /api/appointment-request/validate
    public async Task<IResult> Validate(HttpContext context)
    {
        var (document, failure) = await RequestBodies.ReadJsonAsync(context, RequestBodies.SmallLimit);
        if (document is null) return failure!;
        string firstName, lastName, phone, email, type, cle, origin;
        string? message;
        string[] reasons;
        using (document)
        {
            var v = new BodyValidator(document.RootElement).Expect("applicantReasons", "Array");
            if (!v.RequireObject()) return v.ToResult();
            v.Strict("firstname", "lastname", "phone", "email", "type", "applicantMessageToCfa", "applicantReasons", "cleMinistereEducatif", "appointmentOrigin");
            string? f = v.String("firstname", required: true, min: 1, max: 50);
            string? l = v.String("lastname", required: true, min: 1, max: 50);
            string? p = v.String("phone", required: true);
            string? normalized = p is null ? null : Regex.Replace(p, @"[\s.\-]", "");
            if (normalized is not null && !PhonePattern().IsMatch(normalized))
            {
                v.Add("phone", "Téléphone invalide", "invalid_string");
            }
            string? e = v.Email("email", required: true);
            string? t = v.Enum("type", required: true, ApplicantTypes);
            string? m = v.String("applicantMessageToCfa", required: false);
            string[]? r = v.EnumArray("applicantReasons", required: true, Reasons);
            string? c = v.String("cleMinistereEducatif", required: true, min: 1);
            string? o = v.String("appointmentOrigin", required: true, min: 1);
            if (v.HasIssues) return v.ToResult();
            (firstName, lastName, phone, email, type, message, reasons, cle, origin) = (f!, l!, normalized!, e!.ToLowerInvariant(), t!, m, r!, c!, o!.ToLowerInvariant());
        }

        FormationItem? training = Referrers.Contains(origin) ? await engine.GetAsync(Source.Formation, cle) as FormationItem : null;
        if (training is null)
        {
            return Boom.BadRequest("Formation introuvable.");
        }
        if (!AcceptsRequests(training))
        {
            return Boom.Internal("Le lieu de formation n'a aucun email");
        }

        DateTimeOffset now = _clock.GetUtcNow();
        string appointmentId = WriteIds.NewObjectId(now);
        ICandidateGrain candidates = grains.GetGrain<ICandidateGrain>(email);
        var candidate = new CandidateRecord
        {
            Id = WriteIds.NewObjectId(now),
            Email = email,
            FirstName = firstName,
            LastName = lastName,
            Phone = phone,
            Type = type,
            Role = "candidat",
            LastActionDate = now,
        };
        AppointmentClaim claim = await candidates.TryRequest(candidate, training.Id, appointmentId);
        if (claim.PendingSince is { } since)
        {
            return Boom.BadRequest($"Une demande de prise de RDV en date du {ParisTime.Format(since)} est actuellement en cours de traitement.");
        }

        string cfaToken = NewToken();
        var appointment = new AppointmentRecord
        {
            Id = appointmentId,
            ApplicantId = claim.Candidate.Id,
            ApplicantEmail = email,
            CfaRecipientEmail = training.Email!.Trim(),
            CfaFormateurSiret = training.FormateurSiret,
            ApplicantMessageToCfa = message,
            ApplicantReasons = reasons,
            AppointmentOrigin = origin.ToUpperInvariant(),
            CleMinistereEducatif = training.Id,
            CreatedAt = now,
            LastUpdateAt = now,
            CfaTokenHash = Hash(cfaToken),
        };
        IAppointmentGrain stored = grains.GetGrain<IAppointmentGrain>(appointmentId);
        await stored.Save(appointment);

        try
        {
            string replyUrl = $"{composer.PublicUrl}/espace-pro/appointment/{appointmentId}?token={cfaToken}";
            string toCfa = await mail.SendAsync(composer.Compose(appointment.CfaRecipientEmail,
                $"[La bonne alternance] Demande de rendez-vous pour la formation {training.IntituleLong ?? training.IntituleCourt}",
                CfaMessage(claim.Candidate, appointment, training, replyUrl, cfaToken), replyTo: email), context.RequestAborted);
            string toCandidate = await mail.SendAsync(composer.Compose(email,
                "[La bonne alternance] Votre demande de rendez-vous a bien été envoyée",
                CandidateMessage(claim.Candidate, training)), context.RequestAborted);
            appointment = appointment with
            {
                ToCfaMails = [new MailingRecord("CANDIDAT_APPOINTMENT", toCfa, _clock.GetUtcNow())],
                ToApplicantMails = [new MailingRecord("CANDIDAT_APPOINTMENT", toCandidate, _clock.GetUtcNow())],
                LastUpdateAt = _clock.GetUtcNow(),
            };
            await stored.Save(appointment);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Notifying appointment {Appointment} failed", appointmentId);
            await candidates.Forget(training.Id, appointmentId);
            return Boom.Internal("Une erreur est survenue");
        }

        string userToken = NewToken();
        AppointmentRecord saved = appointment;
        return new JsonBody(StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteString("userId", claim.Candidate.Id);
            w.WritePropertyName("appointment");
            WriteAppointment(w, saved);
            w.WriteString("token", userToken);
            w.WriteEndObject();
        });
    }

    // POST /api/appointment-request/reply
    public async Task<IResult> Reply(HttpContext context)
    {
        string? token = ApiKeys.KeyOf(context.Request);
        if (token is null) return Boom.Unauthorized();
        var (document, failure) = await RequestBodies.ReadJsonAsync(context, RequestBodies.SmallLimit);
        if (document is null) return failure!;
        string appointmentId, intention;
        string? message;
        DateTimeOffset? date;
        using (document)
        {
            var v = new BodyValidator(document.RootElement);
            if (!v.RequireObject()) return v.ToResult();
            v.Strict("appointment_id", "cfa_intention_to_applicant", "cfa_message_to_applicant", "cfa_message_to_applicant_date");
            string? id = v.String("appointment_id", required: true);
            if (id is not null && !WriteIds.IsObjectId(id)) v.Add("appointment_id", "Invalid ObjectId", "custom");
            string? i = v.String("cfa_intention_to_applicant", required: true, min: 1);
            string? m = v.String("cfa_message_to_applicant", required: false);
            DateTimeOffset? d = v.Present("cfa_message_to_applicant_date") ? v.Date("cfa_message_to_applicant_date", required: true) : null;
            if (v.HasIssues) return v.ToResult();
            (appointmentId, intention, message, date) = (id!, i!, m, d);
        }

        IAppointmentGrain stored = grains.GetGrain<IAppointmentGrain>(appointmentId);
        AppointmentRecord? appointment = await stored.Get();
        if (appointment is null) return Boom.NotFound();
        if (appointment.CfaTokenHash is null ||
            !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(appointment.CfaTokenHash), Encoding.ASCII.GetBytes(Hash(token))))
        {
            return Boom.Forbidden();
        }
        DateTimeOffset now = _clock.GetUtcNow();
        DateTimeOffset repliedAt = date ?? now;
        if (intention == "personalised_answer")
        {
            CandidateRecord? candidate = await grains.GetGrain<ICandidateGrain>(appointment.ApplicantEmail).Get();
            var training = await engine.GetAsync(Source.Formation, appointment.CleMinistereEducatif) as FormationItem;
            await mail.SendAsync(composer.Compose(appointment.ApplicantEmail, "[La bonne alternance] Le centre de formation vous répond",
            [
                $"Bonjour {candidate?.FirstName} {candidate?.LastName},",
                $"{training?.FormateurRaisonSociale ?? training?.FormateurEnseigne ?? "Le centre de formation"} répond à votre demande de rendez-vous" +
                    (training?.IntituleLong is { } title ? $" pour la formation « {title} » :" : " :"),
                message ?? "",
                "La bonne alternance",
            ]), context.RequestAborted);
        }
        await stored.Save(appointment with
        {
            CfaIntentionToApplicant = intention,
            CfaMessageToApplicant = message,
            CfaMessageToApplicantDate = repliedAt,
            LastUpdateAt = now,
        });
        return new JsonBody(StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteString("appointment_id", appointmentId);
            w.WriteString("cfa_intention_to_applicant", intention);
            Nullable(w, "cfa_message_to_applicant", message);
            w.WriteString("cfa_message_to_applicant_date", RecruiterJson.Iso(repliedAt));
            w.WriteEndObject();
        });
    }

    public static void WriteAppointment(Utf8JsonWriter w, AppointmentRecord a)
    {
        w.WriteStartObject();
        w.WriteString("_id", a.Id);
        w.WriteString("applicant_id", a.ApplicantId);
        Nullable(w, "cfa_intention_to_applicant", a.CfaIntentionToApplicant);
        Nullable(w, "cfa_message_to_applicant_date", a.CfaMessageToApplicantDate is { } d ? RecruiterJson.Iso(d) : null);
        Nullable(w, "cfa_message_to_applicant", a.CfaMessageToApplicant);
        Nullable(w, "applicant_message_to_cfa", a.ApplicantMessageToCfa);
        w.WritePropertyName("applicant_reasons");
        w.WriteStartArray();
        foreach (string reason in a.ApplicantReasons) w.WriteStringValue(reason);
        w.WriteEndArray();
        w.WriteNull("cfa_gestionnaire_siret");
        Nullable(w, "cfa_formateur_siret", a.CfaFormateurSiret);
        Nullable(w, "appointment_origin", a.AppointmentOrigin);
        w.WriteNull("cfa_read_appointment_details_date");
        Mailings(w, "to_applicant_mails", a.ToApplicantMails);
        Mailings(w, "to_cfa_mails", a.ToCfaMails);
        w.WriteString("cle_ministere_educatif", a.CleMinistereEducatif);
        w.WriteString("created_at", RecruiterJson.Iso(a.CreatedAt));
        w.WriteEndObject();
    }

    private static void Mailings(Utf8JsonWriter w, string name, MailingRecord[] mails)
    {
        w.WritePropertyName(name);
        w.WriteStartArray();
        foreach (MailingRecord m in mails)
        {
            w.WriteStartObject();
            w.WriteString("campaign", m.Campaign);
            w.WriteString("message_id", m.MessageId);
            w.WriteNull("status");
            w.WriteString("email_sent_at", RecruiterJson.Iso(m.SentAt));
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static List<string> CfaMessage(CandidateRecord c, AppointmentRecord a, FormationItem t, string replyUrl, string token) =>
    [
        "Bonjour,",
        $"{c.FirstName} {c.LastName} ({(c.Type == "parent" ? "parent" : "étudiant")}) souhaite prendre rendez-vous avec votre centre pour la formation « {t.IntituleLong ?? t.IntituleCourt} » ({t.Localite}).",
        $"Motifs : {string.Join(", ", a.ApplicantReasons)}",
        string.IsNullOrWhiteSpace(a.ApplicantMessageToCfa) ? "Pas de message." : $"Son message : {a.ApplicantMessageToCfa}",
        $"Pour le joindre : {a.ApplicantEmail} — {c.Phone}",
        $"Pour répondre depuis La bonne alternance : {replyUrl}",
        $"Identifiant de la demande : {a.Id} ; jeton de réponse : {token}",
        "La bonne alternance",
    ];

    private static List<string> CandidateMessage(CandidateRecord c, FormationItem t) =>
    [
        $"Bonjour {c.FirstName},",
        $"Votre demande de rendez-vous pour la formation « {t.IntituleLong ?? t.IntituleCourt} » a bien été envoyée à {t.FormateurRaisonSociale ?? t.FormateurEnseigne ?? "l'établissement"}.",
        "Le centre de formation vous recontactera par e-mail ou par téléphone.",
        "La bonne alternance",
    ];

    private static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static void Nullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) w.WriteNull(name);
        else w.WriteString(name, value);
    }
}

public static class AppointmentRoutes
{
    public static IServiceCollection AddAppointments(this IServiceCollection services)
    {
        services.AddSingleton<AppointmentService>();
        return services;
    }

    public static IEndpointRouteBuilder MapAppointmentRoutes(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder group = app.MapGroup("/api/appointment-request").WithTags("Appointment requests");
        group.MapPost("/context/create", (HttpContext c, AppointmentService s) => s.Context(c));
        group.MapPost("/validate", (HttpContext c, AppointmentService s) => s.Validate(c));
        group.MapPost("/reply", (HttpContext c, AppointmentService s) => s.Reply(c));
        foreach (string path in (string[])["/api/v2/appointment", "/formation/v1/appointment/generate-link"])
        {
            app.MapPost(path, async (HttpContext c, AppointmentService s, ApiKeys keys) =>
                {
                    var (partner, denied) = keys.AuthenticatePartner(c.Request);
                    return partner is null ? denied! : await s.ContextV2(c);
                })
                .WithTags("V2 - Appointments").WithSummary("Link to the appointment form of a training (v2)")
                .WithDescription("A partner key. Body: exactly one of cle_ministere_educatif, parcoursup_id, onisep_id. 200 the training's context "
                    + "and form_url (/rdva?cleMinistereEducatif=…&referrer=…); 404 Formation introuvable, or Appointment request not available "
                    + "when the training takes no requests; 400 Invalid input.")
                .Accepts<Docs.AppointmentV2Doc>("application/json").Produces<Docs.AppointmentLinkV2Doc>(200)
                .Produces<Docs.BoomError>(404).Produces<Docs.BoomError>(400);
        }
        return app;
    }
}
