using System.Numerics;
using System.Buffers;

namespace Alternance.Grains;

/// <summary>
/// One source's items in one cell, in a form built for radius search: for every ROME code, the items that
/// carry it sorted by latitude, with positions (unit vectors) and filter attributes in flat arrays. A search
/// binary-searches the latitude band of the circle in each posting list, rejects by squared chord, then computes exact
/// distances for what is left.
/// Immutable: updates build a new index and swap it in, so searches run concurrently on any thread.
/// </summary>
internal sealed class SourceIndex
{
    private const double BandPadRadians = 1e-9;

    private readonly SearchItem[] _items;
    private readonly sbyte[] _level;
    private readonly bool[] _multiPublished;
    private readonly string?[] _opco;
    private readonly string?[] _opcoUrl;
    private readonly string?[] _postalCode;
    /// <summary>Each item's <see cref="OfferDates.ExpiresAt"/>: an offer leaves searches once the query's instant reaches it.</summary>
    private readonly long[] _expiresAt;
    /// <summary>The smallest of <see cref="_expiresAt"/>: a search made before it reads none of them (trainings, companies,
    /// national offers never expire, and a per-candidate read of a big array is a cache miss).</summary>
    private readonly long _earliestExpiry = OfferDates.Never;
    private readonly bool[] _disabledElligible;
    /// <summary>Posted offers' <c>partner_label</c> (<see cref="MatchaItem.PartnerLabel"/>); null for other sources.</summary>
    private readonly string?[] _partnerLabel;
    /// <summary>Posting lists by code id (the code's position in <see cref="_romes"/>).</summary>
    private readonly Posting[] _postings;
    private readonly string[] _romes;
    private readonly Posting _all;
    /// <summary>
    /// Look-ups by id: an open-addressing table of item indexes + 1 (0: empty), slotted by the id's
    /// <see cref="Fingerprint"/> (already kept in <see cref="_hitFields"/>), at most two thirds full: 6–12 bytes an item
    /// where a dictionary took about 40. A binary search over the ids in order (4 bytes an item) read an id string at every
    /// step, ~40 cache misses a look-up in a cell of a million items, when a front fetches the hundreds of items it has
    /// not rendered yet.
    /// </summary>
    private readonly int[] _byKey;
    /// <summary>Each item's group (<see cref="ListingGroup.KeyOf"/>) for sources whose limit counts groups; empty for the others.</summary>
    private readonly Fingerprint[] _group;
    /// <summary>
    /// What a hit carries of each item (its id, version and id's <see cref="Fingerprint"/>), side by side: one cache line
    /// per hit. Read through the item record and a separate key array, a hit cost three cache misses in a big cell, the
    /// part of a search that grew with the data.
    /// </summary>
    private readonly HitFields[] _hitFields;
    /// <summary>Sources whose limit keeps whole groups: the item indexes of each group, contiguous (group g's are
    /// <c>_groupMembers[_groupStart[g].._groupStart[g + 1]]</c>), each item's group number (kept by every source whose
    /// limit counts groups: a search keeps the groups it has taken as numbers), and each item's id rank.</summary>
    private readonly int[] _groupMembers = [], _groupStart = [], _groupOf = [], _idRank = [];
    private string[]? _listingKeys;
    private NewestOrder? _newest;
    private readonly long _cell;
    private readonly SharedStrings? _strings;

    public Source Source { get; }

    public int Count => _items.Length;

    public IReadOnlyList<SearchItem> Items => _items;

    /// <summary>The items at the west and east ends of every strip of every posting list (<see cref="Posting"/>): what a
    /// circle reading only the strips it reaches is likeliest to miss, were its longitudes short by a hair.</summary>
    internal IEnumerable<SearchItem> StripEnds()
    {
        foreach (Posting posting in _postings.Append(_all))
        {
            // A list of one strip has no ends inside the cell's items to test (it is read whole).
            for (int s = 0; s < posting.WestmostItem.Length; s++)
            {
                if (posting.StripStart[s] == posting.StripStart[s + 1]) continue;
                yield return _items[posting.WestmostItem[s]];
                yield return _items[posting.EastmostItem[s]];
            }
        }
    }

    public static SourceIndex Empty(Source source, long cell, SharedStrings? strings = null) => new(source, [], cell, strings);

    /// <param name="cell">The cell this index belongs to, named in every hit.</param>
    /// <param name="strings">When given, the index keeps each item with the silo's shared instances of its repeated values
    /// (<see cref="SearchItem.WithSharedStrings"/>), so items read back from storage do not each hold their own copies.</param>
    public SourceIndex(Source source, IEnumerable<SearchItem> items, long cell, SharedStrings? strings = null)
        : this(source, cell, strings, Shared(source, items, strings))
    {
    }

    /// <param name="items">The items, already with <paramref name="strings"/>' instances (an index's own items are).</param>
    private SourceIndex(Source source, long cell, SharedStrings? strings, List<SearchItem> items)
    {
        Source = source;
        _cell = cell;
        _strings = strings;
        // The items as given (allocated in that order: the build reads them in it) and their places in space order.
        (SearchItem[] given, int[] idOrder) = InIdOrder(items);
        (_items, int[] at) = InSpaceOrder(given, idOrder);
        int n = _items.Length;
        // Unit vectors, only to fill the postings (which keep their own copies in scan order).
        var points = new GreatCircle.Point[n];
        _level = new sbyte[n];
        _multiPublished = new bool[n];
        _opco = new string?[n];
        _opcoUrl = new string?[n];
        _postalCode = new string?[n];
        _expiresAt = new long[n];
        _disabledElligible = new bool[n];
        _partnerLabel = new string?[n];
        // Searchable: every item but canceled posted offers (kept for look-ups by id).
        var searchable = new bool[n];
        int searchableCount = 0;
        var romeCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int j = 0; j < n; j++)
        {
            int i = at[j];
            SearchItem item = given[j];
            points[i] = GreatCircle.Point.At(item.Latitude, item.Longitude);
            FillAttributes(i, item);
            _earliestExpiry = Math.Min(_earliestExpiry, _expiresAt[i]);
            searchable[i] = item is not MatchaItem { IsActive: false };
            if (!searchable[i]) continue;
            searchableCount++;
            string[] romes = item.RomeCodes;
            for (int r = 0; r < romes.Length; r++)
            {
                if (IndexOf(romes, romes[r], r) >= 0) continue; // a code listed twice is indexed once
                romeCounts[romes[r]] = romeCounts.GetValueOrDefault(romes[r]) + 1;
            }
        }

        _romes = new string[romeCounts.Count];
        romeCounts.Keys.CopyTo(_romes, 0);
        Array.Sort(_romes, StringComparer.Ordinal);
        var romeId = new Dictionary<string, int>(_romes.Length, StringComparer.Ordinal);
        var postings = _postings = new Posting[_romes.Length];
        var fill = new int[_romes.Length];
        for (int r = 0; r < _romes.Length; r++)
        {
            romeId[_romes[r]] = r;
            postings[r] = new Posting(romeCounts[_romes[r]]);
        }
        for (int j = 0; j < n; j++)
        {
            int i = at[j];
            if (!searchable[i]) continue;
            string[] romes = given[j].RomeCodes;
            for (int r = 0; r < romes.Length; r++)
            {
                if (IndexOf(romes, romes[r], r) >= 0) continue;
                int id = romeId[romes[r]];
                postings[id].Index[fill[id]++] = i;
            }
        }

