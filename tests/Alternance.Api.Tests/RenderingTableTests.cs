using System.Text;
using Alternance.Api.Json;

namespace Alternance.Api.Tests;

/// <summary>
/// The front's kept item JSON: tables (open addressing by fingerprint) over an arena of segments. Every rendering kept
/// is found at its version and only there, through collisions, replacements, growth and sweeps; a sweep keeps what was
/// read and drops the rest; the arena stays within its budget; and a reader's renderings never change under it while
/// writers push segments out and reuse them.
/// </summary>
public sealed class RenderingTableTests
{
    /// <summary>
    /// JSON telling its key and version, so that a reader can check the bytes it got (padded to vary lengths: ~290 bytes
    /// with the header, so that a 2 MB arena fills between two growths of a table's slots).
    /// </summary>
    private static string JsonOf(Fingerprint key, long version) =>
        $"{{\"key\":\"{key.High:x}-{key.Low:x}\",\"version\":{version},\"pad\":\"{new string('x', 150 + (int)(key.High % 97))}\"}}";

    private static byte[] RenderingOf(Fingerprint key, long version)
    {
        byte[] json = Encoding.UTF8.GetBytes(JsonOf(key, version));
        return Rendering.Create(key, version, json, json.Length, json.Length);
    }

    private static string? Found(RenderingTable table, Fingerprint key, long version) =>
        table.Find(key, version, out RenderingRef rendering) ? Encoding.UTF8.GetString(Rendering.Json(rendering.Array, rendering.Offset)) : null;

    [Fact]
    public void Renderings_are_found_at_their_version_through_collisions_replacements_and_growth()
    {
        var arena = new RenderingArena(256L * 1024 * 1024);
        RenderingTable table = arena.CreateTable();
        RenderingTable other = arena.CreateTable();
        var random = new Random(3);
        var versions = new Dictionary<Fingerprint, long>();
        using RenderingArena.ReadSection section = arena.Enter();
        // Half the keys share their low bits in groups of eight: long probe chains at every table size.
        for (int i = 0; i < 20_000; i++)
        {
            ulong low = i % 2 == 0 ? (ulong)(i / 16) : (ulong)random.NextInt64();
            var key = new Fingerprint((ulong)i, low);
            versions[key] = i + 1;
            Assert.True(table.Put(RenderingOf(key, i + 1)));
        }
        // Replaced: a new version answers, the old one does not.
        foreach (Fingerprint key in versions.Keys.Where((_, i) => i % 7 == 0).ToList())
        {
            Assert.True(table.Put(RenderingOf(key, versions[key] + 1_000_000)));
            Assert.Null(Found(table, key, versions[key]));
            versions[key] += 1_000_000;
        }
        Assert.Equal(versions.Count, table.Count);
        foreach (var (key, version) in versions)
        {
            Assert.Equal(JsonOf(key, version), Found(table, key, version));
            // Tables share the arena, not their keys.
            Assert.Null(Found(other, key, version));
        }
    }

    [Fact]
    public void A_sweep_keeps_what_was_read_since_and_the_arena_stays_within_its_budget()
    {
        const long Budget = 2L * 1024 * 1024;
        var arena = new RenderingArena(Budget);
        RenderingTable table = arena.CreateTable();
        static Fingerprint KeyOf(int i) => new((ulong)i, (ulong)i * 2654435761);
        // Fill until the arena has reached its budget (it then sweeps in the background).
        int next = 0;
        for (; !arena.ReachedBudget && next < 100_000; next++) table.Put(RenderingOf(KeyOf(next), 1));
        Assert.True(arena.ReachedBudget, $"{next} renderings did not fill {Budget} bytes");
        int filled = next;
        // The sweep the full arena asked for runs on the thread pool: let it end, or it races with the reads below.
        for (int wait = 0; wait < 1000 && arena.Sweeping; wait++) Thread.Sleep(10);
        Assert.False(arena.Sweeping);
        // Read every third rendering still kept.
        var read = new List<Fingerprint>();
        var unread = new List<Fingerprint>();
        using (arena.Enter())
        {
            for (int i = 0; i < filled; i++)
            {
                if (!table.Holds(KeyOf(i), 1)) continue;
                if (i % 3 == 0)
                {
                    Assert.Equal(JsonOf(KeyOf(i), 1), Found(table, KeyOf(i), 1));
                    read.Add(KeyOf(i));
                }
                else
                {
                    unread.Add(KeyOf(i));
                }
            }
        }
        Assert.True(read.Count > 1000, $"only {read.Count} renderings read");
        // Keep writing (each sweep takes the oldest segments first) until half the renderings not read are gone: every
        // one read was in a segment swept or still to be, and those swept moved to the newest segments.
        for (int round = 0; round < 1000 && unread.Count(key => table.Holds(key, 1)) > unread.Count / 2; round++)
        {
            for (int n = 0; n < 100; n++, next++) table.Put(RenderingOf(KeyOf(next), 1));
            arena.Sweep();
            Assert.True(arena.Bytes <= Budget, $"{arena.Bytes} bytes held for a {Budget}-byte budget");
        }
        Assert.True(unread.Count(key => table.Holds(key, 1)) <= unread.Count / 2);
        Assert.All(read, key => Assert.Equal(JsonOf(key, 1), Found(table, key, 1)));
        // On until none of those not read is left (then the oldest moved ones go too: they were not read again).
        for (int round = 0; round < 1000 && unread.Any(key => table.Holds(key, 1)); round++)
        {
            for (int n = 0; n < 100; n++, next++) table.Put(RenderingOf(KeyOf(next), 1));
            arena.Sweep();
            Assert.True(arena.Bytes <= Budget, $"{arena.Bytes} bytes held for a {Budget}-byte budget");
        }
        Assert.DoesNotContain(unread, key => table.Holds(key, 1));
        // The newest renderings are kept too.
        Assert.Equal(JsonOf(KeyOf(next - 1), 1), Found(table, KeyOf(next - 1), 1));
    }

