using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Alternance.Api.Dashboard;
using Microsoft.AspNetCore.Http;

namespace Alternance.Hosting.Tests;

/// <summary>The policy itself, for the peers a test cannot fake over loopback (another machine, a proxy).</summary>
public sealed class DashboardAccessPolicyTests
{
    private static readonly IPAddress Outside = IPAddress.Parse("203.0.113.7");

    private static HeaderDictionary Headers(params (string Name, string Value)[] headers)
    {
        var dictionary = new HeaderDictionary();
        foreach (var (name, value) in headers) dictionary[name] = value;
        return dictionary;
    }

    private static string Basic(string user, string password) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    [Fact]
    public void By_default_only_a_direct_request_from_this_machine_is_let_in()
    {
        var policy = new DashboardAccessPolicy(new DashboardOptions());
        Assert.Equal(DashboardAccess.Loopback, policy.Access);
        Assert.Equal(DashboardDecision.Allow, policy.Decide(IPAddress.Loopback, Headers()));
        Assert.Equal(DashboardDecision.Allow, policy.Decide(IPAddress.IPv6Loopback, Headers()));
        Assert.Equal(DashboardDecision.Allow, policy.Decide(IPAddress.Parse("127.0.0.1").MapToIPv6(), Headers()));
        Assert.Equal(DashboardDecision.Forbidden, policy.Decide(Outside, Headers()));
        Assert.Equal(DashboardDecision.Forbidden, policy.Decide(IPAddress.Parse("10.244.1.17"), Headers()));
        Assert.Equal(DashboardDecision.Forbidden, policy.Decide(null, Headers()));
    }

    [Theory]
    [InlineData("X-Forwarded-For", "127.0.0.1")]
    [InlineData("Forwarded", "for=127.0.0.1")]
    [InlineData("X-Real-IP", "127.0.0.1")]
    public void A_request_relayed_by_a_proxy_on_this_machine_is_refused_whatever_it_claims(string header, string value)
    {
        var policy = new DashboardAccessPolicy(new DashboardOptions());
        Assert.Equal(DashboardDecision.Forbidden, policy.Decide(IPAddress.Loopback, Headers((header, value))));
        // And a forwarding header never lets an outside peer in.
        Assert.Equal(DashboardDecision.Forbidden, policy.Decide(Outside, Headers((header, value))));
    }

    [Fact]
    public void With_a_key_everyone_must_give_it_as_the_basic_password_even_from_this_machine()
    {
        const string key = "0123456789abcdef-key";
        var policy = new DashboardAccessPolicy(new DashboardOptions { Access = DashboardAccess.Key, Key = key });
        Assert.Equal(DashboardDecision.Allow, policy.Decide(Outside, Headers(("Authorization", Basic("ops", key)))));
        Assert.Equal(DashboardDecision.Allow, policy.Decide(Outside, Headers(("Authorization", Basic("", key)))));
        Assert.Equal(DashboardDecision.Challenge, policy.Decide(IPAddress.Loopback, Headers()));
        Assert.Equal(DashboardDecision.Challenge, policy.Decide(Outside, Headers(("Authorization", Basic("ops", key + "x")))));
        Assert.Equal(DashboardDecision.Challenge, policy.Decide(Outside, Headers(("Authorization", Basic("ops", key[..^1])))));
        Assert.Equal(DashboardDecision.Challenge, policy.Decide(Outside, Headers(("Authorization", "Bearer " + key))));
        Assert.Equal(DashboardDecision.Challenge, policy.Decide(Outside, Headers(("Authorization", "Basic not-base64!"))));
        // A user name holding the key is not the password.
        Assert.Equal(DashboardDecision.Challenge, policy.Decide(Outside, Headers(("Authorization", Basic(key, "")))));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("short-key")]
    public void Key_access_without_a_long_enough_key_is_refused_at_start(string? key)
    {
        var error = Assert.Throws<InvalidOperationException>(() => new DashboardAccessPolicy(new DashboardOptions { Access = DashboardAccess.Key, Key = key }));
        Assert.Contains("Dashboard:Key", error.Message);
    }

    [Fact]
    public void Public_access_lets_anyone_in()
    {
        var policy = new DashboardAccessPolicy(new DashboardOptions { Access = DashboardAccess.Public });
        Assert.Equal(DashboardDecision.Allow, policy.Decide(Outside, Headers(("X-Forwarded-For", "198.51.100.1"))));
    }
}

/// <summary>The dashboard over real HTTP: behind its key on one API, loopback-only by default on the other.</summary>
[Collection(ServicesCollection.Name)]
public sealed class DashboardAccessTests(KeyedEmbeddedApiFixture keyed) : IClassFixture<KeyedEmbeddedApiFixture>
{
    private static AuthenticationHeaderValue Basic(string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("ops:" + password)));

    [Theory]
    [InlineData("/dashboard/")]
    [InlineData("/dashboard/version")]
    [InlineData("/dashboard/DashboardCounters")]
    public async Task With_a_key_the_page_and_its_data_answer_only_to_the_key(string path)
    {
        using (HttpResponseMessage anonymous = await keyed.Api.GetAsync(path))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal("Basic", Assert.Single(anonymous.Headers.WwwAuthenticate).Scheme);
        }
        using (var wrong = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Authorization = Basic("not-the-key-at-all") } })
        using (HttpResponseMessage refused = await keyed.Api.SendAsync(wrong))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        using var right = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Authorization = Basic(KeyedEmbeddedApiFixture.DashboardKey) } };
        using HttpResponseMessage answered = await keyed.Api.SendAsync(right);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.NotEmpty(await answered.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_key_guards_only_the_dashboard()
    {
        using HttpResponseMessage search = await keyed.Api.GetAsync(Launch.JobsAroundParis);
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        using HttpResponseMessage metrics = await keyed.Api.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
    }
}

/// <summary>The default (an API node with no dashboard setting): this machine only, not through a proxy.</summary>
[Collection(ServicesCollection.Name)]
public sealed class DashboardDefaultAccessTests(ClusterFixture cluster)
{
    [Fact]
    public async Task By_default_the_dashboard_answers_a_direct_local_request_and_refuses_a_proxied_one()
    {
        using (HttpResponseMessage page = await cluster.Api.GetAsync("/dashboard/"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        }
        using var proxied = new HttpRequestMessage(HttpMethod.Get, "/dashboard/DashboardCounters");
        proxied.Headers.Add("X-Forwarded-For", "198.51.100.23");
        using HttpResponseMessage refused = await cluster.Api.SendAsync(proxied);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("Dashboard:Access", await refused.Content.ReadAsStringAsync());
    }
}
