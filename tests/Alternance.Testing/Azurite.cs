using System.Diagnostics;

namespace Alternance.Testing;

/// <summary>
/// Starts Azurite (npm package <c>azurite</c>, installed under <c>tests/tools</c>) when it is not already
/// listening, so the Azure Blob storage tests run the same under <c>dotnet test</c> and <c>.ci/run</c>.
/// </summary>
public static class AzuriteServer
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static async Task EnsureStartedAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (Azurite.IsRunning()) return;
            string tools = Path.Combine(RepositoryRoot(), "tests", "tools");
            string azurite = Path.Combine(tools, "node_modules", ".bin", "azurite");
            if (!File.Exists(azurite))
            {
                await RunAsync("npm", "install --no-audit --no-fund", tools, TimeSpan.FromMinutes(5));
            }
            var start = new ProcessStartInfo(azurite,
                "--silent --skipApiVersionCheck --inMemoryPersistence --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1")
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            var process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            };
            var clock = Stopwatch.StartNew();
            while (!Azurite.IsRunning())
            {
                if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(60))
                {
                    throw new InvalidOperationException("Azurite did not start listening on 127.0.0.1:10000.");
                }
                await Task.Delay(200);
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task RunAsync(string file, string arguments, string directory, TimeSpan timeout)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { WorkingDirectory = directory, UseShellExecute = false })!;
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {arguments} failed with {process.ExitCode}.");
    }

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Cluster.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Cluster.sln not found above the test binaries.");
    }
}

/// <summary>The Azurite instance that <c>.ci/run</c> starts (and that developers start the same way).</summary>
public static class Azurite
{
    public const string ConnectionString =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;";

    /// <summary>Whether Azurite answers on its blob port.</summary>
    public static bool IsRunning()
    {
        try
        {
            using var client = new System.Net.Sockets.TcpClient();
            return client.ConnectAsync("127.0.0.1", 10000).Wait(TimeSpan.FromSeconds(1)) && client.Connected;
        }
        catch (Exception)
        {
            return false;
        }
    }
}
