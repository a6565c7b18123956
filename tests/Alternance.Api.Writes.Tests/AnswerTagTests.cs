using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Alternance.Api.Writes.Tests;

/// <summary>
/// A search answer's entity tag changes exactly when what it shows changes: an offer posted nearby, a training imported
/// into the area — and a client holding the old answer gets the new one, not a 304.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class AnswerTagTests(SharedHostFixture fixture)
{
    private WriteHost Host => fixture.Host;

    private static async Task<(HttpStatusCode Status, EntityTagHeaderValue? Tag)> Get(HttpClient client, string url, EntityTagHeaderValue? held = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (held is not null) request.Headers.IfNoneMatch.Add(held);
        using HttpResponseMessage response = await client.SendAsync(request);
        return (response.StatusCode, response.Headers.ETag);
    }

    [Fact]
    public async Task A_posted_offer_and_an_imported_training_change_the_tags_of_the_answers_that_show_them()
    {
        using HttpClient client = Host.CreateClient();
        var (_, rome, _) = Offers.Appellation(3);
        string jobs = FormattableString.Invariant($"/api/v1/jobs?romes={rome}&latitude={Offers.Lat}&longitude={Offers.Lon}&radius=30&caller=tags");
        string formations = FormattableString.Invariant($"/api/v1/formations?romes={rome}&latitude=45.76&longitude=4.83&radius=30&caller=tags");
        var (_, jobsTag) = await Get(client, jobs);
        var (_, formationsTag) = await Get(client, formations);
        Assert.NotNull(jobsTag);
        Assert.Equal(HttpStatusCode.NotModified, (await Get(client, jobs, jobsTag)).Status);

        using HttpClient alpha = Host.Partner();
        string establishment = (await Offers.CreateEstablishment(alpha)).GetProperty("establishment_id").GetString()!;
        string jobId = await Offers.CreateJob(alpha, establishment, Offers.JobBody(fixture.Clock.GetUtcNow(), appellation: 3));
        await Offers.WaitListed(client, jobId, rome, expected: true, TimeSpan.FromSeconds(5));
        var (status, newJobsTag) = await Get(client, jobs, jobsTag);
        Assert.Equal(HttpStatusCode.OK, status); // the held answer is stale
        Assert.NotEqual(jobsTag, newJobsTag);
        Assert.Equal(HttpStatusCode.NotModified, (await Get(client, jobs, newJobsTag)).Status);
        // Trainings elsewhere are not affected by an offer in Paris.
        Assert.Equal(HttpStatusCode.NotModified, (await Get(client, formations, formationsTag)).Status);

        // A training imported (upserted) into the area of the second search.
        using HttpClient admin = Host.Admin();
        string line = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["cle_ministere_educatif"] = "tag-test-" + Guid.NewGuid().ToString("N"),
            ["intitule_long"] = "BTS TEST DES ETAGS",
            ["niveau"] = "5 (BTS, DEUST...)",
            ["rome_codes"] = new[] { rome },
            ["lieu_formation_geo_coordonnees"] = "45.761,4.831",
        });
        using HttpResponseMessage imported = await admin.PutAsync("/api/admin/import/formations?mode=upsert",
            new StringContent(line + "\n", Encoding.UTF8, "application/x-ndjson"));
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while ((await Get(client, formations, formationsTag)).Status == HttpStatusCode.NotModified)
        {
            Assert.True(DateTime.UtcNow < deadline, "the imported training did not change the answer's tag");
            await Task.Delay(50);
        }
    }
}
