using BenchmarkDotNet.Running;

namespace Alternance.Benchmarks;

/// <summary>Entry point: pick benchmarks with --filter, e.g. <c>-- --filter '*H3*'</c>, or run <c>-- engine</c>.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // `engine`: the search engine on the bundled dataset against in-process baselines (not a BenchmarkDotNet run).
        if (args.Length > 0 && args[0] == "engine")
        {
            return await Engine.EngineBenchmark.RunAsync(args[1..]);
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
