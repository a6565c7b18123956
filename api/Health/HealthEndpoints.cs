using Alternance.Search;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Alternance.Api.Health;

/// <summary>Ready when every feed has a live generation: searches then answer from the full dataset.</summary>
public sealed class DatasetReadyCheck(DirectoryCache directory, IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        DirectorySnapshot? snapshot = directory.Current;
        if (snapshot is null)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The cluster directory has not been read yet."));
        }
        foreach (SourceDirectory source in snapshot.Sources)
        {
            if (source.Generation == 0)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy($"The {source.Source.FeedName()} feed is not loaded yet."));
            }
        }
        // Then until the cells are loaded (the embedded default's first start) or active (later starts, API nodes).
        if (services.GetService<Alternance.Api.Dataset.DatasetWarmth>() is { IsWarm: false })
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The cells are warming up."));
        }
        return Task.FromResult(HealthCheckResult.Healthy());
    }
}

/// <summary>
/// Says once, on the console, where the service answers, when it is ready: the last line of a start, the one a new user
/// waits for.
/// </summary>
public sealed class ReadyAnnouncement(
    IHostApplicationLifetime lifetime,
    Microsoft.AspNetCore.Hosting.Server.IServer server,
    DatasetReadyCheck readiness,
    ILogger<ReadyAnnouncement> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }
        while ((await readiness.CheckHealthAsync(new HealthCheckContext(), stoppingToken)).Status != HealthStatus.Healthy)
        {
            await Task.Delay(200, stoppingToken);
        }
        var addresses = server.Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses;
        string url = addresses?.FirstOrDefault() ?? "(no HTTP address)";
        logger.LogInformation("Ready on {Url}: API docs {Url}/api-docs", url, url.TrimEnd('/'));
    }
}

public static class HealthEndpoints
{
    public static void MapHealthEndpoints(this WebApplication app)
    {
        // Live: the process answers. Ready: the dataset is searchable (Kubernetes routes traffic only then).
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
    }
}
