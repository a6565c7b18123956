using System.Net;
using System.Text;
using System.Text.Json;
using MimeKit;

namespace Alternance.Api.Writes.Tests;

/// <summary>
/// <c>POST /api/v2/application</c> (a <c>recipient_id</c> from the search answers; the v1 quotas, kept by the same
/// grains) and <c>POST /api/v2/appointment</c> (a link to the appointment form from any of a training's three ids).
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class ApiV2Tests(SharedHostFixture fixture)
{
    private WriteHost Host => fixture.Host;

    private static byte[] Cv() => Encoding.ASCII.GetBytes($"%PDF-1.4\n% v2 {Guid.NewGuid():N}\n%%EOF\n");

    private static Dictionary<string, object?> Application(string applicant, string recipient, byte[] cv) => new()
    {
        ["applicant_first_name"] = "Inès",
        ["applicant_last_name"] = "Moreau",
        ["applicant_email"] = applicant,
        ["applicant_phone"] = "+33611223344",
        ["applicant_attachment_name"] = "cv.pdf",
        ["applicant_attachment_content"] = Convert.ToBase64String(cv),
        ["applicant_message"] = "Bonjour, votre offre m'intéresse.",
        ["recipient_id"] = recipient,
    };

    private static async Task<(HttpStatusCode Status, JsonElement Body)> Post(HttpClient client, string path, object body)
    {
        using HttpResponseMessage response = await client.PostAsync(path, Http.Json(body));
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>An offer posted through v1, and the recipient id its v3 rendering names.</summary>
    private async Task<(string JobId, string RecipientId, string RecruiterEmail)> PostedOffer()
    {
        using HttpClient alpha = Host.Partner();
        string email = $"rh-v2-{Guid.NewGuid():N}@entreprise.example";
        string establishment = (await Offers.CreateEstablishment(alpha, Offers.EstablishmentBody(email: email))).GetProperty("establishment_id").GetString()!;
        string jobId = await Offers.CreateJob(alpha, establishment, Offers.JobBody(fixture.Clock.GetUtcNow()));
        using HttpResponseMessage offer = await alpha.GetAsync($"/api/v3/jobs/{jobId}");
        Assert.Equal(HttpStatusCode.OK, offer.StatusCode);
        string recipient = (await offer.ReadJson()).GetProperty("apply").GetProperty("recipient_id").GetString()!;
        return (jobId, recipient, email);
    }

    [Theory]
    [InlineData("/api/v2/application")]
    [InlineData("/job/v1/apply")]
    [InlineData("/api/v2/appointment")]
    [InlineData("/formation/v1/appointment/generate-link")]
    public async Task Keys_missing_401_wrong_403(string path)
    {
        using HttpClient anonymous = Host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await Post(anonymous, path, new { })).Status);
        using HttpClient wrong = Host.Partner("not-a-key");
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(wrong, path, new { })).Status);
    }

    [Fact]
    public async Task An_application_to_an_offer_goes_to_its_recruiter_with_the_cv_and_answers_its_id()
    {
        var (jobId, recipient, recruiterEmail) = await PostedOffer();
        Assert.Equal("recruiters_" + jobId, recipient);
        byte[] cv = Cv();
        string applicant = $"v2-{Guid.NewGuid():N}@example.org";
        using HttpClient alpha = Host.Partner();
        var (status, body) = await Post(alpha, "/api/v2/application", Application(applicant, recipient, cv));
        Assert.True(status == HttpStatusCode.Accepted, body.ToString());
        string id = body.GetProperty("id").GetString()!;

        MimeMessage message = Assert.Single(Mails.To(Host.MailFolder, recruiterEmail));
        Assert.StartsWith("Candidature en alternance - ", message.Subject);
        Assert.Equal(cv, Mails.AttachmentBytes(message.Attachments.Single()));
        Assert.Equal(applicant, message.ReplyTo.Mailboxes.Single().Address);
        ApplicationRecord? stored = await Host.Grains.GetGrain<IApplicationGrain>(id).Get();
        Assert.NotNull(stored);
        Assert.Equal(("sent", jobId, "alpha"), (stored.Status, stored.JobId, stored.Caller));
    }

    [Fact]
    public async Task A_spontaneous_application_goes_to_the_company_a_v3_search_names()
    {
        CompanyItem company = (await Host.Engine.ListAsync<CompanyItem>(Source.Company, 2000)).First(c => !string.IsNullOrEmpty(c.Email));
        string url = FormattableString.Invariant($"/api/v3/jobs/search?romes={company.RomeCodes[0]}&latitude={company.Latitude}&longitude={company.Longitude}&radius=0");
        using HttpClient alpha = Host.Partner();
        using HttpResponseMessage search = await alpha.GetAsync(url);
        JsonElement recruiter = (await search.ReadJson()).GetProperty("recruiters").EnumerateArray()
            .First(r => r.GetProperty("identifier").GetProperty("id").GetString() == company.Siret);
        string recipient = recruiter.GetProperty("apply").GetProperty("recipient_id").GetString()!;
        Assert.Equal("recruteur_" + company.Siret, recipient);
        string applicant = $"v2-spontane-{Guid.NewGuid():N}@example.org";
        var (status, body) = await Post(alpha, "/job/v1/apply", Application(applicant, recipient, Cv()));
        Assert.True(status == HttpStatusCode.Accepted, body.ToString());
        MimeMessage message = Assert.Single(Mails.To(Host.MailFolder, company.Email!), m => m.ReplyTo.Mailboxes.Any(r => r.Address == applicant));
        Assert.Equal("Candidature spontanée en alternance", message.Subject);
    }

    public static TheoryData<string, string> BadApplications => new()
    {
        { """{"recipient_id":"lba_123"}""", "body.recipient_id: Invalid collection name: lba" },
        { """{"recipient_id":"recruiters_nope"}""", "body.recipient_id: Invalid job identifier: nope" },
        { """{"recipient_id":"recruteur_12345678901234"}""", "body.recipient_id: Invalid siret identifier: 12345678901234" },
        { """{"applicant_email":"nope"}""", "body.applicant_email: Invalid email" },
        { """{"applicant_first_name":null}""", "body.applicant_first_name: String attendu" },
        { """{"applicant_attachment_name":"cv.exe"}""", "body.applicant_attachment_name: Invalid" },
        { """{"applicant_phone":"12"}""", "body.applicant_phone: Invalid Phone Number: please use international format (+XXXX...) or french national format (06XXX...)" },
    };

    [Theory]
    [MemberData(nameof(BadApplications))]
    public async Task A_bad_application_answers_400_with_its_issue(string overrides, string message)
    {
        Dictionary<string, object?> body = Application("v2-bad@example.org", "recruiters_0123456789abcdef01234567", Cv());
        foreach (var (key, value) in JsonDocument.Parse(overrides).RootElement.EnumerateObject().Select(p => (p.Name, p.Value.Clone())))
        {
            body[key] = value.ValueKind == JsonValueKind.Null ? null : value.GetString();
        }
        using HttpClient alpha = Host.Partner();
        var (status, answer) = await Post(alpha, "/api/v2/application", body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(message, answer.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Quotas_are_shared_with_v1_and_counted_per_caller()
    {
        var (jobId, recipient, _) = await PostedOffer();
        using HttpClient alpha = Host.Partner();
        using HttpClient beta = Host.Partner(WriteHost.BetaKey);
        using HttpClient web = Host.CreateClient();
        // Three per applicant and offer, whichever route sent them.
        string applicant = $"v2-three-{Guid.NewGuid():N}@example.org";
        for (int i = 0; i < 2; i++)
        {
            using HttpResponseMessage v1 = await web.PostAsync("/api/v1/application", Http.Json(new
            {
                applicant_email = applicant, applicant_first_name = "Inès", applicant_last_name = "Moreau", applicant_phone = "0611223344",
                applicant_file_name = "cv.pdf", applicant_file_content = Convert.ToBase64String(Cv()), company_type = "matcha", job_id = jobId, caller = "web",
            }));
            Assert.Equal(HttpStatusCode.OK, v1.StatusCode);
        }
        Assert.Equal(HttpStatusCode.Accepted, (await Post(alpha, "/api/v2/application", Application(applicant, recipient, Cv()))).Status);
        var (status, refused) = await Post(alpha, "/api/v2/application", Application(applicant, recipient, Cv()));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("TOO_MANY_APPLICATIONS_PER_OFFER", refused.GetProperty("message").GetString());

        // Twenty a day per caller (the key's partner) and SIRET: alpha has sent one; 19 more, then refused; beta still may.
        for (int i = 0; i < 19; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await Post(alpha, "/api/v2/application", Application($"v2-q{i}-{Guid.NewGuid():N}@example.org", recipient, Cv()))).Status);
        }
        (status, refused) = await Post(alpha, "/api/v2/application", Application($"v2-q20-{Guid.NewGuid():N}@example.org", recipient, Cv()));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Vous avez atteint le quota maximum de candidatures pour ce SIRET", refused.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.Accepted, (await Post(beta, "/api/v2/application", Application($"v2-beta-{Guid.NewGuid():N}@example.org", recipient, Cv()))).Status);
    }

    [Fact]
    public async Task An_application_to_a_missing_or_closed_target_is_refused_with_the_reference_code()
    {
        using HttpClient alpha = Host.Partner();
        var (status, body) = await Post(alpha, "/api/v2/application", Application("v2-missing@example.org", "recruiters_0123456789abcdef01234567", Cv()));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("offre manquante", body.GetProperty("message").GetString());
        (status, body) = await Post(alpha, "/api/v2/application", Application("v2-missing@example.org", "recruteur_" + Offers.NewSiret(), Cv()));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("société manquante", body.GetProperty("message").GetString());

        var (jobId, recipient, _) = await PostedOffer();
        using HttpResponseMessage canceled = await alpha.PostAsync($"/api/v1/jobs/canceled/{jobId}", null);
        Assert.Equal(HttpStatusCode.NoContent, canceled.StatusCode);
        (status, body) = await Post(alpha, "/api/v2/application", Application("v2-closed@example.org", recipient, Cv()));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("offre expirée", body.GetProperty("message").GetString());
    }

    // ------------------------------------------------------------------ appointments

    [Fact]
    public async Task An_appointment_link_from_any_of_a_trainings_ids()
    {
        List<FormationItem> all = await Host.Engine.ListAsync<FormationItem>(Source.Formation, 3000);
        bool Takes(FormationItem f) => !string.IsNullOrEmpty(f.Email);
        FormationItem byKey = all.First(Takes);
        using HttpClient alpha = Host.Partner();
        var (status, body) = await Post(alpha, "/api/v2/appointment", new { cle_ministere_educatif = byKey.Id });
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Equal($"http://alternance.test/rdva?cleMinistereEducatif={Uri.EscapeDataString(byKey.Id)}&referrer=lba", body.GetProperty("form_url").GetString());
        Assert.Equal(byKey.Id, body.GetProperty("cle_ministere_educatif").GetString());
        Assert.Equal(byKey.IntituleLong, body.GetProperty("intitule_long").GetString());
        Assert.Equal(byKey.FormateurSiret, body.GetProperty("etablissement_formateur_siret").GetString());

        // Parcoursup's and ONISEP's ids: the first training, in key order, that takes requests.
        var byParcoursup = all.Where(f => f.ParcoursupId is not null).GroupBy(f => f.ParcoursupId!)
            .Select(g => (Id: g.Key, Training: g.OrderBy(f => f.Id, StringComparer.Ordinal).FirstOrDefault(Takes))).First(x => x.Training is not null);
        (status, body) = await Post(alpha, "/formation/v1/appointment/generate-link", new { parcoursup_id = byParcoursup.Id });
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Equal(byParcoursup.Training!.Id, body.GetProperty("cle_ministere_educatif").GetString());
        Assert.EndsWith("&referrer=parcoursup", body.GetProperty("form_url").GetString());

        var byOnisep = all.Where(f => f.OnisepUrl is not null).GroupBy(f => f.OnisepUrl![(f.OnisepUrl!.LastIndexOf('/') + 1)..])
            .Select(g => (Id: g.Key, Training: g.OrderBy(f => f.Id, StringComparer.Ordinal).FirstOrDefault(Takes))).First(x => x.Training is not null);
        (status, body) = await Post(alpha, "/api/v2/appointment", new { onisep_id = byOnisep.Id });
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Equal(byOnisep.Training!.Id, body.GetProperty("cle_ministere_educatif").GetString());
        Assert.EndsWith("&referrer=onisep", body.GetProperty("form_url").GetString());

        // The v1 context finds a training by its Parcoursup id too.
        using HttpClient web = Host.CreateClient();
        (status, body) = await Post(web, "/api/appointment-request/context/create", new { idParcoursup = byParcoursup.Id, referrer = "parcoursup" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(byParcoursup.Training.Id, body.GetProperty("cle_ministere_educatif").GetString());
    }

    [Fact]
    public async Task An_unknown_training_or_one_taking_no_requests_is_404_and_a_bad_body_400()
    {
        List<FormationItem> all = await Host.Engine.ListAsync<FormationItem>(Source.Formation, 3000);
        using HttpClient alpha = Host.Partner();
        if (all.FirstOrDefault(f => string.IsNullOrEmpty(f.Email)) is { } closed)
        {
            var (status, body) = await Post(alpha, "/api/v2/appointment", new { cle_ministere_educatif = closed.Id });
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Equal("Appointment request not available", body.GetProperty("message").GetString());
        }
        foreach (object unknown in new object[] { new { cle_ministere_educatif = "no-such-training" }, new { parcoursup_id = "nope" }, new { onisep_id = "FOR.0" } })
        {
            var (status, body) = await Post(alpha, "/api/v2/appointment", unknown);
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Equal("Formation introuvable", body.GetProperty("message").GetString());
        }
        foreach (object bad in new object[] { new { }, new { cle_ministere_educatif = "a", parcoursup_id = "b" }, new { referrer = "lba" } })
        {
            var (status, body) = await Post(alpha, "/api/v2/appointment", bad);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal("body.: Invalid input", body.GetProperty("message").GetString());
        }
        var (typeStatus, typeBody) = await Post(alpha, "/api/v2/appointment", new { cle_ministere_educatif = 5 });
        Assert.Equal(HttpStatusCode.BadRequest, typeStatus);
        Assert.Equal("body.cle_ministere_educatif: String attendu", typeBody.GetProperty("message").GetString());
    }
}
