using Alternance.Hosting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Alternance.Silo;

/// <summary>A cluster member: a silo plus a small HTTP port for probes and Prometheus.</summary>
public static class SiloHost
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = ServiceContentRoot.Resolve() });
        // One line per entry, with the time: read by people at a console and by log collectors alike.
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.UseOrleans(silo => silo.AddAlternanceSilo(builder.Configuration));
        builder.Services.AddAlternanceTelemetry(builder.Configuration, TelemetryRole.Silo);
        builder.Services.AddHealthChecks().AddCheck<SiloActiveCheck>("silo", tags: ["ready"]);
        var app = builder.Build();
        // Live: the process answers. Ready: the silo is an active member of the cluster (Kubernetes' probes).
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        app.MapPrometheusScrapingEndpoint("/metrics");
        await app.RunAsync(cancellationToken);
        return 0;
    }
}

/// <summary>
/// Ready while this silo is Active in the membership: not yet while it joins, no longer once it is shutting down or
/// has been declared dead by the others. A rolling update and the PodDisruptionBudget count ready pods, so a silo
/// that is running but out of the cluster is not counted as available.
/// </summary>
public sealed class SiloActiveCheck(ISiloStatusOracle membership) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(membership.CurrentStatus == SiloStatus.Active
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"The silo is {membership.CurrentStatus}, not Active."));
}
