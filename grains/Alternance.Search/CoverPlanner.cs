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
    public void Plan(DirectorySnapshot snapshot, SourceQuery q, List<long> into)
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
            cover = H3.TryCoverCircle(q.Latitude, q.Longitude, q.RadiusKm, CellKeys.Resolution, buffer, out int count)
                ? buffer[..count]
                : H3.CoverCircle(q.Latitude, q.Longitude, q.RadiusKm, CellKeys.Resolution);
            cover.Sort();
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
