using System.Text.Json;
using static Alternance.Api.Tests.Support;

namespace Alternance.Api.Tests;

/// <summary>Field names and JSON types of every response shape (reference §2), and their declaration in the OpenAPI document.</summary>
[Collection(ApiCollection.Name)]
public sealed class ShapeTests(ApiHost host)
{
    /// <summary>
    /// Asserts the object's properties are exactly <paramref name="spec"/>: space-separated <c>name:kind</c>, kind S string,
    /// s string|null, N number, n number|null, B bool, b bool|null, O object, o object|null, A array, Z null; a trailing ?
    /// makes the property optional.
    /// </summary>
    internal static void AssertShape(JsonElement e, string spec, string where)
    {
        Assert.True(e.ValueKind == JsonValueKind.Object, $"{where}: not an object: {e}");
        var expected = new Dictionary<string, (string Kind, bool Optional)>();
        foreach (string part in spec.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int colon = part.IndexOf(':');
            string kind = part[(colon + 1)..];
            bool optional = kind.EndsWith('?');
            expected[part[..colon]] = (kind.TrimEnd('?'), optional);
        }
        foreach (JsonProperty p in e.EnumerateObject())
        {
            Assert.True(expected.TryGetValue(p.Name, out var want), $"{where}: unexpected property '{p.Name}'");
            bool ok = want.Kind switch
            {
                "S" => p.Value.ValueKind == JsonValueKind.String,
                "s" => p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Null,
                "N" => p.Value.ValueKind == JsonValueKind.Number,
                "n" => p.Value.ValueKind is JsonValueKind.Number or JsonValueKind.Null,
                "B" => p.Value.ValueKind is JsonValueKind.True or JsonValueKind.False,
                "b" => p.Value.ValueKind is JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null,
                "O" => p.Value.ValueKind == JsonValueKind.Object,
                "o" => p.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Null,
                "A" => p.Value.ValueKind == JsonValueKind.Array,
                "Z" => p.Value.ValueKind == JsonValueKind.Null,
                _ => false,
            };
            Assert.True(ok, $"{where}.{p.Name}: expected kind {want.Kind}, got {p.Value.ValueKind}");
        }
        foreach (var (name, (_, optional)) in expected)
        {
            Assert.True(optional || e.TryGetProperty(name, out _), $"{where}: missing property '{name}'");
        }
    }

    internal static void AssertFormation(JsonElement f)
    {
        AssertShape(f, "ideaType:S title:s longTitle:s id:S idRco:s idRcoFormation:s cleMinistereEducatif:S diplomaLevel:s diploma:s cfd:s "
            + "rncpCode:s rncpLabel:s rncpEligibleApprentissage:b period:Z capacity:s onisepUrl:s contact:O place:O company:O romes:A training:O", "formation");
        Assert.Equal("formation", f.GetProperty("ideaType").GetString());
        AssertShape(f.GetProperty("contact"), "phone:s", "formation.contact");
        AssertShape(f.GetProperty("place"), "distance:n fullAddress:s latitude:N longitude:N city:s address:s cedex:s zipCode:s departementNumber:s region:s insee:s remoteOnly:B", "formation.place");
        JsonElement company = f.GetProperty("company");
        AssertShape(company, "name:s siret:s id:s uai:s headquarter:O place:O", "formation.company");
        AssertShape(company.GetProperty("headquarter"), "id:s uai:s siret:s type:s hasConvention:s place:O name:s", "formation.company.headquarter");
        AssertShape(company.GetProperty("headquarter").GetProperty("place"), "address:s cedex:s zipCode:s city:s", "formation.company.headquarter.place");
        AssertShape(company.GetProperty("place"), "city:s", "formation.company.place");
        foreach (JsonElement r in f.GetProperty("romes").EnumerateArray()) AssertShape(r, "code:S", "formation.romes[]");
        JsonElement training = f.GetProperty("training");
        AssertShape(training, "objectif:s description:s sessions:A duration:n", "formation.training");
        foreach (JsonElement s in training.GetProperty("sessions").EnumerateArray()) AssertShape(s, "startDate:s endDate:s isPermanentEntry:B", "formation.training.sessions[]");
    }

