using System.Text;
using System.Security.Cryptography;
using Alternance.Testing;
using System.Text.Json;
using Alternance.Api.Json;
using static Alternance.Api.Tests.Support;

namespace Alternance.Api.Tests;

/// <summary>The search routes answer exactly the contract's lists (checked against a brute force over the same dataset).</summary>
[Collection(ApiCollection.Name)]
public sealed class SearchTests(ApiHost host)
{
    private static string[] Ids(JsonElement slot) => [.. slot.Results().Select(r => r.GetProperty("id").GetString()!)];

    /// <summary>Busy ROME codes of the dataset and a point in a big city.</summary>
    private (string[] Romes, double Lat, double Lon) Busy(int count)
    {
        string[] romes = [.. host.Companies.SelectMany(c => c.RomeCodes).GroupBy(r => r).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(count).Select(g => g.Key)];
        var paris = host.Reference.FindCommune("75056")!;
        return (romes, paris.Latitude, paris.Longitude);
    }

    [Theory]
    [InlineData(1, 30)]
    [InlineData(3, 60)]
    [InlineData(2, 200)]
    public async Task Formations_around_a_point(int romeCount, double radius)
    {
        var (romes, lat, lon) = Busy(romeCount);
        var body = await host.Http.GetOk($"/api/v1/formations?caller=x&romes={string.Join(',', romes)}&latitude={Inv(lat)}&longitude={Inv(lon)}&radius={radius}");
        var q = new SourceQuery { Source = Source.Formation, Latitude = lat, Longitude = lon, RadiusKm = radius, Romes = romes, Limit = 500 };
        Assert.Equal(ApiHost.Oracle(host.Formations).Ids(q), Ids(body));
        double previous = 0;
        foreach (var item in body.Results())
        {
            double d = item.GetProperty("place").GetProperty("distance").GetDouble();
            Assert.True(d >= previous && d <= radius + 0.005);
            Assert.Equal(Math.Round(d, 2), d);
            previous = d;
        }
    }

    [Fact]
    public async Task Jobs_around_a_point_all_three_sources()
    {
        var (romes, lat, lon) = Busy(3);
        string url = $"/api/v1/jobs?caller=x&romes={string.Join(',', romes).ToLowerInvariant()}&latitude={Inv(lat)}&longitude={Inv(lon)}&radius=30";
        var body = await host.Http.GetOk(url);
        SourceQuery Q(Source s, int limit) => new() { Source = s, Latitude = lat, Longitude = lon, RadiusKm = 30, Romes = romes, Limit = limit, MultiPublishedOnly = s == Source.Matcha };
        Assert.Equal(ApiHost.Oracle(host.PeJobs).Ids(Q(Source.PeJob, 150)), Ids(body.GetProperty("peJobs")));
        Assert.Equal(ApiHost.Oracle(host.Matchas).Ids(Q(Source.Matcha, 250)), Ids(body.GetProperty("matchas")));
        Assert.Equal(ApiHost.Oracle(host.Companies).Ids(Q(Source.Company, 150)), Ids(body.GetProperty("lbaCompanies")));
        Assert.Equal(JsonValueKind.Null, body.GetProperty("lbbCompanies").ValueKind);
        Assert.NotEmpty(Ids(body.GetProperty("lbaCompanies")));
        Assert.NotEmpty(Ids(body.GetProperty("peJobs")));
    }

    [Fact]
    public async Task Jobs_radius_zero_means_ten_km_and_insee_locates_at_the_commune()
    {
        var (romes, _, _) = Busy(2);
        var lyon = host.Reference.FindCommune("69381")!; // an arrondissement: its commune's centre
        var body = await host.Http.GetOk($"/api/v1/jobs?caller=x&romes={string.Join(',', romes)}&insee=69381&radius=0&sources=lba");
        var q = new SourceQuery { Source = Source.Company, Latitude = lyon.Latitude, Longitude = lyon.Longitude, RadiusKm = 10, Romes = romes, Limit = 150 };
        Assert.Equal(ApiHost.Oracle(host.Companies).Ids(q), Ids(body.GetProperty("lbaCompanies")));
        Assert.Equal(JsonValueKind.Null, body.GetProperty("peJobs").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("matchas").ValueKind);
    }

