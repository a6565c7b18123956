using System.Net;

namespace Alternance.Hosting.Tests;

/// <summary>
/// Ctrl+C (SIGINT) and an orchestrator's SIGTERM stop each role cleanly: exit code 0 within a deadline, no unhandled
/// exception and no stack trace on the way out. Each process has served a search first, so that everything a request
/// creates (the e-mail protector among them) is disposed at the end.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class ShutdownTests(ClusterFixture shared)
{
    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(ServiceProcess.SIGTERM)]
    [InlineData(ServiceProcess.SIGINT)]
    public async Task The_embedded_api_exits_0_on_a_signal_after_serving(int signal)
    {
        using var folder = new TempFolder();
        int http = FreePorts.Next();
        await using ServiceProcess api = Launch.EmbeddedApi(folder.Path, http, ClusterPorts.Free());
        using HttpClient client = Launch.Http(http);
        await api.WaitForHttpOkAsync(client, "/health/ready", Launch.StartTimeout);
        await AssertSearchAnswers(client, api);
        // A first start says what it does, and its last line says where the service answers.
        Assert.Contains("First start: generating and loading the bundled dataset", api.Output);
        Assert.Contains("Loaded companies: ", api.Output);
        await AssertEventually(() => api.Output.Contains($"Ready on http://127.0.0.1:{http}: API docs http://127.0.0.1:{http}/api-docs"), api);

        await AssertStopsCleanly(api, signal);
    }

    private static async Task AssertEventually(Func<bool> condition, ServiceProcess service)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(10); !condition(); await Task.Delay(100))
        {
            Assert.True(DateTime.UtcNow < deadline, service.Transcript);
        }
    }

    [Theory]
    [InlineData(ServiceProcess.SIGTERM)]
    [InlineData(ServiceProcess.SIGINT)]
    public async Task A_silo_and_an_api_node_exit_0_on_a_signal_after_serving(int signal)
    {
        using var folder = new TempFolder();
        ClusterPorts cluster = ClusterPorts.Free();
        int siloHttp = FreePorts.Next(), apiHttp = FreePorts.Next();
        await using ServiceProcess silo = Launch.Silo(folder.Path, siloHttp, cluster);
        using HttpClient siloClient = Launch.Http(siloHttp);
        await silo.WaitForHttpOkAsync(siloClient, "/health/ready", Launch.StartTimeout);
        await shared.Feeds.ImportAsync(folder.Path, cluster, "companies");

        await using ServiceProcess api = Launch.ClientApi(folder.Path, apiHttp, cluster);
        using HttpClient apiClient = Launch.Http(apiHttp);
        await api.WaitForHttpOkAsync(apiClient, "/health/live", Launch.StartTimeout);
        await AssertSearchAnswers(apiClient, api);

        // An orchestrator stops the API nodes, then the silos (a rolling update stops one pod at a time).
        await AssertStopsCleanly(api, signal);
        await AssertStopsCleanly(silo, signal);
    }

    private static async Task AssertSearchAnswers(HttpClient client, ServiceProcess service)
    {
        // A client node reads the directory on its first poll: the companies may take a moment to appear.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using HttpResponseMessage response = await client.GetAsync(Launch.JobsAroundParis);
            string body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}\n{service.Transcript}");
            // Companies with an e-mail: their address is returned encrypted, with its IV.
            if (body.Contains("\"iv\"", StringComparison.Ordinal)) return;
            Assert.True(DateTime.UtcNow < deadline, "no company with a protected e-mail in the answer: " + body[..Math.Min(body.Length, 500)]);
            await Task.Delay(250);
        }
    }

    private static async Task AssertStopsCleanly(ServiceProcess service, int signal)
    {
        service.Signal(signal);
        int? code = await service.WaitForExitAsync(StopDeadline);
        Assert.True(code is not null, $"{service.Name} still running {StopDeadline.TotalSeconds} s after signal {signal}\n{service.Transcript}");
        Assert.True(code == 0, $"{service.Name} exited with {code} after signal {signal}\n{service.Transcript}");
        Assert.Contains("Application is shutting down", service.Output);
        string all = service.Output + service.Error;
        Assert.True(ServiceProcess.StackTraceLines(all).Count == 0, $"{service.Name} printed a stack trace or an unhandled exception\n{service.Transcript}");
    }
}
