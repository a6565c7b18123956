using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Alternance.Search;
using Microsoft.Extensions.DependencyInjection;

namespace Alternance.Api.Writes.Tests;

[Collection(SharedHostCollection.Name)]
public sealed class AdminTests(SharedHostFixture fixture)
{
    private WriteHost Host => fixture.Host;

    private static string Formation(string id, double lat, double lon, string rome = "F1603") => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["cle_ministere_educatif"] = id,
        ["intitule_long"] = "MONTEUR EN INSTALLATIONS THERMIQUES (CAP)",
        ["niveau"] = "3 (CAP...)",
        ["rome_codes"] = new[] { rome },
        ["lieu_formation_geo_coordonnees"] = FormattableString.Invariant($"{lat},{lon}"),
        ["email"] = "cfa@example.org",
    });

    private static async Task<(HttpStatusCode, JsonElement)> Put(HttpClient client, string path, HttpContent content)
    {
        using HttpResponseMessage response = await client.PutAsync(path, content);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static StringContent Lines(params string[] lines) => new(string.Join("\n", lines) + "\n", Encoding.UTF8, "application/x-ndjson");

    [Fact]
    public async Task Admin_routes_need_the_admin_key()
    {
        using HttpClient anonymous = Host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PutAsync("/api/admin/import/formations?mode=upsert", Lines("{}"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync("/api/admin/companies/12345678901234")).StatusCode);
        using HttpClient partner = Host.Partner();
        Assert.Equal(HttpStatusCode.Forbidden, (await partner.PutAsync("/api/admin/import/formations?mode=upsert", Lines("{}"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await partner.DeleteAsync("/api/admin/companies/12345678901234")).StatusCode);
        using HttpClient admin = Host.Admin();
        var (status, _) = await Put(admin, "/api/admin/import/nothing?mode=upsert", Lines("{}"));
        Assert.Equal(HttpStatusCode.NotFound, status);
        (status, _) = await Put(admin, "/api/admin/import/formations?mode=merge", Lines("{}"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task Upsert_reports_refused_lines_and_accepts_gzip_either_way()
    {
        using HttpClient admin = Host.Admin();
        string a = "admin-upsert-" + Guid.NewGuid().ToString("N"), b = "admin-upsert-" + Guid.NewGuid().ToString("N");
        var (status, report) = await Put(admin, "/api/admin/import/formations?mode=upsert", Lines(
            Formation(a, 45.76, 4.83),
            "this is not json",
            """{"intitule_long":"no id","rome_codes":["F1603"],"lieu_formation_geo_coordonnees":"45.7,4.8"}""",
            Formation(b, 43.3, 5.37)));
        Assert.True(status == HttpStatusCode.OK, report.ToString());
        Assert.Equal("formations", report.GetProperty("feed").GetString());
        Assert.Equal("upsert", report.GetProperty("mode").GetString());
        Assert.Equal(4, report.GetProperty("lines").GetInt64());
        Assert.Equal(2, report.GetProperty("items").GetInt64());
        Assert.Equal(2, report.GetProperty("rejected").GetInt64());
        JsonElement[] errors = [.. report.GetProperty("errors").EnumerateArray()];
        Assert.Equal([2L, 3L], errors.Select(e => e.GetProperty("line").GetInt64()));
        Assert.Contains("missing id (cle_ministere_educatif)", errors[1].GetProperty("reason").GetString());
        Assert.NotNull(await Host.Engine.GetAsync(Source.Formation, a));
        Assert.NotNull(await Host.Engine.GetAsync(Source.Formation, b));

        // Gzip announced by Content-Encoding.
        string c = "admin-gzip-" + Guid.NewGuid().ToString("N");
        var encoded = new ByteArrayContent(Gzip(Formation(c, 47.2, -1.55) + "\n"));
        encoded.Headers.ContentEncoding.Add("gzip");
        (status, report) = await Put(admin, "/api/admin/import/formations?mode=upsert", encoded);
        Assert.True(status == HttpStatusCode.OK, report.ToString());
        Assert.Equal(1, report.GetProperty("items").GetInt64());
        Assert.NotNull(await Host.Engine.GetAsync(Source.Formation, c));

        // Gzip recognised by its magic bytes.
        string d = "admin-magic-" + Guid.NewGuid().ToString("N");
        (status, report) = await Put(admin, "/api/admin/import/formations?mode=upsert", new ByteArrayContent(Gzip(Formation(d, 44.84, -0.58) + "\n")));
        Assert.True(status == HttpStatusCode.OK, report.ToString());
        Assert.NotNull(await Host.Engine.GetAsync(Source.Formation, d));

        // Deleting: 204, then 404.
        using HttpResponseMessage deleted = await admin.DeleteAsync($"/api/admin/formations/{Uri.EscapeDataString(d)}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Null(await Host.Engine.GetAsync(Source.Formation, d));
        using HttpResponseMessage again = await admin.DeleteAsync($"/api/admin/formations/{Uri.EscapeDataString(d)}");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Replacing_the_recruiters_feed_keeps_the_offers_posted_through_the_api()
    {
        using HttpClient alpha = Host.Partner();
        using HttpClient search = Host.CreateClient();
        using HttpClient admin = Host.Admin();
        string establishment = (await Offers.CreateEstablishment(alpha)).GetProperty("establishment_id").GetString()!;
        string posted = await Offers.CreateJob(alpha, establishment, Offers.JobBody(fixture.Clock.GetUtcNow(), appellation: 5));
        string rome = Offers.Appellation(5).Rome;
        await Offers.WaitListed(search, posted, rome, expected: true, TimeSpan.FromSeconds(1));

        // A feed offer with the same ROME near the same point, replaced by another.
        string oldJob = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..24];
        string newJob = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..24];
        string Recruiter(string jobId) => JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["establishment_id"] = Guid.NewGuid().ToString(),
            ["establishment_siret"] = Offers.NewSiret(),
            ["establishment_raison_sociale"] = "Flux recruteurs",
            ["geo_coordinates"] = FormattableString.Invariant($"{Offers.Lat + 0.01},{Offers.Lon}"),
            ["status"] = "Actif",
            ["jobs"] = new[] { new Dictionary<string, object> { ["_id"] = jobId, ["rome_code"] = new[] { rome }, ["job_status"] = "Active" } },
        });
        var (status, report) = await Put(admin, "/api/admin/import/recruiters?mode=replace", Lines(Recruiter(oldJob)));
        Assert.True(status == HttpStatusCode.OK, report.ToString());
        await Offers.WaitListed(search, oldJob, rome, expected: true, TimeSpan.FromSeconds(1));
        (status, report) = await Put(admin, "/api/admin/import/recruiters?mode=replace", Lines(Recruiter(newJob), "{\"establishment_id\":\"x\"}"));
        Assert.True(status == HttpStatusCode.OK, report.ToString());
        Assert.Equal(1, report.GetProperty("items").GetInt64());
        Assert.Equal(1, report.GetProperty("rejected").GetInt64());
        await Offers.WaitListed(search, newJob, rome, expected: true, TimeSpan.FromSeconds(1));
        Assert.False(await Offers.Listed(search, oldJob, rome));
        // The posted offer survived both replaces.
        Assert.True(await Offers.Listed(search, posted, rome));

        // An admin delete of a posted offer takes it out of search too.
        using HttpResponseMessage deleted = await admin.DeleteAsync($"/api/admin/recruiters/{posted}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await Offers.WaitListed(search, posted, rome, expected: false, TimeSpan.FromSeconds(1));
        using HttpResponseMessage again = await admin.DeleteAsync($"/api/admin/recruiters/{posted}");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    /// <summary>
    /// The companies feed's SIREN → OPCO table goes with its generation (an upsert adds to it), and a national offer
    /// imported afterwards whose feed names no OPCO takes its employer's: the opco filter finds it.
    /// </summary>
    [Fact]
    public async Task National_offers_take_their_employers_opco_from_the_companies_feed()
    {
        using HttpClient admin = Host.Admin();
        using HttpClient search = Host.CreateClient();
        string siret = Offers.NewSiret(), sameSiren = SameSiren(siret), stranger = Offers.NewSiret();
        var (status, report) = await Put(admin, "/api/admin/import/companies?mode=upsert", Lines(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["siret"] = siret, ["raison_sociale"] = "CHARPENTES DES TESTS", ["rome_codes"] = new[] { "F1503" },
            ["geo_coordinates"] = "44.84,-0.58", ["opco_short_name"] = "CONSTRUCTYS", ["opco_url"] = "https://www.constructys.fr",
        })));
        Assert.True(status == HttpStatusCode.OK, report.ToString());
        string NationalOffer(string id, string employer) => JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["id"] = id, ["intitule"] = "Charpentier (H/F)", ["romeCode"] = "F1503",
            ["lieuTravail"] = new Dictionary<string, object> { ["libelle"] = "33 - Bordeaux", ["latitude"] = 44.84, ["longitude"] = -0.58, ["codePostal"] = "33000" },
            ["entreprise"] = new Dictionary<string, object> { ["nom"] = "CHARPENTES", ["siret"] = employer },
            ["natureContrat"] = "Contrat apprentissage",
        });
        string known = "T" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant(), unknown = "U" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        (status, report) = await Put(admin, "/api/admin/import/peJobs?mode=upsert", Lines(NationalOffer(known, sameSiren), NationalOffer(unknown, stranger)));
        Assert.True(status == HttpStatusCode.OK, report.ToString());

        async Task<string[]> Found(string opco)
        {
            using HttpResponseMessage response = await search.GetAsync($"/api/v1/jobs?caller=x&romes=F1503&latitude=44.84&longitude=-0.58&radius=1&sources=offres{opco}");
            JsonElement body = await response.ReadJson();
            return [.. body.GetProperty("peJobs").GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString()!)];
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!(await Found("")).Contains(known) && clock.Elapsed < TimeSpan.FromSeconds(1)) await Task.Delay(20);
        Assert.Contains(known, await Found("&opco=constructys"));
        Assert.DoesNotContain(unknown, await Found("&opco=constructys"));
        Assert.Contains(unknown, await Found(""));
        using HttpResponseMessage v3 = await search.GetAsync($"/api/v3/jobs/{known}");
        Assert.Equal("CONSTRUCTYS", (await v3.ReadJson()).GetProperty("workplace").GetProperty("domain").GetProperty("opco").GetString());
    }

    /// <summary>Another establishment (SIRET) of the same company (SIREN).</summary>
    private static string SameSiren(string siret)
    {
        for (int nic = 10; nic < 100_000; nic++)
        {
            string body = siret[..9] + nic.ToString("D5")[..4];
            for (int key = 0; key < 10; key++)
            {
                string candidate = body + key;
                if (candidate != siret && Alternance.Api.Recruiters.RecruiterService.Luhn(candidate)) return candidate;
            }
        }
        throw new InvalidOperationException();
    }

    [Fact]
    public async Task A_replace_while_another_runs_answers_409()
    {
        await using (ReplaceSession running = await Host.Services.GetRequiredService<FeedImporter>().BeginReplaceAsync(Source.PeJob))
        {
            using HttpClient admin = Host.Admin();
            var (status, body) = await Put(admin, "/api/admin/import/peJobs?mode=replace", Lines("{}"));
            Assert.Equal(HttpStatusCode.Conflict, status);
            Assert.Contains("already running", body.GetProperty("message").GetString());
        }
        // Once the other one is given up, a replace goes through (an upsert never waits).
        using HttpClient admin2 = Host.Admin();
        var (after, _) = await Put(admin2, "/api/admin/import/peJobs?mode=upsert", Lines("{}"));
        Assert.Equal(HttpStatusCode.OK, after);
    }

    private static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }
        return output.ToArray();
    }
}
