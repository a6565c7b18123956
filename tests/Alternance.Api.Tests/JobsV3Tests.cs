using System.Net;
using System.Text.Json;
using Alternance.Data;
using Alternance.Testing;
using static Alternance.Api.Tests.Support;

namespace Alternance.Api.Tests;

/// <summary>
/// <c>GET /api/v3/jobs/search</c> and <c>GET /api/v3/jobs/{id}</c> (and their gateway names) over real HTTP: validation as
/// La bonne alternance's schema words it, the lists the contract's brute force gives in the v3 order, the v3 shapes, and
/// the same offers as <c>/api/v1/jobs</c> for the same query.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class JobsV3Tests(ApiHost host)
{
    private const int Cap = 150;
    private long Now => ApiHost.Now.ToUnixTimeMilliseconds();

    private static string[] Ids(JsonElement list) => [.. list.EnumerateArray().Select(j => j.GetProperty("identifier").GetProperty("id").GetString()!)];

    private static string[] JobIds(JsonElement body, string partner) =>
        [.. body.GetProperty("jobs").EnumerateArray()
            .Where(j => j.GetProperty("identifier").GetProperty("partner_label").GetString() == partner)
            .Select(j => j.GetProperty("identifier").GetProperty("id").GetString()!)];

    private string[] BusyRomes(int count) =>
        [.. host.Matchas.Where(m => m.IsActive && m.IsMultiPublished).SelectMany(m => m.RomeCodes)
            .Concat(host.PeJobs.SelectMany(p => p.RomeCodes)).GroupBy(r => r).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(count).Select(g => g.Key)];

    // ------------------------------------------------------------------ validation

    [Theory]
    [InlineData("latitude=48.85", "longitude", "longitude is required when latitude is provided")]
    [InlineData("longitude=2.35", "latitude", "latitude is required when longitude is provided")]
    [InlineData("latitude=91&longitude=2", "latitude", "Latitude doit être comprise entre -90 et 90")]
    [InlineData("latitude=48&longitude=-181", "longitude", "Longitude doit être comprise entre -180 et 180")]
    [InlineData("latitude=abc&longitude=2", "latitude", "Number attendu")]
    [InlineData("radius=201", "radius", "Number must be less than or equal to 200")]
    [InlineData("radius=-1", "radius", "Number must be greater than or equal to 0")]
    [InlineData("radius=far", "radius", "Number attendu")]
    [InlineData("target_diploma_level=8", "target_diploma_level", "Invalid enum value. Expected '3' | '4' | '5' | '6' | '7', received '8'")]
    [InlineData("romes=F1603,abc", "romes", "One or more ROME codes are invalid. Expected format is 'D1234'.")]
    [InlineData("rncp=12345", "rncp", "Code RNCP invalide")]
    [InlineData("elligibleHandicapFilter=maybe", "elligibleHandicapFilter", "Boolean attendu")]
    public async Task Bad_parameters_answer_400_with_the_schema_issue(string query, string path, string message)
    {
        foreach (string route in new[] { "/api/v3/jobs/search", "/job/v1/search" })
        {
            var (status, body) = await host.Http.GetJson($"{route}?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, status);
            ShapeTests.AssertShape(body, "statusCode:N error:S message:S data:O", "v3 400");
            Assert.Equal(400, body.GetProperty("statusCode").GetInt32());
            Assert.Equal("Bad Request", body.GetProperty("error").GetString());
            Assert.Equal($"querystring.{path}: {message}", body.GetProperty("message").GetString());
            JsonElement error = body.GetProperty("data").GetProperty("validationError");
            Assert.Equal("querystring", error.GetProperty("validationContext").GetString());
            JsonElement issue = Assert.Single(error.GetProperty("issues").EnumerateArray());
            Assert.Equal(path, issue.GetProperty("path")[0].GetString());
            Assert.Equal(message, issue.GetProperty("message").GetString());
        }
    }

    [Fact]
    public async Task Every_issue_is_reported_and_an_unknown_opco_or_rncp_is_refused()
    {
        var (status, body) = await host.Http.GetJson("/api/v3/jobs/search?latitude=95&radius=500&romes=x");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(4, body.GetProperty("data").GetProperty("validationError").GetProperty("issues").GetArrayLength());

        (status, body) = await host.Http.GetJson("/api/v3/jobs/search?opco=NOPE");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("querystring.opco: Invalid enum value. Expected 'AFDAS' | ", body.GetProperty("message").GetString());
        Assert.EndsWith(", received 'NOPE'", body.GetProperty("message").GetString());

        (status, body) = await host.Http.GetJson("/api/v3/jobs/search?rncp=RNCP99999");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Cannot find an active Certification for the given RNCP", body.GetProperty("message").GetString());
        Assert.Equal("RNCP99999", body.GetProperty("data").GetProperty("rncp").GetString());
    }

    // ------------------------------------------------------------------ answers

    /// <summary>The contract's lists for a v3 query: posted offers (150 at most), national offers (150), companies (150).</summary>
    private (string[] Offers, string[] National, string[] Recruiters) Expected(SourceQuery shape)
    {
        // Posted offers: the first 150 jobs, whatever their recruiters (every match, ranked, then cut).
        string[] offers = ApiHost.Oracle(host.Matchas).Ids(shape with
        {
            Source = Source.Matcha, MultiPublishedOnly = true, NewestFirst = true, Limit = int.MaxValue,
        }).Take(Cap).ToArray();
        string[] national = ApiHost.Oracle(host.PeJobs).Ids(shape with { Source = Source.PeJob, NewestFirst = true, Limit = Cap });
        string[] recruiters = ApiHost.Oracle(host.Companies).Ids(shape with { Source = Source.Company, DiplomaLevel = 0, DisabledElligibleOnly = false, Limit = Cap });
        return (offers, national, recruiters);
    }

    private async Task AssertAnswers(string query, SourceQuery shape, bool recruitersAsked = true)
    {
        JsonElement body = await host.Http.GetOk("/api/v3/jobs/search?" + query);
        ShapeTests.AssertShape(body, "jobs:A recruiters:A warnings:A", "v3 answer");
        var (offers, national, recruiters) = Expected(shape);
        // Source priority: every posted offer before every national offer.
        Assert.Equal([.. offers, .. national], Ids(body.GetProperty("jobs")));
        Assert.Equal(recruitersAsked ? recruiters : [], Ids(body.GetProperty("recruiters")));
        Assert.Equal(0, body.GetProperty("warnings").GetArrayLength());
    }

    [Fact]
    public async Task A_search_around_a_point_answers_the_contract_lists_in_the_v3_order()
    {
        string[] romes = BusyRomes(3);
        var paris = host.Reference.FindCommune("75056")!;
        var shape = new SourceQuery { Source = Source.Matcha, Latitude = paris.Latitude, Longitude = paris.Longitude, RadiusKm = 60, Romes = romes };
        await AssertAnswers($"romes={string.Join(',', romes)}&latitude={Inv(paris.Latitude)}&longitude={Inv(paris.Longitude)}&radius=60", shape);
        // Default radius 30 km.
        await AssertAnswers($"romes={string.Join(',', romes)}&latitude={Inv(paris.Latitude)}&longitude={Inv(paris.Longitude)}", shape with { RadiusKm = 30 });
        // The gateway's name answers the same bytes.
        string url = $"?romes={romes[0]}&latitude={Inv(paris.Latitude)}&longitude={Inv(paris.Longitude)}&radius=20";
        Assert.Equal(await Text("/api/v3/jobs/search" + url), await Text("/job/v1/search" + url));
    }

    [Fact]
    public async Task Filters_narrow_each_list_as_the_contract_says()
    {
        string[] romes = BusyRomes(4);
        var lyon = host.Reference.FindCommune("69123")!;
        string where = $"romes={string.Join(',', romes)}&latitude={Inv(lyon.Latitude)}&longitude={Inv(lyon.Longitude)}&radius=100";
        var shape = new SourceQuery { Source = Source.Matcha, Latitude = lyon.Latitude, Longitude = lyon.Longitude, RadiusKm = 100, Romes = romes };
        await AssertAnswers(where + "&target_diploma_level=5", shape with { DiplomaLevel = 5 });
        await AssertAnswers(where + "&elligibleHandicapFilter=true", shape with { DisabledElligibleOnly = true });
        await AssertAnswers(where + "&departements=69&departements=01", shape with { PostalPrefixes = ["69", "01"] });
        await AssertAnswers(where + "&opco=" + Esc("Opco Santé"), shape with { Opco = "SANTE" });
        await AssertAnswers(where + "&opco=AKTO", shape with { Opco = "AKTO" });
        // Excluding a partner leaves its list empty.
        JsonElement body = await host.Http.GetOk($"/api/v3/jobs/search?{where}&partners_to_exclude=France%20Travail,recruteurs_lba");
        Assert.Empty(JobIds(body, "France Travail"));
        Assert.Equal(0, body.GetProperty("recruiters").GetArrayLength());
        Assert.NotEmpty(JobIds(body, "offres_emploi_lba"));
        body = await host.Http.GetOk($"/api/v3/jobs/search?{where}&partners_to_exclude=offres_emploi_lba");
        Assert.Empty(JobIds(body, "offres_emploi_lba"));
        Assert.NotEmpty(JobIds(body, "France Travail"));
    }

    [Fact]
    public async Task Without_a_centre_offers_are_listed_newest_first_and_an_rncp_adds_its_codes()
    {
        string[] romes = BusyRomes(1);
        await AssertAnswers($"romes={romes[0]}", new SourceQuery { Source = Source.Matcha, Area = SearchArea.Listing, Romes = romes });
        RncpCertification rncp = host.Reference.Rncps.First(r => r.RomeCodesV4.Count > 0 && host.PeJobs.Any(p => r.RomeCodesV4.Contains(p.RomeCodes[0])));
        var paris = host.Reference.FindCommune("75056")!;
        await AssertAnswers($"rncp={rncp.Code}&latitude={Inv(paris.Latitude)}&longitude={Inv(paris.Longitude)}&radius=200",
            new SourceQuery { Source = Source.Matcha, Latitude = paris.Latitude, Longitude = paris.Longitude, RadiusKm = 200, Romes = [.. rncp.RomeCodesV4] });
    }

    [Fact]
    public async Task The_lists_are_capped_at_150_per_source_and_the_shapes_are_declared_in_the_openapi_document()
    {
        string[] romes = BusyRomes(20);
        var paris = host.Reference.FindCommune("75056")!;
        JsonElement body = await host.Http.GetOk($"/api/v3/jobs/search?romes={string.Join(',', romes)}&latitude={Inv(paris.Latitude)}&longitude={Inv(paris.Longitude)}&radius=200");
        string[] offers = JobIds(body, "offres_emploi_lba"), national = JobIds(body, "France Travail");
        // The test dataset holds too few posted offers to reach their cap (the engine tests cover it).
        Assert.InRange(offers.Length, 1, Cap);
        Assert.Equal(Cap, national.Length);
        Assert.Equal(Cap, body.GetProperty("recruiters").GetArrayLength());
        foreach (JsonElement job in body.GetProperty("jobs").EnumerateArray()) AssertOffer(job);
        foreach (JsonElement recruiter in body.GetProperty("recruiters").EnumerateArray()) AssertRecruiter(recruiter);

        JsonElement doc = await host.Http.GetOk("/api-docs/swagger.json");
        var undeclared = new List<string>();
        ShapeTests.Walk(doc, ShapeTests.ResponseSchema(doc, "/api/v3/jobs/search"), body, "$", undeclared);
        Assert.Empty(undeclared);
        JsonElement parameters = doc.GetProperty("paths").GetProperty("/api/v3/jobs/search").GetProperty("get").GetProperty("parameters");
        var names = parameters.EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToHashSet();
        foreach (string name in new[] { "latitude", "longitude", "radius", "target_diploma_level", "romes", "rncp", "departements", "opco", "partners_to_exclude", "elligibleHandicapFilter" })
        {
            Assert.Contains(name, names);
        }
        foreach (string path in new[] { "/job/v1/search", "/api/v3/jobs/{id}", "/job/v1/offer/{id}" }) Assert.True(doc.GetProperty("paths").TryGetProperty(path, out _), path);
    }

    [Theory]
    [InlineData("/api/v3/jobs/export", "get", null)]
    [InlineData("/job/v1/export", "get", null)]
    [InlineData("/api/v3/jobs", "post", "JobOfferWriteV3Doc")]
    [InlineData("/job/v1/offer", "post", "JobOfferWriteV3Doc")]
    [InlineData("/api/v3/jobs/{id}", "put", "JobOfferWriteV3Doc")]
    [InlineData("/api/v3/jobs/{id}/publishing-informations", "get", null)]
    [InlineData("/api/v4/jobs/multi-partner/bulk", "post", "JobOfferBulkItemDoc")]
    [InlineData("/api/v2/application", "post", "ApplicationV2Doc")]
    [InlineData("/job/v1/apply", "post", "ApplicationV2Doc")]
    [InlineData("/api/v2/appointment", "post", "AppointmentV2Doc")]
    [InlineData("/formation/v1/appointment/generate-link", "post", "AppointmentV2Doc")]
    [InlineData("/api/v1/jobs/bulk", "get", null)]
    public async Task Every_new_route_is_in_the_openapi_document_with_its_body(string path, string method, string? body)
    {
        JsonElement doc = await host.Http.GetOk("/api-docs/swagger.json");
        Assert.True(doc.GetProperty("paths").TryGetProperty(path, out JsonElement item), $"{path} is not documented");
        Assert.True(item.TryGetProperty(method, out JsonElement operation), $"{path} has no {method}");
        Assert.True(operation.TryGetProperty("summary", out _), $"{method} {path} has no summary");
        if (body is not null)
        {
            string schema = operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema").ToString();
            Assert.Contains(body, schema);
        }
    }

    internal static void AssertOffer(JsonElement job)
    {
        ShapeTests.AssertShape(job, "identifier:O workplace:O apply:O contract:O offer:O is_delegated:B", "job");
        ShapeTests.AssertShape(job.GetProperty("identifier"), "id:S partner_label:S partner_job_id:S", "job.identifier");
        AssertWorkplace(job.GetProperty("workplace"), "job.workplace");
        ShapeTests.AssertShape(job.GetProperty("apply"), "url:S phone:s recipient_id:s", "job.apply");
        ShapeTests.AssertShape(job.GetProperty("contract"), "start:s duration:n type:A remote:s", "job.contract");
        JsonElement offer = job.GetProperty("offer");
        ShapeTests.AssertShape(offer, "title:s rome_codes:A description:S target_diploma:o desired_skills:A to_be_acquired_skills:A "
            + "access_conditions:A publication:O opening_count:N status:S", "job.offer");
        if (offer.GetProperty("target_diploma").ValueKind == JsonValueKind.Object)
        {
            ShapeTests.AssertShape(offer.GetProperty("target_diploma"), "european:S label:s", "job.offer.target_diploma");
        }
        ShapeTests.AssertShape(offer.GetProperty("publication"), "creation:s expiration:s", "job.offer.publication");
        Assert.Equal("Active", offer.GetProperty("status").GetString());
    }

    internal static void AssertRecruiter(JsonElement recruiter)
    {
        ShapeTests.AssertShape(recruiter, "identifier:O workplace:O apply:O", "recruiter");
        ShapeTests.AssertShape(recruiter.GetProperty("identifier"), "id:S", "recruiter.identifier");
        AssertWorkplace(recruiter.GetProperty("workplace"), "recruiter.workplace");
        ShapeTests.AssertShape(recruiter.GetProperty("apply"), "url:S phone:Z recipient_id:s", "recruiter.apply");
    }

    private static void AssertWorkplace(JsonElement w, string where)
    {
        ShapeTests.AssertShape(w, "siret:s brand:s legal_name:s website:s name:s description:s size:s location:O domain:O", where);
        ShapeTests.AssertShape(w.GetProperty("location"), "address:s geopoint:O", where + ".location");
        JsonElement point = w.GetProperty("location").GetProperty("geopoint");
        ShapeTests.AssertShape(point, "type:S coordinates:A", where + ".location.geopoint");
        Assert.Equal("Point", point.GetProperty("type").GetString());
        Assert.Equal(2, point.GetProperty("coordinates").GetArrayLength());
        ShapeTests.AssertShape(w.GetProperty("domain"), "idcc:n opco:s naf:o", where + ".domain");
    }

    /// <summary>
    /// The property the v3 search owes its reusers: for the same query it answers the same offers and companies as
    /// <c>/api/v1/jobs</c>, shape aside. Where a list reaches its cap the two orders may keep different items at the last
    /// distance (v1 breaks ties by id, v3 by date), so below it they must agree exactly.
    /// </summary>
    [Fact]
    public async Task V3_and_v1_answer_the_same_offers_for_the_same_query()
    {
        var random = new Random(41);
        string[] romes = BusyRomes(12);
        var places = host.Matchas.Where(m => m.IsActive).Concat<SearchItem>(host.PeJobs).Where((_, i) => i % 31 == 0).ToList();
        string[] opcos = ["AKTO", "ATLAS", "SANTE", "EP"];
        int compared = 0, capped = 0;
        for (int i = 0; i < 60; i++)
        {
            // One query in five around Paris, wide, with many codes: the national offers reach their cap there.
            bool wide = i % 5 == 0;
            SearchItem at = wide ? host.PeJobs.First(p => p.CodePostal?.StartsWith("75", StringComparison.Ordinal) == true) : places[random.Next(places.Count)];
            string codes = string.Join(',', romes.OrderBy(_ => random.Next()).Take(wide ? 12 : random.Next(1, 13)));
            int radius = wide ? 200 : random.Next(1, 21) * 10;
            string filters = "";
            if (random.Next(4) == 0) filters += $"&opco={opcos[random.Next(opcos.Length)]}";
            int level = random.Next(4) == 0 ? random.Next(3, 8) : 0;
            string where = $"romes={codes}&latitude={Inv(at.Latitude)}&longitude={Inv(at.Longitude)}&radius={radius}{filters}";
            JsonElement v1 = await host.Http.GetOk($"/api/v1/jobs?caller=x&{where}" + (level > 0 ? $"&diploma={level}" : ""));
            JsonElement v3 = await host.Http.GetOk($"/api/v3/jobs/search?{where}" + (level > 0 ? $"&target_diploma_level={level}" : ""));
            capped += Same(v1.GetProperty("matchas"), JobIds(v3, "offres_emploi_lba"), at, host.Matchas, $"{where} matchas");
            capped += Same(v1.GetProperty("peJobs"), JobIds(v3, "France Travail"), at, host.PeJobs, $"{where} peJobs");
            // Companies: same order and cap in both.
            Assert.Equal(v1.GetProperty("lbaCompanies").Results().Select(c => c.GetProperty("id").GetString()), Ids(v3.GetProperty("recruiters")));
            compared++;
        }
        Assert.Equal(60, compared);
        Assert.True(capped > 0, "no query reached a cap: the boundary rule was not exercised");
    }

    /// <returns>1 when a list reached its cap.</returns>
    private static int Same(JsonElement v1Slot, string[] v3, SearchItem centre, IEnumerable<SearchItem> items, string what)
    {
        string[] v1 = [.. v1Slot.Results().Select(r => r.GetProperty("id").GetString()!)];
        if (v3.Length < Cap && v1.Length < Cap)
        {
            Assert.True(v1.ToHashSet().SetEquals(v3), $"{what}: v1 {v1.Length} offers, v3 {v3.Length}");
            return 0;
        }
        // At a cap: everything nearer than the farthest v3 offer is in both.
        Dictionary<string, double> distance = items.Where(i => v1.Contains(i.Id) || v3.Contains(i.Id))
            .ToDictionary(i => i.Id, i => GreatCircle.DistanceKm(centre.Latitude, centre.Longitude, i.Latitude, i.Longitude));
        double last = v3.Max(id => distance[id]);
        var nearerV1 = v1.Where(id => distance[id] < last).ToHashSet();
        var nearerV3 = v3.Where(id => distance[id] < last).ToHashSet();
        Assert.True(nearerV1.SetEquals(nearerV3), $"{what}: below {last} km, v1 {nearerV1.Count} offers, v3 {nearerV3.Count}");
        return 1;
    }

    [Fact]
    public async Task A_search_answer_has_a_strong_tag_and_answers_304_to_it()
    {
        string[] romes = BusyRomes(2);
        var paris = host.Reference.FindCommune("75056")!;
        string url = $"/api/v3/jobs/search?romes={string.Join(',', romes)}&latitude={Inv(paris.Latitude)}&longitude={Inv(paris.Longitude)}&radius=30";
        using HttpResponseMessage first = await host.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.False(first.Headers.ETag!.IsWeak);
        using var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.IfNoneMatch.Add(first.Headers.ETag);
        using HttpResponseMessage second = await host.Http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        // Another query, another tag; a failing source: a warning, no tag.
        using HttpResponseMessage other = await host.Http.GetAsync(url.Replace("radius=30", "radius=31"));
        Assert.NotEqual(first.Headers.ETag, other.Headers.ETag);
        var (status, body) = await host.Http.GetJson(url, failSources: "PeJob");
        Assert.Equal(HttpStatusCode.OK, status);
        JsonElement warning = Assert.Single(body.GetProperty("warnings").EnumerateArray());
        Assert.Equal("FRANCE_TRAVAIL_UNAVAILABLE", warning.GetProperty("code").GetString());
        Assert.Empty(JobIds(body, "France Travail"));
        Assert.NotEmpty(JobIds(body, "offres_emploi_lba"));
    }

    // ------------------------------------------------------------------ export

    private async Task<(List<string> Ids, HttpResponseMessage Response)> Export(string route)
    {
        HttpResponseMessage response = await host.Http.GetAsync(route);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/gzip", response.Content.Headers.ContentType?.MediaType);
        using var gzip = new System.IO.Compression.GZipStream(await response.Content.ReadAsStreamAsync(), System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, System.Text.Encoding.UTF8);
        var ids = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            using JsonDocument offer = JsonDocument.Parse(line);
            AssertOffer(offer.RootElement);
            ids.Add(offer.RootElement.GetProperty("identifier").GetProperty("id").GetString()!);
        }
        return (ids, response);
    }

    /// <summary>
    /// The export is exactly the offers searches find: the brute force's whole listing of each source as of now, and the
    /// union of a v3 search at every place an offer is (radius 0, the codes filed there).
    /// </summary>
    [Fact]
    public async Task The_export_is_every_offer_the_searches_find_as_gzipped_json_lines()
    {
        var (ids, response) = await Export("/api/v3/jobs/export");
        using (response)
        {
            Assert.NotNull(response.Content.Headers.LastModified);
            Assert.Equal(ApiHost.Now, DateTimeOffset.Parse(response.Headers.GetValues("X-Last-Update").Single()));
        }
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var listed = ApiHost.Oracle(host.Matchas).Ids(new SourceQuery { Source = Source.Matcha, Area = SearchArea.Listing, MultiPublishedOnly = true, Limit = int.MaxValue })
            .Concat(ApiHost.Oracle(host.PeJobs).Ids(new SourceQuery { Source = Source.PeJob, Area = SearchArea.Listing, Limit = int.MaxValue }))
            .ToHashSet();
        Assert.True(listed.SetEquals(ids), $"export {ids.Count} offers, brute force {listed.Count}");
        Assert.Contains(host.Matchas, m => OfferDates.IsExpired(m, Now)); // some offers of the dataset have expired: not exported

        var union = new HashSet<string>();
        foreach (var place in host.Matchas.Concat<SearchItem>(host.PeJobs).GroupBy(i => (i.Latitude, i.Longitude)))
        {
            string codes = string.Join(',', place.SelectMany(i => i.RomeCodes).Distinct());
            JsonElement body = await host.Http.GetOk($"/api/v3/jobs/search?romes={codes}&latitude={Inv(place.Key.Latitude)}&longitude={Inv(place.Key.Longitude)}&radius=0");
            // A place whose list reached its cap would hide offers from this union.
            Assert.True(JobIds(body, "offres_emploi_lba").Length < Cap && JobIds(body, "France Travail").Length < Cap);
            union.UnionWith(Ids(body.GetProperty("jobs")));
        }
        Assert.True(union.SetEquals(ids), $"export {ids.Count} offers, union of the searches {union.Count}");

        var (gateway, again) = await Export("/job/v1/export");
        again.Dispose();
        Assert.True(gateway.ToHashSet().SetEquals(ids));
    }

    // ------------------------------------------------------------------ one offer

    [Fact]
    public async Task One_offer_by_id_in_the_v3_shape_and_404_when_unknown_or_expired()
    {
        MatchaItem posted = host.Matchas.First(m => m.IsActive && !OfferDates.IsExpired(m, Now) && m.Recruiter.Email is not null);
        foreach (string route in new[] { "/api/v3/jobs/", "/job/v1/offer/" })
        {
            JsonElement offer = await host.Http.GetOk(route + posted.Id);
            AssertOffer(offer);
            Assert.Equal(posted.Id, offer.GetProperty("identifier").GetProperty("id").GetString());
            Assert.Equal("offres_emploi_lba", offer.GetProperty("identifier").GetProperty("partner_label").GetString());
            Assert.Equal(posted.Recruiter.Siret, offer.GetProperty("workplace").GetProperty("siret").GetString());
            Assert.Equal("recruiters_" + posted.Id, offer.GetProperty("apply").GetProperty("recipient_id").GetString());
            JsonElement point = offer.GetProperty("workplace").GetProperty("location").GetProperty("geopoint").GetProperty("coordinates");
            Assert.Equal(posted.Longitude, point[0].GetDouble());
            Assert.Equal(posted.Latitude, point[1].GetDouble());
            Assert.Equal(DateTimeOffset.Parse(posted.JobExpirationDate!), DateTimeOffset.Parse(offer.GetProperty("offer").GetProperty("publication").GetProperty("expiration").GetString()!));
        }

        PeJobItem national = host.PeJobs[7];
        JsonElement peJob = await host.Http.GetOk("/api/v3/jobs/" + Esc(national.Id));
        AssertOffer(peJob);
        Assert.Equal("France Travail", peJob.GetProperty("identifier").GetProperty("partner_label").GetString());
        Assert.Equal(national.Intitule, peJob.GetProperty("offer").GetProperty("title").GetString());
        Assert.Equal(JsonValueKind.Null, peJob.GetProperty("workplace").GetProperty("siret").ValueKind);

        MatchaItem expired = host.Matchas.First(m => m.IsActive && OfferDates.IsExpired(m, Now));
        foreach (string id in new[] { "000000000000000000000000", "unknown", expired.Id })
        {
            var (status, body) = await host.Http.GetJson("/api/v3/jobs/" + id);
            Assert.Equal(HttpStatusCode.NotFound, status);
            ShapeTests.AssertShape(body, "statusCode:N error:S message:S", "v3 404");
            Assert.Equal(404, body.GetProperty("statusCode").GetInt32());
            Assert.Equal("Not Found", body.GetProperty("error").GetString());
            Assert.Equal($"Aucune offre d'emploi trouvée pour l'ID: {id}", body.GetProperty("message").GetString());
        }
    }

    private async Task<string> Text(string url)
    {
        using HttpResponseMessage response = await host.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
