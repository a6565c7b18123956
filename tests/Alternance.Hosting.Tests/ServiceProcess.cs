using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Alternance.Hosting.Tests;

/// <summary>Where the built services are: each project's own output, as <c>dotnet test</c> of the solution leaves it.</summary>
public static class Built
{
    public static string RepositoryRoot { get; } = FindRoot();

    private static readonly string Configuration =
        typeof(Built).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    public static string Api => Output("api", "Alternance.Api.dll");

    public static string Silo => Output("silo", "Alternance.Silo.dll");

    private static string Output(string project, string dll)
    {
        string path = Path.Combine(RepositoryRoot, project, "bin", Configuration, "net10.0", dll);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} is not built (build the solution in {Configuration} first).", path);
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cluster.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Cluster.sln not found above " + AppContext.BaseDirectory);
    }
}

public static class FreePorts
{
    public static int Next()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>A temporary folder, deleted with its content.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("alternance-hosting-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>
/// One service or command as an operator starts it: <c>dotnet the.dll args</c> in a folder of its own, stdout and
/// stderr captured, stopped by a real signal.
/// </summary>
public sealed partial class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServiceProcess(Process process)
    {
        _process = process;
    }

    public string Name { get; private init; } = "";

    public int Id => _process.Id;

    public static ServiceProcess Start(string name, string dll, IEnumerable<string> args, string workingDirectory, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (string arg in args) info.ArgumentList.Add(arg);
        // Settings of the machine that runs the tests must not leak into the services under test.
        foreach (string key in info.Environment.Keys.ToList())
        {
            if (key.StartsWith("Cluster__", StringComparison.OrdinalIgnoreCase) || key.StartsWith("Dashboard__", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("Cli__", StringComparison.OrdinalIgnoreCase) || key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase))
            {
                info.Environment.Remove(key);
            }
        }
        // Two cores shared with other work: workstation GC keeps a test's several processes small.
        info.Environment["DOTNET_gcServer"] = "0";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        if (environment is not null)
        {
            foreach (var (key, value) in environment) info.Environment[key] = value;
        }
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var service = new ServiceProcess(process) { Name = name };
        process.OutputDataReceived += (_, e) => service.Append(service._output, e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(service._error, e.Data);
        process.Exited += (_, _) => service._exited.TrySetResult();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    private void Append(StringBuilder to, string? line)
    {
        if (line is null) return;
        lock (_output) to.AppendLine(line);
    }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public string Error
    {
        get { lock (_output) return _error.ToString(); }
    }

    /// <summary>Everything it printed, for assertion messages.</summary>
    public string Transcript => $"--- {Name} stdout\n{Output}--- {Name} stderr\n{Error}";

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    public const int SIGINT = 2, SIGTERM = 15;

    /// <summary>Sends a signal as a terminal (Ctrl+C: SIGINT) or an orchestrator (SIGTERM) does.</summary>
    public void Signal(int signal)
    {
        if (kill(_process.Id, signal) != 0) throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>The exit code, or null if the process has not exited within <paramref name="timeout"/>.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        Task done = _exited.Task;
        if (await Task.WhenAny(done, Task.Delay(timeout)) != done) return null;
        // Exited fires before the last lines are read: wait for the end of both streams.
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    /// <summary>Polls <paramref name="url"/> until it answers 200; fails early, with what it printed, if the process ends.</summary>
    public async Task WaitForHttpOkAsync(HttpClient http, string url, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} before {url} answered.\n{Transcript}");
            try
            {
                using HttpResponseMessage response = await http.GetAsync(url);
                if (response.StatusCode == HttpStatusCode.OK) return;
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{url} did not answer 200 within {timeout} (last: {last}).\n{Transcript}");
    }

    /// <summary>Lines of a .NET stack trace ("   at Type.Method(...)") or an unhandled exception's banner.</summary>
    public static IReadOnlyList<string> StackTraceLines(string text) =>
        [.. text.Split('\n').Where(line => StackFrame().IsMatch(line) || line.Contains("Unhandled exception", StringComparison.OrdinalIgnoreCase))];

    [GeneratedRegex(@"^\s+at \S+.*\(|^\s*--- End of (inner exception )?stack trace")]
    private static partial Regex StackFrame();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