    [Fact]
    public async Task Sources_not_asked_for_are_null()
    {
        var onlyTrainings = await host.Http.GetOk("/api/v1/jobsEtFormations?caller=x&romes=F1603&sources=formations");
        Assert.Equal(JsonValueKind.Null, onlyTrainings.GetProperty("jobs").ValueKind);
        onlyTrainings.GetProperty("formations").Results();

        var onlyOffers = await host.Http.GetOk("/api/v1/jobsEtFormations?caller=x&romes=F1603&sources=offres,matcha");
        Assert.Equal(JsonValueKind.Null, onlyOffers.GetProperty("formations").ValueKind);
        JsonElement jobs = onlyOffers.GetProperty("jobs");
        jobs.GetProperty("peJobs").Results();
        jobs.GetProperty("matchas").Results();
        Assert.Equal(JsonValueKind.Null, jobs.GetProperty("lbaCompanies").ValueKind);
        Assert.Equal(JsonValueKind.Null, jobs.GetProperty("lbbCompanies").ValueKind);

        // On /jobs, naming only a source the route does not serve means the default: all three.
        var all = await host.Http.GetOk("/api/v1/jobs?caller=x&romes=F1603&sources=formation");
        foreach (string slot in new[] { "peJobs", "matchas", "lbaCompanies" }) all.GetProperty(slot).Results();
    }

    [Fact]
    public async Task Training_radius_zero_widens_to_the_five_nearest()
    {
        var (romes, _, _) = Busy(1);
        // In the sea off Brittany: nothing at the point itself.
        var body = await host.Http.GetOk($"/api/v1/formations?caller=x&romes={romes[0]}&latitude=47.5&longitude=-6.5&radius=0");
        var q = new SourceQuery { Source = Source.Formation, Latitude = 47.5, Longitude = -6.5, RadiusKm = 0, Romes = romes, Limit = 500 };
        string[] expected = ApiHost.Oracle(host.Formations).Ids(q);
        Assert.Equal(5, expected.Length);
        Assert.Equal(expected, Ids(body));
    }

    [Fact]
    public async Task France_wide_listings_are_sorted_by_title_company_id()
    {
        var (romes, _, _) = Busy(2);
        var body = await host.Http.GetOk($"/api/v1/jobsEtFormations?caller=x&romes={string.Join(',', romes)}");
        var f = new SourceQuery { Source = Source.Formation, Area = SearchArea.Listing, Romes = romes, Limit = 500 };
        Assert.Equal(ApiHost.Oracle(host.Formations).Ids(f), Ids(body.GetProperty("formations")));
        var c = new SourceQuery { Source = Source.Company, Area = SearchArea.Listing, Romes = romes, Limit = 150 };
        Assert.Equal(ApiHost.Oracle(host.Companies).Ids(c), Ids(body.GetProperty("jobs").GetProperty("lbaCompanies")));
        foreach (var item in body.GetProperty("formations").Results()) Assert.Equal(JsonValueKind.Null, item.GetProperty("place").GetProperty("distance").ValueKind);
        foreach (var item in body.GetProperty("jobs").GetProperty("peJobs").Results()) Assert.Equal(0, item.GetProperty("place").GetProperty("distance").GetDouble());
    }

