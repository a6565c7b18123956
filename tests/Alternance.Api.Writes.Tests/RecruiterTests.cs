using System.Net;
using System.Text.Json;

namespace Alternance.Api.Writes.Tests;

[Collection(SharedHostCollection.Name)]
public sealed class RecruiterTests(SharedHostFixture fixture)
{
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    private WriteHost Host => fixture.Host;

    private DateTimeOffset Today => fixture.Clock.GetUtcNow();

    [Theory]
    [InlineData("POST", "/api/v1/jobs/establishment")]
    [InlineData("POST", "/api/v1/jobs/1e2d3c4b-0000-4000-8000-000000000000")]
    [InlineData("PATCH", "/api/v1/jobs/0123456789abcdef01234567")]
    [InlineData("POST", "/api/v1/jobs/provided/0123456789abcdef01234567")]
    [InlineData("POST", "/api/v1/jobs/canceled/0123456789abcdef01234567")]
    [InlineData("POST", "/api/v1/jobs/extend/0123456789abcdef01234567")]
    public async Task Keys_missing_401_wrong_403(string method, string path)
    {
        using HttpClient anonymous = Host.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = Http.Json(new { }) };
        using HttpResponseMessage missing = await anonymous.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(401, (await missing.ReadJson()).GetProperty("statusCode").GetInt32());

