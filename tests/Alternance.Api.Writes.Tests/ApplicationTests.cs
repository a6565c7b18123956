using System.Net;
using System.Text;
using System.Text.Json;
using MimeKit;

namespace Alternance.Api.Writes.Tests;

[Collection(SharedHostCollection.Name)]
public sealed class ApplicationTests(SharedHostFixture fixture)
{
    private WriteHost Host => fixture.Host;

    private DateTimeOffset Today => fixture.Clock.GetUtcNow();

    /// <summary>A "PDF" whose bytes carry a marker that must never reach the store.</summary>
    private static (byte[] Bytes, string Marker) Cv()
    {
        string marker = "CV-MARKER-" + Guid.NewGuid().ToString("N");
        return (Encoding.ASCII.GetBytes($"%PDF-1.4\n% {marker}\n%%EOF\n"), marker);
    }

    private static Dictionary<string, object?> Body(string applicant, byte[] cv, string companyType, string? jobId = null, string? siret = null, string? caller = "writes-tests") => new()
    {
        ["applicant_email"] = applicant,
        ["applicant_first_name"] = "Camille",
        ["applicant_last_name"] = "Petit",
        ["applicant_phone"] = "0611223344",
        ["applicant_file_name"] = "cv.pdf",
        ["applicant_file_content"] = "data:application/pdf;base64," + Convert.ToBase64String(cv),
        ["message"] = "Bonjour, je suis très motivée.",
        ["company_type"] = companyType,
        ["company_siret"] = siret,
        ["company_name"] = "sent by the client, not trusted",
        ["company_email"] = "attacker@evil.example",
        ["job_id"] = jobId,
        ["caller"] = caller,
    };

    private async Task<(string JobId, string RecruiterEmail, string Siret, string Establishment)> PostedOffer(int appellation = 0)
    {
        using HttpClient alpha = Host.Partner();
        string email = $"rh-{Guid.NewGuid():N}@entreprise.example";
        string siret = Offers.NewSiret();
        string establishment = (await Offers.CreateEstablishment(alpha, Offers.EstablishmentBody(siret, email: email))).GetProperty("establishment_id").GetString()!;
        string jobId = await Offers.CreateJob(alpha, establishment, Offers.JobBody(Today, appellation));
        return (jobId, email, siret, establishment);
    }

    private async Task<List<CompanyItem>> CompaniesWithEmail(int count)
    {
        List<CompanyItem> companies = await Host.Engine.ListAsync<CompanyItem>(Source.Company, 5000);
        return companies.Where(c => !string.IsNullOrEmpty(c.Email)).Take(count).ToList();
    }

