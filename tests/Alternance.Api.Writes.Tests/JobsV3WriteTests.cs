using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Alternance.Api.Writes.Tests;

/// <summary>
/// Offers written through the v3 routes with partner keys: <c>POST /api/v3/jobs</c>, <c>PUT /api/v3/jobs/{id}</c>,
/// <c>GET /api/v3/jobs/{id}/publishing-informations</c>, <c>POST /api/v4/jobs/multi-partner/bulk</c>; each validation
/// message, the offer found by searches within a second, and a bad offer of a bulk never stopping the others.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class JobsV3WriteTests(SharedHostFixture fixture)
{
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    private WriteHost Host => fixture.Host;

    private async Task<CompanyItem> Company(int skip = 0) =>
        (await Host.Engine.ListAsync<CompanyItem>(Source.Company, 200)).Where(c => c.NafCode?.StartsWith("85", StringComparison.Ordinal) != true).Skip(skip).First();

    private static JsonObject Offer(string siret, string? partnerJobId = null, string rome = "M1607", string title = "Assistant administratif en alternance") => new()
    {
        ["identifier"] = partnerJobId is null ? null : new JsonObject { ["partner_job_id"] = partnerJobId },
        ["contract"] = new JsonObject { ["start"] = "2027-09-01T00:00:00Z", ["duration"] = 24, ["type"] = new JsonArray("Apprentissage"), ["remote"] = "hybrid" },
        ["offer"] = new JsonObject
        {
            ["title"] = title,
            ["rome_codes"] = new JsonArray(rome),
            ["description"] = "Accueil, classement, suivi des dossiers et des courriers de l'entreprise.",
            ["target_diploma"] = new JsonObject { ["european"] = "5" },
            ["desired_skills"] = new JsonArray("Rigueur"),
            ["to_be_acquired_skills"] = new JsonArray("Gestion administrative\tClassement"),
            ["access_conditions"] = new JsonArray("Bac"),
            ["opening_count"] = 2,
        },
        ["apply"] = new JsonObject { ["email"] = "recrutement@entreprise.example", ["url"] = "https://entreprise.example/offre/1" },
        ["workplace"] = new JsonObject { ["siret"] = siret, ["name"] = "Entreprise des tests", ["website"] = "https://entreprise.example" },
    };

    private static StringContent Json(JsonNode node) => Http.Raw(node.ToJsonString());

    private static async Task<(HttpStatusCode Status, JsonElement Body)> Send(HttpClient client, HttpMethod method, string path, JsonNode? body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : Json(body) };
        using HttpResponseMessage response = await client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Whether a v3 search around the point lists the offer (polled for a second when it should change).</summary>
    private static async Task<bool> Listed(HttpClient client, string id, string rome, double lat, double lon, string extra = "")
    {
        string url = FormattableString.Invariant($"/api/v3/jobs/search?romes={rome}&latitude={lat}&longitude={lon}&radius=10{extra}");
        var (status, body) = await Send(client, HttpMethod.Get, url, null);
        Assert.Equal(HttpStatusCode.OK, status);
        return body.GetProperty("jobs").EnumerateArray().Any(j => j.GetProperty("identifier").GetProperty("id").GetString() == id);
    }

    private static async Task WaitListed(HttpClient client, string id, string rome, double lat, double lon, bool expected)
    {
        var clock = Stopwatch.StartNew();
        while (await Listed(client, id, rome, lat, lon) != expected)
        {
            Assert.True(clock.Elapsed < OneSecond, $"offer {id} {(expected ? "not listed" : "still listed")} after a second");
            await Task.Delay(20);
        }
    }

    [Theory]
    [InlineData("POST", "/api/v3/jobs")]
    [InlineData("PUT", "/api/v3/jobs/0123456789abcdef01234567")]
    [InlineData("GET", "/api/v3/jobs/0123456789abcdef01234567/publishing-informations")]
    [InlineData("POST", "/api/v4/jobs/multi-partner/bulk")]
    [InlineData("POST", "/job/v1/offer")]
    public async Task Keys_missing_401_wrong_403(string method, string path)
    {
        using HttpClient anonymous = Host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(anonymous, new HttpMethod(method), path, method == "GET" ? null : new JsonObject())).Status);
        using HttpClient wrong = Host.Partner("not-a-key");
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(wrong, new HttpMethod(method), path, method == "GET" ? null : new JsonObject())).Status);
    }

    public static TheoryData<string, string, string> BadOffers() => new()
    {
        { "offer.description", "\"Trop court.\"", "body.offer.description: Job description should be at least 30 characters" },
        { "offer.title", "\"ab\"", "body.offer.title: String must contain at least 3 character(s)" },
        { "offer.rome_codes", "[\"m1607\"]", "body.offer.rome_codes.0: Code ROME invalide" },
        { "offer.target_diploma", "{\"european\":\"9\"}", "body.offer.target_diploma.european: Invalid enum value. Expected '3' | '4' | '5' | '6' | '7', received '9'" },
        { "offer.status", "\"Closed\"", "body.offer.status: Invalid enum value. Expected 'Active' | 'Filled' | 'Cancelled' | 'Pending', received 'Closed'" },
        { "offer.publication", "{\"creation\":\"2099-01-01T00:00:00Z\"}", "body.offer.publication.creation: Creation date cannot be in the future" },
        { "offer.publication", "{\"expiration\":\"2001-01-01T00:00:00Z\"}", "body.offer.publication.expiration: Expiration date cannot be in the past" },
        { "contract.start", "\"2027-09-01\"", "body.contract.start: Expected ISO 8601 date string" },
        { "contract.type", "[\"Stage\"]", "body.contract.type.0: Invalid enum value. Expected 'Apprentissage' | 'Professionnalisation', received 'Stage'" },
        { "contract.remote", "\"office\"", "body.contract.remote: Invalid enum value. Expected 'onsite' | 'remote' | 'hybrid', received 'office'" },
        { "apply", "{}", "body.apply.url: At least one of url, email, or phone is required, body.apply.email: At least one of url, email, or phone is required, body.apply.phone: At least one of url, email, or phone is required" },
        { "apply.phone", "\"12\"", "body.apply.phone: Invalid Phone Number: please use international format (+XXXX...) or french national format (06XXX...)" },
        { "apply.email", "\"not-an-email\"", "body.apply.email: Invalid email" },
        { "apply.url", "\"not a url\"", "body.apply.url: Invalid url" },
        { "workplace.siret", "\"123\"", "body.workplace.siret: SIRET invalide" },
        { "workplace.siret", "\"12345678901234\"", "body.workplace.siret: Le siret ne respecte pas l'algorithme luhn (https://fr.wikipedia.org/wiki/Formule_de_Luhn)" },
        { "offer", "null", "body.offer: Object attendu" },
    };

    [Theory]
    [MemberData(nameof(BadOffers))]
    public async Task A_bad_offer_answers_400_with_its_zod_issue(string path, string json, string message)
    {
        JsonObject body = Offer((await Company()).Siret);
        string[] parts = path.Split('.');
        JsonObject parent = parts.Length == 1 ? body : body[parts[0]]!.AsObject();
        parent[parts[^1]] = JsonNode.Parse(json);
        using HttpClient alpha = Host.Partner();
        foreach (var (method, route) in new[] { (HttpMethod.Post, "/api/v3/jobs"), (HttpMethod.Put, "/api/v3/jobs/0123456789abcdef01234567") })
        {
            var (status, answer) = await Send(alpha, method, route, body);
            Assert.True(status == HttpStatusCode.BadRequest, $"{method} {route}: {status} {answer}");
            Assert.Equal("Bad Request", answer.GetProperty("error").GetString());
            Assert.Equal(message, answer.GetProperty("message").GetString());
            Assert.Equal("body", answer.GetProperty("data").GetProperty("validationError").GetProperty("validationContext").GetString());
        }
    }

    [Fact]
    public async Task A_posted_offer_is_searchable_within_a_second_replaced_by_put_and_only_by_its_partner()
    {
        CompanyItem company = await Company(3);
        using HttpClient alpha = Host.Partner();
        using HttpClient beta = Host.Partner(WriteHost.BetaKey);
        using HttpClient search = Host.CreateClient();
        string partnerJobId = "alpha-" + Guid.NewGuid().ToString("N");
        var (status, created) = await Send(alpha, HttpMethod.Post, "/api/v3/jobs", Offer(company.Siret, partnerJobId));
        Assert.True(status == HttpStatusCode.OK, created.ToString());
        string id = created.GetProperty("id").GetString()!;
        await WaitListed(search, id, "M1607", company.Latitude, company.Longitude, expected: true);

        // The v3 shape of what was posted; v1 sees it too.
        var (_, offer) = await Send(search, HttpMethod.Get, $"/api/v3/jobs/{id}", null);
        Assert.Equal("alpha", offer.GetProperty("identifier").GetProperty("partner_label").GetString());
        Assert.Equal(partnerJobId, offer.GetProperty("identifier").GetProperty("partner_job_id").GetString());
        Assert.Equal("Assistant administratif en alternance", offer.GetProperty("offer").GetProperty("title").GetString());
        Assert.Equal("https://entreprise.example/offre/1", offer.GetProperty("apply").GetProperty("url").GetString());
        Assert.Equal("recruiters_" + id, offer.GetProperty("apply").GetProperty("recipient_id").GetString());
        Assert.Equal("hybrid", offer.GetProperty("contract").GetProperty("remote").GetString());
        Assert.Equal("2027-09-01T00:00:00.000Z", offer.GetProperty("contract").GetProperty("start").GetString());
        Assert.Equal("5", offer.GetProperty("offer").GetProperty("target_diploma").GetProperty("european").GetString());
        Assert.Equal(["Rigueur"], offer.GetProperty("offer").GetProperty("desired_skills").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(2, offer.GetProperty("offer").GetProperty("opening_count").GetInt32());
        Assert.Equal(company.Siret, offer.GetProperty("workplace").GetProperty("siret").GetString());
        Assert.Equal("Entreprise des tests", offer.GetProperty("workplace").GetProperty("name").GetString());
        // Two months after its creation, at the start of the day in Paris.
        DateTimeOffset expiration = DateTimeOffset.Parse(offer.GetProperty("offer").GetProperty("publication").GetProperty("expiration").GetString()!);
        Assert.Equal(ParisTime.StartOfDay(fixture.Clock.GetUtcNow().AddMonths(2)), expiration);
        Assert.True(await Offers.Listed(search, id, "M1607", company.Latitude, company.Longitude));
        var (_, publishing) = await Send(alpha, HttpMethod.Get, $"/api/v3/jobs/{id}/publishing-informations", null);
        Assert.Equal("PUBLISHED", publishing.GetProperty("publishing").GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, publishing.GetProperty("publishing").GetProperty("error").ValueKind);

        // The same partner id again: taken.
        (status, JsonElement conflict) = await Send(alpha, HttpMethod.Post, "/api/v3/jobs", Offer(company.Siret, partnerJobId));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(409, conflict.GetProperty("statusCode").GetInt32());
        // Excluded by its partner label.
        Assert.False(await Listed(search, id, "M1607", company.Latitude, company.Longitude, "&partners_to_exclude=alpha"));
        Assert.True(await Listed(search, id, "M1607", company.Latitude, company.Longitude, "&partners_to_exclude=offres_emploi_lba"));

        // Replaced whole by its partner: a new title and codes; another partner may not.
        JsonObject replaced = Offer(company.Siret, partnerJobId, rome: "M1602", title: "Secrétaire en alternance");
        (status, _) = await Send(beta, HttpMethod.Put, $"/api/v3/jobs/{id}", replaced);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        (status, JsonElement nothing) = await Send(alpha, HttpMethod.Put, $"/api/v3/jobs/{id}", replaced);
        Assert.True(status == HttpStatusCode.NoContent, nothing.ToString());
        await WaitListed(search, id, "M1602", company.Latitude, company.Longitude, expected: true);
        Assert.False(await Listed(search, id, "M1607", company.Latitude, company.Longitude));
        (_, offer) = await Send(search, HttpMethod.Get, $"/api/v3/jobs/{id}", null);
        Assert.Equal("Secrétaire en alternance", offer.GetProperty("offer").GetProperty("title").GetString());
        Assert.Equal(partnerJobId, offer.GetProperty("identifier").GetProperty("partner_job_id").GetString());

        // Cancelled through PUT: out of search; then no longer modifiable.
        replaced["offer"]!["status"] = "Cancelled";
        (status, _) = await Send(alpha, HttpMethod.Put, $"/api/v3/jobs/{id}", replaced);
        Assert.Equal(HttpStatusCode.NoContent, status);
        await WaitListed(search, id, "M1602", company.Latitude, company.Longitude, expected: false);
        (status, JsonElement inactive) = await Send(alpha, HttpMethod.Put, $"/api/v3/jobs/{id}", replaced);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Job must be active in order to be modified", inactive.GetProperty("message").GetString());
        (_, publishing) = await Send(alpha, HttpMethod.Get, $"/api/v3/jobs/{id}/publishing-informations", null);
        Assert.Equal("WILL_NOT_BE_PUBLISHED", publishing.GetProperty("publishing").GetProperty("status").GetString());
        Assert.Equal("NOT_ACTIVE", publishing.GetProperty("publishing").GetProperty("error").GetProperty("code").GetString());

        // Unknown offers.
        (status, JsonElement unknown) = await Send(alpha, HttpMethod.Put, "/api/v3/jobs/0123456789abcdef01234567", replaced);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("Job offer not found", unknown.GetProperty("message").GetString());
        (status, unknown) = await Send(alpha, HttpMethod.Get, "/api/v3/jobs/0123456789abcdef01234567/publishing-informations", null);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("Aucune offre d'emploi trouvée pour l'ID: 0123456789abcdef01234567", unknown.GetProperty("message").GetString());
    }

    [Fact]
    public async Task An_offer_is_placed_by_its_address_when_its_siret_is_unknown_and_its_codes_come_from_its_title()
    {
        using HttpClient alpha = Host.Partner();
        JsonObject body = Offer(Offers.NewSiret());
        (HttpStatusCode status, JsonElement refused) = await Send(alpha, HttpMethod.Post, "/api/v3/jobs", body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("workplace:", refused.GetProperty("message").GetString());

        body["workplace"]!["location"] = new JsonObject { ["address"] = "3 place Bellecour 69002 Lyon" };
        body["offer"]!["rome_codes"] = null;
        body["offer"]!["title"] = "Boulanger";
        (status, JsonElement created) = await Send(alpha, HttpMethod.Post, "/api/v3/jobs", body);
        Assert.True(status == HttpStatusCode.OK, created.ToString());
        string id = created.GetProperty("id").GetString()!;
        var (_, offer) = await Send(alpha, HttpMethod.Get, $"/api/v3/jobs/{id}", null);
        string rome = offer.GetProperty("offer").GetProperty("rome_codes")[0].GetString()!;
        Assert.Equal("D1102", rome); // Boulanger / Boulangère
        var lyon = Alternance.Data.ReferenceData.Load().CommunesByPostalCode("69002")[0];
        await WaitListed(alpha, id, rome, lyon.Latitude, lyon.Longitude, expected: true);
        // Found by the département filter through the postal code of its address.
        string url = FormattableString.Invariant($"/api/v3/jobs/search?romes={rome}&departements=69");
        var (_, listing) = await Send(alpha, HttpMethod.Get, url, null);
        Assert.Contains(listing.GetProperty("jobs").EnumerateArray(), j => j.GetProperty("identifier").GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task A_bulk_upsert_answers_a_status_per_offer_and_a_bad_one_stops_nothing()
    {
        CompanyItem company = await Company(5);
        using HttpClient alpha = Host.Partner();
        string a = "bulk-a-" + Guid.NewGuid().ToString("N"), b = "bulk-b-" + Guid.NewGuid().ToString("N");
        JsonObject Item(string partnerJobId, string title = "Assistant administratif en alternance")
        {
            JsonObject item = Offer(company.Siret, title: title);
            item.Remove("identifier");
            item["partner_label"] = "Agrégateur";
            item["partner_job_id"] = partnerJobId;
            return item;
        }
        JsonObject bad = Item("bulk-bad");
        bad["offer"]!["description"] = "Court.";
        var (status, answer) = await Send(alpha, HttpMethod.Post, "/api/v4/jobs/multi-partner/bulk", new JsonArray(Item(a), bad, Item(b)));
        Assert.True(status == HttpStatusCode.OK, answer.ToString());
        JsonElement[] results = [.. answer.EnumerateArray()];
        Assert.Equal(3, results.Length);
        Assert.Equal(200, results[0].GetProperty("status").GetInt32());
        Assert.Equal(400, results[1].GetProperty("status").GetInt32());
        Assert.Equal("body.offer.description: Job description should be at least 30 characters", results[1].GetProperty("error").GetString());
        Assert.False(results[1].TryGetProperty("id", out _));
        Assert.Equal(200, results[2].GetProperty("status").GetInt32());
        string idA = results[0].GetProperty("id").GetString()!, idB = results[2].GetProperty("id").GetString()!;
        using HttpClient search = Host.CreateClient();
        await WaitListed(search, idA, "M1607", company.Latitude, company.Longitude, expected: true);
        await WaitListed(search, idB, "M1607", company.Latitude, company.Longitude, expected: true);
        var (_, offer) = await Send(search, HttpMethod.Get, $"/api/v3/jobs/{idA}", null);
        Assert.Equal("Agrégateur", offer.GetProperty("identifier").GetProperty("partner_label").GetString());
        Assert.Equal(a, offer.GetProperty("identifier").GetProperty("partner_job_id").GetString());

        // Again: the same ids; unchanged (304) or changed (200).
        (status, answer) = await Send(alpha, HttpMethod.Post, "/api/v4/jobs/multi-partner/bulk", new JsonArray(Item(a), Item(b, title: "Secrétaire en alternance")));
        results = [.. answer.EnumerateArray()];
        Assert.Equal((304, idA), (results[0].GetProperty("status").GetInt32(), results[0].GetProperty("id").GetString()));
        Assert.Equal((200, idB), (results[1].GetProperty("status").GetInt32(), results[1].GetProperty("id").GetString()));
        (_, offer) = await Send(search, HttpMethod.Get, $"/api/v3/jobs/{idB}", null);
        Assert.Equal("Secrétaire en alternance", offer.GetProperty("offer").GetProperty("title").GetString());

        // Not an array; too many.
        (status, answer) = await Send(alpha, HttpMethod.Post, "/api/v4/jobs/multi-partner/bulk", Item(a));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("body.: Array attendu", answer.GetProperty("message").GetString());
        var many = new JsonArray();
        for (int i = 0; i < 1001; i++) many.Add(new JsonObject());
        (status, answer) = await Send(alpha, HttpMethod.Post, "/api/v4/jobs/multi-partner/bulk", many);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("body.: Array must contain at most 1000 element(s)", answer.GetProperty("message").GetString());
    }

    [Fact]
    public async Task An_offer_with_an_expiration_date_leaves_searches_then_and_says_why()
    {
        CompanyItem company = await Company(7);
        using HttpClient alpha = Host.Partner();
        JsonObject body = Offer(company.Siret);
        DateTimeOffset expiration = fixture.Clock.GetUtcNow().AddSeconds(1);
        body["offer"]!["publication"] = new JsonObject { ["expiration"] = expiration.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'") };
        var (status, created) = await Send(alpha, HttpMethod.Post, "/api/v3/jobs", body);
        Assert.True(status == HttpStatusCode.OK, created.ToString());
        string id = created.GetProperty("id").GetString()!;
        await WaitListed(alpha, id, "M1607", company.Latitude, company.Longitude, expected: true);
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(await Listed(alpha, id, "M1607", company.Latitude, company.Longitude));
        var (_, publishing) = await Send(alpha, HttpMethod.Get, $"/api/v3/jobs/{id}/publishing-informations", null);
        Assert.Equal("WILL_NOT_BE_PUBLISHED", publishing.GetProperty("publishing").GetProperty("status").GetString());
        Assert.Equal("EXPIRED", publishing.GetProperty("publishing").GetProperty("error").GetProperty("code").GetString());
    }
}