        // Each item's place in the ordinal order of ids: ties in distance are broken without reading the items (two
        // cache misses per comparison, and sessions of a training centre share one point).
        var idRank = new int[n];
        for (int r = 0; r < n; r++) idRank[idOrder[r]] = r;

        foreach (Posting p in postings)
        {
            p.SortByLatitude(points, idRank, this);
        }
        var all = new Posting(searchableCount);
        for (int i = 0, k = 0; i < n; i++)
        {
            if (searchable[i]) all.Index[k++] = i;
        }
        all.SortByLatitude(points, idRank, this);
        _all = all;

        _hitFields = new HitFields[n];
        for (int j = 0; j < n; j++) _hitFields[at[j]] = new HitFields(given[j].Id, given[j].Version, Fingerprint.Of(given[j].Id));
        _byKey = KeyTable(_hitFields);
        if (Ranking.GroupRuleOf(source) == GroupRule.Item)
        {
            _group = [];
        }
        else
        {
            _group = new Fingerprint[n];
            for (int j = 0; j < n; j++) _group[at[j]] = ListingGroup.KeyOf(given[j]);
        }
        if (_group.Length > 0)
        {
            (_groupOf, int groups) = GroupNumbers(_group);
            if (Ranking.GroupRuleOf(source) == GroupRule.WholeGroup)
            {
                (_groupMembers, _groupStart) = GroupMembers(_groupOf, groups);
                _idRank = idRank;
            }
        }
    }

    /// <summary>Numbers the distinct groups, in order of first appearance: each item's group number, and how many.</summary>
    private static (int[] GroupOf, int Groups) GroupNumbers(Fingerprint[] group)
    {
        var numbers = new Dictionary<Fingerprint, int>();
        var groupOf = new int[group.Length];
        for (int i = 0; i < group.Length; i++)
        {
            if (!numbers.TryGetValue(group[i], out int g)) numbers.Add(group[i], g = numbers.Count);
            groupOf[i] = g;
        }
        return (groupOf, numbers.Count);
    }

    /// <summary>Lists each group's items, contiguous (counting sort by group number).</summary>
    private static (int[] Members, int[] Start) GroupMembers(int[] groupOf, int groups)
    {
        int n = groupOf.Length;
        var start = new int[groups + 1];
        for (int i = 0; i < n; i++) start[groupOf[i] + 1]++;
        for (int g = 0; g < groups; g++) start[g + 1] += start[g];
        var members = new int[n];
        var fill = (int[])start.Clone();
        for (int i = 0; i < n; i++) members[fill[groupOf[i]]++] = i;
        return (members, start);
    }

    private static int IndexOf(string[] values, string value, int before)
    {
        for (int i = 0; i < before; i++)
        {
            if (string.Equals(values[i], value, StringComparison.Ordinal)) return i;
        }
        return -1;
    }

    private void FillAttributes(int i, SearchItem item)
    {
        _multiPublished[i] = true;
        _expiresAt[i] = OfferDates.ExpiresAt(item);
        switch (item)
        {
            case FormationItem f:
                _level[i] = (sbyte)f.DiplomaLevel;
                _postalCode[i] = f.CodePostal;
                break;
            case PeJobItem p:
                _level[i] = DiplomaRules.PeJobLevel(p.NiveauFormation);
                _opco[i] = OpcoKeys.ToKey(p.Opco);
                _opcoUrl[i] = p.OpcoUrl?.ToLowerInvariant();
                _postalCode[i] = p.CodePostal;
                break;
            case MatchaItem m:
                _level[i] = DiplomaRules.MatchaLevel(m.JobLevelLabel);
                _multiPublished[i] = m.IsMultiPublished;
                _disabledElligible[i] = m.IsDisabledElligible;
                _partnerLabel[i] = m.PartnerLabel;
                _postalCode[i] = m.Recruiter.ZipCode;
                _opco[i] = OpcoKeys.ToKey(m.Recruiter.Opco);
                _opcoUrl[i] = m.Recruiter.OpcoUrl?.ToLowerInvariant();
                break;
            case CompanyItem c:
                _opco[i] = OpcoKeys.ToKey(c.OpcoShortName ?? c.Opco);
                _opcoUrl[i] = c.OpcoUrl?.ToLowerInvariant();
                _postalCode[i] = c.ZipCode;
                break;
        }
    }

    public SearchItem? Get(string id)
    {
        Fingerprint key = Fingerprint.Of(id);
        int mask = _byKey.Length - 1;
        for (int slot = (int)key.Low & mask; ; slot = (slot + 1) & mask)
        {
            int at = _byKey[slot] - 1;
            if (at < 0) return null;
            ref readonly HitFields fields = ref _hitFields[at];
            if (fields.Key == key && string.Equals(fields.Id, id, StringComparison.Ordinal)) return _items[at];
        }
    }

    /// <summary>The table <see cref="Get"/> probes (linear probing; a power of two at least 1.5× the items, never full).</summary>
    private static int[] KeyTable(HitFields[] fields)
    {
        var table = new int[(int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(4, fields.Length + fields.Length / 2))];
        int mask = table.Length - 1;
        for (int i = 0; i < fields.Length; i++)
        {
            int slot = (int)fields[i].Key.Low & mask;
            while (table[slot] != 0) slot = (slot + 1) & mask;
            table[slot] = i + 1;
        }
        return table;
    }

    private static List<SearchItem> Shared(Source source, IEnumerable<SearchItem> items, SharedStrings? strings)
    {
        var list = new List<SearchItem>();
        foreach (SearchItem given in items)
        {
            if (given.Source != source)
            {
                throw new ArgumentException($"A {given.Source} item cannot go into the {source} index.", nameof(items));
            }
            list.Add(strings is null ? given : given.WithSharedStrings(strings));
        }
        return list;
    }

    /// <summary>
    /// The items without repeated ids, and their indexes in id order. When an id repeats the last one wins, as an upsert
    /// would, in the place of the first.
    /// </summary>
    private static (SearchItem[] Items, int[] IdOrder) InIdOrder(List<SearchItem> list)
    {
        int m = list.Count;
        var ids = new string[m];
        var order = new int[m];
        for (int i = 0; i < m; i++)
        {
            ids[i] = list[i].Id;
            order[i] = i;
        }
        Array.Sort(ids, order, StringComparer.Ordinal);
        // Runs of one id: the last given replaces the first, the others go.
        bool[]? dropped = null;
        int distinct = m;
        for (int start = 0; start < m;)
        {
            int end = start + 1, first = order[start], last = order[start];
            while (end < m && string.Equals(ids[end], ids[start], StringComparison.Ordinal))
            {
                first = Math.Min(first, order[end]);
                last = Math.Max(last, order[end]);
                end++;
            }
            if (end - start > 1)
            {
                dropped ??= new bool[m];
                for (int k = start; k < end; k++) dropped[order[k]] = true;
                dropped[first] = false;
                list[first] = list[last];
                distinct -= end - start - 1;
            }
            start = end;
        }
        if (dropped is null) return ([.. list], order);
        var items = new SearchItem[distinct];
        var position = new int[m];
        for (int i = 0, k = 0; i < m; i++)
        {
            if (dropped[i]) continue;
            position[i] = k;
            items[k++] = list[i];
        }
        var idOrder = new int[distinct];
        for (int r = 0, k = 0; r < m; r++)
        {
            if (!dropped[order[r]]) idOrder[k++] = position[order[r]];
        }
        return (items, idOrder);
    }

    /// <summary>
    /// The items along a Hilbert curve over the cell's box (ties by id): a circle's candidates then sit close together in
    /// every per-item array a search reads (filters, hit fields, groups). In the order given (a feed's) they were spread
    /// over the whole cell, a cache miss each, and a cell of a million items made every candidate cost more than one of a
    /// hundred thousand.
    /// </summary>
    /// <returns>The items in that order, and where each given item went; <paramref name="idOrder"/> is renumbered to it.</returns>
    private static (SearchItem[] Items, int[] At) InSpaceOrder(SearchItem[] given, int[] idOrder)
    {
        int n = given.Length;
        var latitude = new double[n];
        var longitude = new double[n];
        double south = double.PositiveInfinity, north = double.NegativeInfinity, west = double.PositiveInfinity, east = double.NegativeInfinity;
        for (int j = 0; j < n; j++)
        {
            double lat = latitude[j] = given[j].Latitude, lon = longitude[j] = given[j].Longitude;
            south = Math.Min(south, lat);
            north = Math.Max(north, lat);
            west = Math.Min(west, lon);
            east = Math.Max(east, lon);
        }
        double xScale = east > west ? 65535 / (east - west) : 0, yScale = north > south ? 65535 / (north - south) : 0;
        var keys = new ulong[n];
        var order = new int[n];
        for (int r = 0; r < n; r++)
        {
            int j = idOrder[r];
            uint x = (uint)Math.Clamp((longitude[j] - west) * xScale, 0, 65535);
            uint y = (uint)Math.Clamp((latitude[j] - south) * yScale, 0, 65535);
            keys[r] = (ulong)HilbertIndex(x, y) << 32 | (uint)r;
            order[r] = j;
        }
        Array.Sort(keys, order);
        var placed = new SearchItem[n];
        var at = new int[n];
        for (int k = 0; k < n; k++)
        {
            placed[k] = given[order[k]];
            at[order[k]] = k;
        }
        for (int r = 0; r < n; r++) idOrder[r] = at[idOrder[r]];
        return (placed, at);
    }

    /// <summary>A point's distance along the Hilbert curve filling a 65,536 × 65,536 grid.</summary>
    private static uint HilbertIndex(uint x, uint y)
    {
        uint d = 0;
        for (uint s = 1u << 15; s > 0; s >>= 1)
        {
            uint rx = (x & s) != 0 ? 1u : 0u;
            uint ry = (y & s) != 0 ? 1u : 0u;
            d += s * s * ((3 * rx) ^ ry);
            // Turn the quadrant so that the curve inside it runs the same way as the whole.
            if (ry == 0)
            {
                if (rx == 1)
                {
                    x = 65535 - x;
                    y = 65535 - y;
                }
                (x, y) = (y, x);
            }
        }
        return d;
    }

    /// <summary>A new index with these items added or replaced and these ids removed.</summary>
    public SourceIndex With(IReadOnlyCollection<SearchItem> upserts, IReadOnlyCollection<string> removals)
    {
        var replaced = new HashSet<string>(StringComparer.Ordinal);
        foreach (SearchItem item in upserts) replaced.Add(item.Id);
        foreach (string id in removals) replaced.Add(id);
        var next = new List<SearchItem>(_items.Length + upserts.Count);
        foreach (SearchItem item in _items)
        {
            if (!replaced.Contains(item.Id)) next.Add(item);
        }
        // Only the new items go through the shared values: this index's own already hold them (an upsert into a cell
        // of a million items would otherwise look up every field of every item again).
        next.AddRange(Shared(Source, upserts, _strings));
        return new SourceIndex(Source, _cell, _strings, next);
    }

    /// <summary>Runs one query; returns this index's first <see cref="SourceQuery.Limit"/> groups, ranked.</summary>
    public Hit[] Search(SourceQuery query)
    {
        if (_items.Length == 0 || query.Limit <= 0)
        {
            return [];
        }
        var candidates = new CandidateBuffer();
        try
        {
            var postings = new PostingSelection(this, query);
            // The v3 order ranks candidates by their place newest first (then id) instead of by id alone.
            int[]? ranks = query.NewestFirst ? Newest.Rank : null;
            if (query.Area == SearchArea.Radius)
            {
                return Ranking.GroupRuleOf(Source) == GroupRule.WholeGroup
                    ? SearchWholeGroupsNearestFirst(query, postings, ranks, ref candidates)
                    : SearchNearestFirst(query, postings, ranks, ref candidates);
            }
            Collect(query, postings, query.RadiusKm, ranks, ref candidates);
            return candidates.Count == 0 ? [] : Select(query, candidates.Span);
        }
        finally
        {
            candidates.Dispose();
        }
    }

    /// <summary>
    /// A dense cell holds thousands of matching items within the radius, and a query keeps 150–500 of them. Rather
    /// than measure every distance, search a smaller circle sized from the density of the latitude band, and widen
    /// it (×2 radius) until it holds the limit: the nearest groups inside a circle are the nearest overall, because
    /// everything outside it is farther. Posted offers keep whole recruiters: <see cref="SearchWholeGroupsNearestFirst"/>.
    /// </summary>
    private Hit[] SearchNearestFirst(SourceQuery query, PostingSelection postings, int[]? ranks, ref CandidateBuffer candidates)
    {
        double radius = FirstRadius(query, postings);
        while (true)
        {
            candidates.Count = 0;
            bool whole = radius >= query.RadiusKm;
            Collect(query, postings, whole ? query.RadiusKm : radius, ranks, ref candidates);
            if (whole)
            {
                return candidates.Count == 0 ? [] : Select(query, candidates.Span);
            }
            int found = candidates.Count;
            if (found >= query.Limit)
            {
                // One hit per group (trainings keep their nearest session; other sources are one item each).
                Hit[] hits = Select(query, candidates.Span);
                if (hits.Length == query.Limit) return hits;
                found = hits.Length;
            }
            radius = Widen(radius, found, query.Limit);
        }
    }

    /// <summary>
    /// The next circle after one that held <paramref name="found"/> of the <paramref name="limit"/> groups wanted: the
    /// groups grow with the area, so the density seen so far says how far the limit lies; at least twice as far, with a
    /// margin (each widening scans the larger circle again, so falling short costs more than overshooting a little).
    /// </summary>
    private static double Widen(double radius, int found, int limit) =>
        radius * Math.Max(2, Math.Sqrt(2.0 * limit / Math.Max(found, 1)));

    /// <summary>
    /// <see cref="SearchNearestFirst"/> for sources whose limit keeps every matching item of a group (posted offers: a
    /// recruiter's jobs). A group ranks by its nearest item, so once a smaller circle holds <c>limit</c> groups those are
    /// the groups of the answer; their items beyond that circle and within the radius are then read from the group's
    /// own list (<see cref="_groupMembers"/>) rather than by scanning the whole circle.
    /// </summary>
    private Hit[] SearchWholeGroupsNearestFirst(SourceQuery query, PostingSelection postings, int[]? ranks, ref CandidateBuffer candidates)
    {
        double radius = FirstRadius(query, postings);
        while (true)
        {
            candidates.Count = 0;
            if (radius >= query.RadiusKm)
            {
                Collect(query, postings, query.RadiusKm, ranks, ref candidates);
                if (candidates.Count == 0) return [];
                // The whole circle: its first `limit` recruiters are found among its nearest jobs as in a smaller circle
                // (with nothing beyond it to add); one that holds fewer recruiters is ranked whole.
                return (candidates.Count >= query.Limit ? CompleteGroups(query, query.RadiusKm, ranks, ref candidates, out _) : null)
                    ?? Select(query, candidates.Span);
            }
            Collect(query, postings, radius, ranks, ref candidates);
            int found = candidates.Count;
            if (found >= query.Limit && CompleteGroups(query, radius, ranks, ref candidates, out found) is { } hits)
            {
                return hits;
            }
            radius = Widen(radius, found, query.Limit);
        }
    }

    /// <summary>
    /// From the candidates of a circle of <paramref name="radius"/>: the items within the query's radius of the first
    /// <c>limit</c> groups, ranked; null when the circle holds fewer groups.
    /// </summary>
    private Hit[]? CompleteGroups(SourceQuery query, double radius, int[]? ranks, ref CandidateBuffer candidates, out int groups)
    {
        var order = new ByDistance();
        Span<Candidate> ranked = candidates.Span;
        var chosen = new GroupSet(query.Limit);
        try
        {
            // The first groups are those of the nearest candidates: rank a few times the limit (selected, then sorted),
            // more while they hold fewer groups, rather than sort the whole circle.
            int sorted = Math.Min(ranked.Length, 2 * query.Limit);
            while (true)
            {
                Span<Candidate> top = sorted < ranked.Length ? CandidateRanking.SelectSmallest(ranked, sorted, order) : ranked;
                CandidateRanking.Sort(top, order);
                chosen.Clear();
                for (int k = 0; k < top.Length && chosen.Count < query.Limit; k++) chosen.Add(_groupOf[top[k].Index]);
                if (chosen.Count == query.Limit || sorted == ranked.Length) break;
                sorted = Math.Min(ranked.Length, 2 * sorted);
            }
            groups = chosen.Count;
            if (groups < query.Limit) return null;

            int inside = candidates.Count;
            var circle = new Circle(query.Latitude, query.Longitude, query.RadiusKm);
            // Within the whole circle every matching job of a group is a candidate already.
            ReadOnlySpan<int> beyond = radius < query.RadiusKm ? chosen.Members : [];
            foreach (int g in beyond)
            {
                for (int m = _groupStart[g]; m < _groupStart[g + 1]; m++)
                {
                    int i = _groupMembers[m];
                    SearchItem item = _items[i];
                    double chordSquared = GreatCircle.ChordSquared(circle.Center, GreatCircle.Point.At(item.Latitude, item.Longitude));
                    if (chordSquared > circle.ChordSquaredBound) continue;
                    double d = GreatCircle.DistanceKm(chordSquared);
                    // Within the smaller circle, the item was a candidate if it matched.
                    if (d > query.RadiusKm || d <= radius) continue;
                    if (item is MatchaItem { IsActive: false } || !Carries(item, query) || !Accepts(i, query)) continue;
                    candidates.Add(i, ranks is null ? _idRank[i] : ranks[i], d);
                }
            }
            ranked = candidates.Span;
            int kept = 0, keptSorted = 0;
            for (int k = 0; k < ranked.Length; k++)
            {
                if (k >= inside || chosen.Contains(_groupOf[ranked[k].Index]))
                {
                    ranked[kept++] = ranked[k];
                    if (k < sorted) keptSorted++;
                }
            }
            ranked = ranked[..kept];
            // The candidates kept from the sorted ones are still in order; the others kept from the smaller circle come
            // after all of those (the selection put them behind), and every item added from a group lies beyond that
            // circle: only those two need sorting.
            CandidateRanking.Sort(ranked[keptSorted..], order);
            string[]? listingKeys = query.NewestFirst ? Newest.Keys : null;
            var hits = new Hit[kept];
            int count = 0;
            for (int k = 0; k < kept; k++)
            {
                if (!IsCopy(ranked, k)) hits[count++] = HitOf(ranked[k], listingKeys);
            }
            // An item read from two of the searched lists is a copy: rare, so the exact array is the common case.
            if (count < kept) Array.Resize(ref hits, count);
            return hits;
        }
        finally
        {
            chosen.Dispose();
        }
    }

    /// <summary>Whether an item carries a code the query searches (as <see cref="PostingSelection"/> selects lists).</summary>
    private static bool Carries(SearchItem item, SourceQuery query)
    {
        string[] romes = item.RomeCodes;
        if (query.Romes.Length > 0)
        {
            foreach (string code in romes)
            {
                if (Array.IndexOf(query.Romes, code) >= 0) return true;
            }
            return false;
        }
        if (!string.IsNullOrEmpty(query.RomeDomain))
        {
            foreach (string code in romes)
            {
                if (code.StartsWith(query.RomeDomain, StringComparison.Ordinal)) return true;
            }
            return false;
        }
        return true;
    }

    /// <summary>Searches start with the whole circle unless its latitude band holds more than this many postings.</summary>
    private const int NearestFirstMinBand = 512;
    /// <summary>The first circle is the smallest (by halving) whose band holds this many times the limit.</summary>
    private const int NearestFirstBandPerHit = 2;
    private const double NearestFirstMinKm = 0.25;

    /// <summary>
    /// The first circle to search: halve the radius while its band, in the strips it reaches, still holds a few times the
    /// limit. That counts the box around the circle (and the strips' overlap), so it over-counts the circle; a short
    /// circle widens once more.
    /// </summary>
    private double FirstRadius(SourceQuery query, PostingSelection postings)
    {
        // A group of posted offers is a recruiter's few jobs: its limit needs a few times more items.
        int perHit = Ranking.GroupRuleOf(Source) == GroupRule.WholeGroup ? 4 * NearestFirstBandPerHit : NearestFirstBandPerHit;
        int wanted = Math.Max(NearestFirstMinBand, perHit * query.Limit);
        if (BandCount(query, postings, query.RadiusKm) <= wanted) return query.RadiusKm;
        double radius = query.RadiusKm;
        while (radius / 2 >= NearestFirstMinKm && BandCount(query, postings, radius / 2) > wanted)
        {
            radius /= 2;
        }
        return radius;
    }

    /// <summary>How many postings the band of a circle holds in the strips it reaches: its scan.</summary>
    private int BandCount(SourceQuery query, PostingSelection postings, double radiusKm)
    {
        // The band alone: a full circle (centre vector, chord bound) is not needed to count.
        var band = new Band(query.Latitude, query.Longitude, radiusKm);
        if (!band.Bounded) return _items.Length;
        int total = 0;
        for (int k = 0; k < postings.Count; k++)
        {
            total += postings.At(k).BandCount(band);
        }
        return total;
    }

    /// <param name="ranks">Each item's rank in the query's tie order (<see cref="NewestOrder.Rank"/>), or null for the
    /// id ranks the postings carry.</param>
    private void Collect(SourceQuery query, PostingSelection postings, double radiusKm, int[]? ranks, ref CandidateBuffer candidates)
    {
        var circle = query.Area == SearchArea.Radius ? new Circle(query.Latitude, query.Longitude, radiusKm) : default;
        // An item filed under several of the searched codes is taken from each of their lists: the copies are equal in
        // every order (same distance or key, same rank), so they sit side by side once ranked and are skipped there. A
        // bit per item of the cell to drop them here cost a clear of the whole cell's bits per search (128 KB for a
        // cell of a million items), which grew with the data rather than with the answer.
        for (int k = 0; k < postings.Count; k++)
        {
            Scan(postings.At(k), query, in circle, ranks, ref candidates);
        }
    }

    /// <summary>
    /// The posting lists a query reads, resolved once per search: the searched codes this index has (in the query's
    /// order), a domain's codes (contiguous in the sorted codes), or every searchable item.
    /// </summary>
    private readonly struct PostingSelection
    {
        private readonly SourceIndex _index;
        // Searched codes: their ids, -1 when absent here. A domain: ids [_from, _from + Count). Neither: all items.
        private readonly int[]? _searched;
        private readonly int _from;
        private readonly bool _all;

        public readonly int Count;

        public PostingSelection(SourceIndex index, SourceQuery query)
        {
            _index = index;
            if (query.Romes.Length > 0)
            {
                _searched = new int[query.Romes.Length];
                for (int r = 0; r < _searched.Length; r++)
                {
                    // Ordinal comparisons inline: the generic BinarySearch went through an IComparer per step.
                    int id = LowerBound(index._romes, query.Romes[r]);
                    _searched[r] = id < index._romes.Length && string.Equals(index._romes[id], query.Romes[r], StringComparison.Ordinal) ? id : -1;
                }
                Count = _searched.Length;
            }
            else if (!string.IsNullOrEmpty(query.RomeDomain))
            {
                _from = LowerBound(index._romes, query.RomeDomain);
                int to = _from;
                while (to < index._romes.Length && index._romes[to].StartsWith(query.RomeDomain, StringComparison.Ordinal)) to++;
                Count = to - _from;
            }
            else
            {
                _all = true;
                Count = 1;
            }
        }

        public Posting At(int k) =>
            _all ? _index._all
            : _searched is null ? _index._postings[_from + k]
            : _searched[k] >= 0 ? _index._postings[_searched[k]] : Posting.Empty;
    }

    private static int LowerBound(string[] sorted, string value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (string.CompareOrdinal(sorted[mid], value) < 0) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private void Scan(Posting posting, SourceQuery query, in Circle circle, int[]? ranks, ref CandidateBuffer candidates)
    {
        int[] index = posting.Index;
        int[] rank = posting.Rank;
        if (query.Area != SearchArea.Radius)
        {
            candidates.EnsureRoom(index.Length);
            for (int k = 0; k < index.Length; k++)
            {
                int i = index[k];
                if (Accepts(posting, k, i, query)) candidates.Add(i, ranks is null ? rank[k] : ranks[i], double.NaN);
            }
            return;
        }
        int[] stripStart = posting.StripStart;
        for (int s = 0; s + 1 < stripStart.Length; s++)
        {
            int from = stripStart[s], to = stripStart[s + 1];
            if (circle.Band.Bounded)
            {
                if (!posting.Reaches(s, circle.Band)) continue;
                from = posting.FirstAtOrAbove(circle.Band.ZMin, from, to);
                to = posting.FirstAbove(circle.Band.ZMax, from, to);
            }
            ScanStretch(posting, query, circle, ranks, ref candidates, from, to);
        }
    }

    private void ScanStretch(Posting posting, SourceQuery query, in Circle circle, int[]? ranks, ref CandidateBuffer candidates, int from, int to)
    {
        int[] index = posting.Index;
        int[] rank = posting.Rank;
        candidates.EnsureRoom(to - from);
        // Positions are read in posting order (sequential); the item's filter attributes only for items inside.
        double[] x = posting.X, y = posting.Y, z = posting.Z;
        for (int k = from; k < to; k++)
        {
            // The squared chord rejects most of the band with a few multiplications; the distance decides the rest.
            double chordSquared = GreatCircle.ChordSquared(circle.Center, x[k], y[k], z[k]);
            if (chordSquared > circle.ChordSquaredBound)
            {
                continue;
            }
            double d = GreatCircle.DistanceKm(chordSquared);
            if (d > circle.RadiusKm)
            {
                continue;
            }
            int i = index[k];
            if (Accepts(posting, k, i, query))
            {
                candidates.Add(i, ranks is null ? rank[k] : ranks[i], d);
            }
        }
    }

    private bool Accepts(int i, SourceQuery query)
    {
        if (query.AsOf >= _earliestExpiry && _expiresAt[i] <= query.AsOf) return false;
        if (query.DisabledElligibleOnly && !_disabledElligible[i]) return false;
        if (query.MultiPublishedOnly && !_multiPublished[i]) return false;
        if (query.DiplomaLevel != 0 && !DiplomaRules.Matches(Source, _level[i], query.DiplomaLevel)) return false;
        return AcceptsByRarerFilters(i, query);
    }

    /// <summary><see cref="Accepts(int, SourceQuery)"/> for entry <paramref name="k"/> of a posting list: the frequent
    /// filters read the list's own copies, in scan order.</summary>
    private bool Accepts(Posting posting, int k, int i, SourceQuery query)
    {
        if (query.AsOf >= _earliestExpiry && posting.ExpiresAt.Length > 0 && posting.ExpiresAt[k] <= query.AsOf) return false;
        if (query.DisabledElligibleOnly && (posting.Flags[k] & Posting.DisabledElligible) == 0) return false;
        if (query.MultiPublishedOnly && (posting.Flags[k] & Posting.MultiPublished) == 0) return false;
        if (query.DiplomaLevel != 0 && !DiplomaRules.Matches(Source, posting.Level[k], query.DiplomaLevel)) return false;
        return AcceptsByRarerFilters(i, query);
    }

    /// <summary>Filters a few requests use (partners left out, OPCO, départements), read from the item arrays.</summary>
    private bool AcceptsByRarerFilters(int i, SourceQuery query)
    {
        if (query.ExcludedPartners.Length > 0 && Array.IndexOf(query.ExcludedPartners, _partnerLabel[i]) >= 0) return false;
        if (query.Opco is not null && !string.Equals(_opco[i], query.Opco, StringComparison.Ordinal)) return false;
        if (query.OpcoUrl is not null && !string.Equals(_opcoUrl[i], query.OpcoUrl, StringComparison.Ordinal)) return false;
        if (query.PostalPrefixes.Length > 0)
        {
            string? postal = _postalCode[i];
            if (postal is null) return false;
            bool any = false;
            foreach (string prefix in query.PostalPrefixes)
            {
                if (postal.StartsWith(prefix, StringComparison.Ordinal)) { any = true; break; }
            }
            if (!any) return false;
        }
        return true;
    }

    private Hit[] Select(SourceQuery query, Span<Candidate> all)
    {
        string[]? newest = query.NewestFirst ? Newest.Keys : null;
        if (query.Area == SearchArea.Radius) return Select(query, all, new ByDistance(), listingKeys: newest);
        string[] keys = newest ?? ListingKeys;
        return Select(query, all, new ForListing(keys), keys);
    }

    /// <summary>Ranks the candidates in <typeparamref name="TOrder"/> (a struct: the comparison is inlined into the
    /// selection and the sort).</summary>
    private Hit[] Select<TOrder>(SourceQuery query, Span<Candidate> all, TOrder order, string[]? listingKeys) where TOrder : struct, IComparer<Candidate>
    {
        GroupRule rule = Ranking.GroupRuleOf(Source);
        // Trainings and companies rarely need more than `limit` candidates; posted offers keep every job of
        // a recruiter, so they are ranked whole.
        int take = rule == GroupRule.WholeGroup ? all.Length : Math.Min(all.Length, query.Limit);
        while (true)
        {
            Span<Candidate> top = take < all.Length ? CandidateRanking.SelectSmallest(all, take, order) : all;
            PrefetchHitFields(top);
            CandidateRanking.Sort(top, order);
            Hit[]? hits = Walk(top, rule, query.Limit, complete: take == all.Length, listingKeys);
            if (hits is not null)
            {
                return hits;
            }
            take = Math.Min(all.Length, take * 2);
        }
    }

    /// <summary>
    /// Asks for what the hits will read of their items (hit fields, group keys) before the sort, so that those loads,
    /// scattered over the cell's arrays, arrive while it runs instead of one cache miss after another as hits are made:
    /// the items matching one code are a small share of any stretch of a big cell.
    /// </summary>
    private void PrefetchHitFields(Span<Candidate> candidates)
    {
        bool groups = _group.Length > 0;
        foreach (ref readonly Candidate candidate in candidates)
        {
            CacheHints.Prefetch(ref _hitFields[candidate.Index]);
            if (groups)
            {
                CacheHints.Prefetch(ref _group[candidate.Index]);
                CacheHints.Prefetch(ref _groupOf[candidate.Index]);
            }
        }
    }

    /// <summary>Walks ranked candidates keeping the first <paramref name="limit"/> groups; null when more candidates are needed.</summary>
    private Hit[]? Walk(Span<Candidate> ranked, GroupRule rule, int limit, bool complete, string[]? listingKeys)
    {
        if (rule == GroupRule.Item)
        {
            var first = new Hit[Math.Min(ranked.Length, limit)];
            int taken = 0;
            for (int k = 0; k < ranked.Length && taken < first.Length; k++)
            {
                if (IsCopy(ranked, k)) continue;
                first[taken++] = HitOf(ranked[k], listingKeys);
            }
            if (taken == first.Length) return first;
            if (!complete) return null;
            Array.Resize(ref first, taken);
            return first;
        }
        // The positions of the candidates kept, then one exact array of their hits: hits gathered in a list grown to the
        // limit made a trainings search at scale 10 allocate three times what its answer holds, and a pooled array of
        // hits had to be cleared of its ids after each search.
        int[] kept = ArrayPool<int>.Shared.Rent(rule == GroupRule.WholeGroup ? ranked.Length : Math.Min(ranked.Length, limit));
        var groups = new GroupSet(Math.Min(ranked.Length, limit));
        try
        {
            int count = 0;
            bool full = false;
            for (int k = 0; k < ranked.Length; k++)
            {
                if (IsCopy(ranked, k)) continue;
                int group = _groupOf[ranked[k].Index];
                if (groups.Contains(group))
                {
                    if (rule == GroupRule.WholeGroup) kept[count++] = k;
                    continue;
                }
                if (groups.Count == limit)
                {
                    if (rule == GroupRule.WholeGroup) continue;
                    full = true;
                    break;
                }
                groups.Add(group);
                kept[count++] = k;
            }
            if (!full && !complete) return null;
            var hits = new Hit[count];
            for (int t = 0; t < count; t++) hits[t] = HitOf(ranked[kept[t]], listingKeys);
            return hits;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(kept);
            groups.Dispose();
        }
    }

    /// <summary>Whether a ranked candidate is the same item as the one before it (read from two of the searched lists).</summary>
    private static bool IsCopy(Span<Candidate> ranked, int k) => k > 0 && ranked[k].Index == ranked[k - 1].Index;

    private Hit HitOf(in Candidate candidate, string[]? listingKeys)
    {
        int i = candidate.Index;
        ref readonly HitFields fields = ref _hitFields[i];
        return new Hit(fields.Id, candidate.Distance, fields.Version, _cell, fields.Key,
            _group.Length == 0 ? default : _group[i], listingKeys?[i]);
    }

    private readonly record struct HitFields(string Id, long Version, Fingerprint Key);

    /// <summary>Listing sort keys (<see cref="Ranking.ListingKey"/>), built on the first listing query (radius searches never need them).</summary>
    private string[] ListingKeys
    {
        get
        {
            if (_listingKeys is { } built) return built;
            var keys = new string[_items.Length];
            for (int i = 0; i < keys.Length; i++) keys[i] = Ranking.ListingKey(_items[i]);
            return _listingKeys = keys;
        }
    }

    /// <summary>
    /// The v3 order's keys (<see cref="OfferDates.NewestKey"/>) and each item's rank by (key, id), built on the first query
    /// that asks for it: a candidate carries that rank instead of its id's, so ties sort newest first without reading items.
    /// </summary>
    private NewestOrder Newest
    {
        get
        {
            if (_newest is { } built) return built;
            var keys = new string[_items.Length];
            var order = new int[_items.Length];
            for (int i = 0; i < keys.Length; i++)
            {
                keys[i] = OfferDates.NewestKey(_items[i]);
                order[i] = i;
            }
            SearchItem[] items = _items;
            Array.Sort(order, (a, b) =>
            {
                int c = string.CompareOrdinal(keys[a], keys[b]);
                return c != 0 ? c : string.CompareOrdinal(items[a].Id, items[b].Id);
            });
            var rank = new int[order.Length];
            for (int r = 0; r < order.Length; r++) rank[order[r]] = r;
            return _newest = new NewestOrder(keys, rank);
        }
    }

    private sealed record NewestOrder(string[] Keys, int[] Rank);

    /// <summary>Listing order (<see cref="Ranking.CompareForListing"/>): the listing key, then id (as its rank).</summary>
    private readonly struct ForListing(string[] keys) : IComparer<Candidate>
    {
        public int Compare(Candidate a, Candidate b)
        {
            int t = string.CompareOrdinal(keys[a.Index], keys[b.Index]);
            return t != 0 ? t : a.Rank.CompareTo(b.Rank);
        }
    }

    private readonly struct Circle(double latitude, double longitude, double radiusKm)
    {
        public readonly GreatCircle.Point Center = GreatCircle.Point.At(latitude, longitude);
        public readonly double RadiusKm = radiusKm;
        public readonly double ChordSquaredBound = GreatCircle.ChordSquaredBound(radiusKm);
        public readonly Band Band = new(latitude, longitude, radiusKm);
    }

    /// <summary>
    /// What a circle spans: its latitudes, as z (the sine of latitude, which postings' strips are sorted by), and its
    /// longitudes (which strips are cut by), unless it holds a pole.
    /// </summary>
    private readonly struct Band
    {
        public readonly double ZMin, ZMax;
        /// <summary>False when the circle covers the sphere: no band, every entry.</summary>
        public readonly bool Bounded;
        /// <summary>The circle's west and east ends (radians, either may pass ±π), unless it reaches every longitude.</summary>
        private readonly double _west, _east;
        private readonly bool _everyLongitude;

        public Band(double latitude, double longitude, double radiusKm)
        {
            double rho = radiusKm / GreatCircle.EarthRadiusKm;
            Bounded = rho < Math.PI;
            double phi = latitude * GreatCircle.DegToRad;
            double phiMin = phi - rho - BandPadRadians, phiMax = phi + rho + BandPadRadians;
            // Past a pole the band reaches the end of the sphere; the padding in z covers the sine's rounding.
            ZMin = phiMin <= -Math.PI / 2 ? double.NegativeInfinity : Math.Sin(phiMin) - BandPadRadians;
            ZMax = phiMax >= Math.PI / 2 ? double.PositiveInfinity : Math.Sin(phiMax) + BandPadRadians;
            // A cap of angular radius rho around latitude phi spans asin(sin rho / cos phi) of longitude either side,
            // unless it holds a pole (then every longitude).
            double sinRho = Math.Sin(rho), cosPhi = Math.Cos(phi);
            _everyLongitude = !Bounded || phiMin <= -Math.PI / 2 || phiMax >= Math.PI / 2 || rho >= Math.PI / 2 || sinRho >= cosPhi;
            if (!_everyLongitude)
            {
                double lambda = longitude * GreatCircle.DegToRad;
                double half = Math.Asin(sinRho / cosPhi) + BandPadRadians;
                _west = lambda - half;
                _east = lambda + half;
            }
        }

        /// <summary>Whether the circle may reach longitudes from <paramref name="west"/> to <paramref name="east"/>
        /// (radians, within ±π, west ≤ east): compared as they are and one turn either way.</summary>
        public bool Reaches(double west, double east) =>
            _everyLongitude
            || (west <= _east && east >= _west)
            || (west <= _east - 2 * Math.PI && east >= _west - 2 * Math.PI)
            || (west <= _east + 2 * Math.PI && east >= _west + 2 * Math.PI);
    }

    /// <summary>
    /// The items filed under one code, in strips of longitude (a long list is cut into strips of about equal counts), each strip
    /// sorted by latitude, with their positions copied in that order. A circle reads its latitude band in the strips it
    /// reaches: in a big cell a band across the cell's whole width held ten to thirty times the circle, all of it read.
    /// </summary>
    private sealed class Posting(int count)
    {
        /// <summary>A searched code this cell does not have.</summary>
        public static readonly Posting Empty = new(0);

        /// <summary>Lists shorter than twice this stay one strip; longer ones are cut into strips of at least this many.</summary>
        private const int StripEntries = 2048;
        private const int MaxStrips = 16;

        public readonly int[] Index = new int[count];
        /// <summary>Unit vectors (<see cref="GreatCircle.Point"/>); within each strip sorted by <see cref="Z"/>: latitude's sine.</summary>
        public double[] Z = [];
        public double[] X = [];
        public double[] Y = [];
        /// <summary>Each entry's id rank (the tie-break), in scan order: read for every candidate, so not looked up.</summary>
        public int[] Rank = [];
        /// <summary>
        /// Each entry's frequent filters, in scan order (diploma level, <see cref="MultiPublished"/> and
        /// <see cref="DisabledElligible"/> flags, expiry when the cell's items can expire): read for every entry inside the
        /// circle. Read from the item arrays, each was a cache miss per candidate in a big cell: the matching items of a
        /// code are a small share of any stretch of it.
        /// </summary>
        public sbyte[] Level = [];
        public byte[] Flags = [];
        public long[] ExpiresAt = [];
        public const byte MultiPublished = 1, DisabledElligible = 2;
        /// <summary>Where each strip starts, and where the last ends: strip s is <c>[StripStart[s], StripStart[s + 1])</c>.</summary>
        public int[] StripStart = [0, 0];
        /// <summary>Each strip's westmost and eastmost longitude (radians).</summary>
        private double[] _west = [], _east = [];
        /// <summary>The items at each strip's west and east ends (empty strips: 0), for the tests that put them on a circle's rim.</summary>
        public int[] WestmostItem = [], EastmostItem = [];
        /// <summary>
        /// Every <see cref="SampleStride"/>-th <see cref="Z"/> of a long list: a band's bounds are found in the samples
        /// of a strip (kept in cache) and then within one stride of <see cref="Z"/>. A binary search over a whole list took a
        /// cache miss per step in a big cell, a dozen per bound, and a search sizing its first circle takes two bounds per
        /// list at each halving.
        /// </summary>
        private double[] _zSample = [];
        private const int SampleStride = 32;

        public void SortByLatitude(GreatCircle.Point[] points, int[] idRank, SourceIndex owner)
        {
            int n = Index.Length;
            int strips = Math.Clamp(n / StripEntries, 1, MaxStrips);
            StripStart = strips > 1 ? CutStrips(points, strips) : [0, n];
            Z = new double[n];
            for (int k = 0; k < n; k++) Z[k] = points[Index[k]].Z;
            for (int s = 0; s < strips; s++) Array.Sort(Z, Index, StripStart[s], StripStart[s + 1] - StripStart[s]);
            X = new double[n];
            Y = new double[n];
            Rank = new int[n];
            Level = new sbyte[n];
            Flags = new byte[n];
            // Never read when no item can expire (a search made before the earliest expiry reads no expiry).
            ExpiresAt = owner._earliestExpiry == OfferDates.Never ? [] : new long[n];
            for (int k = 0; k < n; k++)
            {
                int i = Index[k];
                X[k] = points[i].X;
                Y[k] = points[i].Y;
                Rank[k] = idRank[i];
                Level[k] = owner._level[i];
                Flags[k] = (byte)((owner._multiPublished[i] ? MultiPublished : 0) | (owner._disabledElligible[i] ? DisabledElligible : 0));
                if (ExpiresAt.Length > 0) ExpiresAt[k] = owner._expiresAt[i];
            }
            if (n > 8 * SampleStride)
            {
                _zSample = new double[(n + SampleStride - 1) / SampleStride];
                for (int j = 0; j < _zSample.Length; j++) _zSample[j] = Z[j * SampleStride];
            }
        }

        /// <summary>
        /// Puts <see cref="Index"/> in strips of longitude with about equal counts (the cuts are quantiles of a sample, so
        /// the build stays linear but for each strip's sort by latitude), and notes each strip's westmost and eastmost
        /// longitude. Entries are compared by a pseudo-angle, in the order of their longitudes, computed without an arctangent.
        /// </summary>
        /// <returns>Where each strip starts, and where the last ends.</returns>
        private int[] CutStrips(GreatCircle.Point[] points, int strips)
        {
            int n = Index.Length;
            // The temporaries are pooled: as new arrays they went to the large-object heap at every build of a big cell,
            // and a load that rebuilds its cells batch after batch paid for them in full collections.
            double[] angle = ArrayPool<double>.Shared.Rent(n);
            byte[] stripOf = ArrayPool<byte>.Shared.Rent(n);
            int[] index = ArrayPool<int>.Shared.Rent(n);
            try
            {
                return CutStrips(points, strips, angle, stripOf, index);
            }
            finally
            {
                ArrayPool<double>.Shared.Return(angle);
                ArrayPool<byte>.Shared.Return(stripOf);
                ArrayPool<int>.Shared.Return(index);
            }
        }

        private int[] CutStrips(GreatCircle.Point[] points, int strips, double[] angle, byte[] stripOf, int[] index)
        {
            int n = Index.Length;
            for (int k = 0; k < n; k++) angle[k] = PseudoAngle(points[Index[k]]);
            int step = Math.Max(1, n / (64 * strips));
            var sample = new double[(n + step - 1) / step];
            for (int j = 0; j < sample.Length; j++) sample[j] = angle[j * step];
            Array.Sort(sample);
            var cut = new double[strips - 1];
            for (int s = 1; s < strips; s++) cut[s - 1] = sample[(int)((long)s * sample.Length / strips)];
            // Counting sort by strip: an entry goes to the strip after the last cut at or below its angle.
            var start = new int[strips + 1];
            for (int k = 0; k < n; k++)
            {
                int strip = 0;
                while (strip < cut.Length && cut[strip] <= angle[k]) strip++;
                stripOf[k] = (byte)strip;
                start[strip + 1]++;
            }
            for (int s = 0; s < strips; s++) start[s + 1] += start[s];
            var fill = (int[])start.Clone();
            var west = new double[strips];
            var east = new double[strips];
            var westmost = WestmostItem = new int[strips];
            var eastmost = EastmostItem = new int[strips];
            Array.Fill(west, double.PositiveInfinity);
            Array.Fill(east, double.NegativeInfinity);
            for (int k = 0; k < n; k++)
            {
                int strip = stripOf[k];
                index[fill[strip]++] = Index[k];
                if (angle[k] < west[strip]) { west[strip] = angle[k]; westmost[strip] = Index[k]; }
                if (angle[k] > east[strip]) { east[strip] = angle[k]; eastmost[strip] = Index[k]; }
            }
            index.AsSpan(0, n).CopyTo(Index);
            // Longitudes only for each strip's two ends (empty strips hold nothing to reach: any bounds will do).
            _west = new double[strips];
            _east = new double[strips];
            for (int s = 0; s < strips; s++)
            {
                if (start[s] == start[s + 1]) continue;
                _west[s] = Math.Atan2(points[westmost[s]].Y, points[westmost[s]].X);
                _east[s] = Math.Atan2(points[eastmost[s]].Y, points[eastmost[s]].X);
            }
            return start;
        }

        /// <summary>
        /// A number in (-2, 2] that grows with the point's longitude over (-π, π] (the order of atan2(y, x)), from one
        /// division: y ÷ (|x| + |y|), folded past ±1 on the western half.
        /// </summary>
        private static double PseudoAngle(in GreatCircle.Point point)
        {
            double sum = Math.Abs(point.X) + Math.Abs(point.Y);
            // A pole has no longitude: every order is right, and its strip's bounds come from atan2(0, 0) = 0.
            if (sum == 0) return 0;
            double p = point.Y / sum;
            if (point.X >= 0) return p;
            return point.Y >= 0 ? 2 - p : -2 - p;
        }

        /// <summary>Whether a circle's band may reach strip <paramref name="s"/>'s longitudes (always, for a single strip).</summary>
        public bool Reaches(int s, in Band band) => _west.Length == 0 || band.Reaches(_west[s], _east[s]);

        public int BandCount(in Band band)
        {
            int total = 0;
            for (int s = 0; s + 1 < StripStart.Length; s++)
            {
                if (!Reaches(s, band)) continue;
                int from = StripStart[s], to = StripStart[s + 1];
                total += FirstAbove(band.ZMax, from, to) - FirstAtOrAbove(band.ZMin, from, to);
            }
            return total;
        }

        /// <summary>The first entry of <c>[from, to)</c> (one strip) whose z is at or above the value.</summary>
        public int FirstAtOrAbove(double value, int from, int to)
        {
            var (lo, hi) = Stride(from, to, value, orAbove: true);
            while (lo < hi)
            {
                int mid = (lo + hi) >>> 1;
                if (Z[mid] < value) lo = mid + 1; else hi = mid;
            }
            return lo;
        }

        /// <summary>The first entry of <c>[from, to)</c> (one strip) whose z is above the value.</summary>
        public int FirstAbove(double value, int from, int to)
        {
            var (lo, hi) = Stride(from, to, value, orAbove: false);
            while (lo < hi)
            {
                int mid = (lo + hi) >>> 1;
                if (Z[mid] <= value) lo = mid + 1; else hi = mid;
            }
            return lo;
        }

        /// <summary>
        /// Narrows <c>[from, to)</c> with the samples that lie in it: the answer comes after the last sample short of the
        /// value and no later than the first sample past it.
        /// </summary>
        private (int Lo, int Hi) Stride(int from, int to, double value, bool orAbove)
        {
            if (_zSample.Length == 0) return (from, to);
            int first = (from + SampleStride - 1) / SampleStride, end = (to + SampleStride - 1) / SampleStride;
            int lo = first, hi = end;
            while (lo < hi)
            {
                int mid = (lo + hi) >>> 1;
                if (orAbove ? _zSample[mid] < value : _zSample[mid] <= value) lo = mid + 1; else hi = mid;
            }
            return (lo == first ? from : (lo - 1) * SampleStride + 1, lo == end ? to : lo * SampleStride);
        }
    }

    /// <summary>
    /// The groups a search has taken (<see cref="_groupOf"/> numbers), at most the capacity it was made for, in the order
    /// taken: open addressing on pooled arrays. A <see cref="HashSet{T}"/> per search allocated and cleared its buckets
    /// and entries each time.
    /// </summary>
    private struct GroupSet : IDisposable
    {
        private int[] _slots;
        private int[] _members;
        private readonly int _shift;
        public int Count;

        public GroupSet(int capacity)
        {
            int size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, 2 * capacity));
            _shift = 32 - BitOperations.Log2((uint)size);
            _slots = ArrayPool<int>.Shared.Rent(size);
            Array.Clear(_slots, 0, size);
            _members = ArrayPool<int>.Shared.Rent(Math.Max(1, capacity));
            Count = 0;
        }

        public readonly ReadOnlySpan<int> Members => _members.AsSpan(0, Count);

        public void Clear()
        {
            Array.Clear(_slots, 0, 1 << (32 - _shift));
            Count = 0;
        }

        public readonly bool Contains(int group)
        {
            int mask = (1 << (32 - _shift)) - 1;
            for (int s = Slot(group); ; s = (s + 1) & mask)
            {
                int held = _slots[s];
                if (held == 0) return false;
                if (held == group + 1) return true;
            }
        }

        /// <summary>Adds a group unless it is held already.</summary>
        public void Add(int group)
        {
            int mask = (1 << (32 - _shift)) - 1;
            int s = Slot(group);
            while (_slots[s] != 0)
            {
                if (_slots[s] == group + 1) return;
                s = (s + 1) & mask;
            }
            _slots[s] = group + 1;
            _members[Count++] = group;
        }

        // Fibonacci hashing: group numbers are dense, so their low bits alone would cluster.
        private readonly int Slot(int group) => (int)(((uint)group * 2654435769u) >> _shift);

        public void Dispose()
        {
            ArrayPool<int>.Shared.Return(_slots);
            ArrayPool<int>.Shared.Return(_members);
            _slots = _members = [];
        }
    }

    /// <summary>A growable candidate list on pooled arrays: a search allocates no array per item.</summary>
    private struct CandidateBuffer : IDisposable
    {
        private Candidate[]? _array;
        public int Count;

        public readonly Span<Candidate> Span => _array is null ? default : _array.AsSpan(0, Count);

        public void EnsureRoom(int more)
        {
            int needed = Count + more;
            if (_array is not null && needed <= _array.Length)
            {
                return;
            }
            Candidate[] next = ArrayPool<Candidate>.Shared.Rent(Math.Max(256, needed));
            if (_array is not null)
            {
                _array.AsSpan(0, Count).CopyTo(next);
                ArrayPool<Candidate>.Shared.Return(_array);
            }
            _array = next;
        }

        public void Add(int index, int rank, double distance)
        {
            if (_array is null || Count == _array.Length)
            {
                EnsureRoom(Math.Max(1, Count)); // doubles
            }
            _array![Count++] = new Candidate(index, rank, distance);
        }

        public void Dispose()
        {
            if (_array is not null)
            {
                ArrayPool<Candidate>.Shared.Return(_array);
                _array = null;
            }
        }
    }
}
