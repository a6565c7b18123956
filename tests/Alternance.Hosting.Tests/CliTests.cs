using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Alternance.Hosting.Tests;

/// <summary>
/// The operator CLI (<c>silo import|delete|generate</c>) run as a process: with no cluster it gives up within its
/// timeout with one line and a non-zero exit; Ctrl+C ends it without an exception; its help describes everything.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed partial class CliTests(ClusterFixture cluster)
{
    /// <summary>Process start-up on a loaded two-core machine, on top of the timeout itself.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("import")]
    [InlineData("delete")]
    public async Task With_no_cluster_a_command_gives_up_within_its_timeout_with_one_line_and_exit_3(string verb)
    {
        using var folder = new TempFolder();
        int port = FreePorts.Next();  // nothing listens there
        string[] args = verb == "import"
            ? ["import", "companies", cluster.Feeds.File("companies"), "--timeout", "2", $"--Cluster:GatewayPort={port}"]
            : ["delete", "companies", "12345678901234", "--timeout", "2", $"--Cluster:GatewayPort={port}"];
        var (process, code, elapsed) = await Launch.CommandAsync(folder.Path, TimeSpan.FromSeconds(2) + Margin + Margin, args);
        await using (process)
        {
            Assert.True(code == 3, $"exit {code}\n{process.Transcript}");
            Assert.True(elapsed < TimeSpan.FromSeconds(2) + Margin, $"took {elapsed}");
            string[] lines = process.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            string line = Assert.Single(lines);
            Assert.StartsWith($"error: no cluster gateway at 127.0.0.1:{port} answered within 2 s", line);
            Assert.Empty(process.Output.Trim());
            Assert.Empty(ServiceProcess.StackTraceLines(process.Output + process.Error));
        }
    }

    [Fact]
    public async Task The_timeout_comes_from_configuration_when_the_option_is_not_given()
    {
        using var folder = new TempFolder();
        int port = FreePorts.Next();
        var (process, code, elapsed) = await Launch.CommandAsync(folder.Path, TimeSpan.FromSeconds(1) + Margin + Margin,
            ["delete", "peJobs", "abc"],
            new Dictionary<string, string> { ["Cli__ConnectTimeout"] = "00:00:01", ["Cluster__GatewayPort"] = port.ToString() });
        await using (process)
        {
            Assert.True(code == 3, $"exit {code}\n{process.Transcript}");
            Assert.True(elapsed < TimeSpan.FromSeconds(1) + Margin, $"took {elapsed}");
            Assert.StartsWith($"error: no cluster gateway at 127.0.0.1:{port} answered within 1 s", process.Error);
        }
    }

    [Fact]
    public async Task Ctrl_C_while_it_waits_for_a_cluster_ends_it_with_one_line_and_exit_130()
    {
        using var folder = new TempFolder();
        // Something listens but is no Orleans gateway: it takes each connection and closes it. Its first accepted
        // connection says the command is trying to connect (so its Ctrl+C handling is in place).
        using var impostor = new TcpListener(IPAddress.Loopback, 0);
        impostor.Start();
        int port = ((IPEndPoint)impostor.LocalEndpoint).Port;
        await using ServiceProcess command = ServiceProcess.Start("silo import", Built.Silo,
            ["import", "companies", cluster.Feeds.File("companies"), "--timeout", "120", $"--Cluster:GatewayPort={port}"], folder.Path);
        using (TcpClient first = await impostor.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(60)))
        {
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        command.Signal(ServiceProcess.SIGINT);
        using var refusing = new CancellationTokenSource();
        _ = RefuseAll(impostor, refusing.Token);
        int? code = await command.WaitForExitAsync(Margin);
        refusing.Cancel();

        Assert.True(code == 130, $"exit {code}\n{command.Transcript}");
        Assert.True(clock.Elapsed < Margin, $"took {clock.Elapsed}");
        Assert.Equal("import interrupted.", command.Error.Trim());
        Assert.Empty(ServiceProcess.StackTraceLines(command.Output + command.Error));
    }

    private static async Task RefuseAll(TcpListener listener, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                using TcpClient client = await listener.AcceptTcpClientAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
    }

    [Fact]
    public async Task A_typo_in_an_option_is_an_error_not_a_silently_ignored_setting()
    {
        using var folder = new TempFolder();
        var (process, code, _) = await Launch.CommandAsync(folder.Path, TimeSpan.FromMinutes(1),
            ["import", "companies", cluster.Feeds.File("companies"), "--mdoe", "upsert"]);
        await using (process)
        {
            Assert.True(code == 2, $"exit {code}\n{process.Transcript}");
            Assert.StartsWith("error: unknown option --mdoe", process.Error);
        }
    }

    [Theory]
    [InlineData("import")]
    [InlineData("delete")]
    [InlineData("generate")]
    [InlineData("run")]
    public async Task Every_argument_and_option_of_a_command_has_a_description(string verb)
    {
        using var folder = new TempFolder();
        var (process, code, _) = await Launch.CommandAsync(folder.Path, TimeSpan.FromMinutes(1), [verb, "--help"]);
        await using (process)
        {
            Assert.True(code == 0, process.Transcript);
            string help = process.Output;
            var entries = HelpEntry().Matches(help).Select(m => (Name: m.Groups["name"].Value, Description: m.Groups["description"].Value.Trim())).ToList();
            if (verb != "run") Assert.NotEmpty(entries);
            foreach (var (name, description) in entries)
            {
                Assert.False(string.IsNullOrWhiteSpace(description), $"{verb}: {name} has no description\n{help}");
            }
            // The sections list every entry: a line of its own per argument or option.
            int listed = help.Split('\n').SkipWhile(l => !l.StartsWith("Arguments:") && !l.StartsWith("Options:"))
                .Count(l => l.StartsWith("  ") && (l.TrimStart().StartsWith('<') || l.TrimStart().StartsWith('-')));
            Assert.Equal(listed, entries.Count);
        }
    }

    /// <summary>An entry of the Arguments or Options section: two spaces, the name, two or more spaces, the description.</summary>
    [GeneratedRegex(@"^  (?<name>(<[^>]+>|-[^\s,]+(, -[^\s,]+)*( <[^>]+>)?( \(REQUIRED\))?))(?<description>( {2,}.*)?)$", RegexOptions.Multiline)]
    private static partial Regex HelpEntry();
}
