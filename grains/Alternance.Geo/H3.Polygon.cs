namespace Alternance.Geo;

public static partial class H3
{
    /// <summary>
    /// Every cell of resolution <paramref name="res"/> whose centre lies inside the polygon (H3's
    /// CONTAINMENT_CENTER, as h3-js <c>polygonToCells</c>). Unsorted.
    /// </summary>
    /// <param name="ring">Outer ring in degrees, (lat, lng), open or closed, any winding. No holes.</param>
    /// <param name="res">Resolution 0..15.</param>
    /// <remarks>
    /// Containment follows H3: edges are straight lines in lat/lng (radians), ray casting towards +lng with
    /// H3's tie rules; a ring with two consecutive vertices more than 180° of longitude apart is taken as crossing
    /// the antimeridian. Polygons containing a pole are not supported (as in H3).
    /// </remarks>
    /// <exception cref="H3Exception">Code 4 for a bad resolution, 3 for non-finite vertices.</exception>
    public static ulong[] PolygonToCells((double Lat, double Lng)[] ring, int res)
    {
        ArgumentNullException.ThrowIfNull(ring);
        CheckRes(res);
        int n = ring.Length;
        if (n > 1 && ring[0] == ring[n - 1]) n--; // closed ring: the repeated vertex adds nothing
        if (n == 0) return [];

        var loop = new double[2 * n];
        for (int i = 0; i < n; i++)
        {
            var (lat, lng) = ring[i];
            if (!double.IsFinite(lat) || !double.IsFinite(lng)) ThrowLatLng(lat, lng);
            loop[2 * i] = ToRad(lat);
            loop[2 * i + 1] = ToRad(lng);
        }
        var poly = new PlanarLoop(loop);

        // Candidates: flood fill over cells whose centre lies in the bounding box grown by a few cell radii.
        // That region is edge-connected and contains every cell whose centre is inside the polygon.
        double margin = 3.0 * MaxCenterToVertexRad(res);
        ulong start = Projection.Vec3ToCell(Vec3.FromLatLngRad(loop[0], loop[1]), res);
        var visited = new CellSet(256);
        var result = new List<ulong>();
        var queue = new List<ulong> { start };
        visited.Add(start);
        Span<ulong> nbs = stackalloc ulong[6];
        for (int head = 0; head < queue.Count; head++)
        {
            ulong cell = queue[head];
            Vec3 c = Projection.CellToVec3(cell);
            double lat = c.LatRad, lng = c.LngRad;
            if (poly.Contains(lat, lng)) result.Add(cell);
            if (!poly.NearBox(lat, lng, margin) && head != 0) continue;
            int m = Neighbors.All(cell, nbs);
            for (int j = 0; j < m; j++)
                if (visited.Add(nbs[j])) queue.Add(nbs[j]);
        }
        return [.. result];
    }

    /// <summary>A loop in radians with H3's planar point-in-polygon rules (polygonAlgos.h pointInside).</summary>
    private sealed class PlanarLoop
    {
        private readonly double[] _v; // lat, lng pairs
        private readonly double _south, _north, _west, _east;
        private readonly bool _transmeridian;

        public PlanarLoop(double[] v)
        {
            _v = v;
            int n = v.Length / 2;
            double s = double.MaxValue, w = double.MaxValue, no = -double.MaxValue, e = -double.MaxValue;
            double minPos = double.MaxValue, maxNeg = -double.MaxValue;
            bool tm = false;
            for (int i = 0; i < n; i++)
            {
                double lat = v[2 * i], lng = v[2 * i + 1];
                double nextLng = v[(2 * i + 3) % v.Length];
                if (lat < s) s = lat;
                if (lng < w) w = lng;
                if (lat > no) no = lat;
                if (lng > e) e = lng;
                if (lng > 0 && lng < minPos) minPos = lng;
                if (lng < 0 && lng > maxNeg) maxNeg = lng;
                if (Math.Abs(lng - nextLng) > Math.PI) tm = true;
            }
            if (tm)
            {
                e = maxNeg;
                w = minPos;
            }
            _south = s;
            _north = no;
            _west = w;
            _east = e;
            _transmeridian = _east < _west;
        }

        private const double DblEpsilon = 2.220446049250313e-16; // C DBL_EPSILON

        private double Norm(double lng) => _transmeridian && lng < 0 ? lng + 6.283185307179586 : lng;

        /// <summary>True if the point is within <paramref name="margin"/> rad (lng scaled by latitude) of the bounding box.</summary>
        public bool NearBox(double lat, double lng, double margin)
        {
            if (lat < _south - margin || lat > _north + margin) return false;
            double maxAbsLat = Math.Max(Math.Abs(_south), Math.Abs(_north)) + margin;
            if (maxAbsLat >= Math.PI / 2 - 1e-6) return true; // near a pole every longitude is close
            double lngMargin = margin / Math.Cos(maxAbsLat);
            double west = _west - lngMargin, east = (_transmeridian ? _east + 6.283185307179586 : _east) + lngMargin;
            if (east - west >= 6.283185307179586) return true;
            // Compare on the circle: shift lng into [west, west + 2π).
            double x = lng;
            while (x < west) x += 6.283185307179586;
            while (x >= west + 6.283185307179586) x -= 6.283185307179586;
            return x <= east;
        }

        public bool Contains(double lat, double lng)
        {
            // Bounding box first (as H3 does).
            if (!(lat >= _south && lat <= _north &&
                  (_transmeridian ? lng >= _west || lng <= _east : lng >= _west && lng <= _east)))
                return false;

            lng = Norm(lng);
            bool contains = false;
            int n = _v.Length / 2;
            for (int i = 0; i < n; i++)
            {
                int j = i + 1 == n ? 0 : i + 1;
                double aLat = _v[2 * i], aLngRaw = _v[2 * i + 1];
                double bLat = _v[2 * j], bLngRaw = _v[2 * j + 1];
                if (aLat > bLat)
                {
                    (aLat, bLat) = (bLat, aLat);
                    (aLngRaw, bLngRaw) = (bLngRaw, aLngRaw);
                }
                // Nudge off a vertex latitude so the ray does not count it twice.
                if (lat == aLat || lat == bLat) lat += DblEpsilon;
                if (lat < aLat || lat > bLat) continue;

                double aLng = Norm(aLngRaw), bLng = Norm(bLngRaw);
                if (aLng == lng || bLng == lng) lng -= DblEpsilon; // tie: bias westwards
                double ratio = (lat - aLat) / (bLat - aLat);
                double testLng = Norm(aLng + (bLng - aLng) * ratio);
                if (testLng > lng) contains = !contains;
            }
            return contains;
        }
    }
}
