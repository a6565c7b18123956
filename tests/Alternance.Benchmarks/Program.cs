using BenchmarkDotNet.Running;

namespace Alternance.Benchmarks;

/// <summary>Entry point: pick benchmarks with --filter, e.g. <c>-- --filter '*H3*'</c>, or run <c>-- engine</c>, <c>-- peers</c>, <c>-- scale</c>, <c>-- cell</c>, <c>-- http</c>, <c>-- topology</c>, <c>-- answer</c>, <c>-- widget</c> or <c>-- data</c>.</summary>
public static class Program
{
    internal const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static async Task<int> Main(string[] args)
    {
        // Modes that only send HTTP load (their servers are other processes) complete their sockets on the event thread,
        // without a hop through the thread pool and its wake-ups: on two cores shared with the server measured, the hop
        // was a fifth of the HTTP client's CPU (docs/BENCHMARKS.md, "The HTTP load"). Not where an engine runs in this
        // process beside the stores' clients (peers, scale): with the switch on, a peers run at scale 10 measured the
        // in-process engine at 12,328 q/s against 17,911 without it. The runtime reads it when the first socket is made,
        // after this line; the services these modes start run on their defaults (ServiceProcess).
        if (args.Length > 0 && args[0] is ("http" or "topology") && Environment.GetEnvironmentVariable(InlineCompletions) is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletions, "1");
        }
        // `engine`: the search engine on the bundled dataset against in-process baselines (not a BenchmarkDotNet run).
        if (args.Length > 0 && args[0] == "engine")
        {
            return await Engine.EngineBenchmark.RunAsync(args[1..]);
        }
        // `peers`: the engine beside PostGIS, Redis GEO and a plain grid, same items and searches (peers.sh starts the stores).
        if (args.Length > 0 && args[0] == "peers")
        {
            return await Peers.PeersBenchmark.RunAsync(args[1..]);
        }
        // `scale`: scale 1 and scale 10 side by side: ingest, memory per item, engine and HTTP throughput.
        if (args.Length > 0 && args[0] == "scale")
        {
            return await Engine.ScaleBenchmark.RunAsync(args[1..]);
        }
        // `text`: free-text + circle queries, the engine against one Lucene.Net index of the same items (docs/text-search.md).
        if (args.Length > 0 && args[0] == "text")
        {
            return await Engine.TextBenchmark.RunAsync(args[1..]);
        }
        // `suggest`: search-as-you-type over HTTP against a running server.
        if (args.Length > 0 && args[0] == "suggest")
        {
            return await Http.SuggestBenchmark.RunAsync(args[1..]);
        }
        // `cell`: the in-cell search alone, single-threaded, on the HTTP benchmark's queries.
        if (args.Length > 0 && args[0] == "cell")
        {
            return await Engine.CellSearchBenchmark.RunAsync(args[1..]);
        }
        // `http`: the API's search routes over HTTP against a pre-built body of the same size (a running server).
        if (args.Length > 0 && args[0] == "http")
        {
            return await Http.HttpBenchmark.RunAsync(args[1..]);
        }
        // `topology`: the embedded default and a silo + client-mode API node, started here, on the same data and requests.
        if (args.Length > 0 && args[0] == "topology")
        {
            return await Http.TopologyBenchmark.RunAsync(args[1..]);
        }
        // `answer`: a search answer assembled from the front's item JSON against copying a pre-built body, in-process.
        if (args.Length > 0 && args[0] == "answer")
        {
            return await Http.AnswerAssemblyBenchmark.RunAsync(args[1..]);
        }
        // `widget`: the search page's first results in headless chromium, on a running API, against the API call alone.
        if (args.Length > 0 && args[0] == "widget")
        {
            return await Http.WidgetBenchmark.RunAsync(args[1..]);
        }
        // `data`: reference data loading, dataset generation, feed writing and reading.
        if (args.Length > 0 && args[0] == "data")
        {
            return await Data.DataBenchmark.RunAsync();
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
