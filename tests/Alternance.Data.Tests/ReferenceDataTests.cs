using System.Diagnostics;
using Xunit.Abstractions;

namespace Alternance.Data.Tests;

public sealed class ReferenceDataTests(ITestOutputHelper output)
{
    private static readonly ReferenceData Ref = ReferenceData.Load();

    [Fact]
    public void Load_is_fast()
    {
        ReferenceData.Load(); // warm-up (JIT)
        var sw = Stopwatch.StartNew();
        var r = ReferenceData.Load();
        sw.Stop();
        output.WriteLine($"ReferenceData.Load: {sw.ElapsedMilliseconds} ms");
        Assert.NotEmpty(r.Communes);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(1), $"Load took {sw.ElapsedMilliseconds} ms");
    }
}
