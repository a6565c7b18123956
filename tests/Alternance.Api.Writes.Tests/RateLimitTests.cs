using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace Alternance.Api.Writes.Tests;

/// <summary>The reference's rate limits, on (the default) in a host of its own without a dataset.</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private WriteHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = new WriteHost(WriteHost.NewRoot(), new FakeTimeProvider(DateTimeOffset.UtcNow), new Dictionary<string, string?>
        {
            ["RateLimiting:Enabled"] = null,
            ["Dataset:LoadOnStart"] = "false",
            ["Cluster:Storage"] = "Memory",
        });
        await _host.StartAsync(waitForDataset: false);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        try { Directory.Delete(_host.Root, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Applications_five_per_five_seconds_then_429_with_retry_after()
    {
        using HttpClient client = _host.CreateClient();
        for (int i = 0; i < 5; i++)
        {
            using HttpResponseMessage allowed = await client.PostAsync("/api/v1/application", Http.Raw("{}"));
            Assert.Equal(HttpStatusCode.BadRequest, allowed.StatusCode);
        }
        using HttpResponseMessage limited = await client.PostAsync("/api/v1/application", Http.Raw("{}"));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        int retryAfter = int.Parse(limited.Headers.GetValues("Retry-After").Single());
        Assert.InRange(retryAfter, 1, 5);
        var body = await limited.ReadJson();
        Assert.Equal(429, body.GetProperty("statusCode").GetInt32());
        Assert.StartsWith("Rate limit exceeded, retry in", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Job_routes_five_per_second_per_group()
    {
        using HttpClient partner = _host.Partner();
        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 8; i++)
        {
            using HttpResponseMessage response = await partner.PostAsync("/api/v1/jobs/establishment", Http.Raw("{}"));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(response.Headers.Contains("Retry-After"));
                break;
            }
        }
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.True(statuses.IndexOf(HttpStatusCode.TooManyRequests) >= 5);
        // Another group (métiers, 20 per second) is counted apart.
        using HttpResponseMessage metiers = await partner.GetAsync("/api/v1/metiers/all");
        Assert.NotEqual(HttpStatusCode.TooManyRequests, metiers.StatusCode);
        // After the window, requests pass again.
        await Task.Delay(1100);
        using HttpResponseMessage later = await partner.PostAsync("/api/v1/jobs/establishment", Http.Raw("{}"));
        Assert.Equal(HttpStatusCode.BadRequest, later.StatusCode);
    }
}

[Collection(SharedHostCollection.Name)]
public sealed class RateLimitOffTests(SharedHostFixture fixture)
{
    [Fact]
    public async Task RateLimiting_Enabled_false_turns_the_limits_off()
    {
        using HttpClient client = fixture.Host.CreateClient();
        for (int i = 0; i < 12; i++)
        {
            using HttpResponseMessage response = await client.PostAsync("/api/v1/application", Http.Raw("{}"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
    }
}
