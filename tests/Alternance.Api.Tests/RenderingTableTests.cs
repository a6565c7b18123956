using Alternance.Api.Json;

namespace Alternance.Api.Tests;

/// <summary>
/// The front's table of renderings (open addressing by fingerprint): every rendering put is found at its version and
/// only there, through collisions, replacements, growth and sweeps; readers racing with a writer never get another key's
/// or another version's rendering.
/// </summary>
public sealed class RenderingTableTests
{
    private static byte[] RenderingOf(Fingerprint key, long version, string json = "{}") =>
        Rendering.Create(key, version, System.Text.Encoding.UTF8.GetBytes(json), 1, 1);

    [Fact]
    public void Renderings_are_found_at_their_version_through_collisions_replacements_growth_and_sweeps()
    {
        var table = new RenderingTable();
        var random = new Random(3);
        var versions = new Dictionary<Fingerprint, long>();
        // Half the keys share their low bits in groups of eight: long probe chains at every table size.
        for (int i = 0; i < 20_000; i++)
        {
            ulong low = i % 2 == 0 ? (ulong)(i / 16) : (ulong)random.NextInt64();
            var key = new Fingerprint((ulong)i, low);
            versions[key] = i + 1;
            table.Put(RenderingOf(key, i + 1));
        }
        // Replaced: a new version answers, the old one does not.
        foreach (Fingerprint key in versions.Keys.Where((_, i) => i % 7 == 0).ToList())
        {
            table.Put(RenderingOf(key, versions[key] + 1_000_000));
            Assert.Null(table.Find(key, versions[key]));
            versions[key] += 1_000_000;
        }
        Assert.Equal(versions.Count, table.Count);
        foreach (var (key, version) in versions)
        {
            byte[]? rendering = table.Find(key, version);
            Assert.NotNull(rendering);
            Assert.True(Rendering.Is(rendering, key));
            Assert.Equal(version, Rendering.Version(rendering));
        }

        // A sweep first clears the bits of what was read (everything above), then drops what was not read since.
        Assert.Equal(0, table.Sweep(long.MaxValue, out int evicted));
        Assert.Equal(0, evicted);
        var read = versions.Where((_, i) => i % 3 == 0).ToHashSet();
        foreach (var (key, version) in read) Assert.NotNull(table.Find(key, version));
        Assert.True(table.Sweep(long.MaxValue, out evicted) > 0);
        Assert.Equal(versions.Count - read.Count, evicted);
        Assert.Equal(read.Count, table.Count);
        foreach (var (key, version) in versions)
        {
            bool kept = read.Contains(new KeyValuePair<Fingerprint, long>(key, version));
            Assert.Equal(kept, table.Find(key, version) is not null);
        }
    }

    [Fact]
    public async Task Readers_racing_with_writes_and_sweeps_get_the_right_rendering_or_none()
    {
        var table = new RenderingTable();
        const int Keys = 4000;
        // Until the readers have found enough renderings (a count, not a time: the machine may be loaded), at most a minute.
        var stop = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        long found = 0, wrong = 0;
        Task[] readers = [.. Enumerable.Range(0, 2).Select(r => Task.Run(() =>
        {
            var random = new Random(r);
            while (!stop.IsCancellationRequested)
            {
                int k = random.Next(Keys);
                var key = new Fingerprint((ulong)k, (ulong)(k / 4));
                // The writer only ever puts version k or k + Keys for key k.
                foreach (long version in new long[] { k, k + Keys })
                {
                    if (table.Find(key, version) is not { } rendering) continue;
                    if (Interlocked.Increment(ref found) == 20_000) stop.Cancel();
                    if (!Rendering.Is(rendering, key) || Rendering.Version(rendering) != version) Interlocked.Increment(ref wrong);
                }
            }
        }))];
        var writer = Task.Run(() =>
        {
            var random = new Random(9);
            while (!stop.IsCancellationRequested)
            {
                int k = random.Next(Keys);
                table.Put(RenderingOf(new Fingerprint((ulong)k, (ulong)(k / 4)), random.Next(2) == 0 ? k : k + Keys));
                if (random.Next(500) == 0) table.Sweep(random.Next(1, 200_000), out _);
            }
        });
        await Task.WhenAll([.. readers, writer]);
        Assert.Equal(0, wrong);
        Assert.True(found >= 20_000, $"only {found} renderings found");
    }
}
