using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using MimeKit;

namespace Alternance.Api.Writes.Tests;

[Collection(SharedHostCollection.Name)]
public sealed class AppointmentTests(SharedHostFixture fixture)
{
    private WriteHost Host => fixture.Host;

    private async Task<(FormationItem WithEmail, FormationItem? WithoutEmail)> Trainings(int skip = 0)
    {
        List<FormationItem> all = await Host.Engine.ListAsync<FormationItem>(Source.Formation, 3000);
        return (all.Where(f => !string.IsNullOrEmpty(f.Email)).Skip(skip).First(), all.FirstOrDefault(f => string.IsNullOrEmpty(f.Email)));
    }

    private static object Request(string cle, string email, string origin = "lba") => new
    {
        firstname = "Léa",
        lastname = "Bernard",
        phone = "0712345678",
        email,
        type = "etudiant",
        applicantMessageToCfa = "Je voudrais visiter le centre.",
        applicantReasons = new[] { "modalite", "frais" },
        cleMinistereEducatif = cle,
        appointmentOrigin = origin,
    };

    private static async Task<(HttpStatusCode, JsonElement)> Post(HttpClient client, string path, object body)
    {
        using HttpResponseMessage response = await client.PostAsync(path, Http.Json(body));
        return (response.StatusCode, await response.ReadJson());
    }

