namespace Alternance.Benchmarks.Peers;

/// <summary>A candidate a peer returned from one posting list: the item's id, its exact position, and the peer's own distance.</summary>
internal readonly record struct PeerRow(string Id, double Latitude, double Longitude, double PeerDistance);

/// <summary>
/// A store searched the way its users would (KNN per posting list, merged by the client), made exact on the contract's
/// sphere. A store orders by its own distance (PostGIS: its own sphere; Redis: geohash-rounded positions on another
/// sphere), so its first N per list are nearly, not exactly, the contract's. The client therefore asks each list for one
/// more than the limit, ranks the union by the exact great-circle distance (6378.1 km sphere, ties by id), and checks
/// that nothing left unfetched could rank: everything a list did not return is at least <see cref="LowerBoundKm"/> of its
/// last row's store distance away. A list that fails the check is fetched again, four times deeper, until it passes.
/// </summary>
internal abstract class Peer : IAsyncDisposable
{
    public abstract string Name { get; }

    /// <summary>Seconds the load took (bulk insert, indexes).</summary>
    public double LoadSeconds { get; protected set; }

    /// <summary>What the data takes in the store, for the table (e.g. "412 MiB relations, RSS 1.1 GiB").</summary>
    public abstract Task<string> MemoryAsync();

    /// <summary>The CPU seconds the store's server processes have used so far.</summary>
    public abstract double ServerCpuSeconds();

    /// <summary>
    /// Fetches, for each <paramref name="lists"/>[i], its first <paramref name="limits"/>[i] items within the radius in the
    /// store's own order, into <paramref name="rows"/>[i] (cleared first). The store's radius must keep every item the
    /// contract calls inside (it may keep more).
    /// </summary>
    protected abstract Task FetchAsync(PeerQuery q, short[] lists, int[] limits, List<PeerRow>[] rows);

    /// <summary>A lower bound of the contract distance (km) of any item the store places at <paramref name="peerDistance"/> or farther.</summary>
    protected abstract double LowerBoundKm(double peerDistance);

    /// <summary>How many lists had to be fetched again (a tie or near-tie at the cut), for the report.</summary>
    public long Refetches => Interlocked.Read(ref _refetches);

    private long _refetches;

    public async Task<PeerAnswer> SearchAsync(PeerQuery q)
    {
        int n = q.Lists.Length;
        var limits = new int[n];
        var rows = new List<PeerRow>[n];
        var pending = new bool[n];
        for (int i = 0; i < n; i++)
        {
            limits[i] = PeerWorkload.Limit + 1;
            rows[i] = new List<PeerRow>(limits[i]);
            pending[i] = true;
        }
        int sources = PeerWorkload.Sources.Length;
        var ids = new string[sources][];
        var distances = new double[sources][];
        var thresholds = new double[sources];
        while (true)
        {
            await FetchPendingAsync(q, pending, limits, rows);
            for (int s = 0; s < sources; s++)
            {
                (ids[s], distances[s]) = Rank(q, rows, s);
                // What an unfetched item must be beyond for the answer to stand: the last kept distance, or the radius
                // when fewer than the limit were found.
                thresholds[s] = ids[s].Length < PeerWorkload.Limit ? q.RadiusKm : distances[s][^1];
            }
            bool again = false;
            for (int i = 0; i < n; i++)
            {
                pending[i] = false;
                if (rows[i].Count < limits[i]) continue; // the list had no more inside the store's radius
                double last = 0;
                foreach (PeerRow row in rows[i]) last = Math.Max(last, row.PeerDistance);
                if (LowerBoundKm(last) > thresholds[PeerWorkload.SourceSlotOf(q.Lists[i])]) continue;
                pending[i] = true;
                limits[i] *= 4;
                again = true;
                Interlocked.Increment(ref _refetches);
            }
            if (!again) return new PeerAnswer(ids, distances);
        }
    }

    private async Task FetchPendingAsync(PeerQuery q, bool[] pending, int[] limits, List<PeerRow>[] rows)
    {
        int count = 0;
        foreach (bool p in pending) if (p) count++;
        if (count == pending.Length)
        {
            await FetchAsync(q, q.Lists, limits, rows);
            return;
        }
        var lists = new short[count];
        var someLimits = new int[count];
        var someRows = new List<PeerRow>[count];
        for (int i = 0, k = 0; i < pending.Length; i++)
        {
            if (!pending[i]) continue;
            lists[k] = q.Lists[i];
            someLimits[k] = limits[i];
            someRows[k++] = rows[i];
        }
        await FetchAsync(q, lists, someLimits, someRows);
    }

    /// <summary>The exact answer from the rows at hand for source slot <paramref name="slot"/>: inside the radius, nearest first, ties by id, an item once.</summary>
    private static (string[] Ids, double[] Distances) Rank(PeerQuery q, List<PeerRow>[] rows, int slot)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var found = new List<(string Id, double Km)>();
        for (int i = 0; i < rows.Length; i++)
        {
            if (PeerWorkload.SourceSlotOf(q.Lists[i]) != slot) continue;
            foreach (PeerRow row in rows[i])
            {
                double d = GreatCircle.DistanceKm(q.Latitude, q.Longitude, row.Latitude, row.Longitude);
                if (d <= q.RadiusKm && seen.Add(row.Id)) found.Add((row.Id, d));
            }
        }
        found.Sort(static (a, b) => a.Km != b.Km ? a.Km.CompareTo(b.Km) : string.CompareOrdinal(a.Id, b.Id));
        int kept = Math.Min(found.Count, PeerWorkload.Limit);
        var ids = new string[kept];
        var distances = new double[kept];
        for (int i = 0; i < kept; i++) (ids[i], distances[i]) = found[i];
        return (ids, distances);
    }

    public abstract ValueTask DisposeAsync();
}
