using System.Collections.Concurrent;
using Alternance.Geo;

namespace Alternance.Search;

/// <summary>
/// Decides which cells a query visits: cells that hold items of its source (per the directory) and that the
/// circle can reach. A cell is reachable when its bounding disc meets the circle and, for radii where the H3
/// cover is small, when it is in <see cref="H3.CoverCircle"/> (both are necessary conditions, so a cell that can
/// hold an answer is never dropped). Listings visit every cell that holds the source.
/// </summary>
public sealed class CoverPlanner
{
    /// <summary>Beyond this radius the H3 cover of a resolution-3 circle is larger than the occupied set: skip it.</summary>
    private const double CoverRadiusLimitKm = 1000;
    /// <summary>Room for the cover of a 1,000 km circle at resolution 3 (about 330 cells).</summary>
    private const int CoverBufferCells = 512;

    private readonly ConcurrentDictionary<long, CellDisc> _discs = new();

    /// <summary>The cells query <paramref name="q"/> must visit, appended to <paramref name="into"/>.</summary>
    /// <param name="covers">The covers of a search's circles: the sources of one request share their circle, whose cover
    /// is then computed once.</param>
    public void Plan(DirectorySnapshot snapshot, SourceQuery q, List<long> into, CircleCovers? covers = null)
    {
        long[] held = snapshot[q.Source].Cells;
        long[] live = q.Source == Source.Matcha ? snapshot.LiveCells : [];
        if (q.Area == SearchArea.Listing)
        {
            into.AddRange(held);
            foreach (long cell in live)
            {
                if (Array.BinarySearch(held, cell) < 0) into.Add(cell);
            }
            return;
        }

        // The H3 cover of the circle, on the stack: planning allocates nothing for ordinary radii.
        Span<ulong> buffer = stackalloc ulong[CoverBufferCells];
        scoped Span<ulong> cover = default;
        if (q.RadiusKm < CoverRadiusLimitKm && held.Length + live.Length > 1)
        {
            if (covers is not null && covers.TryGet(q, out ulong[]? kept, out int keptCount))
            {
                cover = kept.AsSpan(0, keptCount);
            }
            else
            {
                cover = H3.TryCoverCircle(q.Latitude, q.Longitude, q.RadiusKm, CellKeys.Resolution, buffer, out int count)
                    ? buffer[..count]
                    : H3.CoverCircle(q.Latitude, q.Longitude, q.RadiusKm, CellKeys.Resolution);
                cover.Sort();
                covers?.Keep(q, cover);
            }
        }
        bool filterByCover = !cover.IsEmpty;
        foreach (long cell in held)
        {
            if (Reachable(cell, q, cover, filterByCover)) into.Add(cell);
        }
        foreach (long cell in live)
        {
            if (Array.BinarySearch(held, cell) < 0 && Reachable(cell, q, cover, filterByCover)) into.Add(cell);
        }
    }

    private bool Reachable(long cell, SourceQuery q, ReadOnlySpan<ulong> cover, bool filterByCover)
    {
        if (filterByCover && cover.BinarySearch((ulong)cell) < 0)
        {
            return false;
        }
        CellDisc disc = _discs.GetOrAdd(cell, static c => CellDisc.Of((ulong)c));
        double d = GreatCircle.DistanceKm(q.Latitude, q.Longitude, disc.Lat, disc.Lng);
        return d - disc.RadiusKm <= q.RadiusKm;
    }

    /// <summary>A disc around a cell holding all of it: its centre and farthest vertex, with a margin for edge bulge.</summary>
    private readonly record struct CellDisc(double Lat, double Lng, double RadiusKm)
    {
        public static CellDisc Of(ulong cell)
        {
            var (lat, lng) = H3.CellToLatLng(cell);
            double max = 0;
            foreach (var (vLat, vLng) in H3.CellToBoundary(cell))
            {
                max = Math.Max(max, GreatCircle.DistanceKm(lat, lng, vLat, vLng));
            }
            // Great-circle edges bow out from the chords between vertices by far less than 2%.
            return new CellDisc(lat, lng, max * 1.02 + 0.01);
        }
    }
}

/// <summary>
/// The sorted H3 cover of the last circle planned in one search (<see cref="CoverPlanner.Plan"/>): a request's sources
/// search one circle, and a cover is most of a plan's cost (a jobs-and-trainings request planned four, one per source).
/// One per search, not shared between threads.
/// </summary>
public sealed class CircleCovers
{
    private double _latitude = double.NaN, _longitude, _radiusKm;
    private ulong[] _cells = [];
    private int _count;

    internal bool TryGet(SourceQuery q, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ulong[]? cells, out int count)
    {
        bool same = q.Latitude == _latitude && q.Longitude == _longitude && q.RadiusKm == _radiusKm;
        cells = same ? _cells : null;
        count = same ? _count : 0;
        return same;
    }

    internal void Keep(SourceQuery q, ReadOnlySpan<ulong> sortedCover)
    {
        if (_cells.Length < sortedCover.Length) _cells = new ulong[Math.Max(16, sortedCover.Length)];
        sortedCover.CopyTo(_cells);
        _count = sortedCover.Length;
        (_latitude, _longitude, _radiusKm) = (q.Latitude, q.Longitude, q.RadiusKm);
    }
}