    [Fact]
    public async Task Context_create()
    {
        var (training, withoutEmail) = await Trainings();
        using HttpClient client = Host.CreateClient();

        var (status, json) = await Post(client, "/api/appointment-request/context/create", new { idCleMinistereEducatif = training.Id, referrer = "lba", trainingHasJob = false });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(training.Id, json.GetProperty("cle_ministere_educatif").GetString());
        Assert.Equal(training.IntituleLong, json.GetProperty("intitule_long").GetString());
        Assert.Equal(training.FormateurSiret, json.GetProperty("etablissement_formateur_siret").GetString());
        Assert.Equal($"http://alternance.test/espace-pro/form?referrer=lba&cleMinistereEducatif={Uri.EscapeDataString(training.Id)}",
            json.GetProperty("form_url").GetString());

        if (withoutEmail is not null)
        {
            (status, json) = await Post(client, "/api/appointment-request/context/create", new { idCleMinistereEducatif = withoutEmail.Id, referrer = "parcoursup" });
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("Prise de rendez-vous non disponible.", json.GetProperty("error").GetString());
        }

        (status, json) = await Post(client, "/api/appointment-request/context/create", new { idCleMinistereEducatif = "no-such-training", referrer = "lba" });
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("Formation introuvable", json.GetProperty("message").GetString());

        (status, json) = await Post(client, "/api/appointment-request/context/create", new { referrer = "lba" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Critère de recherche non conforme.", json.GetProperty("message").GetString());

        (status, json) = await Post(client, "/api/appointment-request/context/create", new { idCleMinistereEducatif = training.Id, referrer = "facebook" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("body.referrer: Invalid enum value", json.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Request_is_stored_the_centre_notified_duplicates_refused_for_four_days_and_the_reply_reaches_the_candidate()
    {
        var (training, _) = await Trainings(skip: 1);
        string candidate = $"lea-{Guid.NewGuid():N}@example.org";
        using HttpClient client = Host.CreateClient();

        var (status, json) = await Post(client, "/api/appointment-request/validate", Request(training.Id, candidate));
        Assert.True(status == HttpStatusCode.OK, json.ToString());
        string userId = json.GetProperty("userId").GetString()!;
        JsonElement appointment = json.GetProperty("appointment");
        string appointmentId = appointment.GetProperty("_id").GetString()!;
        Assert.Equal(userId, appointment.GetProperty("applicant_id").GetString());
        Assert.Equal(training.Id, appointment.GetProperty("cle_ministere_educatif").GetString());
        Assert.Equal("LBA", appointment.GetProperty("appointment_origin").GetString());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("token").GetString()));

        // Stored.
        AppointmentRecord? stored = await Host.Grains.GetGrain<IAppointmentGrain>(appointmentId).Get();
        Assert.NotNull(stored);
        Assert.Equal(candidate, stored.ApplicantEmail);
        Assert.Equal(training.Email, stored.CfaRecipientEmail);
        Assert.Equal(["modalite", "frais"], stored.ApplicantReasons);
        Assert.Single(stored.ToCfaMails);

        // The training centre is notified at the training's address, the candidate acknowledged.
        MimeMessage toCfa = Mails.To(Host.MailFolder, training.Email!).Single(m => m.TextBody!.Contains(appointmentId));
        Assert.Contains("Demande de rendez-vous", toCfa.Subject);
        Assert.Contains(candidate, toCfa.TextBody!);
        Assert.Single(Mails.To(Host.MailFolder, candidate));

        // Within 4 days, the same request is refused with the date of the pending one.
        string today = ParisTime.Format(fixture.Clock.GetUtcNow());
        (status, json) = await Post(client, "/api/appointment-request/validate", Request(training.Id, candidate));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal($"Une demande de prise de RDV en date du {today} est actuellement en cours de traitement.", json.GetProperty("message").GetString());
        fixture.Clock.Advance(TimeSpan.FromDays(3.9));
        (status, _) = await Post(client, "/api/appointment-request/validate", Request(training.Id, candidate));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        // A different training is another matter.
        var (other, _) = await Trainings(skip: 2);
        (status, _) = await Post(client, "/api/appointment-request/validate", Request(other.Id, candidate));
        Assert.Equal(HttpStatusCode.OK, status);
        fixture.Clock.Advance(TimeSpan.FromDays(0.2));
        (status, json) = await Post(client, "/api/appointment-request/validate", Request(training.Id, candidate));
        Assert.True(status == HttpStatusCode.OK, json.ToString());
        Assert.Equal(userId, json.GetProperty("userId").GetString());

        // The centre replies with the token of its notification.
        string token = Regex.Match(toCfa.TextBody!, @"jeton de réponse : (\S+)").Groups[1].Value;
        var reply = new { appointment_id = appointmentId, cfa_intention_to_applicant = "personalised_answer", cfa_message_to_applicant = "Venez mardi à 10 h." };
        using HttpResponseMessage anonymous = await client.PostAsync("/api/appointment-request/reply", Http.Json(reply));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var wrong = new HttpRequestMessage(HttpMethod.Post, "/api/appointment-request/reply") { Content = Http.Json(reply) };
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token");
        using HttpResponseMessage forbidden = await client.SendAsync(wrong);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        using var right = new HttpRequestMessage(HttpMethod.Post, "/api/appointment-request/reply") { Content = Http.Json(reply) };
        right.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using HttpResponseMessage replied = await client.SendAsync(right);
        JsonElement answer = await replied.ReadJson();
        Assert.True(replied.StatusCode == HttpStatusCode.OK, answer.ToString());
        Assert.Equal("personalised_answer", answer.GetProperty("cfa_intention_to_applicant").GetString());
        stored = await Host.Grains.GetGrain<IAppointmentGrain>(appointmentId).Get();
        Assert.Equal("Venez mardi à 10 h.", stored!.CfaMessageToApplicant);
        Assert.Contains(Mails.To(Host.MailFolder, candidate), m => m.Subject == "[La bonne alternance] Le centre de formation vous répond" && m.TextBody!.Contains("Venez mardi"));
    }

    [Fact]
    public async Task Validate_errors()
    {
        var (training, withoutEmail) = await Trainings();
        using HttpClient client = Host.CreateClient();
        var (status, json) = await Post(client, "/api/appointment-request/validate", Request("no-such-training", "x@example.org"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Formation introuvable.", json.GetProperty("message").GetString());

        (status, json) = await Post(client, "/api/appointment-request/validate", Request(training.Id, "x@example.org", origin: "unknown-referrer"));
        Assert.Equal("Formation introuvable.", json.GetProperty("message").GetString());

        if (withoutEmail is not null)
        {
            (status, json) = await Post(client, "/api/appointment-request/validate", Request(withoutEmail.Id, "x@example.org"));
            Assert.Equal(HttpStatusCode.InternalServerError, status);
            Assert.Equal("Le lieu de formation n'a aucun email", json.GetProperty("message").GetString());
        }

        (status, json) = await Post(client, "/api/appointment-request/validate", new
        {
            firstname = "", lastname = "B", phone = "12", email = "nope", type = "oncle", applicantMessageToCfa = (string?)null,
            applicantReasons = new[] { "meteo" }, cleMinistereEducatif = training.Id, appointmentOrigin = "lba",
        });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        string message = json.GetProperty("message").GetString()!;
        Assert.Contains("body.firstname: String must contain at least 1 character(s)", message);
        Assert.Contains("body.phone: Téléphone invalide", message);
        Assert.Contains("body.email: Invalid email", message);
        Assert.Contains("body.type: Invalid enum value. Expected 'etudiant' | 'parent', received 'oncle'", message);
        Assert.Contains("body.applicantReasons.0: Invalid enum value.", message);
    }
}
