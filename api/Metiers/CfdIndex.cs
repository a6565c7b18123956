using System.Diagnostics;
using Alternance.Api.Search;
using Alternance.Search;

namespace Alternance.Api.Metiers;

/// <summary>
/// CFD → ROME codes of the trainings with that CFD, for <c>/api/v1/metiers/metiersParFormation/{cfd}</c>; and the
/// trainings' other public ids — Parcoursup's (<c>parcoursup_id</c>) and ONISEP's (the last segment of
/// <c>onisep_url</c>, <c>FOR.1234</c>) — to their catalogue keys, for the appointment routes. The engine indexes neither,
/// so this front builds the maps from one listing of every training (no ROME filter), and keeps them
/// until the training feed's generation changes (or for <see cref="MaxAge"/>, for upserts within a generation).
/// Only the first call of the process waits for that listing (seconds on the full catalogue); afterwards a stale map
/// keeps answering while a new one is built in the background, so no caller waits for a rebuild.
/// </summary>
public sealed class CfdIndex(ISearchBackend backend, DirectoryCache directory, ILogger<CfdIndex> logger)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(10);

    private readonly SemaphoreSlim _build = new(1, 1);
    private volatile Snapshot? _current;

    private sealed record Snapshot(long Generation, long BuiltAt, Dictionary<string, string[]> RomesByCfd,
        Dictionary<string, string[]> KeysByParcoursup, Dictionary<string, string[]> KeysByOnisep);

    /// <summary>The ROME codes of the trainings with that CFD (empty when none).</summary>
    public async Task<string[]> RomesForCfdAsync(string cfd, CancellationToken cancellationToken)
    {
        Snapshot snapshot = await GetAsync(cancellationToken);
        return snapshot.RomesByCfd.TryGetValue(cfd.Trim(), out string[]? romes) ? romes : [];
    }

    /// <summary>The catalogue keys of the trainings with that Parcoursup id (ordinal order; empty when none).</summary>
    public async Task<string[]> KeysForParcoursupAsync(string id, CancellationToken cancellationToken) =>
        (await GetAsync(cancellationToken)).KeysByParcoursup.GetValueOrDefault(id.Trim()) ?? [];

    /// <summary>The catalogue keys of the trainings with that ONISEP id (ordinal order; empty when none).</summary>
    public async Task<string[]> KeysForOnisepAsync(string id, CancellationToken cancellationToken) =>
        (await GetAsync(cancellationToken)).KeysByOnisep.GetValueOrDefault(id.Trim()) ?? [];

    /// <summary>ONISEP's id of a training: the last path segment of its <c>onisep_url</c>.</summary>
    public static string? OnisepId(string? onisepUrl)
    {
        if (string.IsNullOrWhiteSpace(onisepUrl)) return null;
        string path = onisepUrl.Trim().TrimEnd('/');
        int slash = path.LastIndexOf('/');
        string last = slash < 0 ? path : path[(slash + 1)..];
        return last.Length == 0 ? null : last;
    }

    private async Task<Snapshot> GetAsync(CancellationToken cancellationToken)
    {
        long generation = (await directory.GetAsync())[Source.Formation].Generation;
        Snapshot? current = _current;
        if (current is not null)
        {
            if (!IsFresh(current, generation)) RefreshInBackground(generation);
            return current;
        }
        await _build.WaitAsync(cancellationToken);
        try
        {
            return _current ?? await BuildAsync(generation, cancellationToken);
        }
        finally
        {
            _build.Release();
        }
    }

    /// <summary>Starts a rebuild unless one is running (a stale map answers meanwhile).</summary>
    private void RefreshInBackground(long generation)
    {
        if (!_build.Wait(0)) return;
        _ = Task.Run(async () =>
        {
            try
            {
                if (!IsFresh(_current, generation)) await BuildAsync(generation, CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "The CFD index could not be rebuilt; the previous one keeps answering.");
            }
            finally
            {
                _build.Release();
            }
        });
    }

    /// <summary>Lists every training and maps CFDs to their ROME codes (the caller holds <see cref="_build"/>).</summary>
    private async Task<Snapshot> BuildAsync(long generation, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var query = new SourceQuery { Source = Source.Formation, Area = SearchArea.Listing, Limit = int.MaxValue };
        SearchOutcome[] outcome = await backend.SearchAsync([query], cancellationToken);
        if (outcome[0].Error is { } error)
        {
            throw new TimeoutException("The training catalogue could not be listed.", error);
        }
        SearchItem?[] items = await backend.FetchAsync(Source.Formation, outcome[0].Generation, outcome[0].Hits, cancellationToken);
        var sets = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
        var parcoursup = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var onisep = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (SearchItem? item in items)
        {
            if (item is not FormationItem f) continue;
            if (f.ParcoursupId is { Length: > 0 } p) Keys(parcoursup, p.Trim()).Add(f.Id);
            if (OnisepId(f.OnisepUrl) is { } o) Keys(onisep, o).Add(f.Id);
            if (f.Cfd is not { Length: > 0 } cfd) continue;
            if (!sets.TryGetValue(cfd, out var romes)) sets[cfd] = romes = new HashSet<string>(StringComparer.Ordinal);
            foreach (string rome in f.RomeCodes) romes.Add(rome);
        }
        var map = new Dictionary<string, string[]>(sets.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (cfd, romes) in sets)
        {
            string[] codes = [.. romes];
            Array.Sort(codes, StringComparer.Ordinal);
            map[cfd] = codes;
        }
        var built = new Snapshot(generation, Environment.TickCount64, map, Sorted(parcoursup), Sorted(onisep));
        _current = built;
        logger.LogInformation("CFD index built from {Trainings} trainings ({Cfds} CFDs) in {Elapsed} ms",
            outcome[0].Hits.Length, map.Count, clock.ElapsedMilliseconds);
        return built;
    }

    private static List<string> Keys(Dictionary<string, List<string>> map, string id)
    {
        if (!map.TryGetValue(id, out List<string>? keys)) map[id] = keys = [];
        return keys;
    }

    private static Dictionary<string, string[]> Sorted(Dictionary<string, List<string>> map)
    {
        var sorted = new Dictionary<string, string[]>(map.Count, map.Comparer);
        foreach (var (id, keys) in map)
        {
            string[] array = [.. keys];
            Array.Sort(array, StringComparer.Ordinal);
            sorted[id] = array;
        }
        return sorted;
    }

    private static bool IsFresh(Snapshot? s, long generation) =>
        s is not null && s.Generation == generation && Environment.TickCount64 - s.BuiltAt < (long)MaxAge.TotalMilliseconds;
}
