using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Alternance.Api.Writes.Tests;

/// <summary>
/// An offer leaves every search and item route at the instant its expiration date passes, with no import, on the
/// embedded front and on a client-mode API node alike: the service clock is a fake one both nodes share, moved by hand.
/// </summary>
public sealed class ExpiryTests
{
    private const string Title = "Tonnelier ébéniste des essais";

    [Fact]
    public async Task An_imported_offer_expiring_in_one_second_is_returned_then_not_on_every_node()
    {
        string root = WriteHost.NewRoot();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        string serviceId = "expiry-" + Path.GetFileName(root);
        try
        {
            await using var first = new WriteHost(root, clock, serviceId: serviceId);
            await first.StartAsync();
            await using var second = new WriteHost(root + "-node2", clock, new Dictionary<string, string?>
            {
                ["Cluster:Mode"] = "Client",
                ["Cluster:GatewayPort"] = first.Setting("Cluster:GatewayPort"),
            }, serviceId: serviceId);
            await second.StartAsync(waitForDataset: false);
            using HttpClient embedded = first.CreateClient();
            using HttpClient client = second.CreateClient();
            using HttpClient admin = first.Admin();

            // A recruiter of the feed with one offer whose expiration date is one second ahead of the service clock.
            string rome = Offers.Appellation(9).Rome;
            string jobId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..24];
            DateTimeOffset expiration = clock.GetUtcNow().AddSeconds(1);
            string line = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["establishment_id"] = Guid.NewGuid().ToString(),
                ["establishment_siret"] = Offers.NewSiret(),
                ["establishment_raison_sociale"] = "Offre qui expire",
                ["geo_coordinates"] = FormattableString.Invariant($"{Offers.Lat},{Offers.Lon}"),
                ["status"] = "Actif",
                ["jobs"] = new[]
                {
                    new Dictionary<string, object>
                    {
                        ["_id"] = jobId, ["rome_code"] = new[] { rome }, ["job_status"] = "Active", ["custom_job_title"] = Title,
                        ["job_creation_date"] = clock.GetUtcNow().AddDays(-60).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"),
                        ["job_expiration_date"] = expiration.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"),
                    },
                },
            });
            using HttpResponseMessage imported = await admin.PutAsync("/api/admin/import/recruiters?mode=upsert",
                new StringContent(line + "\n", Encoding.UTF8, "application/x-ndjson"));
            Assert.True(imported.StatusCode == HttpStatusCode.OK, await imported.Content.ReadAsStringAsync());

            // Returned by searches and by its item route on both nodes (the client node within its directory poll).
            await Offers.WaitListed(embedded, jobId, rome, expected: true, TimeSpan.FromSeconds(1));
            await Offers.WaitListed(client, jobId, rome, expected: true, TimeSpan.FromSeconds(1));
            foreach (HttpClient node in new[] { embedded, client })
            {
                Assert.Equal(HttpStatusCode.OK, await ItemStatus(node, jobId));
                Assert.Equal(HttpStatusCode.OK, await V3ItemStatus(node, jobId));
                Assert.True(await V3Listed(node, jobId, rome));
                Assert.Contains(jobId, await Exported(node));
                Assert.True(await TextSearchWritesTests.FoundByText(node, jobId, Title));
            }
            string search = SearchUrl(rome);
            EntityTagHeaderValue before = await Tag(embedded, search);

            // One millisecond before the expiration date: still there.
            clock.Advance(expiration - clock.GetUtcNow() - TimeSpan.FromMilliseconds(1));
            Assert.True(await Offers.Listed(embedded, jobId, rome));
            Assert.True(await Offers.Listed(client, jobId, rome));
            Assert.True(await V3Listed(client, jobId, rome));

            // At the expiration date: gone from the searches and the item routes of both nodes, with nothing imported.
            clock.Advance(TimeSpan.FromMilliseconds(1));
            Assert.False(await Offers.Listed(embedded, jobId, rome));
            Assert.False(await Offers.Listed(client, jobId, rome));
            foreach (HttpClient node in new[] { embedded, client })
            {
                Assert.Equal(HttpStatusCode.NotFound, await ItemStatus(node, jobId));
                Assert.Equal(HttpStatusCode.NotFound, await V3ItemStatus(node, jobId));
                Assert.False(await V3Listed(node, jobId, rome));
                Assert.DoesNotContain(jobId, await Exported(node));
                Assert.False(await TextSearchWritesTests.FoundByText(node, jobId, Title));
            }

            // The answer it left has another tag: a client holding the old one gets the new answer, not a 304.
            using var revalidate = new HttpRequestMessage(HttpMethod.Get, search);
            revalidate.Headers.IfNoneMatch.Add(before);
            using HttpResponseMessage answer = await embedded.SendAsync(revalidate);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.NotEqual(before, answer.Headers.ETag);
            Assert.DoesNotContain(jobId, await answer.Content.ReadAsStringAsync());
        }
        finally
        {
            foreach (string dir in new[] { root, root + "-node2" })
            {
                try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }
    }

    private static string SearchUrl(string rome) =>
        FormattableString.Invariant($"/api/v1/jobs?romes={rome}&latitude={Offers.Lat}&longitude={Offers.Lon}&radius=30&sources=matcha&caller=writes-tests");

    private static async Task<HttpStatusCode> ItemStatus(HttpClient client, string jobId)
    {
        using HttpResponseMessage response = await client.GetAsync($"/api/v1/jobs/matcha/{jobId}?caller=writes-tests");
        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> V3ItemStatus(HttpClient client, string jobId)
    {
        using HttpResponseMessage response = await client.GetAsync($"/api/v3/jobs/{jobId}");
        return response.StatusCode;
    }

    private static async Task<bool> V3Listed(HttpClient client, string jobId, string rome)
    {
        string url = FormattableString.Invariant($"/api/v3/jobs/search?romes={rome}&latitude={Offers.Lat}&longitude={Offers.Lon}&radius=30");
        using HttpResponseMessage response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("jobs").EnumerateArray().Any(j => j.GetProperty("identifier").GetProperty("id").GetString() == jobId);
    }

    /// <summary>The ids of the offers in the export (gzipped JSON Lines).</summary>
    private static async Task<HashSet<string>> Exported(HttpClient client)
    {
        using HttpResponseMessage response = await client.GetAsync("/api/v3/jobs/export");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var gzip = new System.IO.Compression.GZipStream(await response.Content.ReadAsStreamAsync(), System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var ids = new HashSet<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            using JsonDocument offer = JsonDocument.Parse(line);
            ids.Add(offer.RootElement.GetProperty("identifier").GetProperty("id").GetString()!);
        }
        Assert.NotEmpty(ids);
        return ids;
    }

    private static async Task<EntityTagHeaderValue> Tag(HttpClient client, string url)
    {
        using HttpResponseMessage response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.ETag ?? throw new Xunit.Sdk.XunitException($"{url} answered without an ETag");
    }
}
