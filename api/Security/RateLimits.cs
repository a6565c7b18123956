using System.Globalization;
using System.Threading.RateLimiting;

namespace Alternance.Api.Security;

/// <summary>Configuration section <c>RateLimiting</c>.</summary>
public sealed class RateLimitingOptions
{
    public const string Section = "RateLimiting";

    /// <summary>On by default; <c>false</c> for load tests, benchmarks and trusted internal callers.</summary>
    public bool Enabled { get; set; } = true;
}

/// <summary>
/// The reference's rate limits (§1.1; the v3 write and export routes: 1 per second, as La bonne alternance sets them),
/// per route, as fixed windows, counted twice: per client IP, and per consumer (the API key a request carries) whatever
/// its IPs. Exceeding either answers 429 with <c>Retry-After</c> (seconds) and the reference's body.
/// </summary>
public static class RateLimits
{
    /// <summary>A group of routes and its limit: <see cref="Permits"/> requests per <see cref="Window"/>.</summary>
    public sealed record Rule(string Name, string? Method, string PathPrefix, int Permits, TimeSpan Window);

    /// <summary>First match wins (longer prefixes first where they share a start).</summary>
    public static readonly Rule[] Rules =
    [
        new("application", "POST", "/api/v1/application", 5, TimeSpan.FromSeconds(5)),
        new("formationsParRegion", null, "/api/v1/formationsParRegion", 5, TimeSpan.FromSeconds(1)),
        new("formations", null, "/api/v1/formations", 7, TimeSpan.FromSeconds(1)),
        new("jobsEtFormations", null, "/api/v1/jobsEtFormations", 5, TimeSpan.FromSeconds(1)),
        new("jobs", null, "/api/v1/jobs", 5, TimeSpan.FromSeconds(1)),
        new("metiers", null, "/api/v1/metiers", 20, TimeSpan.FromSeconds(1)),
        new("romelabels", null, "/api/romelabels", 10, TimeSpan.FromSeconds(1)),
        new("jobsdiplomas", null, "/api/jobsdiplomas", 10, TimeSpan.FromSeconds(1)),
        new("rome", null, "/api/rome", 10, TimeSpan.FromSeconds(1)),
        new("appointments", "POST", "/api/appointment-request", 5, TimeSpan.FromSeconds(1)),
        // The widget's own routes (our choice): its writes as the offer routes, its look-ups as the métier routes.
        new("widget-writes", "POST", "/api/widget", 5, TimeSpan.FromSeconds(1)),
        new("widget", null, "/api/widget", 20, TimeSpan.FromSeconds(1)),
        // v3 and v2 (reference §1.13), and the same routes under the API Apprentissage gateway's names.
        new("jobsExport", "GET", "/api/v3/jobs/export", 1, TimeSpan.FromSeconds(1)),
        new("jobsExportGateway", "GET", "/job/v1/export", 1, TimeSpan.FromSeconds(1)),
        new("jobsV3Write", "POST", "/api/v3/jobs", 1, TimeSpan.FromSeconds(1)),
        new("jobsV3Update", "PUT", "/api/v3/jobs", 1, TimeSpan.FromSeconds(1)),
        new("jobsGatewayWrite", "POST", "/job/v1/offer", 1, TimeSpan.FromSeconds(1)),
        new("jobsGatewayUpdate", "PUT", "/job/v1/offer", 1, TimeSpan.FromSeconds(1)),
        new("jobsV4Bulk", "POST", "/api/v4/jobs", 1, TimeSpan.FromSeconds(1)),
        new("jobsV3", "GET", "/api/v3/jobs", 5, TimeSpan.FromSeconds(1)),
        new("jobsGateway", "GET", "/job/v1", 5, TimeSpan.FromSeconds(1)),
        new("applicationV2", "POST", "/api/v2/application", 5, TimeSpan.FromSeconds(5)),
        new("applicationGateway", "POST", "/job/v1/apply", 5, TimeSpan.FromSeconds(5)),
        new("appointmentV2", "POST", "/api/v2/appointment", 5, TimeSpan.FromSeconds(1)),
        new("appointmentGateway", "POST", "/formation/v1/appointment", 5, TimeSpan.FromSeconds(1)),
    ];

    public static Rule? RuleFor(HttpRequest request)
    {
        string path = request.Path.Value ?? "";
        foreach (Rule rule in Rules)
        {
            if (rule.Method is { } method && !HttpMethods.Equals(method, request.Method)) continue;
            if (!path.StartsWith(rule.PathPrefix, StringComparison.OrdinalIgnoreCase)) continue;
            // A prefix matches a whole segment: /api/v1/jobs matches /api/v1/jobs and /api/v1/jobs/..., not /api/v1/jobsX.
            if (path.Length == rule.PathPrefix.Length || path[rule.PathPrefix.Length] == '/') return rule;
        }
        return null;
    }

    public static IServiceCollection AddApiRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<RateLimitingOptions>(configuration.GetSection(RateLimitingOptions.Section));
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context =>
                    Partition(context, context.Connection.RemoteIpAddress?.ToString() ?? "local")),
                PartitionedRateLimiter.Create<HttpContext, string>(context =>
                    ApiKeys.KeyOf(context.Request) is { } key ? Partition(context, Consumer(key)) : RateLimitPartition.GetNoLimiter("none")));
            options.OnRejected = async (rejected, cancellationToken) =>
            {
                int seconds = 1;
                if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan retryAfter))
                {
                    seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                }
                HttpResponse response = rejected.HttpContext.Response;
                response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                string unit = seconds == 1 ? "second" : "seconds";
                await Boom.Result(StatusCodes.Status429TooManyRequests, $"Rate limit exceeded, retry in {seconds} {unit}")
                    .ExecuteAsync(rejected.HttpContext);
            };
        });
        return services;
    }

    /// <summary>The window of a route for one client (an IP, or a consumer); no limit for routes without a rule.</summary>
    private static RateLimitPartition<string> Partition(HttpContext context, string client)
    {
        Rule? rule = RuleFor(context.Request);
        if (rule is null)
        {
            return RateLimitPartition.GetNoLimiter("none");
        }
        // As the reference's per-route limits: each route (method and template) has its own window per client.
        string route = context.GetEndpoint() is RouteEndpoint endpoint
            ? $"{context.Request.Method} {endpoint.RoutePattern.RawText}"
            : $"{context.Request.Method} {context.Request.Path.Value?.ToLowerInvariant()}";
        return RateLimitPartition.GetFixedWindowLimiter($"{rule.Name}|{route}|{client}", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = rule.Permits,
            Window = rule.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    /// <summary>A consumer's partition name: a digest of its key (keys themselves are kept nowhere).</summary>
    private static string Consumer(string key) =>
        "key:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)), 0, 12);

    /// <summary>Applies the limits unless <c>RateLimiting:Enabled</c> is false.</summary>
    public static WebApplication UseApiRateLimits(this WebApplication app)
    {
        var options = app.Configuration.GetSection(RateLimitingOptions.Section).Get<RateLimitingOptions>() ?? new RateLimitingOptions();
        if (options.Enabled)
        {
            app.UseRateLimiter();
        }
        return app;
    }
}
