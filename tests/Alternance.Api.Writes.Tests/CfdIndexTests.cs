using System.Net;
using System.Text;
using System.Text.Json;
using Alternance.Api.Metiers;
using Alternance.Data;
using Microsoft.Extensions.Time.Testing;

namespace Alternance.Api.Writes.Tests;

/// <summary>
/// <c>/api/v1/metiers/metiersParFormation/{cfd}</c> maps CFDs from the training catalogue: after the training feed is
/// replaced, the new catalogue's CFDs are answered within seconds, every time (the map is rebuilt in the background
/// while the previous one answers). Its own host: replacing the training feed would disturb the shared one.
/// </summary>
public sealed class CfdIndexTests
{
    [Fact]
    public async Task After_each_replace_of_the_training_feed_its_cfds_are_answered_within_seconds()
    {
        string root = WriteHost.NewRoot();
        try
        {
            await using var host = new WriteHost(root, new FakeTimeProvider(DateTimeOffset.UtcNow));
            await host.StartAsync();
            using HttpClient admin = host.Admin();
            using HttpClient client = host.CreateClient();
            var catalog = new MetierCatalog(ReferenceData.Load());
            const string first = "99999901", second = "99999902";

            Assert.Empty(await Metiers(client, first)); // builds the map from the bundled catalogue

            await Replace(admin, first, "F1603");
            string[] expected = [.. catalog.ForRome("F1603").Select(m => m.Label).Distinct().Order(StringComparer.Ordinal).Take(20)];
            Assert.NotEmpty(expected);
            Assert.Equal(expected, await Eventually(client, first, expected));

            // A second change: the rebuild after the first one must not keep the next from happening.
            await Replace(admin, second, "M1607");
            string[] secondExpected = [.. catalog.ForRome("M1607").Select(m => m.Label).Distinct().Order(StringComparer.Ordinal).Take(20)];
            Assert.Equal(secondExpected, await Eventually(client, second, secondExpected));
            Assert.Empty(await Metiers(client, first)); // gone with the catalogue that had it
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task Replace(HttpClient admin, string cfd, string rome)
    {
        string line = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["cle_ministere_educatif"] = "cfd-test-" + cfd,
            ["intitule_long"] = "TECHNICIEN EN INSTALLATION (BAC PRO)",
            ["niveau"] = "4 (BAC...)",
            ["cfd"] = cfd,
            ["rome_codes"] = new[] { rome },
            ["lieu_formation_geo_coordonnees"] = "45.76,4.83",
        });
        using var content = new StringContent(line + "\n", Encoding.UTF8, "application/x-ndjson");
        using HttpResponseMessage response = await admin.PutAsync("/api/admin/import/formations?mode=replace", content);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private static async Task<string[]> Metiers(HttpClient client, string cfd)
    {
        using HttpResponseMessage response = await client.GetAsync($"/api/v1/metiers/metiersParFormation/{cfd}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. body.RootElement.GetProperty("metiers").EnumerateArray().Select(m => m.GetString()!)];
    }

    /// <summary>Asks until the answer is <paramref name="expected"/> (a rebuild takes well under a second at this scale).</summary>
    private static async Task<string[]> Eventually(HttpClient client, string cfd, string[] expected)
    {
        string[] answer = [];
        for (var clock = System.Diagnostics.Stopwatch.StartNew(); clock.Elapsed < TimeSpan.FromSeconds(30); await Task.Delay(100))
        {
            answer = await Metiers(client, cfd);
            if (answer.SequenceEqual(expected)) break;
        }
        return answer;
    }
}