    [Theory]
    [InlineData("region=11", new[] { "75", "77", "78", "91", "92", "93", "94", "95" })]
    [InlineData("region=94", new[] { "20" })]
    [InlineData("departement=13", new[] { "13" })]
    [InlineData("departement=974", new[] { "974" })]
    public async Task Formations_par_region(string filter, string[] prefixes)
    {
        var body = await host.Http.GetOk($"/api/v1/formationsParRegion?caller=x&{filter}");
        var q = new SourceQuery { Source = Source.Formation, Area = SearchArea.Listing, PostalPrefixes = prefixes, Limit = 500 };
        Assert.Equal(ApiHost.Oracle(host.Formations).Ids(q), Ids(body));
    }

    [Fact]
    public async Task Formations_par_region_with_a_rome_domain()
    {
        var body = await host.Http.GetOk("/api/v1/formationsParRegion?caller=x&region=84&romeDomain=h");
        var q = new SourceQuery { Source = Source.Formation, Area = SearchArea.Listing, RomeDomain = "H", PostalPrefixes = ["01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74"], Limit = 500 };
        string[] expected = ApiHost.Oracle(host.Formations).Ids(q);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, Ids(body));
    }

    [Fact]
    public async Task Diploma_filters_trainings_by_level()
    {
        var (romes, lat, lon) = Busy(3);
        var body = await host.Http.GetOk($"/api/v1/formations?caller=x&romes={string.Join(',', romes)}&latitude={Inv(lat)}&longitude={Inv(lon)}&radius=100&diploma=5%20(BTS,%20DEUST...)");
        var q = new SourceQuery { Source = Source.Formation, Latitude = lat, Longitude = lon, RadiusKm = 100, Romes = romes, DiplomaLevel = 5, Limit = 500 };
        Assert.Equal(ApiHost.Oracle(host.Formations).Ids(q), Ids(body));
        Assert.All(body.Results(), r => Assert.StartsWith("5", r.GetProperty("diplomaLevel").GetString()));
    }

    [Fact]
    public async Task Opco_filters_companies()
    {
        var (romes, lat, lon) = Busy(3);
        var body = await host.Http.GetOk($"/api/v1/jobs?caller=x&romes={string.Join(',', romes)}&latitude={Inv(lat)}&longitude={Inv(lon)}&radius=100&opco=akto&sources=lba");
        var q = new SourceQuery { Source = Source.Company, Latitude = lat, Longitude = lon, RadiusKm = 100, Romes = romes, Opco = "AKTO", Limit = 150 };
        string[] expected = ApiHost.Oracle(host.Companies).Ids(q);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, Ids(body.GetProperty("lbaCompanies")));
    }

    /// <summary>
    /// National offers carry no OPCO in their feed: the service gives each the OPCO the companies feed names for its
    /// employer's SIREN, so the filter finds them (the expected lists come from the generated companies, by SIREN).
    /// </summary>
    [Fact]
    public async Task Opco_filters_national_offers_by_their_employers_siren()
    {
        PeJobItem sample = host.PeJobs.First(p => p.Opco == "AKTO");
        var (lat, lon) = (sample.Latitude, sample.Longitude);
        string[] romes = [.. host.PeJobs.Where(p => p.Opco == "AKTO").SelectMany(p => p.RomeCodes).GroupBy(r => r).OrderByDescending(g => g.Count()).Take(5).Select(g => g.Key)];
        var body = await host.Http.GetOk($"/api/v1/jobs?caller=x&romes={string.Join(',', romes)}&latitude={Inv(lat)}&longitude={Inv(lon)}&radius=200&opco=AKTO&sources=offres");
        var q = new SourceQuery { Source = Source.PeJob, Latitude = lat, Longitude = lon, RadiusKm = 200, Romes = romes, Opco = "AKTO", Limit = 150 };
        string[] expected = ApiHost.Oracle(host.PeJobs).Ids(q);
        Assert.Contains(sample.Id, expected);
        Assert.Equal(expected, Ids(body.GetProperty("peJobs")));
        // Found by the SIREN of a company of the feed: not every national offer has one.
        Assert.Contains(host.PeJobs, p => p.Opco is null);
    }

    [Fact]
    public async Task Options_with_description_fills_training_texts()
    {
        FormationItem f = host.Formations.First(x => x.Objectif is not null);
        string url = $"/api/v1/formations?caller=x&romes={f.RomeCodes[0]}&latitude={Inv(f.Latitude)}&longitude={Inv(f.Longitude)}&radius=1";
        var without = (await host.Http.GetOk(url)).Results().First(r => r.GetProperty("id").GetString() == f.Id);
        Assert.Equal(JsonValueKind.Null, without.GetProperty("training").GetProperty("objectif").ValueKind);
        var with = (await host.Http.GetOk(url + "&options=with_description")).Results().First(r => r.GetProperty("id").GetString() == f.Id);
        Assert.Equal(f.Objectif, with.GetProperty("training").GetProperty("objectif").GetString());
    }

    [Fact]
    public async Task Uppercase_V1_alias_reaches_every_read_route()
    {
        FormationItem f = host.Formations[0];
        foreach (string url in new[]
        {
            "/api/V1/formations?caller=x&romes=F1603",
            "/api/V1/formationsParRegion?caller=x&region=11",
            "/api/V1/jobs?caller=x&romes=F1603",
            "/api/V1/jobsEtFormations?caller=x&romes=F1603",
            $"/api/V1/formations/formation/{Esc(f.Id)}?caller=x",
            $"/api/V1/jobs/job/{host.PeJobs[0].Id}?caller=x",
            $"/api/V1/jobs/matcha/{host.Matchas[0].Id}?caller=x",
            $"/api/V1/jobs/company/{host.Companies[0].Id}?caller=x",
            "/api/V1/metiers?title=boulanger",
            "/api/V1/metiers/all",
            "/api/V1/metiers/intitule?label=boulanger",
            $"/api/V1/metiers/metiersParFormation/{f.Cfd}",
        })
        {
            await host.Http.GetOk(url);
        }
    }

    [Fact]
    public async Task A_failing_source_puts_an_error_in_its_slot_and_the_answer_stays_200()
    {
        var (romes, lat, lon) = Busy(2);
        string url = $"/api/v1/jobsEtFormations?caller=x&romes={string.Join(',', romes)}&latitude={Inv(lat)}&longitude={Inv(lon)}&radius=30";
        var (status, body) = await host.Http.GetJson(url, failSources: "PeJob,Formation");
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        foreach (JsonElement failed in new[] { body.GetProperty("formations"), body.GetProperty("jobs").GetProperty("peJobs") })
        {
            Assert.Equal("error", failed.GetProperty("result").GetString());
            Assert.Equal("error", failed.GetProperty("error").GetString());
            Assert.False(string.IsNullOrEmpty(failed.GetProperty("message").GetString()));
        }
        Assert.NotEmpty(body.GetProperty("jobs").GetProperty("lbaCompanies").Results());
        Assert.Equal(JsonValueKind.Array, body.GetProperty("jobs").GetProperty("matchas").GetProperty("results").ValueKind);

        var (jobsStatus, jobs) = await host.Http.GetJson(url.Replace("jobsEtFormations", "jobs"), failSources: "Company");
        Assert.Equal(System.Net.HttpStatusCode.OK, jobsStatus);
        Assert.Equal("error", jobs.GetProperty("lbaCompanies").GetProperty("result").GetString());
        Assert.Equal(JsonValueKind.Array, jobs.GetProperty("peJobs").GetProperty("results").ValueKind);

        // A training-only route has nothing else to answer with: 503 with the source's error body.
        var (formationsStatus, formations) = await host.Http.GetJson(url.Replace("jobsEtFormations", "formations"), failSources: "Formation");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, formationsStatus);
        Assert.Equal("error", formations.GetProperty("result").GetString());
    }

    [Fact]
    public async Task Emails_are_encrypted_and_phones_shown_to_allowed_callers_only()
    {
        CompanyItem company = host.Companies.First(c => c.Email is not null && c.Phone is not null);
        using var protector = new AesCtrContactProtector(Convert.FromHexString(ApiHost.EmailKeyHex));

        var body = await host.Http.GetOk($"/api/v1/jobs/company/{company.Id}?caller=x");
        JsonElement contact = body.GetProperty("lbaCompanies")[0].GetProperty("contact");
        string cipher = contact.GetProperty("email").GetString()!, iv = contact.GetProperty("iv").GetString()!;
        Assert.NotEqual(company.Email, cipher);
        Assert.Equal(32, iv.Length);
        Assert.Equal(company.Email, protector.Unprotect(cipher, iv));
        Assert.False(contact.TryGetProperty("phone", out _));

        var allowed = await host.Http.GetOk($"/api/v1/jobs/company/{company.Id}?caller={ApiHost.PhoneCaller}");
        Assert.Equal(company.Phone, allowed.GetProperty("lbaCompanies")[0].GetProperty("contact").GetProperty("phone").GetString());

        MatchaItem offer = host.Matchas.First(m => m.Recruiter.Email is not null);
        var matcha = await host.Http.GetOk($"/api/v1/jobs/matcha/{offer.Id}?caller=x");
        JsonElement mc = matcha.GetProperty("matchas")[0].GetProperty("contact");
        Assert.Equal(offer.Recruiter.Email, protector.Unprotect(mc.GetProperty("email").GetString()!, mc.GetProperty("iv").GetString()!));
    }

    [Fact]
    public void The_iv_is_the_same_for_an_item_on_every_front_and_never_shared_by_two_addresses_or_items()
    {
        using var one = new AesCtrContactProtector(Convert.FromHexString(ApiHost.EmailKeyHex));
        using var other = new AesCtrContactProtector(Convert.FromHexString(ApiHost.EmailKeyHex));
        using var otherKey = new AesCtrContactProtector(Convert.FromHexString(new string('7', 64)));
        var first = one.Protect("rh@example.org", "companies/1/7");
        Assert.Equal(first, other.Protect("rh@example.org", "companies/1/7")); // another front, same key: same bytes
        Assert.NotEqual(first.Iv, one.Protect("rh@example.org", "companies/2/7").Iv); // another item
        Assert.NotEqual(first.Iv, one.Protect("rh@example.org", "companies/1/8").Iv); // another version
        Assert.NotEqual(first.Iv, one.Protect("drh@example.org", "companies/1/7").Iv); // another address
        Assert.NotEqual(first.Iv, otherKey.Protect("rh@example.org", "companies/1/7").Iv); // unpredictable without the key
        Assert.Equal("rh@example.org", other.Unprotect(first.Email, first.Iv));

        // The IV is HMAC-SHA256(HMAC-SHA256(key, "alternance/contact-iv"), context, 0, address), cut to 16 bytes: computed
        // here in one shot, against the protector's reused per-thread HMAC, from several threads at once.
        byte[] ivKey = HMACSHA256.HashData(Convert.FromHexString(ApiHost.EmailKeyHex), "alternance/contact-iv"u8);
        string Expected(int i) => Convert.ToHexStringLower(HMACSHA256.HashData(ivKey, Encoding.UTF8.GetBytes($"companies/{i}/7\0rh{i}@example.org"))[..16]);
        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var (email, iv) = one.Protect($"rh{i}@example.org", $"companies/{i}/7");
            Assert.Equal(Expected(i), iv);
            Assert.Equal($"rh{i}@example.org", one.Unprotect(email, iv));
        });
    }

    [Fact]
    public void Ctr_matches_a_known_vector()
    {
        // NIST SP 800-38A F.5.5 (CTR-AES256.Encrypt), first block.
        using var protector = new AesCtrContactProtector(Convert.FromHexString("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4"));
        byte[] data = Convert.FromHexString("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51");
        protector.Transform(Convert.FromHexString("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"), data);
        Assert.Equal("601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5", Convert.ToHexStringLower(data));
    }
}
