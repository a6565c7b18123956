using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Alternance.Benchmarks.Http;

/// <summary>
/// <c>topology</c> mode: the same search requests against the two topologies, on the same data, in one run: the embedded
/// default (one process: API and silo) and the deployed shape (a silo process and a client-mode API node), each started
/// here from the built services on loopback. The embedded one loads the bundled dataset into its file store; the silo
/// gets a copy of that store. Both are warmed with the whole request list, then measured in alternating slices; the
/// CPU per request counts every process of a topology.
/// <para>Build first (<c>dotnet build -c Release</c>), then:
/// <c>dotnet run -c Release --project tests/Alternance.Benchmarks -- topology [--scale 1] [--duration 20] [--rounds 5]
/// [--concurrency 32] [--route jobs|formations] [--keep DIR]</c>.</para>
/// </summary>
public static class TopologyBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        double scale = double.Parse(HttpLoad.Option(args, "--scale", "1"), CultureInfo.InvariantCulture);
        int duration = int.Parse(HttpLoad.Option(args, "--duration", "20"), CultureInfo.InvariantCulture);
        int rounds = Math.Max(1, int.Parse(HttpLoad.Option(args, "--rounds", "5"), CultureInfo.InvariantCulture));
        int concurrency = int.Parse(HttpLoad.Option(args, "--concurrency", "32"), CultureInfo.InvariantCulture);
        string route = HttpLoad.Option(args, "--route", "jobs");
        string repository = ServiceProcess.Repository();
        string api = Path.Combine(repository, "api/bin/Release/net10.0/Alternance.Api.dll");
        string silo = Path.Combine(repository, "silo/bin/Release/net10.0/Alternance.Silo.dll");
        foreach (string dll in new[] { api, silo })
        {
            if (!File.Exists(dll))
            {
                Console.Error.WriteLine($"{dll} is missing: run `dotnet build -c Release` first.");
                return 1;
            }
        }
        string root = HttpLoad.Option(args, "--keep", Path.Combine(Path.GetTempPath(), "alternance-topology-" + Guid.NewGuid().ToString("N")[..8]));
        Directory.CreateDirectory(root);
        string[] common = ["--RateLimiting:Enabled=false", "--Cluster:Dashboard=false", "--Logging:LogLevel:Default=Warning",
            "--Privacy:EmailKey=" + new string('a', 64)];

        var processes = new List<ServiceProcess>();
        try
        {
            Console.WriteLine($"Topology benchmark: scale {scale}, {concurrency} concurrent /api/v1/{route} requests (30 km, 1-3 ROME codes), "
                + $"{duration} s per topology in {rounds} alternating slices. Folder {root}.");
            Console.WriteLine($"Every process shares this machine ({Environment.ProcessorCount} logical CPUs) with the load generator.");
            var clock = Stopwatch.StartNew();
            int embeddedHttp = ServiceProcess.FreePort();
            var embedded = ServiceProcess.Start("embedded", api, root, [.. common, $"--urls=http://127.0.0.1:{embeddedHttp}",
                "--Cluster:Mode=Embedded", "--Cluster:Storage=File", $"--Cluster:StoragePath={Path.Combine(root, "store-embedded")}",
                $"--Cluster:SiloPort={ServiceProcess.FreePort()}", $"--Cluster:GatewayPort={ServiceProcess.FreePort()}", "--Cluster:ServiceId=topology-embedded",
                "--Cluster:ClusterId=topology-embedded", $"--Dataset:Scale={scale.ToString(CultureInfo.InvariantCulture)}"]);
            processes.Add(embedded);
            using HttpClient toEmbedded = HttpLoad.Client($"http://127.0.0.1:{embeddedHttp}", concurrency);
            await ServiceProcess.WaitReadyAsync(toEmbedded, embedded, TimeSpan.FromMinutes(15));
            Console.WriteLine($"Embedded default ready after {clock.Elapsed.TotalSeconds:0} s (dataset generated and loaded).");

            // The deployed shape reads the same data: a copy of the embedded store.
            string store = Path.Combine(root, "store-cluster");
            CopyDirectory(Path.Combine(root, "store-embedded"), store);
            int gateway = ServiceProcess.FreePort();
            var siloProcess = ServiceProcess.Start("silo", silo, root, ["run", .. common, $"--urls=http://127.0.0.1:{ServiceProcess.FreePort()}",
                "--Cluster:Clustering=Localhost", "--Cluster:Storage=File", $"--Cluster:StoragePath={store}",
                $"--Cluster:SiloPort={ServiceProcess.FreePort()}", $"--Cluster:GatewayPort={gateway}", "--Cluster:ServiceId=topology-cluster",
                "--Cluster:ClusterId=topology-cluster"]);
            processes.Add(siloProcess);
            await Task.Delay(TimeSpan.FromSeconds(3)); // a client started before its gateway listens waits in retries
            int nodeHttp = ServiceProcess.FreePort();
            var node = ServiceProcess.Start("api-node", api, root, [.. common, $"--urls=http://127.0.0.1:{nodeHttp}",
                "--Cluster:Mode=Client", $"--Cluster:GatewayPort={gateway}", "--Cluster:ServiceId=topology-cluster",
                "--Cluster:ClusterId=topology-cluster"]);
            processes.Add(node);
            using HttpClient toNode = HttpLoad.Client($"http://127.0.0.1:{nodeHttp}", concurrency);
            await ServiceProcess.WaitReadyAsync(toNode, node, TimeSpan.FromMinutes(5));
            Console.WriteLine("Silo and client node ready.");

            string[] paths = HttpLoad.Queries("/api/v1/" + route, 30);
            using var leanToEmbedded = new LoadClient($"http://127.0.0.1:{embeddedHttp}");
            using var leanToNode = new LoadClient($"http://127.0.0.1:{nodeHttp}");
            LoadRequests embeddedQueries = LoadRequests.Of(leanToEmbedded, paths), nodeQueries = LoadRequests.Of(leanToNode, paths);
            // Warm-up: every request once on each (cells activated, JIT, each front's item JSON written), then a few seconds.
            foreach (HttpClient client in new[] { toEmbedded, toNode })
            {
                var sweep = Stopwatch.StartNew();
                await Parallel.ForEachAsync(paths, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (q, ct) =>
                {
                    using HttpResponseMessage r = await client.GetAsync(q, ct);
                    await r.Content.CopyToAsync(Stream.Null, ct);
                });
                Console.WriteLine($"First pass over the {paths.Length} requests: {sweep.Elapsed.TotalSeconds:0.0} s on {(client == toNode ? "the client node" : "the embedded default")}.");
                await HttpLoad.Measure(client == toNode ? nodeQueries : embeddedQueries, concurrency, 3);
            }

            ServiceProcess[] embeddedSide = [embedded], clusterSide = [siloProcess, node];
            var onEmbedded = new List<LoadResult>(rounds);
            var onCluster = new List<LoadResult>(rounds);
            double slice = (double)duration / rounds;
            double settle = Math.Min(1, slice / 4);
            for (int r = 0; r < rounds; r++)
            {
                await HttpLoad.Measure(embeddedQueries, concurrency, settle);
                onEmbedded.Add(await HttpLoad.Measure(embeddedQueries, concurrency, slice, () => Task.FromResult(CpuSeconds(embeddedSide))));
                await HttpLoad.Measure(nodeQueries, concurrency, settle);
                onCluster.Add(await HttpLoad.Measure(nodeQueries, concurrency, slice, () => Task.FromResult(CpuSeconds(clusterSide))));
            }
            LoadResult e = LoadResult.Combine(onEmbedded), c = LoadResult.Combine(onCluster);
            Console.WriteLine();
            Console.WriteLine("| topology | requests/s | p50 ms | p99 ms | mean body bytes | server CPU ms/request | errors | memory (RSS) |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
            Console.WriteLine($"| embedded (API + silo, one process) | {e.Throughput:0} | {e.P50:0.00} | {e.P99:0.00} | {e.MeanBytes:0} | {LoadResult.Cpu(e.ServerCpuPerRequest)} | {e.Errors} | {Megabytes(embeddedSide)} |");
            Console.WriteLine($"| silo + client-mode API node | {c.Throughput:0} | {c.P50:0.00} | {c.P99:0.00} | {c.MeanBytes:0} | {LoadResult.Cpu(c.ServerCpuPerRequest)} | {c.Errors} | {Megabytes(clusterSide)} |");
            Console.WriteLine($"| ratio client node / embedded | {c.Throughput / e.Throughput:0.00}× | {c.P50 / e.P50:0.0}× | {c.P99 / e.P99:0.0}× | | {c.ServerCpuPerRequest / e.ServerCpuPerRequest:0.00}× | | |");
            Console.WriteLine();
            var perSlice = new string[rounds];
            for (int r = 0; r < rounds; r++) perSlice[r] = (onCluster[r].Throughput / onEmbedded[r].Throughput).ToString("0.00", CultureInfo.InvariantCulture);
            Console.WriteLine($"Throughput ratio per slice pair: {string.Join(", ", perSlice)}");
            return e.Errors + c.Errors == 0 ? 0 : 2;
        }
        finally
        {
            foreach (ServiceProcess process in processes) await process.StopAsync();
            if (HttpLoad.Option(args, "--keep", "") == "") Directory.Delete(root, recursive: true);
        }
    }

    private static double CpuSeconds(ServiceProcess[] side) => side.Sum(p => p.CpuSeconds);

    private static string Megabytes(ServiceProcess[] side) => $"{side.Sum(p => p.ResidentBytes) / (1024 * 1024):N0} MB";

    private static void CopyDirectory(string from, string to)
    {
        foreach (string directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        }
        Directory.CreateDirectory(to);
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }
}
