using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Alternance.Data;
using Microsoft.Extensions.Time.Testing;

namespace Alternance.Api.Writes.Tests;

/// <summary>One API host shared by the tests of the <see cref="SharedHostCollection"/> (they run one after another).</summary>
public sealed class SharedHostFixture : IAsyncLifetime
{
    public WriteHost Host { get; private set; } = null!;

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public async Task InitializeAsync()
    {
        Host = new WriteHost(WriteHost.NewRoot(), Clock);
        await Host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        try
        {
            Directory.Delete(Host.Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SharedHostCollection : ICollectionFixture<SharedHostFixture>
{
    public const string Name = "shared API host";
}

/// <summary>Helpers to create recruiters and offers and to look for them in searches.</summary>
public static class Offers
{
    /// <summary>Paris, centre.</summary>
    public const double Lat = 48.8566, Lon = 2.3522;

    private static readonly Lazy<ReferenceData> Reference = new(ReferenceData.Load);

    /// <summary>An appellation of the bundled referential and its ROME code.</summary>
    public static (string Code, string Rome, string Label) Appellation(int index = 0)
    {
        RomeAppellation a = Reference.Value.Appellations.Where(x => Reference.Value.FindRome(x.RomeCode) is not null).Skip(index).First();
        return (a.CodeOgr, a.RomeCode, a.Label);
    }

    /// <summary>A Luhn-valid SIRET nobody else uses.</summary>
    public static string NewSiret() => Alternance.Testing.TestSirets.New();

    public static object EstablishmentBody(string? siret = null, double lat = Lat, double lon = Lon, string email = "recruteur@example.fr") => new
    {
        establishment_siret = siret ?? NewSiret(),
        first_name = "Jeanne",
        last_name = "Martin",
        phone = "0612345678",
        email,
        origin = "tests",
        geo_coordinates = FormattableString.Invariant($"{lat},{lon}"),
        establishment_raison_sociale = "Boulangerie des tests",
    };

    public static async Task<JsonElement> CreateEstablishment(HttpClient partner, object? body = null)
    {
        using HttpResponseMessage response = await partner.PostAsync("/api/v1/jobs/establishment", Http.Json(body ?? EstablishmentBody()));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static Dictionary<string, object?> JobBody(DateTimeOffset today, int appellation = 0) => new()
    {
        ["appellation_code"] = Appellation(appellation).Code,
        ["job_level_label"] = "BTS, DEUST, autres formations niveau (Bac+2)",
        // The service's day changes at midnight in Paris: "today" in UTC is yesterday there between 22:00/23:00 and midnight.
        ["job_start_date"] = ParisTime.DateOf(today).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ["job_type"] = new[] { "Apprentissage" },
        ["job_duration"] = 12,
        ["job_description"] = "Une description de poste qui dépasse bien les trente caractères.",
    };

    /// <summary>Posts an offer; answers the new job's id.</summary>
    public static async Task<string> CreateJob(HttpClient partner, string establishmentId, Dictionary<string, object?> body)
    {
        using HttpResponseMessage response = await partner.PostAsync($"/api/v1/jobs/{establishmentId}", Http.Json(body));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {text}");
        JsonElement jobs = JsonDocument.Parse(text).RootElement.GetProperty("jobs");
        return jobs[jobs.GetArrayLength() - 1].GetProperty("_id").GetString()!;
    }

    /// <summary>Whether a jobs search around the point lists the offer among <c>matchas</c>.</summary>
    public static async Task<bool> Listed(HttpClient client, string jobId, string rome, double lat = Lat, double lon = Lon)
    {
        string url = FormattableString.Invariant($"/api/v1/jobs?romes={rome}&latitude={lat}&longitude={lon}&radius=30&sources=matcha&caller=writes-tests");
        using HttpResponseMessage response = await client.GetAsync(url);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {text}");
        using JsonDocument doc = JsonDocument.Parse(text);
        JsonElement matchas = doc.RootElement.GetProperty("matchas");
        Assert.True(matchas.TryGetProperty("results", out JsonElement results), text);
        foreach (JsonElement item in results.EnumerateArray())
        {
            if (item.TryGetProperty("job", out JsonElement job) && job.TryGetProperty("id", out JsonElement id) && id.GetString() == jobId) return true;
            if (item.TryGetProperty("id", out JsonElement itemId) && itemId.GetString() == jobId) return true;
        }
        return false;
    }

    /// <summary>Polls the search for up to <paramref name="within"/>; answers how long it took to see the expected state.</summary>
    public static async Task<TimeSpan> WaitListed(HttpClient client, string jobId, string rome, bool expected, TimeSpan within, double lat = Lat, double lon = Lon)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await Listed(client, jobId, rome, lat, lon) == expected) return clock.Elapsed;
            if (clock.Elapsed > within)
            {
                Assert.Fail($"Offer {jobId} {(expected ? "not listed" : "still listed")} after {clock.Elapsed.TotalMilliseconds:0} ms");
            }
            await Task.Delay(20);
        }
    }

}