    private static async Task<JsonElement> Send(HttpClient client, object body, HttpStatusCode expected)
    {
        using HttpResponseMessage response = await client.PostAsync("/api/v1/application", Http.Json(body));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task Application_to_a_posted_offer_is_stored_and_delivered_with_the_cv_which_is_not_kept()
    {
        var (jobId, recruiterEmail, siret, _) = await PostedOffer();
        var (cv, marker) = Cv();
        string applicant = $"candidat-{Guid.NewGuid():N}@example.org";
        using HttpClient client = Host.CreateClient();

        JsonElement ok = await Send(client, Body(applicant, cv, "matcha", jobId), HttpStatusCode.OK);
        Assert.Equal("ok", ok.GetProperty("result").GetString());
        Assert.Equal("messages sent", ok.GetProperty("message").GetString());

        // To the recruiter's address from the offer (not the one the client sent), with the CV attached.
        List<MimeMessage> toRecruiter = Mails.To(Host.MailFolder, recruiterEmail);
        MimeMessage message = Assert.Single(toRecruiter);
        Assert.StartsWith("Candidature en alternance - ", message.Subject);
        MimeEntity attachment = Assert.Single(message.Attachments);
        Assert.Equal("cv.pdf", attachment.ContentDisposition!.FileName);
        Assert.Equal(cv, Mails.AttachmentBytes(attachment));
        Assert.Equal(applicant, message.ReplyTo.Mailboxes.Single().Address);
        Assert.Empty(Mails.To(Host.MailFolder, "attacker@evil.example"));
        // The acknowledgement to the applicant.
        MimeMessage ack = Assert.Single(Mails.To(Host.MailFolder, applicant));
        Assert.StartsWith("Votre candidature chez Boulangerie des tests", ack.Subject);

        // Stored in grains, without the CV.
        ApplicationMark mark = Assert.Single(await Host.Grains.GetGrain<IApplicantGrain>(applicant).List());
        ApplicationRecord? stored = await Host.Grains.GetGrain<IApplicationGrain>(mark.ApplicationId).Get();
        Assert.NotNull(stored);
        Assert.Equal("sent", stored.Status);
        Assert.Equal(recruiterEmail, stored.CompanyEmail);
        Assert.Equal(siret, stored.CompanySiret);
        Assert.Equal(jobId, stored.JobId);
        Assert.Equal("offres_emploi_lba", stored.JobOrigin);
        Assert.Equal("cv.pdf", stored.ApplicantAttachmentName);
        Assert.NotNull(stored.ToCompanyMessageId);
        // Nothing in the store holds the CV, in any form.
        byte[] raw = Encoding.ASCII.GetBytes(marker);
        byte[] base64 = Encoding.ASCII.GetBytes(Convert.ToBase64String(cv)[..40]);
        foreach (string file in Directory.EnumerateFiles(Host.StorePath, "*", SearchOption.AllDirectories))
        {
            byte[] content = await File.ReadAllBytesAsync(file);
            Assert.True(content.AsSpan().IndexOf(raw) < 0, $"{file} holds the CV");
            Assert.True(content.AsSpan().IndexOf(base64) < 0, $"{file} holds the CV (base64)");
        }
    }

    [Fact]
    public async Task Spontaneous_application_goes_to_the_company_address_of_the_companies_feed()
    {
        CompanyItem company = (await CompaniesWithEmail(1)).Single();
        var (cv, _) = Cv();
        string applicant = $"spontane-{Guid.NewGuid():N}@example.org";
        using HttpClient client = Host.CreateClient();
        await Send(client, Body(applicant, cv, "lba", siret: company.Siret), HttpStatusCode.OK);
        // Other tests may write to the same company within the same second: this application's mail is the one that
        // answers to this applicant.
        MimeMessage message = Assert.Single(Mails.To(Host.MailFolder, company.Email!),
            m => m.ReplyTo.Mailboxes.Any(r => r.Address == applicant));
        Assert.Equal("Candidature spontanée en alternance", message.Subject);
        Assert.Equal(cv, Mails.AttachmentBytes(message.Attachments.Single()));
    }

    public static TheoryData<string, string> Errors => new()
    {
        { """{"caller":null}""", "missing_caller" },
        { """{"applicant_email":"someone@yopmail.com"}""", "email temporaire non autorisé" },
        { """{"job_id":null}""", "job_id manquant" },
        { """{"job_id":"0123456789abcdef01234567"}""", "offre manquante" },
        { """{"company_type":"lba","company_siret":null}""", "company_siret manquant" },
        { """{"company_type":"lbb","company_siret":"12345678901234"}""", "société manquante" },
        { """{"applicant_file_content":"data:application/pdf;base64,@@@not base64@@@"}""", "pièce jointe invalide" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public async Task Application_errors(string overrides, string error)
    {
        var (jobId, _, _, _) = await PostedOffer();
        var (cv, _) = Cv();
        Dictionary<string, object?> body = Body($"err-{Guid.NewGuid():N}@example.org", cv, "matcha", jobId);
        foreach (JsonProperty p in JsonDocument.Parse(overrides).RootElement.EnumerateObject()) body[p.Name] = p.Value.Clone();
        using HttpClient client = Host.CreateClient();
        JsonElement json = await Send(client, body, HttpStatusCode.BadRequest);
        Assert.Equal(error, json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Application_to_a_closed_offer_is_refused_as_expired()
    {
        var (jobId, _, _, _) = await PostedOffer(appellation: 4);
        using HttpClient alpha = Host.Partner();
        using HttpResponseMessage canceled = await alpha.PostAsync($"/api/v1/jobs/canceled/{jobId}", null);
        Assert.Equal(HttpStatusCode.NoContent, canceled.StatusCode);
        var (cv, _) = Cv();
        using HttpClient client = Host.CreateClient();
        JsonElement json = await Send(client, Body($"late-{Guid.NewGuid():N}@example.org", cv, "matcha", jobId), HttpStatusCode.BadRequest);
        Assert.Equal("offre expirée", json.GetProperty("error").GetString());
    }

    public static TheoryData<string, string> ValidationErrors => new()
    {
        { """{"applicant_email":"not-an-email"}""", "body.applicant_email: Invalid email" },
        { """{"applicant_first_name":""}""", "body.applicant_first_name: String must contain at least 1 character(s)" },
        { """{"applicant_last_name":"123456789012345678901234567890123456789012345678901"}""", "body.applicant_last_name: String must contain at most 50 character(s)" },
        { """{"applicant_phone":"12"}""", "body.applicant_phone: Téléphone invalide" },
        { """{"applicant_file_name":"cv.exe"}""", "body.applicant_file_name: Invalid" },
        { """{"company_type":"peJob"}""", "body.company_type: Invalid enum value. Expected 'matcha' | 'lba' | 'lbb' | 'offres_emploi_lba' | 'recruteurs_lba', received 'peJob'" },
        { """{"applicant_file_content":null}""", "body.applicant_file_content: String attendu" },
    };

    [Theory]
    [MemberData(nameof(ValidationErrors))]
    public async Task Application_validation_messages(string overrides, string message)
    {
        var (cv, _) = Cv();
        Dictionary<string, object?> body = Body("valid@example.org", cv, "matcha", "0123456789abcdef01234567");
        foreach (JsonProperty p in JsonDocument.Parse(overrides).RootElement.EnumerateObject()) body[p.Name] = p.Value.Clone();
        using HttpClient client = Host.CreateClient();
        JsonElement json = await Send(client, body, HttpStatusCode.BadRequest);
        Assert.Contains(message, json.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Size_limits_file_content_length_and_5_MB_body()
    {
        using HttpClient client = Host.CreateClient();
        Dictionary<string, object?> body = Body("big@example.org", [1], "matcha", "0123456789abcdef01234567");
        body["applicant_file_content"] = new string('A', 4_215_277);
        JsonElement json = await Send(client, body, HttpStatusCode.BadRequest);
        Assert.Contains("body.applicant_file_content: String must contain at most 4215276 character(s)", json.GetProperty("message").GetString());

        body["applicant_file_content"] = new string('A', 5 * 1024 * 1024 + 10);
        using HttpResponseMessage tooLarge = await client.PostAsync("/api/v1/application", Http.Json(body));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);

        // Other write routes take small bodies only.
        using HttpClient alpha = Host.Partner();
        using HttpResponseMessage big = await alpha.PostAsync("/api/v1/jobs/establishment", Http.Json(new { establishment_siret = new string('1', 100_000) }));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
    }

    [Fact]
    public async Task Three_applications_per_offer_and_per_company()
    {
        var (jobId, _, _, _) = await PostedOffer();
        var (cv, _) = Cv();
        string applicant = $"three-{Guid.NewGuid():N}@example.org";
        using HttpClient client = Host.CreateClient();
        for (int i = 0; i < 3; i++) await Send(client, Body(applicant, cv, "matcha", jobId), HttpStatusCode.OK);
        JsonElement refused = await Send(client, Body(applicant, cv, "matcha", jobId), HttpStatusCode.BadRequest);
        Assert.Equal("TOO_MANY_APPLICATIONS_PER_OFFER", refused.GetProperty("error").GetString());
        // Another applicant is not concerned.
        await Send(client, Body($"other-{Guid.NewGuid():N}@example.org", cv, "matcha", jobId), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Twenty_applications_per_caller_and_siret_a_day()
    {
        var (jobId, _, _, _) = await PostedOffer();
        var (cv, _) = Cv();
        string caller = $"caller-{Guid.NewGuid():N}";
        using HttpClient client = Host.CreateClient();
        for (int i = 0; i < 20; i++)
        {
            await Send(client, Body($"c{i}-{Guid.NewGuid():N}@example.org", cv, "matcha", jobId, caller: caller), HttpStatusCode.OK);
        }
        JsonElement refused = await Send(client, Body($"c20-{Guid.NewGuid():N}@example.org", cv, "matcha", jobId, caller: caller), HttpStatusCode.BadRequest);
        Assert.Equal("Vous avez atteint le quota maximum de candidatures pour ce SIRET", refused.GetProperty("error").GetString());
        // Another caller may still send to that SIRET today.
        await Send(client, Body($"c21-{Guid.NewGuid():N}@example.org", cv, "matcha", jobId, caller: caller + "-other"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task More_than_a_hundred_applications_a_day_are_refused()
    {
        List<CompanyItem> companies = await CompaniesWithEmail(34);
        Assert.Equal(34, companies.Count);
        var (cv, _) = Cv();
        string applicant = $"busy-{Guid.NewGuid():N}@example.org";
        using HttpClient client = Host.CreateClient();
        // The reference counts the applications already sent today and refuses once that count is over 100.
        for (int i = 0; i < 101; i++)
        {
            await Send(client, Body(applicant, cv, "lba", siret: companies[i / 3].Siret), HttpStatusCode.OK);
        }
        JsonElement refused = await Send(client, Body(applicant, cv, "lba", siret: companies[33].Siret), HttpStatusCode.BadRequest);
        Assert.Equal("TOO_MANY_APPLICATIONS_PER_DAY", refused.GetProperty("error").GetString());
    }
}
