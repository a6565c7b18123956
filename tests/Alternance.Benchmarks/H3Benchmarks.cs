using Alternance.Geo;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Alternance.Benchmarks;

/// <summary>
/// Short in-process job for the H3 micro-benchmarks: no per-benchmark project rebuild (which can exceed
/// BenchmarkDotNet's 2-minute build timeout on a busy machine), 3 warm-ups and 8 measured iterations.
/// </summary>
public sealed class H3BenchConfig : ManualConfig
{
    public H3BenchConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(8));
        AddDiagnoser(MemoryDiagnoser.Default);
    }
}

/// <summary>
/// H3 hot paths. Points are random but seeded, over metropolitan France (faces 3 and 4). Each benchmark
/// cycles through 1024 prepared inputs so branch predictors and caches see realistic variety.
/// </summary>
[Config(typeof(H3BenchConfig))]
public class H3Benchmarks
{
    private const int N = 1024;
    private readonly (double Lat, double Lng)[] _points = new (double, double)[N];
    private int _i;

    [Params(4, 5, 7, 9)]
    public int Res { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        for (int i = 0; i < N; i++)
        {
            _points[i] = (42.5 + rng.NextDouble() * 8.5, -4.5 + rng.NextDouble() * 12.5);
        }
    }

    private int Next() => _i = (_i + 1) & (N - 1);

    [Benchmark]
    public ulong LatLngToCell()
    {
        var p = _points[Next()];
        return H3.LatLngToCell(p.Lat, p.Lng, Res);
    }
}

/// <summary>Cell geometry and neighbourhoods at resolution 9 (fixed; not parameterised).</summary>
[Config(typeof(H3BenchConfig))]
public class H3CellBenchmarks
{
    private const int N = 1024;
    private readonly ulong[] _cells = new ulong[N];
    private readonly ulong[] _disk = new ulong[H3.MaxGridDiskSize(3)];
    private readonly (double Lat, double Lng)[] _boundary = new (double, double)[H3.MaxBoundaryVertices];
    private int _i;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        for (int i = 0; i < N; i++)
            _cells[i] = H3.LatLngToCell(42.5 + rng.NextDouble() * 8.5, -4.5 + rng.NextDouble() * 12.5, 9);
    }

    private int Next() => _i = (_i + 1) & (N - 1);

    [Benchmark]
    public double CellToLatLng() => H3.CellToLatLng(_cells[Next()]).Lat;

    [Benchmark]
    public int CellToBoundary() => H3.CellToBoundary(_cells[Next()], _boundary);

    [Benchmark]
    public int GridDiskK3() => H3.GridDisk(_cells[Next()], 3, _disk);
}

/// <summary>CoverCircle at the resolutions the search engine picks (docs/h3.md: finest res with edge ≥ r/8).</summary>
[Config(typeof(H3BenchConfig))]
public class H3CoverBenchmarks
{
    private const int N = 1024;
    private readonly (double Lat, double Lng)[] _points = new (double, double)[N];
    private readonly ulong[] _cover = new ulong[8192];
    private int _i;

    [Params("10km@res7", "10km@res6", "30km@res5", "100km@res4")]
    public string Case { get; set; } = "30km@res5";

    private double _radius;
    private int _res;

    [GlobalSetup]
    public void Setup()
    {
        var parts = Case.Split("km@res");
        _radius = double.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        _res = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        var rng = new Random(42);
        for (int i = 0; i < N; i++) _points[i] = (42.5 + rng.NextDouble() * 8.5, -4.5 + rng.NextDouble() * 12.5);
    }

    [Benchmark]
    public int CoverCircle()
    {
        var p = _points[_i = (_i + 1) & (N - 1)];
        return H3.CoverCircle(p.Lat, p.Lng, _radius, _res, _cover);
    }
}
