using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
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
        }, services: services => services.AddTransient<IStartupFilter, ClientAddressFromHeader>());
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

    private async Task<HttpStatusCode> Get(string path, string key, string ip)
    {
        using HttpClient client = _host.Partner(key);
        client.DefaultRequestHeaders.Add(ClientAddressFromHeader.Header, ip);
        using HttpResponseMessage response = await client.GetAsync(path);
        return response.StatusCode;
    }

    [Fact]
    public async Task A_consumer_is_limited_by_its_key_whatever_its_addresses()
    {
        // Twelve v3 searches (5 per second) with one key, each from another address: no address reaches its limit, the key
        // does; another key is counted apart.
        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 12; i++)
        {
            statuses.Add(await Get("/api/v3/jobs/search?romes=M1607", WriteHost.AlphaKey, $"10.1.0.{i + 1}"));
        }
        int first = statuses.IndexOf(HttpStatusCode.TooManyRequests);
        Assert.True(first >= 5, string.Join(", ", statuses));
        Assert.NotEqual(HttpStatusCode.TooManyRequests, await Get("/api/v3/jobs/search?romes=M1607", WriteHost.BetaKey, "10.1.1.1"));
    }

    [Fact]
    public async Task V3_writes_are_one_per_second()
    {
        using HttpClient partner = _host.Partner();
        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 4; i++)
        {
            using HttpResponseMessage response = await partner.PostAsync("/api/v4/jobs/multi-partner/bulk", Http.Raw("[]"));
            statuses.Add(response.StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, statuses[0]);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }
}

/// <summary>Test seam: the client address of a request is the one its <c>X-Test-Client-Ip</c> header names.</summary>
internal sealed class ClientAddressFromHeader : IStartupFilter
{
    public const string Header = "X-Test-Client-Ip";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, following) =>
        {
            if (IPAddress.TryParse(context.Request.Headers[Header], out IPAddress? address)) context.Connection.RemoteIpAddress = address;
            return following(context);
        });
        next(app);
    };
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