    internal static void AssertPeJob(JsonElement p)
    {
        AssertShape(p, "ideaType:S id:S title:s contact:o place:O company:O url:S job:O romes:A nafs:A", "peJob");
        Assert.Equal("peJob", p.GetProperty("ideaType").GetString());
        if (p.GetProperty("contact").ValueKind == JsonValueKind.Object) AssertShape(p.GetProperty("contact"), "name:s email:s info:s", "peJob.contact");
        AssertShape(p.GetProperty("place"), "distance:N insee:s zipCode:s city:s latitude:N longitude:N fullAddress:s", "peJob.place");
        AssertShape(p.GetProperty("company"), "name:s logo:s description:s siret:Z", "peJob.company");
        Assert.Equal($"https://candidat.francetravail.fr/offres/recherche/detail/{p.GetProperty("id").GetString()}?at_medium=CMP&at_campaign=labonnealternance_candidater_a_une_offre",
            p.GetProperty("url").GetString());
        AssertShape(p.GetProperty("job"), "id:S creationDate:s description:s contractType:s contractDescription:s duration:s type:A", "peJob.job");
        foreach (JsonElement r in p.GetProperty("romes").EnumerateArray()) AssertShape(r, "code:S label:s", "peJob.romes[]");
        foreach (JsonElement n in p.GetProperty("nafs").EnumerateArray()) AssertShape(n, "code:s label:s", "peJob.nafs[]");
    }

    internal static void AssertMatcha(JsonElement m)
    {
        AssertShape(m, "ideaType:S id:S title:s contact:O place:O company:O nafs:A diplomaLevel:s job:O romes:A applicationCount:N", "matcha");
        Assert.Equal("matcha", m.GetProperty("ideaType").GetString());
        AssertShape(m.GetProperty("contact"), "email:S iv:S? name:s phone:s", "matcha.contact");
        AssertShape(m.GetProperty("place"), "distance:n fullAddress:s address:s latitude:N longitude:N city:s", "matcha.place");
        AssertShape(m.GetProperty("company"), "siret:s name:S size:s mandataire:B creationDate:s place:o opco:o", "matcha.company");
        AssertShape(m.GetProperty("job"), "id:S description:s employeurDescription:s creationDate:s contractType:S jobStartDate:s jobExpirationDate:s romeDetails:Z "
            + "rythmeAlternance:s dureeContrat:s quantiteContrat:N elligibleHandicap:B status:S type:A", "matcha.job");
        foreach (JsonElement r in m.GetProperty("romes").EnumerateArray()) AssertShape(r, "code:S label:Z", "matcha.romes[]");
        foreach (JsonElement n in m.GetProperty("nafs").EnumerateArray()) AssertShape(n, "label:s", "matcha.nafs[]");
    }

    internal static void AssertCompany(JsonElement c)
    {
        AssertShape(c, "ideaType:S id:S title:s contact:O place:O company:O nafs:A applicationCount:N url:Z", "lba");
        Assert.Equal("lba", c.GetProperty("ideaType").GetString());
        AssertShape(c.GetProperty("contact"), "email:S iv:S? phone:s?", "lba.contact");
        AssertShape(c.GetProperty("place"), "distance:n fullAddress:S latitude:N longitude:N city:s address:S", "lba.place");
        AssertShape(c.GetProperty("company"), "name:s siret:S size:s url:s opco:O", "lba.company");
        AssertShape(c.GetProperty("company").GetProperty("opco"), "label:s url:s", "lba.company.opco");
        foreach (JsonElement n in c.GetProperty("nafs").EnumerateArray()) AssertShape(n, "code:s label:s", "lba.nafs[]");
    }

    private async Task<JsonElement> BigAnswer()
    {
        var paris = host.Reference.FindCommune("75056")!;
        string romes = string.Join(',', host.Matchas.Where(m => m.IsActive && m.IsMultiPublished).SelectMany(m => m.RomeCodes)
            .Concat(host.Companies.SelectMany(c => c.RomeCodes)).GroupBy(r => r).OrderByDescending(g => g.Count()).Take(20).Select(g => g.Key));
        return await host.Http.GetOk($"/api/v1/jobsEtFormations?caller=x&romes={romes}&latitude={Inv(paris.Latitude)}&longitude={Inv(paris.Longitude)}&radius=200");
    }

