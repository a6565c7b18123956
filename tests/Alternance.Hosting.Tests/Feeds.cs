namespace Alternance.Hosting.Tests;

/// <summary>The bundled dataset at 1% scale as feed files, written once by the CLI's <c>generate</c> (it needs no cluster).</summary>
public sealed class FeedsFixture : IAsyncLifetime, IDisposable
{
    public static readonly string[] Names = ["formations", "peJobs", "recruiters", "companies"];

    private readonly TempFolder _folder = new();

    public string Folder => Path.Combine(_folder.Path, "feeds");

    public string File(string feed) => Path.Combine(Folder, feed + ".jsonl.gz");

    public async Task InitializeAsync()
    {
        var (process, code, _) = await Launch.CommandAsync(_folder.Path, TimeSpan.FromMinutes(2), ["generate", "--out", Folder, "--scale", "0.01", "--gzip"]);
        await using (process)
        {
            Assert.True(code == 0, "generate failed\n" + process.Transcript);
        }
        foreach (string feed in Names) Assert.True(System.IO.File.Exists(File(feed)), feed);
    }

    /// <summary>Imports feeds into the cluster behind <paramref name="cluster"/>'s gateway with the CLI, as an operator does.</summary>
    public async Task ImportAsync(string folder, ClusterPorts cluster, params string[] feeds)
    {
        foreach (string feed in feeds)
        {
            var (process, code, _) = await Launch.CommandAsync(folder, TimeSpan.FromMinutes(2),
                ["import", feed, File(feed), "--mode", "replace", $"--Cluster:GatewayPort={cluster.Gateway}", $"--Cluster:ServiceId={cluster.ServiceId}"]);
            await using (process)
            {
                Assert.True(code == 0, $"import {feed} exited with {code}\n{process.Transcript}");
                Assert.Contains($"{feed} replace: ", process.Output);
            }
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _folder.Dispose();
}

/// <summary>
/// Tests that start the built services as processes: one at a time (two cores), sharing one cluster (and its
/// generated feeds).
/// </summary>
[CollectionDefinition(Name)]
public sealed class ServicesCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "services";
}
