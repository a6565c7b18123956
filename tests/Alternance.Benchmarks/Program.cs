using BenchmarkDotNet.Running;

namespace Alternance.Benchmarks;

/// <summary>Entry point: pick benchmarks with --filter, e.g. <c>-- --filter '*H3*'</c>.</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
