using Alternance.Hosting;
using Alternance.Search;

namespace Alternance.Silo;

/// <summary>Configuration section <c>Cli</c>: how the operator commands reach the cluster.</summary>
public sealed class CliOptions
{
    public const string Section = "Cli";

    /// <summary>How long <c>import</c> and <c>delete</c> wait for a gateway before giving up (<c>--timeout</c> overrides it).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>No gateway of the cluster answered within the connect timeout: the command says so in one line.</summary>
public sealed class ClusterUnreachableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A connected cluster client; disposing it closes the connection gracefully (a dropped one makes every silo log a reset).</summary>
public sealed class ClusterConnection(IHost host) : IAsyncDisposable
{
    public IServiceProvider Services => host.Services;

    public ValueTask DisposeAsync() => ClusterClient.StopAndDisposeAsync(host);
}

/// <summary>A short-lived cluster client for the operator commands, configured like an API node.</summary>
public static class ClusterClient
{
    /// <param name="overrides">Configuration overrides from the command line (<c>--Cluster:GatewayPort=30001</c>).</param>
    /// <param name="timeout">The <c>--timeout</c> option; <c>Cli:ConnectTimeout</c> when null.</param>
    public static async Task<ClusterConnection> ConnectAsync(IReadOnlyList<string> overrides, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        // Same sources and order as the hosts: appsettings.json, environment, then the command line.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [.. overrides],
            ContentRootPath = ServiceContentRoot.Resolve(),
        });
        // A command prints its own report: Orleans' connection attempts (a warning and a stack trace each) are not one.
        builder.Logging.AddFilter("Orleans", LogLevel.None);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        // "Hosting failed to start" and its stack trace: the command reports the failure in one line.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        // The command owns Ctrl+C (System.CommandLine's cancellation token); a console lifetime would stop the host
        // behind its back as well.
        builder.Services.AddSingleton<IHostLifetime, CommandLifetime>();

        var cli = builder.Configuration.GetSection(CliOptions.Section).Get<CliOptions>() ?? new CliOptions();
        TimeSpan wait = timeout ?? cli.ConnectTimeout;
        DateTime deadline = DateTime.UtcNow + wait;
        builder.UseOrleansClient(client => client
            .AddAlternanceClient(builder.Configuration)
            .UseConnectionRetryFilter(async (_, ct) =>
            {
                if (DateTime.UtcNow + TimeSpan.FromSeconds(0.5) >= deadline) return false;
                await Task.Delay(TimeSpan.FromSeconds(0.5), ct);
                return true;
            }));
        builder.Services.AddSearchFront(builder.Configuration);
        IHost host = builder.Build();

        using var connecting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connecting.CancelAfter(wait);
        try
        {
            await host.StartAsync(connecting.Token);
            return new ClusterConnection(host);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            await StopAndDisposeAsync(host);
            throw new ClusterUnreachableException(Unreachable(ClusterHostingOptions.From(builder.Configuration), wait), e);
        }
        catch
        {
            await StopAndDisposeAsync(host);
            throw;
        }
    }

    private static string Unreachable(ClusterHostingOptions cluster, TimeSpan wait)
    {
        string where = string.Equals(cluster.Clustering, "AzureStorage", StringComparison.OrdinalIgnoreCase)
            ? $"no gateway of cluster {cluster.ServiceId}/{cluster.ClusterId} (Azure Storage membership)"
            : $"no cluster gateway at 127.0.0.1:{cluster.GatewayPort}";
        return $"error: {where} answered within {wait.TotalSeconds:0.#} s; start the service (or set Cluster:GatewayPort), or wait longer with --timeout or Cli:ConnectTimeout.";
    }

    internal static async ValueTask StopAndDisposeAsync(IHost host)
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await host.StopAsync(stopping.Token);
        }
        catch (Exception)
        {
            // A client that never connected, or a cluster gone meanwhile: nothing left to close gracefully.
        }
        if (host is IAsyncDisposable asyncHost) await asyncHost.DisposeAsync(); else host.Dispose();
    }

    /// <summary>A lifetime that waits for nothing and listens to no signal.</summary>
    private sealed class CommandLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
