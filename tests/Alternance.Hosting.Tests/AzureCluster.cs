using Alternance.Testing;

namespace Alternance.Hosting.Tests;

/// <summary>
/// The deployed topology as <c>deploy/local/cluster.sh</c> runs it: silos and client-mode API nodes as separate
/// processes on loopback, Azure Table membership and Azure Blob grain state on Azurite. Every process of one cluster
/// gets the same identity (service, cluster, blob container: its own, so clusters of concurrent runs never meet).
/// Processes are stopped as an orchestrator does (SIGTERM) or killed (SIGKILL) and started again on the same ports.
/// </summary>
public sealed class AzureCluster : IAsyncDisposable
{
    public const string PartnerKey = "fault-tests-partner-key-0123456789";

    private readonly TempFolder _folder = new();
    private readonly Member[] _silos;
    private readonly Member[] _apis;

    private AzureCluster(int silos, int apis)
    {
        Id = "fault-" + Guid.NewGuid().ToString("N")[..10];
        _silos = new Member[silos];
        for (int i = 0; i < silos; i++) _silos[i] = new Member($"silo{i + 1}", FreePorts.Next(), FreePorts.Next(), FreePorts.Next());
        _apis = new Member[apis];
        for (int i = 0; i < apis; i++) _apis[i] = new Member($"api{i + 1}", FreePorts.Next(), 0, 0);
        Apis = [.. _apis.Select(a => Launch.Http(a.HttpPort))];
        foreach (HttpClient api in Apis) api.Timeout = TimeSpan.FromSeconds(60);
    }

    /// <summary>Service id, cluster id and blob container of this cluster.</summary>
    public string Id { get; }

    /// <summary>One HTTP client per API node.</summary>
    public HttpClient[] Apis { get; }

    public string MailFolder => Path.Combine(_folder.Path, "mail");

    public int SiloCount => _silos.Length;

    /// <summary>What every process of this cluster shares: the settings deploy/k8s and deploy/local give them.</summary>
    private Dictionary<string, string> Environment() => new()
    {
        ["Cluster__Clustering"] = "AzureStorage",
        ["Cluster__Storage"] = "AzureBlob",
        ["Cluster__AzureStorageConnectionString"] = Azurite.ConnectionString,
        ["Cluster__ServiceId"] = Id,
        ["Cluster__ClusterId"] = Id,
        ["Cluster__BlobContainer"] = Id,
    };

    public static async Task<AzureCluster> StartAsync(FeedsFixture feeds, int silos = 3, int apis = 2)
    {
        await AzuriteServer.EnsureStartedAsync();
        var cluster = new AzureCluster(silos, apis);
        try
        {
            await cluster.StartSilosAsync();
            foreach (string feed in FeedsFixture.Names) await cluster.ImportAsync(feed, feeds.File(feed));
            await cluster.StartApisAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task StartSilosAsync()
    {
        for (int i = 0; i < _silos.Length; i++) StartSilo(i);
        for (int i = 0; i < _silos.Length; i++) await WaitSiloReadyAsync(i);
    }

    public void StartSilo(int index)
    {
        Member silo = _silos[index];
        silo.Process = ServiceProcess.Start(silo.Name, Built.Silo,
            ["run", $"--urls=http://127.0.0.1:{silo.HttpPort}", $"--Cluster:SiloPort={silo.SiloPort}", $"--Cluster:GatewayPort={silo.GatewayPort}"],
            _folder.Path, Environment());
    }

    public async Task WaitSiloReadyAsync(int index)
    {
        Member silo = _silos[index];
        using HttpClient probe = Launch.Http(silo.HttpPort);
        await silo.Process!.WaitForHttpOkAsync(probe, "/health/ready", Launch.StartTimeout);
    }

    public async Task StartApisAsync()
    {
        for (int i = 0; i < _apis.Length; i++)
        {
            Member api = _apis[i];
            Dictionary<string, string> environment = Environment();
            environment["Partners__fault__ApiKey"] = PartnerKey;
            environment["Mail__Folder"] = MailFolder;
            api.Process = ServiceProcess.Start(api.Name, Built.Api,
                [$"--urls=http://127.0.0.1:{api.HttpPort}", "--Cluster:Mode=Client", "--RateLimiting:Enabled=false"],
                _folder.Path, environment);
        }
        for (int i = 0; i < _apis.Length; i++) await _apis[i].Process!.WaitForHttpOkAsync(Apis[i], "/health/ready", Launch.StartTimeout);
    }

    /// <summary>Imports a feed with the CLI, which finds the gateways in the membership table as API nodes do.</summary>
    public async Task ImportAsync(string feed, string file)
    {
        var (process, code, _) = await Launch.CommandAsync(_folder.Path, TimeSpan.FromMinutes(3),
            ["import", feed, file, "--mode", "replace", "--timeout", "60"], Environment());
        await using (process)
        {
            Assert.True(code == 0, $"import {feed} exited with {code}\n{process.Transcript}");
        }
    }

    /// <summary>The loss of a machine: SIGKILL, no goodbye to the cluster.</summary>
    public void KillSilo(int index)
    {
        _silos[index].Process!.Signal(9);
    }

    /// <summary>Stops every process as an orchestrator does (SIGTERM; API nodes, then silos); answers each one's exit code.</summary>
    public async Task<IReadOnlyList<(string Name, int? ExitCode, string Transcript)>> StopAllAsync()
    {
        var stopped = new List<(string, int?, string)>();
        foreach (Member[] group in new[] { _apis, _silos })
        {
            foreach (Member member in group)
            {
                if (member.Process is { HasExited: false } process) process.Signal(ServiceProcess.SIGTERM);
            }
            foreach (Member member in group)
            {
                if (member.Process is not { } process) continue;
                int? code = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
                stopped.Add((member.Name, code, process.Transcript));
                await process.DisposeAsync();
                member.Process = null;
            }
        }
        return stopped;
    }

    public string Transcripts() =>
        string.Join("\n", _silos.Concat(_apis).Where(m => m.Process is not null).Select(m => Tail(m.Process!.Transcript)));

    private static string Tail(string text) => text.Length <= 4000 ? text : "…" + text[^4000..];

    public async ValueTask DisposeAsync()
    {
        foreach (HttpClient api in Apis) api.Dispose();
        foreach (Member member in _apis.Concat(_silos))
        {
            if (member.Process is not null) await member.Process.DisposeAsync();
        }
        _folder.Dispose();
    }

    private sealed class Member(string name, int httpPort, int siloPort, int gatewayPort)
    {
        public string Name { get; } = name;
        public int HttpPort { get; } = httpPort;
        public int SiloPort { get; } = siloPort;
        public int GatewayPort { get; } = gatewayPort;
        public ServiceProcess? Process { get; set; }
    }
}
