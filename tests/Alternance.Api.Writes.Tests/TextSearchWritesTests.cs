using System.Net;
using System.Text.Json;

namespace Alternance.Api.Writes.Tests;

/// <summary>
/// An offer posted through the API is found by free text as soon as the radius route finds it, and leaves the text
/// results with it (the cell's text index is rebuilt with its posted offers).
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class TextSearchWritesTests(SharedHostFixture fixture)
{
    private WriteHost Host => fixture.Host;
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    internal static async Task<bool> FoundByText(HttpClient client, string jobId, string words)
    {
        string url = FormattableString.Invariant(
            $"/api/v1/search?q={Uri.EscapeDataString(words)}&mode=emplois&latitude={Offers.Lat}&longitude={Offers.Lon}&radius=1&type_filter_label={Uri.EscapeDataString("Offres d'emploi")}&hitsPerPage=100");
        using HttpResponseMessage response = await client.GetAsync(url);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {text}");
        using JsonDocument doc = JsonDocument.Parse(text);
        foreach (JsonElement hit in doc.RootElement.GetProperty("hits").EnumerateArray())
        {
            if (hit.GetProperty("kind").GetString() == "offre_lba" && hit.GetProperty("id").GetString() == jobId) return true;
        }
        return false;
    }

    [Fact]
    public async Task A_posted_offer_is_found_by_its_words_once_listed_and_leaves_when_canceled()
    {
        using HttpClient alpha = Host.Partner();
        using HttpClient search = Host.CreateClient();
        string establishment = (await Offers.CreateEstablishment(alpha)).GetProperty("establishment_id").GetString()!;
        var (_, rome, label) = Offers.Appellation(2);
        string jobId = await Offers.CreateJob(alpha, establishment, Offers.JobBody(fixture.Clock.GetUtcNow(), appellation: 2));

        await Offers.WaitListed(search, jobId, rome, expected: true, OneSecond);
        Assert.True(await FoundByText(search, jobId, label), $"the offer '{label}' is listed by the radius route but not found by its title");

        using HttpResponseMessage canceled = await alpha.PostAsync($"/api/v1/jobs/canceled/{jobId}", null);
        Assert.Equal(HttpStatusCode.NoContent, canceled.StatusCode);
        await Offers.WaitListed(search, jobId, rome, expected: false, OneSecond);
        Assert.False(await FoundByText(search, jobId, label), "a canceled offer is not found by text");
    }
}