    [Fact]
    public async Task Search_answers_have_the_reference_shapes()
    {
        JsonElement body = await BigAnswer();
        AssertShape(body, "formations:o jobs:o", "jobsEtFormations");
        AssertShape(body.GetProperty("jobs"), "peJobs:o matchas:o lbaCompanies:o lbbCompanies:Z", "jobs");
        JsonElement[] formations = body.GetProperty("formations").Results();
        JsonElement[] peJobs = body.GetProperty("jobs").GetProperty("peJobs").Results();
        JsonElement[] matchas = body.GetProperty("jobs").GetProperty("matchas").Results();
        JsonElement[] companies = body.GetProperty("jobs").GetProperty("lbaCompanies").Results();
        Assert.NotEmpty(formations);
        Assert.NotEmpty(peJobs);
        Assert.NotEmpty(matchas);
        Assert.NotEmpty(companies);
        foreach (var f in formations) AssertFormation(f);
        foreach (var p in peJobs) AssertPeJob(p);
        foreach (var m in matchas) AssertMatcha(m);
        foreach (var c in companies) AssertCompany(c);
    }

    [Fact]
    public async Task Item_routes_have_the_reference_shapes_and_values()
    {
        FormationItem f = host.Formations.First(x => x.Adresse is not null && x.Objectif is not null);
        JsonElement formation = (await host.Http.GetOk($"/api/v1/formations/formation/{Esc(f.Id)}?caller=x")).GetProperty("results")[0];
        AssertFormation(formation);
        Assert.Equal(f.Id, formation.GetProperty("id").GetString());
        Assert.Equal(f.IntituleLong, formation.GetProperty("title").GetString());
        Assert.Equal($"{f.Adresse} {f.CodePostal} {f.Localite}", formation.GetProperty("place").GetProperty("fullAddress").GetString());
        Assert.Equal(f.Objectif, formation.GetProperty("training").GetProperty("objectif").GetString());
        Assert.Equal(JsonValueKind.Null, formation.GetProperty("place").GetProperty("distance").ValueKind);

        PeJobItem p = host.PeJobs[3];
        JsonElement peJob = (await host.Http.GetOk($"/api/v1/jobs/job/{Esc(p.Id)}?caller=x")).GetProperty("peJobs")[0];
        AssertPeJob(peJob);
        Assert.Equal(p.Intitule, peJob.GetProperty("title").GetString());

        MatchaItem m = host.Matchas.First(x => x.Recruiter.IsDelegated);
        JsonElement matcha = (await host.Http.GetOk($"/api/v1/jobs/matcha/{Esc(m.Id)}?caller=x")).GetProperty("matchas")[0];
        AssertMatcha(matcha);
        Assert.True(matcha.GetProperty("company").GetProperty("mandataire").GetBoolean());
        Assert.Equal(JsonValueKind.Null, matcha.GetProperty("place").GetProperty("fullAddress").ValueKind);
        Assert.Equal(m.Recruiter.Address, matcha.GetProperty("company").GetProperty("place").GetProperty("address").GetString());

        CompanyItem c = host.Companies.First(x => x.Email is null);
        JsonElement company = (await host.Http.GetOk($"/api/v1/jobs/company/%20{c.Id}%20?caller=x")).GetProperty("lbaCompanies")[0];
        AssertCompany(company);
        Assert.Equal("", company.GetProperty("contact").GetProperty("email").GetString());
        Assert.Equal(c.Id, company.GetProperty("company").GetProperty("siret").GetString());
    }

