using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Alternance.Data;

namespace Alternance.Widget.Tests;

/// <summary>The routes the widgets need beyond the public API, over HTTP: validated, with their answers checked
/// against the bundled reference data; and the assets as browsers get them.</summary>
[Collection(WidgetCollection.Name)]
public sealed class WidgetApiTests(WidgetFixture fixture)
{
    private HttpClient Http => fixture.Host.Http;

    private ReferenceData Reference => fixture.Host.Reference;

    private async Task<(HttpStatusCode Status, JsonElement Body)> Get(string path)
    {
        using HttpResponseMessage response = await Http.GetAsync(path);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> Post(string path, object body, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };
        if (token is not null) request.Headers.Add("X-Widget-Token", token);
        HttpResponseMessage response = await Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    private static string[] Names(JsonElement body) => [.. body.GetProperty("communes").EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];

    [Fact]
    public async Task Communes_are_found_by_name_postal_code_insee_code_and_point()
    {
        // A whole name first, accents, case and hyphens aside.
        var (status, body) = await Get("/api/widget/communes?q=saint%20etienne");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Saint-Étienne", Names(body)[0]);
        JsonElement first = body.GetProperty("communes")[0];
        Commune expected = Reference.Communes.Single(c => c.Name == "Saint-Étienne");
        Assert.Equal(expected.Insee, first.GetProperty("insee").GetString());
        Assert.Equal(expected.Latitude, first.GetProperty("latitude").GetDouble());

        // Then names that start with the text, most populated first: the ten largest "Saint-…".
        (_, body) = await Get("/api/widget/communes?q=SAINT-");
        string[] saints = Names(body);
        Assert.Equal(10, saints.Length);
        string[] largest = [.. Reference.Communes.Where(c => !c.IsArrondissement && c.Name.StartsWith("Saint-", StringComparison.Ordinal))
            .OrderByDescending(c => c.Population).Take(10).Select(c => c.Name)];
        Assert.Equal(largest, saints);

        // Digits: a postal code prefix.
        (_, body) = await Get("/api/widget/communes?q=69003");
        Assert.Contains("Lyon", Names(body));
        Assert.All(body.GetProperty("communes").EnumerateArray(), c =>
            Assert.Contains(Reference.FindCommune(c.GetProperty("insee").GetString())!.PostalCodes, p => p.StartsWith("69003", StringComparison.Ordinal)));

        (_, body) = await Get("/api/widget/communes?insee=33063");
        Assert.Equal(["Bordeaux"], Names(body));
        // The nearest commune to a point just off Marseille's centre.
        (_, body) = await Get("/api/widget/communes?latitude=43.2965&longitude=5.3698");
        Assert.Equal(["Marseille"], Names(body));
        (_, body) = await Get("/api/widget/communes?q=zzzzqq");
        Assert.Empty(Names(body));
    }

    [Fact]
    public async Task Bad_commune_look_ups_answer_the_contract_s_400()
    {
        foreach (var (query, message) in new[]
        {
            ("", "q, insee, latitude, longitude : You must give a search text, an insee code or a point."),
            ("?insee=7505", "insee : Badly formatted insee city code. Must be 5 digit number."),
            ("?latitude=91&longitude=2", "latitude : Search center latitude must be a number between -90 and 90."),
            ("?latitude=abc&longitude=2", "latitude : Search center latitude must be a number."),
            ("?latitude=45", "longitude : Search center longitude is missing."),
            ("?q=" + new string('a', 101), "q : Search text must be at most 100 characters long."),
        })
        {
            var (status, body) = await Get("/api/widget/communes" + query);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal("wrong_parameters", body.GetProperty("error").GetString());
            Assert.Equal([message], body.GetProperty("error_messages").EnumerateArray().Select(m => m.GetString()));
        }
    }

    [Fact]
    public async Task Appellations_come_with_the_code_an_offer_is_posted_with()
    {
        var (status, body) = await Get("/api/widget/appellations?label=boulanger");
        Assert.Equal(HttpStatusCode.OK, status);
        JsonElement[] found = [.. body.GetProperty("appellations").EnumerateArray()];
        Assert.InRange(found.Length, 2, 20);
        Assert.Equal("Boulanger / Boulangère", found[0].GetProperty("label").GetString());
        foreach (JsonElement a in found)
        {
            RomeAppellation? known = Reference.FindAppellation(a.GetProperty("code").GetString());
            Assert.NotNull(known);
            Assert.Equal(known.Label, a.GetProperty("label").GetString());
            Assert.Equal(known.RomeCode, a.GetProperty("romeCode").GetString());
            Assert.Equal(Reference.FindRome(known.RomeCode)!.Label, a.GetProperty("romeLabel").GetString());
        }
        // The same order as the public route's.
        (_, JsonElement couples) = await Get("/api/v1/metiers/intitule?label=boulanger");
        Assert.Equal(couples.GetProperty("coupleAppellationRomeMetier").EnumerateArray().Take(found.Length).Select(c => c.GetProperty("appellation").GetString()),
            found.Select(a => a.GetProperty("label").GetString()));

        (status, body) = await Get("/api/widget/appellations");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("missing_parameters", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task The_recruiter_widget_checks_the_siret_and_only_its_token_posts_offers()
    {
        CompanyItem company = fixture.Host.Companies.First(c => c.NafCode is { } naf && !naf.StartsWith("85", StringComparison.Ordinal) && c.Siret.EndsWith('3'));
        CompanyItem school = fixture.Host.Companies.First(c => c.NafCode is { } naf && naf.StartsWith("85", StringComparison.Ordinal));
        const string origin = "/api/widget/recruiters/api-tests";

        var (status, body) = await Get($"{origin}/siret/{company.Siret}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(company.Siret, body.GetProperty("establishment_siret").GetString());
        Assert.Equal(company.RaisonSociale, body.GetProperty("establishment_raison_sociale").GetString());
        foreach (var (siret, message) in new[]
        {
            ("1234", "SIRET invalide"),
            ("12345678901234", "Le siret ne respecte pas l'algorithme luhn"),
            ("12345678901237", "Le numéro siret est invalide."),
            (school.Siret, "Le numéro siret n'est pas référencé comme une entreprise."),
        })
        {
            (status, body) = await Get($"{origin}/siret/{siret}");
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal(message, body.GetProperty("message").GetString());
        }
        (status, _) = await Get($"/api/widget/recruiters/bad%20origin/siret/{company.Siret}");
        Assert.Equal(HttpStatusCode.NotFound, status);

        // A position of the recruiter's choosing is refused: the establishment is where the companies feed puts it.
        var establishment = new Dictionary<string, object?>
        {
            ["establishment_siret"] = company.Siret, ["first_name"] = "Jeanne", ["last_name"] = "Martin", ["email"] = "jeanne@entreprise.example",
        };
        var (refused, refusal, _) = await Post($"{origin}/establishment", new Dictionary<string, object?>(establishment) { ["geo_coordinates"] = "48.85,2.35" });
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Contains("Unrecognized key(s) in object: 'geo_coordinates'", refusal.GetProperty("message").GetString());

        var (created, recruiter, response) = await Post($"{origin}/establishment", establishment);
        using (response)
        {
            Assert.Equal(HttpStatusCode.Created, created);
            string id = recruiter.GetProperty("establishment_id").GetString()!;
            Assert.Equal("widget-api-tests", recruiter.GetProperty("origin").GetString());
            Assert.Equal(FormattableString.Invariant($"{company.Latitude},{company.Longitude}"), recruiter.GetProperty("geo_coordinates").GetString());
            string token = response.Headers.GetValues("X-Widget-Token").Single();

            var job = new Dictionary<string, object?>
            {
                ["appellation_code"] = Reference.Appellations.First(a => Reference.FindRome(a.RomeCode) is not null).CodeOgr,
                ["job_level_label"] = "Indifférent",
                ["job_start_date"] = DateTime.UtcNow.AddDays(7).ToString("yyyy-MM-dd"),
                ["job_type"] = new[] { "Apprentissage" },
            };
            (status, _, HttpResponseMessage r1) = await Post($"{origin}/jobs/{id}", job);
            r1.Dispose();
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            // Another establishment's token, or a made-up one (its first character changed: one token in 64 began with
            // the character a fixed replacement would have put there).
            string forged = (token[0] == 'x' ? 'y' : 'x') + token[1..];
            (status, _, HttpResponseMessage r2) = await Post($"{origin}/jobs/{id}", job, forged);
            r2.Dispose();
            Assert.Equal(HttpStatusCode.Forbidden, status);
            // The partner routes' validation: the same messages.
            (status, body, HttpResponseMessage r3) = await Post($"{origin}/jobs/{id}", new Dictionary<string, object?>(job) { ["job_description"] = "trop court" }, token);
            r3.Dispose();
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains("job_description doit avoir un minimum de 30 caractères", body.GetProperty("message").GetString());
            (status, body, HttpResponseMessage r4) = await Post($"{origin}/jobs/{id}", job, token);
            r4.Dispose();
            Assert.Equal(HttpStatusCode.Created, status);
            string jobId = body.GetProperty("jobs")[0].GetProperty("_id").GetString()!;
            (status, _) = await Get($"/api/v1/jobs/matcha/{jobId}?caller=widget-tests");
            Assert.Equal(HttpStatusCode.OK, status);
        }

        // The widget registers a SIRET once.
        (status, body) = await Get($"{origin}/siret/{company.Siret}");
        Assert.Equal("Un compte est déjà associé à ce couple email/siret.", body.GetProperty("message").GetString());
        var (again, againBody, againResponse) = await Post($"{origin}/establishment", establishment);
        againResponse.Dispose();
        Assert.Equal(HttpStatusCode.BadRequest, again);
        Assert.Equal("Un compte est déjà associé à ce couple email/siret.", againBody.GetProperty("message").GetString());
        Assert.False(againResponse.Headers.Contains("X-Widget-Token"));
    }

    [Fact]
    public async Task Malformed_requests_to_the_widget_routes_answer_a_4xx_never_a_500()
    {
        var random = new Random(12);
        string[] noise = ["", " ", "%00", "%FF%FE", "\u00e9", "null", "-1", "1e400", "NaN", "Infinity", "[]", "{}", new string('9', 300), "'\"<script>", "..%2F..%2F"];
        string Pick() => noise[random.Next(noise.Length)];
        var failures = new List<string>();
        for (int i = 0; i < 120; i++)
        {
            string path = (i % 4) switch
            {
                0 => $"/api/widget/communes?q={Pick()}&insee={Pick()}&latitude={Pick()}&longitude={Pick()}",
                1 => $"/api/widget/appellations?label={Pick()}",
                2 => $"/api/widget/recruiters/{Uri.EscapeDataString(Pick() + "x")}/siret/{Uri.EscapeDataString(Pick() + "1")}",
                _ => $"/widget/assets/{Uri.EscapeDataString(Pick() + "y")}",
            };
            using HttpResponseMessage response = await Http.GetAsync(path);
            if ((int)response.StatusCode >= 500) failures.Add($"GET {path}: {(int)response.StatusCode}");
        }
        string[] bodies = ["", "[]", "\"text\"", "{", "{\"establishment_siret\": 12}", "{\"appellation_code\": [\"x\"], \"job_type\": \"Apprentissage\"}", new string('{', 100)];
        foreach (string target in new[] { "/api/widget/recruiters/fuzz/establishment", "/api/widget/recruiters/fuzz/jobs/" + Guid.NewGuid() })
        {
            foreach (string body in bodies)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                request.Headers.Add("X-Widget-Token", "not-a-token");
                using HttpResponseMessage response = await Http.SendAsync(request);
                if ((int)response.StatusCode >= 500) failures.Add($"POST {target} {body}: {(int)response.StatusCode}");
                else Assert.True((int)response.StatusCode >= 400, $"POST {target} {body}: {(int)response.StatusCode}");
            }
        }
        Assert.Empty(failures);
    }

    [Fact]
    public async Task Assets_are_named_by_their_content_cached_for_ever_and_compressed_once()
    {
        string html = await Http.GetStringAsync("/recherche");
        string script = System.Text.RegularExpressions.Regex.Match(html, "/widget/assets/search\\.[0-9a-f]{16}\\.js").Value;
        Assert.NotEmpty(script);
        using var handler = new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None };
        using var raw = new HttpClient(handler) { BaseAddress = fixture.BaseAddress };

        byte[] identity;
        using (HttpResponseMessage plain = await raw.GetAsync(script))
        {
            Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
            Assert.Equal("public, max-age=31536000, immutable", plain.Headers.CacheControl!.ToString());
            Assert.Equal("text/javascript", plain.Content.Headers.ContentType!.MediaType);
            identity = await plain.Content.ReadAsByteArrayAsync();
        }
        // Its name is its content's.
        Assert.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(identity))[..16], script);
        foreach (string coding in new[] { "gzip", "br" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, script);
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(coding));
            using HttpResponseMessage response = await raw.SendAsync(request);
            Assert.Equal(coding, Assert.Single(response.Content.Headers.ContentEncoding));
            await using Stream body = await response.Content.ReadAsStreamAsync();
            await using Stream decoded = coding == "gzip" ? new GZipStream(body, CompressionMode.Decompress) : new BrotliStream(body, CompressionMode.Decompress);
            using var copy = new MemoryStream();
            await decoded.CopyToAsync(copy);
            Assert.Equal(identity, copy.ToArray());

            using var again = new HttpRequestMessage(HttpMethod.Get, script);
            again.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(coding));
            again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
            using HttpResponseMessage notModified = await raw.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }
        using (HttpResponseMessage missing = await raw.GetAsync("/widget/assets/search.0000000000000000.js"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }
        // The vendored licences are served as they are in the repository.
        string licence = await Http.GetStringAsync("/widget/assets/vendor/leaflet/LICENSE");
        Assert.StartsWith("BSD 2-Clause License", licence);
        // The base map carries the outlines and the cities of the bundled communes.
        string basemap = System.Text.RegularExpressions.Regex.Match(html, "/widget/assets/basemap\\.[0-9a-f]{16}\\.json").Value;
        using JsonDocument map = JsonDocument.Parse(await Http.GetStringAsync(basemap));
        Assert.True(map.RootElement.GetProperty("france").GetArrayLength() > 20);
        JsonElement[] cities = [.. map.RootElement.GetProperty("cities").EnumerateArray()];
        Assert.Equal("Paris", cities[0][0].GetString());
        Assert.Equal(Reference.Communes.Count(c => !c.IsArrondissement && c.Population >= 5_000) + Reference.Departements.Count(d =>
            Reference.FindCommune(d.ChefLieuInsee) is { Population: < 5_000 }), cities.Length);
    }
}