    [Fact]
    public async Task Readers_renderings_stay_as_found_while_writers_push_segments_out_and_reuse_them()
    {
        // A small arena: segments are swept and reused thousands of times during the test.
        var arena = new RenderingArena(1024 * 1024);
        RenderingTable table = arena.CreateTable();
        const int Keys = 20_000;
        static Fingerprint KeyOf(int k) => new((ulong)k, (ulong)(k / 4) * 0x9E3779B97F4A7C15);
        // Until the readers have checked enough renderings (a count, not a time: the machine may be loaded), at most a minute.
        var stop = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        long found = 0, wrong = 0;
        Task[] readers = [.. Enumerable.Range(0, 2).Select(r => Task.Run(() =>
        {
            var random = new Random(r);
            var held = new List<(RenderingRef Rendering, string Json)>();
            while (!stop.IsCancellationRequested)
            {
                using (arena.Enter())
                {
                    held.Clear();
                    for (int n = 0; n < 64; n++)
                    {
                        int k = random.Next(Keys);
                        // The writer only ever puts version k or k + Keys for key k.
                        foreach (long version in new long[] { k, k + Keys })
                        {
                            if (!table.Find(KeyOf(k), version, out RenderingRef rendering)) continue;
                            string json = Encoding.UTF8.GetString(Rendering.Json(rendering.Array, rendering.Offset));
                            if (json != JsonOf(KeyOf(k), version)) Interlocked.Increment(ref wrong);
                            held.Add((rendering, json));
                        }
                    }
                    // Still inside the section, after the writer had time to sweep: the same bytes.
                    Thread.Sleep(1);
                    foreach (var (rendering, json) in held)
                    {
                        if (Encoding.UTF8.GetString(Rendering.Json(rendering.Array, rendering.Offset)) != json) Interlocked.Increment(ref wrong);
                    }
                    if (Interlocked.Add(ref found, held.Count) >= 100_000) stop.Cancel();
                }
            }
        }))];
        long puts = 0, keptBytes = 0;
        var writer = Task.Run(() =>
        {
            var random = new Random(9);
            while (!stop.IsCancellationRequested)
            {
                int k = random.Next(Keys);
                byte[] rendering = RenderingOf(KeyOf(k), random.Next(2) == 0 ? k : k + Keys);
                if (table.Put(rendering)) keptBytes += rendering.Length;
                if (++puts % 2000 == 0) arena.Sweep();
            }
        });
        await Task.WhenAll([.. readers, writer]);
        Assert.Equal(0, wrong);
        Assert.True(found >= 100_000, $"only {found} renderings found");
        Assert.True(keptBytes > 4 * 1024 * 1024, $"only {keptBytes} bytes kept in a 1 MB arena: its segments were not reused");
        // A table's slots may have grown into a full arena meanwhile: the next sweep gives segments back.
        arena.Sweep();
        Assert.True(arena.Bytes <= 1024 * 1024, $"{arena.Bytes} bytes held for a 1 MB budget");
    }
}
