namespace Alternance.Hosting.Tests;

/// <summary>The ports one cluster of the tests uses, all free when it starts, and an id of its own.</summary>
public sealed record ClusterPorts(int Silo, int Gateway, string ServiceId)
{
    public static ClusterPorts Free() => new(FreePorts.Next(), FreePorts.Next(), "hosting-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>Configuration overrides every process of this cluster gets on its command line.</summary>
    public string[] Arguments(string storePath) =>
    [
        $"--Cluster:SiloPort={Silo}", $"--Cluster:GatewayPort={Gateway}", $"--Cluster:ServiceId={ServiceId}",
        $"--Cluster:StoragePath={storePath}",
    ];
}

/// <summary>Starts the built services the way the README and deploy/ do, on free loopback ports and a temporary store.</summary>
public static class Launch
{
    /// <summary>Generous: a silo joining through Azure Table membership, on two cores shared with a whole test run.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    /// <summary>The default command: the API with a co-hosted silo, loading a tiny bundled dataset into its own store.</summary>
    public static ServiceProcess EmbeddedApi(string folder, int httpPort, ClusterPorts cluster, params string[] settings) =>
        ServiceProcess.Start("api (embedded)", Built.Api,
            [$"--urls=http://127.0.0.1:{httpPort}", "--Dataset:Scale=0.01", .. cluster.Arguments(Path.Combine(folder, "store")), .. settings],
            folder);

    /// <summary>A silo (<c>silo run</c>) with its probe and metrics port.</summary>
    public static ServiceProcess Silo(string folder, int httpPort, ClusterPorts cluster, params string[] settings) =>
        ServiceProcess.Start("silo", Built.Silo,
            ["run", $"--urls=http://127.0.0.1:{httpPort}", .. cluster.Arguments(Path.Combine(folder, "silo-store")), .. settings],
            folder);

    /// <summary>An API node in client mode, as deploy/ runs it.</summary>
    public static ServiceProcess ClientApi(string folder, int httpPort, ClusterPorts cluster, params string[] settings) =>
        ServiceProcess.Start("api (client)", Built.Api,
            [$"--urls=http://127.0.0.1:{httpPort}", "--Cluster:Mode=Client", .. cluster.Arguments(Path.Combine(folder, "unused-store")), .. settings],
            folder);

    /// <summary>Runs one operator command to its end (<c>silo import|delete|generate ...</c>).</summary>
    public static async Task<(ServiceProcess Process, int? ExitCode, TimeSpan Elapsed)> CommandAsync(
        string folder, TimeSpan timeout, IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ServiceProcess command = ServiceProcess.Start("silo " + string.Join(' ', args.Take(1)), Built.Silo, args, folder, environment);
        int? code = await command.WaitForExitAsync(timeout);
        return (command, code, clock.Elapsed);
    }

    public static HttpClient Http(int port) => new() { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A search over every source around Paris: it renders companies' protected e-mails, so the protector exists.</summary>
    public const string JobsAroundParis = "/api/v1/jobs?romes=M1607,M1805,D1102,I1304&latitude=48.85&longitude=2.35&radius=200&caller=hosting-tests";
}
