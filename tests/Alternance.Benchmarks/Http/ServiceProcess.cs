using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Alternance.Benchmarks.Http;

/// <summary>A service started from its built dll, its output in a log file of the run's folder.</summary>
internal sealed class ServiceProcess
{
    private readonly Process _process;

    private ServiceProcess(string name, Process process, string log)
    {
        Name = name;
        _process = process;
        Log = log;
    }

    public string Name { get; }

    public string Log { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public double CpuSeconds
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime.TotalSeconds;
        }
    }

    public long ResidentBytes
    {
        get
        {
            _process.Refresh();
            return _process.WorkingSet64;
        }
    }

    public static ServiceProcess Start(string name, string dll, string folder, string[] args)
    {
        string log = Path.Combine(folder, name + ".log");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (string arg in args) info.ArgumentList.Add(arg);
        info.Environment["DOTNET_gcServer"] = "1";
        // The services run on their defaults, whatever the load's own process runs with (Program.Main).
        info.Environment.Remove(Program.InlineCompletions);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{name} did not start.");
        var writer = new StreamWriter(log) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServiceProcess(name, process, log);
    }

    /// <summary>SIGTERM (the services stop cleanly on it), then a kill past 20 s.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited) return;
        Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])?.WaitForExit();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    public static async Task WaitReadyAsync(HttpClient client, ServiceProcess process, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"{process.Name} exited ({process.ExitCode}); see {process.Log}.");
            try
            {
                using HttpResponseMessage ready = await client.GetAsync("/health/ready");
                if (ready.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
                // The client's own timeout: a process ingesting millions of items can stall longer than it (GC).
            }
            if (deadline.Elapsed > timeout) throw new TimeoutException($"{process.Name} was not ready within {timeout}; see {process.Log}.");
            await Task.Delay(500);
        }
    }

    public static string Repository()
    {
        for (string? at = AppContext.BaseDirectory; at is not null; at = Path.GetDirectoryName(at))
        {
            if (File.Exists(Path.Combine(at, "Cluster.sln"))) return at;
        }
        throw new InvalidOperationException("Run from within the repository (Cluster.sln not found above the benchmark).");
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