        using HttpClient wrong = Host.Partner("not-a-key");
        using var request2 = new HttpRequestMessage(new HttpMethod(method), path) { Content = Http.Json(new { }) };
        using HttpResponseMessage forbidden = await wrong.SendAsync(request2);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        // x-api-key works as well as Authorization: Bearer.
        using HttpClient viaHeader = Host.CreateClient();
        viaHeader.DefaultRequestHeaders.Add("x-api-key", WriteHost.AlphaKey);
        using var request3 = new HttpRequestMessage(new HttpMethod(method), path) { Content = Http.Json(new { }) };
        using HttpResponseMessage accepted = await viaHeader.SendAsync(request3);
        Assert.NotEqual(HttpStatusCode.Unauthorized, accepted.StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, accepted.StatusCode);
    }

    [Fact]
    public async Task Upper_case_alias_and_a_body_that_is_not_json()
    {
        using HttpClient alpha = Host.Partner();
        using HttpResponseMessage alias = await alpha.PostAsync("/api/V1/jobs/establishment", Http.Json(Offers.EstablishmentBody()));
        Assert.Equal(HttpStatusCode.Created, alias.StatusCode);
        using HttpResponseMessage broken = await alpha.PostAsync("/api/v1/jobs/establishment", Http.Raw("{\"establishment_siret\":"));
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.StartsWith("Body is not valid JSON", (await broken.ReadJson()).GetProperty("message").GetString());
    }

    public static TheoryData<string, string> EstablishmentErrors => new()
    {
        { """{"establishment_siret":"123","first_name":"a","last_name":"b","email":"a@b.fr"}""", "body.establishment_siret: SIRET invalide" },
        { """{"establishment_siret":"12345678901235","first_name":"a","last_name":"b","email":"a@b.fr"}""", "body.establishment_siret: Le siret ne respecte pas l'algorithme luhn" },
        { """{"first_name":"a","last_name":"b","email":"a@b.fr"}""", "body.establishment_siret: String attendu" },
        { """{"establishment_siret":"73282932000074","last_name":"b","email":"a@b.fr"}""", "body.first_name: String attendu" },
        { """{"establishment_siret":"73282932000074","first_name":"a","last_name":"b","email":"nope"}""", "body.email: Invalid email" },
        { """{"establishment_siret":"73282932000074","first_name":"a","last_name":"b","email":"a@b.fr","phone":"12"}""", "body.phone: Invalid" },
        { """{"establishment_siret":"73282932000074","first_name":"a","last_name":"b","email":"a@b.fr","color":"red"}""", "body.: Unrecognized key(s) in object: 'color'" },
    };

    [Theory]
    [MemberData(nameof(EstablishmentErrors))]
    public async Task Establishment_validation_messages(string body, string message)
    {
        using HttpClient partner = Host.Partner();
        using HttpResponseMessage response = await partner.PostAsync("/api/v1/jobs/establishment", Http.Raw(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        JsonElement json = await response.ReadJson();
        Assert.Equal(400, json.GetProperty("statusCode").GetInt32());
        Assert.Equal("Bad Request", json.GetProperty("error").GetString());
        Assert.Contains(message, json.GetProperty("message").GetString());
        Assert.Equal("FST_ERR_VALIDATION", json.GetProperty("data").GetProperty("validationError").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Establishment_created_from_the_companies_feed_and_refused_twice_for_the_same_partner()
    {
        // A company of the bundled feed: its position, names and NAF come from there.
        CompanyItem company = (await Host.Engine.ListAsync<CompanyItem>(Source.Company, 50)).First(c => c.NafCode?.StartsWith("85") != true);
        var body = new { establishment_siret = company.Siret, first_name = "Paul", last_name = "Durand", email = "Paul.Durand@Example.fr", idcc = "1234", origin = "campagne" };

        using HttpClient alpha = Host.Partner();
        JsonElement created = await Offers.CreateEstablishment(alpha, body);
        Assert.True(Guid.TryParse(created.GetProperty("establishment_id").GetString(), out _));
        Assert.Equal(company.Siret, created.GetProperty("establishment_siret").GetString());
        Assert.Equal(company.RaisonSociale, created.GetProperty("establishment_raison_sociale").GetString());
        Assert.Equal("alpha-campagne", created.GetProperty("origin").GetString());
        Assert.Equal("Actif", created.GetProperty("status").GetString());
        Assert.Equal(0, created.GetProperty("jobs").GetArrayLength());
        // The e-mail is never in clear: ciphertext and IV, as in search results.
        Assert.DoesNotContain("example.fr", created.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Matches("^[0-9a-f]+$", created.GetProperty("email").GetString()!);
        Assert.Matches("^[0-9a-f]{32}$", created.GetProperty("iv").GetString()!);
        string[] point = created.GetProperty("geo_coordinates").GetString()!.Split(',');
        Assert.Equal(company.Latitude, double.Parse(point[0], System.Globalization.CultureInfo.InvariantCulture), 6);

        using HttpResponseMessage again = await alpha.PostAsync("/api/v1/jobs/establishment", Http.Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        JsonElement error = await again.ReadJson();
        Assert.True(error.GetProperty("error").GetBoolean());
        Assert.Equal("Un compte est déjà associé à ce couple email/siret.", error.GetProperty("message").GetString());

        // Another partner may register the same SIRET.
        using HttpClient beta = Host.Partner(WriteHost.BetaKey);
        await Offers.CreateEstablishment(beta, body);
    }

    [Fact]
    public async Task Establishment_with_an_unknown_siret_and_no_position_is_refused()
    {
        using HttpClient alpha = Host.Partner();
        using HttpResponseMessage response = await alpha.PostAsync("/api/v1/jobs/establishment",
            Http.Json(new { establishment_siret = Offers.NewSiret(), first_name = "a", last_name = "b", email = "a@b.fr" }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Le numéro siret est invalide.", (await response.ReadJson()).GetProperty("message").GetString());
    }

    public static TheoryData<string, string> JobErrors => new()
    {
        { """{"appellation_code":"12a"}""", "body.appellation_code: appelation code ne doit contenir que des chiffres" },
        { """{"job_level_label":"Bac+12"}""", "body.job_level_label: Invalid enum value. Expected 'Indifférent' | 'Cap, autres formations niveau (Infrabac)'" },
        { """{"job_start_date":"2001-01-01"}""", "body.job_start_date: job_start_date must be greater or equal to today's date" },
        { """{"job_start_date":"not a date"}""", "body.job_start_date: Invalid date" },
        { """{"job_type":["Stage"]}""", "body.job_type.0: Invalid enum value. Expected 'Apprentissage' | 'Professionnalisation', received 'Stage'" },
        { """{"job_type":"Apprentissage"}""", "body.job_type: Array attendu" },
        { """{"job_duration":5}""", "body.job_duration: Number must be greater than or equal to 6" },
        { """{"job_duration":37}""", "body.job_duration: Number must be less than or equal to 36" },
        { """{"job_duration":"12"}""", "body.job_duration: Number attendu" },
        { """{"job_rythm":"tous les jours"}""", "body.job_rythm: Invalid enum value." },
        { """{"job_description":"trop court"}""", "body.: job_description doit avoir un minimum de 30 caractères" },
        { """{"job_employer_description":"trop court"}""", "body.: job_employer_description doit avoir un minimum de 30 caractères" },
        { """{"custom_address":"1 rue de la Paix, Paris"}""", "body.: custom_geo_coordinates est obligatoire si custom_address est passé en paramètre" },
        { """{"custom_geo_coordinates":"48.8,2.3"}""", "body.: custom_geo_coordinates est obligatoire si custom_address est passé en paramètre" },
        { """{"is_disabled_elligible":"oui"}""", "body.is_disabled_elligible: Boolean attendu" },
        { """{"salary":1000}""", "body.: Unrecognized key(s) in object: 'salary'" },
    };

    [Theory]
    [MemberData(nameof(JobErrors))]
    public async Task Job_validation_messages(string overrideJson, string message)
    {
        using HttpClient alpha = Host.Partner();
        string establishment = (await Offers.CreateEstablishment(alpha)).GetProperty("establishment_id").GetString()!;
        Dictionary<string, object?> body = Offers.JobBody(Today);
        foreach (JsonProperty property in JsonDocument.Parse(overrideJson).RootElement.EnumerateObject())
        {
            body[property.Name] = property.Value.Clone();
        }
        using HttpResponseMessage response = await alpha.PostAsync($"/api/v1/jobs/{establishment}", Http.Json(body));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Contains(message, JsonDocument.Parse(text).RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Job_missing_fields_accumulate_every_message()
    {
        using HttpClient alpha = Host.Partner();
        using HttpResponseMessage response = await alpha.PostAsync("/api/v1/jobs/1e2d3c4b-0000-4000-8000-000000000000", Http.Raw("{}"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        string message = (await response.ReadJson()).GetProperty("message").GetString()!;
        Assert.Contains("body.job_type: Array attendu", message);
        Assert.Contains("body.job_start_date: Invalid date", message);
        Assert.Contains("body.appellation_code: String attendu", message);
    }

    [Fact]
    public async Task Job_business_errors()
    {
        using HttpClient alpha = Host.Partner();
        using HttpResponseMessage unknown = await alpha.PostAsync("/api/v1/jobs/1e2d3c4b-0000-4000-8000-000000000000", Http.Json(Offers.JobBody(Today)));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        JsonElement error = await unknown.ReadJson();
        Assert.True(error.GetProperty("error").GetBoolean());
        Assert.Equal("Establishment does not exist", error.GetProperty("message").GetString());

        string establishment = (await Offers.CreateEstablishment(alpha)).GetProperty("establishment_id").GetString()!;
        Dictionary<string, object?> body = Offers.JobBody(Today);
        body["appellation_code"] = "999999999";
        using HttpResponseMessage noRome = await alpha.PostAsync($"/api/v1/jobs/{establishment}", Http.Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, noRome.StatusCode);
        Assert.Equal("ROME Code details could not be retrieved", (await noRome.ReadJson()).GetProperty("message").GetString());

        // Another partner's establishment is not this partner's to post to.
        using HttpClient beta = Host.Partner(WriteHost.BetaKey);
        using HttpResponseMessage foreign = await beta.PostAsync($"/api/v1/jobs/{establishment}", Http.Json(Offers.JobBody(Today)));
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);

        foreach (string action in new[] { "provided", "canceled", "extend" })
        {
            using HttpResponseMessage missing = await alpha.PostAsync($"/api/v1/jobs/{action}/0123456789abcdef01234567", null);
            Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
            Assert.Equal("Job does not exists", (await missing.ReadJson()).GetProperty("message").GetString());
        }
        using HttpResponseMessage patchMissing = await alpha.PatchAsync("/api/v1/jobs/0123456789abcdef01234567", Http.Json(new { job_count = 2 }));
        Assert.Equal("Job does not exists", (await patchMissing.ReadJson()).GetProperty("message").GetString());
    }

    [Fact]
    public async Task Offer_is_found_within_one_second_then_provided_leaves_the_results_as_fast()
    {
        using HttpClient alpha = Host.Partner();
        using HttpClient search = Host.CreateClient();
        JsonElement recruiter = await Offers.CreateEstablishment(alpha);
        string establishment = recruiter.GetProperty("establishment_id").GetString()!;
        var (code, rome, label) = Offers.Appellation();
        Dictionary<string, object?> body = Offers.JobBody(Today);

        using HttpResponseMessage response = await alpha.PostAsync($"/api/v1/jobs/{establishment}", Http.Json(body));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        JsonElement created = await response.ReadJson();
        JsonElement job = created.GetProperty("jobs")[0];
        string jobId = job.GetProperty("_id").GetString()!;
        Assert.Matches("^[0-9a-f]{24}$", jobId);
        Assert.Equal(new[] { rome }, job.GetProperty("rome_code").EnumerateArray().Select(e => e.GetString()).ToArray());
        Assert.Equal(label, job.GetProperty("rome_appellation_label").GetString());
        Assert.Equal("Active", job.GetProperty("job_status").GetString());
        DateTimeOffset expiration = DateTimeOffset.Parse(job.GetProperty("job_expiration_date").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(Today.AddMonths(2).UtcDateTime, expiration.UtcDateTime, TimeSpan.FromSeconds(1));

        TimeSpan seen = await Offers.WaitListed(search, jobId, rome, expected: true, OneSecond);
        Assert.True(seen <= OneSecond);

        using HttpResponseMessage provided = await alpha.PostAsync($"/api/v1/jobs/provided/{jobId}", null);
        Assert.Equal(HttpStatusCode.NoContent, provided.StatusCode);
        await Offers.WaitListed(search, jobId, rome, expected: false, OneSecond);

        using HttpResponseMessage again = await alpha.PostAsync($"/api/v1/jobs/provided/{jobId}", null);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal("Job is already provided", (await again.ReadJson()).GetProperty("message").GetString());

        // The reference checks the date before the status: on the day of creation, "already extended" comes first.
        using HttpResponseMessage extendProvided = await alpha.PostAsync($"/api/v1/jobs/extend/{jobId}", null);
        Assert.Equal("Job is already extended up to a month", (await extendProvided.ReadJson()).GetProperty("message").GetString());
    }

    [Fact]
    public async Task Canceled_offer_leaves_the_results_and_cannot_be_canceled_twice()
    {
        using HttpClient alpha = Host.Partner();
        using HttpClient search = Host.CreateClient();
        string establishment = (await Offers.CreateEstablishment(alpha)).GetProperty("establishment_id").GetString()!;
        string jobId = await Offers.CreateJob(alpha, establishment, Offers.JobBody(Today, appellation: 1));
        string rome = Offers.Appellation(1).Rome;
        await Offers.WaitListed(search, jobId, rome, expected: true, OneSecond);

        // Another partner cannot touch it.
        using HttpClient beta = Host.Partner(WriteHost.BetaKey);
        using HttpResponseMessage foreign = await beta.PostAsync($"/api/v1/jobs/canceled/{jobId}", null);
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);

        using HttpResponseMessage canceled = await alpha.PostAsync($"/api/v1/jobs/canceled/{jobId}", null);
        Assert.Equal(HttpStatusCode.NoContent, canceled.StatusCode);
        await Offers.WaitListed(search, jobId, rome, expected: false, OneSecond);
        using HttpResponseMessage twice = await alpha.PostAsync($"/api/v1/jobs/canceled/{jobId}", null);
        Assert.Equal("Job is already canceled", (await twice.ReadJson()).GetProperty("message").GetString());
    }

    [Fact]
    public async Task Patch_updates_fields_and_moves_the_offer_with_its_custom_position()
    {
        using HttpClient alpha = Host.Partner();
        using HttpClient search = Host.CreateClient();
        string establishment = (await Offers.CreateEstablishment(alpha)).GetProperty("establishment_id").GetString()!;
        string jobId = await Offers.CreateJob(alpha, establishment, Offers.JobBody(Today, appellation: 2));
        string rome = Offers.Appellation(2).Rome;
        await Offers.WaitListed(search, jobId, rome, expected: true, OneSecond);

        // Lyon is 390 km from Paris: the offer must leave Paris's results and appear in Lyon's.
        using HttpResponseMessage patched = await alpha.PatchAsync($"/api/v1/jobs/{jobId}", Http.Json(new
        {
            job_count = 3,
            job_rythm = "2 jours / 3 jours",
            custom_address = "1 place Bellecour, 69002 Lyon",
            custom_geo_coordinates = "45.7578,4.8320",
        }));
        string text = await patched.Content.ReadAsStringAsync();
        Assert.True(patched.StatusCode == HttpStatusCode.OK, text);
        JsonElement job = JsonDocument.Parse(text).RootElement.GetProperty("jobs")[0];
        Assert.Equal(3, job.GetProperty("job_count").GetInt32());
        Assert.Equal("2 jours / 3 jours", job.GetProperty("job_rythm").GetString());
        Assert.Equal("45.7578,4.8320", job.GetProperty("custom_geo_coordinates").GetString());
        await Offers.WaitListed(search, jobId, rome, expected: true, OneSecond, 45.7578, 4.8320);
        await Offers.WaitListed(search, jobId, rome, expected: false, OneSecond);

        using HttpResponseMessage bad = await alpha.PatchAsync($"/api/v1/jobs/{jobId}", Http.Json(new { job_start_date = "2001-01-01", job_duration = 2 }));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        string message = (await bad.ReadJson()).GetProperty("message").GetString()!;
        Assert.Contains("body.job_start_date: job_start_date must be greater or equal to today's date", message);
        Assert.Contains("body.job_duration: Number must be greater than or equal to 6", message);
    }

    [Fact]
    public async Task Extend_then_expiry_after_two_months_takes_the_offer_out_of_search()
    {
        using HttpClient alpha = Host.Partner();
        using HttpClient search = Host.CreateClient();
        string establishment = (await Offers.CreateEstablishment(alpha)).GetProperty("establishment_id").GetString()!;
        string jobId = await Offers.CreateJob(alpha, establishment, Offers.JobBody(Today, appellation: 3));
        string rome = Offers.Appellation(3).Rome;
        await Offers.WaitListed(search, jobId, rome, expected: true, OneSecond);

        // Just created: its expiry is already "now + 2 months".
        using HttpResponseMessage tooSoon = await alpha.PostAsync($"/api/v1/jobs/extend/{jobId}", null);
        Assert.Equal(HttpStatusCode.BadRequest, tooSoon.StatusCode);
        Assert.Equal("Job is already extended up to a month", (await tooSoon.ReadJson()).GetProperty("message").GetString());

        // Ten days later it can be extended: expiry = that day + 2 months, one prolongation.
        fixture.Clock.Advance(TimeSpan.FromDays(10));
        using HttpResponseMessage extended = await alpha.PostAsync($"/api/v1/jobs/extend/{jobId}", null);
        Assert.Equal(HttpStatusCode.NoContent, extended.StatusCode);
        RecruiterRecord? record = await Host.Grains.GetGrain<IRecruiterGrain>(establishment).Get();
        JobRecord job = record!.Jobs.Single(j => j.Id == jobId);
        Assert.Equal(1, job.ProlongationCount);
        Assert.Equal(fixture.Clock.GetUtcNow().AddMonths(2), job.ExpirationDate);
        await Offers.WaitListed(search, jobId, rome, expected: true, OneSecond);

        // Two months and a minute later the offer has expired: it is out of the results at once (searches compare its
        // expiration date with the clock), and its document says so within a second (the expiry schedule).
        fixture.Clock.Advance(TimeSpan.FromDays(62));
        Assert.False(await Offers.Listed(search, jobId, rome));
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while ((await Host.Grains.GetGrain<IRecruiterGrain>(establishment).Get())!.Jobs.Single(j => j.Id == jobId).Status != "Annulée")
        {
            Assert.True(waited.Elapsed < OneSecond, "the expired offer's document still says it is active");
            await Task.Delay(20);
        }
        using HttpResponseMessage late = await alpha.PostAsync($"/api/v1/jobs/extend/{jobId}", null);
        Assert.Equal("Job cannot be extended as it is not active", (await late.ReadJson()).GetProperty("message").GetString());
    }
}
