using System.Net;
using System.Text.Json;

namespace Alternance.Api.Writes.Tests;

/// <summary><c>GET /api/v1/jobs/bulk</c>: the recruiters of the key's OPCO, paged, and nothing for a key without one.</summary>
[Collection(SharedHostCollection.Name)]
public sealed class RecruiterBulkTests(SharedHostFixture fixture)
{
    private WriteHost Host => fixture.Host;

    private static async Task<(HttpStatusCode Status, JsonElement Body)> Get(HttpClient client, string url)
    {
        using HttpResponseMessage response = await client.GetAsync(url);
        return (response.StatusCode, await response.ReadJson());
    }

    [Fact]
    public async Task The_recruiters_of_the_keys_opco_a_page_at_a_time()
    {
        using HttpClient alpha = Host.Partner(); // alpha stands for AKTO
        string establishment = (await Offers.CreateEstablishment(alpha)).GetProperty("establishment_id").GetString()!;
        string jobId = await Offers.CreateJob(alpha, establishment, Offers.JobBody(fixture.Clock.GetUtcNow()));

        // What searches show of AKTO's recruiters: the expected set (OPCO labels of the feed start with the short name).
        var expected = (await Host.Engine.ListAsync<MatchaItem>(Source.Matcha, 100_000))
            .Where(m => m.Recruiter.Opco is { } opco && opco.StartsWith("AKTO", StringComparison.OrdinalIgnoreCase))
            .Select(m => m.Recruiter.EstablishmentId).ToHashSet();
        Assert.Contains(establishment, expected);

        var seen = new List<string>();
        JsonElement? posted = null;
        for (int page = 1; ; page++)
        {
            var (status, body) = await Get(alpha, $"/api/v1/jobs/bulk?page={page}&limit=7");
            Assert.True(status == HttpStatusCode.OK, body.ToString());
            JsonElement pagination = body.GetProperty("pagination");
            Assert.Equal((page, 7, expected.Count, (expected.Count + 6) / 7),
                (pagination.GetProperty("page").GetInt32(), pagination.GetProperty("result_per_page").GetInt32(),
                 pagination.GetProperty("total").GetInt32(), pagination.GetProperty("number_of_page").GetInt32()));
            JsonElement[] data = [.. body.GetProperty("data").EnumerateArray()];
            if (data.Length == 0) break;
            Assert.True(data.Length <= 7);
            foreach (JsonElement recruiter in data)
            {
                string id = recruiter.GetProperty("establishment_id").GetString()!;
                seen.Add(id);
                Assert.StartsWith("AKTO", recruiter.GetProperty("opco").GetString(), StringComparison.OrdinalIgnoreCase);
                Assert.NotEqual(0, recruiter.GetProperty("jobs").GetArrayLength());
                if (id == establishment) posted = recruiter.Clone();
            }
        }
        Assert.Equal(seen.OrderBy(s => s, StringComparer.Ordinal), seen);
        Assert.True(expected.SetEquals(seen));
        Assert.NotNull(posted);
        Assert.Contains(posted.Value.GetProperty("jobs").EnumerateArray(), j => j.GetProperty("_id").GetString() == jobId);
    }

    [Fact]
    public async Task A_key_without_an_opco_is_refused_and_bad_paging_is_400()
    {
        using HttpClient beta = Host.Partner(WriteHost.BetaKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await Get(beta, "/api/v1/jobs/bulk")).Status);
        using HttpClient alpha = Host.Partner();
        var (status, body) = await Get(alpha, "/api/v1/jobs/bulk?limit=101");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("querystring.limit: Number must be less than or equal to 100", body.GetProperty("message").GetString());
        (status, body) = await Get(alpha, "/api/v1/jobs/bulk?page=0&query=%7B%7D");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(2, body.GetProperty("data").GetProperty("validationError").GetProperty("issues").GetArrayLength());
        using HttpClient anonymous = Host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(anonymous, "/api/v1/jobs/bulk")).Status);
    }
}
