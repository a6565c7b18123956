using System.Collections.Concurrent;
using System.Diagnostics;
using Alternance.Geo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Alternance.Search;

/// <summary>
/// The scatter/gather front. A search takes one directory snapshot (so every cell is read at the same feed
/// generations), plans the cells of each source query, calls each cell once with the queries that concern it,
/// and k-way merges the cells' ranked lists into each query's global top-N. Every query of a search is made at one
/// instant of <paramref name="clock"/> (the service clock, <see cref="WriteClock.Key"/>): offers whose expiration date it
/// has reached are left out by the cells, with no import.
/// </summary>
public sealed class SearchEngine(
    IGrainFactory grains,
    DirectoryCache directory,
    CoverPlanner planner,
    IOptions<SearchOptions> options,
    EngineMetrics? metrics = null,
    [FromKeyedServices(WriteClock.Key)] TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>The instant searches and item look-ups are made at (Unix ms): offers expire against it.</summary>
    public long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>A training search that finds nothing answers the 5 nearest trainings anywhere (docs/contract.md#order-and-limits).</summary>
    public const int WideningLimit = 5;
    /// <summary>Larger than half the circumference of the contract's sphere (π × 6378.1 ≈ 20037.5 km): everywhere.</summary>
    public const double EverywhereKm = 21000;
    /// <summary>
    /// The circles an empty training search widens through: most find five trainings within a few hundred km and never
    /// call the ~90 cells of the whole map (which an immediate "everywhere" did, for about one training search in ten).
    /// </summary>
    private static readonly double[] WideningRadiiKm = [100, 400, EverywhereKm];

    private readonly ConcurrentDictionary<long, ICellGrain> _cells = new();

    /// <summary>Runs the queries; answers one ranked list per query, or the failure of that query's cells.</summary>
    public async Task<SearchOutcome[]> SearchAsync(IReadOnlyList<SourceQuery> queries, CancellationToken cancellationToken = default)
    {
        using Activity? activity = EngineMetrics.Activities.StartActivity("search");
        long started = Stopwatch.GetTimestamp();
        DirectorySnapshot snapshot = await directory.GetAsync();
        long now = Now;
        var bound = new SourceQuery[queries.Count];
        for (int q = 0; q < bound.Length; q++)
        {
            bound[q] = queries[q] with
            {
                Generation = snapshot[queries[q].Source].Generation,
                AsOf = queries[q].AsOf != 0 ? queries[q].AsOf : now,
            };
        }
        var (outcomes, cells) = await Scatter(snapshot, bound, cancellationToken);

        // Widening: the training queries that came back empty answer the nearest trainings anywhere, found in growing
        // circles; the groups inside a circle are nearer than anything outside it, so a full circle is the answer.
        List<int>? widen = null;
        for (int q = 0; q < bound.Length; q++)
        {
            if (bound[q] is { Source: Source.Formation, Area: SearchArea.Radius } && outcomes[q] is { Error: null, Hits.Length: 0 })
            {
                (widen ??= []).Add(q);
            }
        }
        foreach (double radius in WideningRadiiKm)
        {
            if (widen is null || widen.Count == 0) break;
            var wide = new List<SourceQuery>(widen.Count);
            var asked = new List<int>(widen.Count);
            foreach (int q in widen)
            {
                if (radius > bound[q].RadiusKm)
                {
                    wide.Add(bound[q] with { RadiusKm = radius, Limit = WideningLimit });
                    asked.Add(q);
                }
            }
            if (wide.Count == 0) continue;
            var (wider, widerCells) = await Scatter(snapshot, [.. wide], cancellationToken);
            cells += widerCells;
            for (int w = 0; w < wider.Length; w++)
            {
                int q = asked[w];
                outcomes[q] = wider[w];
                if (wider[w].Error is not null || wider[w].Hits.Length >= WideningLimit || radius >= EverywhereKm)
                {
                    widen.Remove(q);
                }
            }
        }
        if (metrics is not null)
        {
            metrics.Searched(cells, Stopwatch.GetElapsedTime(started));
            for (int q = 0; q < outcomes.Length; q++) metrics.Answered(bound[q].Source, outcomes[q].Error is not null);
        }
        activity?.SetTag("alternance.cells", cells);
        return outcomes;
    }


    /// <summary>
    /// Asks the cells and merges their lists. A radius query whose limit counts items or first-of-group hits, and whose
    /// centre lies in a cell holding its source, goes in two rounds: that home cell first, then the other cells only for
    /// what can beat its last hit (a circle of the home cell's N-th distance). Nothing outside that circle can enter the
    /// top N (the home cell already holds N nearer groups), so the answer is the full scatter's; but in a dense area the
    /// second circle is a few km and reaches no other cell, where a full scatter had each covered cell fill its own top N.
    /// Posted offers keep whole recruiters (a recruiter ranks by its nearest job but brings all the others), so they and
    /// listings go in one round.
    /// </summary>
    private async Task<(SearchOutcome[] Outcomes, int Cells)> Scatter(DirectorySnapshot snapshot, SourceQuery[] queries, CancellationToken cancellationToken)
    {
        var perQuery = new List<Hit[]>[queries.Length];
        var errors = new Exception?[queries.Length];
        var homes = new long[queries.Length];
        // The cells each two-round query was planned to visit: the second round reuses them when the home cell did not
        // narrow the circle, and plans again (a smaller cover) only when it did.
        var planned = new long[queries.Length][];
        var first = new Dictionary<long, List<(int Query, SourceQuery Sub)>>();
        var cells = new List<long>();
        CircleCovers? covers = queries.Length > 1 ? new CircleCovers() : null;
        for (int q = 0; q < queries.Length; q++)
        {
            perQuery[q] = [];
            cells.Clear();
            planner.Plan(snapshot, queries[q], cells, covers);
            long home = cells.Count > 1 && CanNarrow(queries[q]) ? HomeCell(queries[q], cells) : 0;
            homes[q] = home;
            if (home != 0)
            {
                Add(first, home, q, queries[q]);
                planned[q] = [.. cells];
                continue;
            }
            foreach (long cell in cells) Add(first, cell, q, queries[q]);
        }
        int called = first.Count;
        await Call(first, perQuery, errors, cancellationToken);

        Dictionary<long, List<(int Query, SourceQuery Sub)>>? second = null;
        for (int q = 0; q < queries.Length; q++)
        {
            if (homes[q] == 0 || errors[q] is not null) continue;
            SourceQuery rest = queries[q];
            Hit[] home = perQuery[q][0];
            IReadOnlyList<long> others = planned[q];
            if (home.Length >= rest.Limit && home[rest.Limit - 1].DistanceKm < rest.RadiusKm)
            {
                rest = rest with { RadiusKm = home[rest.Limit - 1].DistanceKm };
                cells.Clear();
                planner.Plan(snapshot, rest, cells, covers);
                others = cells;
            }
            foreach (long cell in others)
            {
                if (cell != homes[q]) Add(second ??= [], cell, q, rest);
            }
        }
        if (second is not null)
        {
            called += second.Count;
            await Call(second, perQuery, errors, cancellationToken);
        }

        var outcomes = new SearchOutcome[queries.Length];
        for (int q = 0; q < queries.Length; q++)
        {
            SourceQuery query = queries[q];
            outcomes[q] = errors[q] is { } error
                ? new SearchOutcome(query.Generation, [], error)
                : new SearchOutcome(query.Generation, Ranking.Merge(perQuery[q], query.Source, query.Area, query.Limit), null);
        }
        return (outcomes, called);
    }

    /// <summary>Whether a query's answer can be narrowed by its home cell's N-th distance (see <see cref="Scatter"/>).</summary>
    private static bool CanNarrow(SourceQuery query) =>
        query.Area == SearchArea.Radius && query.Limit > 0 && Ranking.GroupRuleOf(query.Source) != GroupRule.WholeGroup;

    /// <summary>The cell that holds the query's centre, when it is one of the cells to visit; 0 otherwise.</summary>
    private static long HomeCell(SourceQuery query, List<long> cells)
    {
        long home = (long)H3.LatLngToCell(query.Latitude, query.Longitude, CellKeys.Resolution);
        return cells.Contains(home) ? home : 0;
    }

    private static void Add(Dictionary<long, List<(int Query, SourceQuery Sub)>> round, long cell, int query, SourceQuery sub)
    {
        if (!round.TryGetValue(cell, out var forCell)) round[cell] = forCell = new List<(int, SourceQuery)>(2);
        forCell.Add((query, sub));
    }

    /// <summary>
    /// Calls each cell once with the queries of this round that concern it; appends each cell's list to its queries'
    /// lists, or records the first failure of a query's cells (per-source isolation: a failed cell fails only the
    /// sources it was asked about).
    /// </summary>
    private async Task Call(Dictionary<long, List<(int Query, SourceQuery Sub)>> round, List<Hit[]>[] perQuery, Exception?[] errors, CancellationToken cancellationToken)
    {
        var calls = new Task<CellHits>[round.Count];
        var served = new List<(int Query, SourceQuery Sub)>[round.Count];
        var asked = new (ICellGrain Cell, SourceQuery[] Queries)[round.Count];
        int c = 0;
        foreach (var (cell, forCell) in round)
        {
            var sub = new SourceQuery[forCell.Count];
            for (int i = 0; i < sub.Length; i++) sub[i] = forCell[i].Sub;
            asked[c] = (Cell(cell), sub);
            calls[c] = asked[c].Cell.Search(sub).AsTask();
            served[c++] = forCell;
        }

        // One deadline for the whole gather (not a timer and a continuation per call).
        await GatherAsync(calls, asked, static (a, k) => a[k].Cell.Search(a[k].Queries).AsTask(), cancellationToken);
        for (int k = 0; k < calls.Length; k++)
        {
            Task<CellHits> call = calls[k];
            if (call.IsCompletedSuccessfully)
            {
                Hit[][] hits = call.Result.PerQuery;
                for (int i = 0; i < served[k].Count; i++) perQuery[served[k][i].Query].Add(hits[i]);
                continue;
            }
            Exception error = call.Exception?.InnerException
                ?? new TimeoutException($"A cell did not answer within {options.Value.CellTimeout.TotalSeconds:0.#} s.");
            foreach (var (q, _) in served[k]) errors[q] ??= error;
        }
    }

    /// <summary>
    /// Waits for the cell calls until <see cref="SearchOptions.CellTimeout"/>. A call the runtime could not deliver (its silo
    /// died, a connection failed) is sent again (<paramref name="resend"/>), after a growing pause, until that deadline:
    /// once the membership has declared the silo dead, the cell activates on another one. The happy path allocates nothing
    /// more than the calls themselves.
    /// </summary>
    private async Task GatherAsync<T, TAsked>(Task<T>[] calls, TAsked[] asked, Func<TAsked[], int, Task<T>> resend, CancellationToken cancellationToken)
    {
        long deadline = Stopwatch.GetTimestamp() + (long)(options.Value.CellTimeout.TotalSeconds * Stopwatch.Frequency);
        await WaitUntil(calls, deadline, cancellationToken);
        for (int attempt = 0; HasUndelivered(calls); attempt++)
        {
            TimeSpan pause = Redelivery.Pause(attempt);
            if (Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline) <= pause) break;
            await Task.Delay(pause, cancellationToken);
            for (int k = 0; k < calls.Length; k++)
            {
                if (calls[k].IsFaulted && Redelivery.IsUndelivered(calls[k].Exception!.InnerException)) calls[k] = resend(asked, k);
            }
            metrics?.Resent();
            await WaitUntil(calls, deadline, cancellationToken);
        }
    }

    private static async Task WaitUntil<T>(Task<T>[] calls, long deadline, CancellationToken cancellationToken)
    {
        Task gather = Task.WhenAll(calls);
        if (gather.IsCompleted) return;
        TimeSpan left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
        try
        {
            await gather.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Read per call by the caller.
        }
    }

    private static bool HasUndelivered<T>(Task<T>[] calls)
    {
        foreach (Task call in calls)
        {
            if (call.IsFaulted && Redelivery.IsUndelivered(call.Exception!.InnerException)) return true;
        }
        return false;
    }

    /// <summary>
    /// A cell's grain reference, made once: GetGrain builds a new proxy each call (with reflection over the interface),
    /// which was a visible part of a search's CPU. References are immutable and safe to share.
    /// </summary>
    private ICellGrain Cell(long cell) =>
        _cells.GetOrAdd(cell, static (key, factory) => factory.GetGrain<ICellGrain>(key), grains);

    /// <summary>
    /// The items of these hits (of one source, found at <paramref name="generation"/>), fetched from their cells, one call
    /// per cell; null where a cell no longer holds the item. An item may have changed since the search: compare versions.
    /// </summary>
    public async Task<SearchItem?[]> FetchAsync(Source source, long generation, IReadOnlyList<Hit> hits, CancellationToken cancellationToken = default)
    {
        var items = new SearchItem?[hits.Count];
        if (hits.Count == 0) return items;
        var byCell = new Dictionary<long, List<int>>();
        for (int i = 0; i < hits.Count; i++)
        {
            if (!byCell.TryGetValue(hits[i].Cell, out List<int>? at)) byCell[hits[i].Cell] = at = [];
            at.Add(i);
        }
        var calls = new Task<FetchedItems>[byCell.Count];
        var asked = new (ICellGrain Cell, Source Source, long Generation, string[] Ids)[byCell.Count];
        var positions = new List<int>[byCell.Count];
        int c = 0;
        foreach (var (cell, at) in byCell)
        {
            var ids = new string[at.Count];
            for (int k = 0; k < ids.Length; k++) ids[k] = hits[at[k]].Id;
            asked[c] = (Cell(cell), source, generation, ids);
            calls[c] = asked[c].Cell.Fetch(source, generation, ids).AsTask();
            positions[c++] = at;
        }
        await GatherAsync(calls, asked, static (a, k) => a[k].Cell.Fetch(a[k].Source, a[k].Generation, a[k].Ids).AsTask(), cancellationToken);
        for (c = 0; c < calls.Length; c++)
        {
            if (!calls[c].IsCompletedSuccessfully)
            {
                throw calls[c].Exception?.InnerException ?? new TimeoutException($"A cell did not answer within {options.Value.CellTimeout.TotalSeconds:0.#} s.");
            }
            SearchItem?[] found = calls[c].Result.Items;
            for (int k = 0; k < found.Length; k++) items[positions[c][k]] = found[k];
        }
        return items;
    }

    /// <summary>A cell answers at most this many items to a listing of everything (<see cref="ListAllAsync"/>).</summary>
    public const int ListAllPerCellLimit = 1 << 24;
    /// <summary>Items fetched from a cell per call while listing everything.</summary>
    private const int ListAllFetchChunk = 1024;

    /// <summary>
    /// Every item each query finds anywhere, its filters applied as a search applies them (expiry included), streamed cell
    /// by cell at one directory snapshot and one instant: the set searches see at that moment, with one cell's hits and
    /// one chunk of items in memory at a time. The queries' areas and limits are ignored; the order is by cell.
    /// </summary>
    public async IAsyncEnumerable<SearchItem> ListAllAsync(IReadOnlyList<SourceQuery> queries,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        DirectorySnapshot snapshot = await directory.GetAsync();
        long now = Now;
        var cells = new List<long>();
        foreach (SourceQuery query in queries)
        {
            // A circle covering the sphere rather than a listing: the cells need no listing keys for it.
            SourceQuery everywhere = query with
            {
                Generation = snapshot[query.Source].Generation,
                AsOf = query.AsOf != 0 ? query.AsOf : now,
                Area = SearchArea.Radius,
                Latitude = 0,
                Longitude = 0,
                RadiusKm = EverywhereKm,
                Limit = ListAllPerCellLimit,
            };
            cells.Clear();
            planner.Plan(snapshot, everywhere with { Area = SearchArea.Listing }, cells);
            foreach (long cell in cells)
            {
                ICellGrain grain = Cell(cell);
                Hit[] hits = (await grain.Search([everywhere]).AsTask().WaitAsync(options.Value.CellTimeout, cancellationToken)).PerQuery[0];
                for (int from = 0; from < hits.Length; from += ListAllFetchChunk)
                {
                    var ids = new string[Math.Min(ListAllFetchChunk, hits.Length - from)];
                    for (int k = 0; k < ids.Length; k++) ids[k] = hits[from + k].Id;
                    SearchItem?[] items = (await grain.Fetch(query.Source, everywhere.Generation, ids).AsTask()
                        .WaitAsync(options.Value.CellTimeout, cancellationToken)).Items;
                    foreach (SearchItem? item in items)
                    {
                        // Gone since the search (a write moved or removed it): not part of the set any more.
                        if (item is not null) yield return item;
                    }
                }
            }
        }
    }

    /// <summary>
    /// One item by id, at the live generation (posted offers are found by their own grains); null when there is none or
    /// when it is an offer whose expiration date has passed (an expired offer is out of item routes as of searches).
    /// </summary>
    /// <param name="includeExpired">Answer an expired offer too (a caller that tells "expired" from "unknown").</param>
    public async Task<SearchItem?> GetAsync(Source source, string id, bool includeExpired = false)
    {
        DirectorySnapshot snapshot = await directory.GetAsync();
        long generation = snapshot[source].Generation;
        long[] cells = await grains.GetGrain<IItemLocatorGrain>(CellKeys.LocatorKey(source, CellKeys.ShardOf(id)))
            .Locate(generation, [id]);
        SearchItem? item = cells[0] == 0 ? null : await Cell(cells[0]).Get(source, generation, id);
        return item is not null && !includeExpired && OfferDates.IsExpired(item, Now) ? null : item;
    }
}

/// <summary>A query's ranked hits (found at <paramref name="Generation"/> of its source), or the error that kept its cells from answering.</summary>
public sealed record SearchOutcome(long Generation, Hit[] Hits, Exception? Error);
