using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace Alternance.Benchmarks.Peers;

/// <summary>
/// Redis GEO in its best layout for this question (<c>../shared/notes/PEERS-BASELINE.md</c>): one GEO key per posting
/// list (source and ROME code), so a search reads only its codes' members; a search sends one
/// <c>GEOSEARCH key FROMLONLAT lon lat BYRADIUS r km ASC COUNT n WITHDIST</c> per list, pipelined on one multiplexed
/// connection, and merges them. The member carries the item's id and exact position (<c>id|lat|lon</c>): Redis keeps
/// positions as 52-bit geohashes (±0.3 m) on a 6372.8 km sphere, so the client ranks by the contract's distance itself.
/// </summary>
internal sealed class RedisPeer : Peer
{
    /// <summary>Redis' own sphere (EARTH_RADIUS_IN_METERS in geohash_helper.c), in km.</summary>
    private const double RedisSphereKm = 6372.797560856;
    /// <summary>Redis measures from geohash cell centres: positions are off by at most ~0.3 m; 2 m covers it and rounding.</summary>
    private const double PositionSlackKm = 0.002;

    private readonly ConnectionMultiplexer _connection;
    private readonly IDatabase _database;
    private readonly IServer _server;
    private readonly int _pid;

    private RedisPeer(ConnectionMultiplexer connection, int pid)
    {
        _connection = connection;
        _database = connection.GetDatabase();
        _server = connection.GetServer(connection.GetEndPoints()[0]);
        _pid = pid;
    }

    public override string Name => "Redis GEOSEARCH";

    public string Version { get; private set; } = "";

    public static async Task<RedisPeer> LoadAsync(string endpoint, PeerWorkload workload)
    {
        ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync($"{endpoint},allowAdmin=true,syncTimeout=60000,asyncTimeout=60000");
        IServer server = connection.GetServer(connection.GetEndPoints()[0]);
        int pid = int.Parse(Info(await server.InfoRawAsync("server"), "process_id"), CultureInfo.InvariantCulture);
        var peer = new RedisPeer(connection, pid) { Version = Info(await server.InfoRawAsync("server"), "redis_version") };
        await server.FlushAllDatabasesAsync();
        var clock = Stopwatch.StartNew();
        var byList = new Dictionary<short, List<GeoEntry>>();
        for (int s = 0; s < PeerWorkload.Sources.Length; s++)
        {
            foreach (SearchItem item in workload.Items[PeerWorkload.Sources[s]])
            {
                string member = string.Create(CultureInfo.InvariantCulture, $"{item.Id}|{item.Latitude:R}|{item.Longitude:R}");
                foreach (string code in item.RomeCodes.Distinct())
                {
                    short list = PeerWorkload.ListOf(s, workload.CodeIndexOf(code));
                    if (!byList.TryGetValue(list, out var entries)) byList[list] = entries = [];
                    entries.Add(new GeoEntry(item.Longitude, item.Latitude, member));
                }
            }
        }
        var inFlight = new List<Task>();
        foreach (var (list, entries) in byList)
        {
            for (int at = 0; at < entries.Count; at += 1000)
            {
                inFlight.Add(peer._database.GeoAddAsync(Key(list), entries.GetRange(at, Math.Min(1000, entries.Count - at)).ToArray()));
                if (inFlight.Count >= 32)
                {
                    await Task.WhenAll(inFlight);
                    inFlight.Clear();
                }
            }
        }
        await Task.WhenAll(inFlight);
        peer.LoadSeconds = clock.Elapsed.TotalSeconds;
        return peer;
    }

    private static RedisKey Key(short list) => "peers:" + list.ToString(CultureInfo.InvariantCulture);

    protected override async Task FetchAsync(PeerQuery q, short[] lists, int[] limits, List<PeerRow>[] rows)
    {
        // Redis' distances are shorter than the contract's (smaller sphere): the contract's radius plus the position
        // slack keeps every item the contract calls inside.
        var shape = new GeoSearchCircle(q.RadiusKm + PositionSlackKm, GeoUnit.Kilometers);
        var calls = new Task<GeoRadiusResult[]>[lists.Length];
        for (int i = 0; i < lists.Length; i++)
        {
            calls[i] = _database.GeoSearchAsync(Key(lists[i]), q.Longitude, q.Latitude, shape, limits[i], demandClosest: true,
                Order.Ascending, GeoRadiusOptions.WithDistance);
        }
        for (int i = 0; i < lists.Length; i++)
        {
            rows[i].Clear();
            foreach (GeoRadiusResult result in await calls[i])
            {
                string member = result.Member!;
                int a = member.IndexOf('|'), b = member.LastIndexOf('|');
                rows[i].Add(new PeerRow(member[..a],
                    double.Parse(member.AsSpan(a + 1, b - a - 1), CultureInfo.InvariantCulture),
                    double.Parse(member.AsSpan(b + 1), CultureInfo.InvariantCulture),
                    result.Distance ?? double.NaN));
            }
        }
    }

    protected override double LowerBoundKm(double peerDistance) =>
        Math.Max(0, (peerDistance - PositionSlackKm) * (GreatCircle.EarthRadiusKm / RedisSphereKm));

    public override async Task<string> MemoryAsync()
    {
        string? memory = await _server.InfoRawAsync("memory");
        long used = long.Parse(Info(memory, "used_memory"), CultureInfo.InvariantCulture);
        long rss = long.Parse(Info(memory, "used_memory_rss"), CultureInfo.InvariantCulture);
        return $"{used / 1048576.0:N0} MiB used_memory (RSS {rss / 1048576.0:N0} MiB)";
    }

    public override double ServerCpuSeconds() => ServerProcesses.CpuSecondsOfTree(_pid);

    private static string Info(string? info, string field)
    {
        foreach (string line in (info ?? "").Split('\n'))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal)) return line[(field.Length + 1)..].Trim();
        }
        throw new InvalidOperationException($"INFO has no {field}.");
    }

    public override async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}