    [Theory]
    [InlineData("/api/v1/formations/formation/unknown-id?caller=x", "Formation non trouvée")]
    [InlineData("/api/v1/formations/formation/101249P01313538697790003635386977900036-93006%23L01?caller=x", "Formation non trouvée")]
    [InlineData("/api/v1/jobs/job/999XXXX?caller=x", "Offre non trouvée")]
    [InlineData("/api/v1/jobs/matcha/000000000000000000000000?caller=x", "Offre non trouvée")]
    [InlineData("/api/v1/jobs/company/00000000000000?caller=x", "Société non trouvée")]
    public async Task Unknown_ids_answer_404_with_the_contract_body(string url, string message)
    {
        var (status, body) = await host.Http.GetJson(url);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, status);
        AssertShape(body, "error:S status:N result:S message:S", "not found");
        Assert.Equal("not_found", body.GetProperty("error").GetString());
        Assert.Equal(404, body.GetProperty("status").GetInt32());
        Assert.Equal("not_found", body.GetProperty("result").GetString());
        Assert.Equal(message, body.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("/api/v1/nothing-here")]
    [InlineData("/api/v1/metiers/unknown/deeper")]
    [InlineData("/api/v2/formations")]
    public async Task Unknown_routes_answer_the_contract_404(string url)
    {
        var (status, body) = await host.Http.GetJson(url);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, status);
        AssertShape(body, "error:S status:N result:S message:S", "not found");
        Assert.Equal("not_found", body.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("bug", 500, "internal_error")]
    [InlineData("cluster", 503, "unavailable")]
    public async Task Exceptions_answer_a_contract_body_without_internals(string kind, int status, string error)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/jobs/company/{host.Companies[0].Id}?caller=x");
        request.Headers.Add(ApiHost.ThrowHeader, kind);
        using HttpResponseMessage response = await host.Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.Equal(status, (int)response.StatusCode);
        JsonElement body = JsonDocument.Parse(text).RootElement;
        AssertShape(body, "error:S status:N message:S", "error");
        Assert.Equal(error, body.GetProperty("error").GetString());
        Assert.DoesNotContain("secret", text);
        Assert.DoesNotContain("Exception", text);
    }

    [Fact]
    public async Task Every_property_of_a_real_answer_is_declared_in_the_openapi_document()
    {
        JsonElement doc = await host.Http.GetOk("/api-docs/swagger.json");
        JsonElement body = await BigAnswer();
        JsonElement schema = ResponseSchema(doc, "/api/v1/jobsEtFormations");
        var undeclared = new List<string>();
        Walk(doc, schema, body, "$", undeclared);
        Assert.Empty(undeclared);
    }

    internal static JsonElement ResponseSchema(JsonElement doc, string path) =>
        doc.GetProperty("paths").GetProperty(path).GetProperty("get").GetProperty("responses").GetProperty("200")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema");

    internal static void Walk(JsonElement doc, JsonElement schema, JsonElement value, string where, List<string> undeclared)
    {
        schema = Resolve(doc, schema, value.ValueKind);
        if (value.ValueKind == JsonValueKind.Object && !schema.TryGetProperty("properties", out _)
            && schema.TryGetProperty("additionalProperties", out JsonElement values) && values.ValueKind == JsonValueKind.Object)
        {
            // A dictionary: any key, each value of the declared schema.
            foreach (JsonProperty p in value.EnumerateObject()) Walk(doc, values, p.Value, where + "." + p.Name, undeclared);
        }
        else if (value.ValueKind == JsonValueKind.Object)
        {
            if (!schema.TryGetProperty("properties", out JsonElement properties))
            {
                undeclared.Add(where + " (no properties in schema)");
                return;
            }
            foreach (JsonProperty p in value.EnumerateObject())
            {
                if (!properties.TryGetProperty(p.Name, out JsonElement sub)) undeclared.Add(where + "." + p.Name);
                else Walk(doc, sub, p.Value, where + "." + p.Name, undeclared);
            }
        }
        else if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out JsonElement items))
        {
            int i = 0;
            foreach (JsonElement element in value.EnumerateArray())
            {
                if (i++ > 3) break;
                Walk(doc, items, element, where + "[]", undeclared);
            }
        }
    }

    private static JsonElement Resolve(JsonElement doc, JsonElement schema, JsonValueKind kind)
    {
        for (int depth = 0; depth < 10; depth++)
        {
            if (schema.TryGetProperty("$ref", out JsonElement r))
            {
                string name = r.GetString()!.Split('/').Last();
                schema = doc.GetProperty("components").GetProperty("schemas").GetProperty(name);
                continue;
            }
            bool moved = false;
            foreach (string combinator in new[] { "oneOf", "anyOf", "allOf" })
            {
                if (!schema.TryGetProperty(combinator, out JsonElement options)) continue;
                foreach (JsonElement option in options.EnumerateArray())
                {
                    if (option.TryGetProperty("$ref", out _) || option.TryGetProperty("properties", out _) || option.TryGetProperty("items", out _))
                    {
                        schema = option;
                        moved = true;
                        break;
                    }
                }
                if (moved) break;
            }
            if (!moved) return schema;
        }
        return schema;
    }

    [Fact]
    public async Task The_openapi_document_lists_every_read_route_with_its_parameters()
    {
        JsonElement doc = await host.Http.GetOk("/api-docs/swagger.json");
        Assert.StartsWith("3.", doc.GetProperty("openapi").GetString());
        JsonElement paths = doc.GetProperty("paths");
        foreach (string path in new[]
        {
            "/api/v1/formations", "/api/v1/formationsParRegion", "/api/v1/jobs", "/api/v1/jobsEtFormations",
            "/api/v1/formations/formation/{id}", "/api/v1/jobs/job/{id}", "/api/v1/jobs/matcha/{id}", "/api/v1/jobs/company/{siret}",
            "/api/v1/metiers", "/api/v1/metiers/all", "/api/v1/metiers/intitule", "/api/v1/metiers/metiersParFormation/{cfd}",
            "/api/v1/search", "/api/v1/search/suggest",
        })
        {
            Assert.True(paths.TryGetProperty(path, out JsonElement item), $"{path} is not documented");
            Assert.True(item.TryGetProperty("get", out _), $"{path} has no GET");
        }
        var jobsParameters = paths.GetProperty("/api/v1/jobs").GetProperty("get").GetProperty("parameters").EnumerateArray()
            .Select(p => p.GetProperty("name").GetString()).ToHashSet();
        foreach (string name in new[] { "caller", "romes", "rncp", "latitude", "longitude", "radius", "insee", "diploma", "sources", "opco", "opcoUrl" })
        {
            Assert.Contains(name, jobsParameters);
        }
        var searchParameters = paths.GetProperty("/api/v1/search").GetProperty("get").GetProperty("parameters").EnumerateArray()
            .Select(p => p.GetProperty("name").GetString()).ToHashSet();
        foreach (string name in new[] { "q", "mode", "latitude", "longitude", "radius", "admin_area", "contract_type", "level", "type_filter_label",
            "activity_sector", "organization_name", "start_date", "is_disabled_elligible", "smart_apply", "is_algo_company", "sort", "page", "hitsPerPage" })
        {
            Assert.Contains(name, searchParameters);
        }
        Assert.False(paths.TryGetProperty("/__benchmarks/static", out _));
        Assert.DoesNotContain(paths.EnumerateObject(), p => p.Name.StartsWith("/dashboard", StringComparison.Ordinal));
        JsonElement latitude = paths.GetProperty("/api/v1/formations").GetProperty("get").GetProperty("parameters").EnumerateArray()
            .First(p => p.GetProperty("name").GetString() == "latitude");
        Assert.Equal("number", latitude.GetProperty("schema").GetProperty("type").GetString());

        using var page = await host.Http.GetAsync("/api-docs/index.html");
        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("text/html", page.Content.Headers.ContentType!.ToString());
        using var root = await host.Http.GetAsync("/api-docs");
        Assert.True((int)root.StatusCode is 200 or 301 or 302, $"/api-docs answered {(int)root.StatusCode}");
    }

    [Fact]
    public async Task Benchmark_route_answers_the_size_asked()
    {
        using var response = await host.Http.GetAsync("/__benchmarks/static?bytes=12345");
        byte[] bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(12345, bytes.Length);
        JsonDocument.Parse(bytes).Dispose();
    }
}
