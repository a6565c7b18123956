using System.Buffers;
using Alternance.Text;

namespace Alternance.Grains;

/// <summary>
/// The free-text index of one <see cref="SourceIndex"/> (one source's items in one cell, at one generation with its
/// deltas): per analysed term, the items holding it with their term frequency in each field; per item, its field
/// lengths, position and what it is filtered, faceted and sorted on. Built from the same items as the radius index and
/// replaced with it, so a text search sees exactly what a radius search sees. Immutable; searches run concurrently.
/// Scoring: docs/text-search.md.
/// </summary>
internal sealed class TextIndex
{
    /// <summary>Term frequencies are counted up to this (5 bits per field in a posting).</summary>
    public const int MaxTermFrequency = 31;
    /// <summary>Field lengths are counted up to this.</summary>
    public const int MaxFieldLength = 255;

    private readonly SearchItem[] _docs;
    /// <summary>The terms, sorted (ordinal) and interned: cells share the strings of a common vocabulary.</summary>
    private readonly string[] _terms;
    /// <summary>Postings of term t: [_start[t], _start[t + 1]) in <see cref="_doc"/> and <see cref="_tf"/>.</summary>
    private readonly int[] _start;
    private readonly int[] _doc;
    /// <summary>Term frequency per field, 5 bits each: title | organisation &lt;&lt; 5 | keywords &lt;&lt; 10.</summary>
    private readonly ushort[] _tf;
    /// <summary>Field lengths, three per document.</summary>
    private readonly byte[] _length;
    private readonly long[] _fieldLengths = new long[ItemDocument.FieldCount];
    /// <summary>Unit vectors in single precision: a padded pre-test only (the distance is computed from the item).</summary>
    private readonly float[] _x, _y, _z;
    private readonly byte[] _contract;
    private readonly sbyte[] _level;
    /// <summary>Index into <see cref="_sectors"/>, −1 for none.</summary>
    private readonly short[] _sector;
    private readonly string[] _sectors;
    private readonly int[] _created;
    private readonly int[] _start_;
    /// <summary>Posted offers' <see cref="OfferDates.ExpiresAt"/> (empty for the other sources, which never expire).</summary>
    private readonly long[] _expiresAt;
    /// <summary>Bit 0 disabled-elligible, bit 1 smart apply, bit 2 algo company.</summary>
    private readonly byte[] _flags;
    private readonly long _cell;

    public Source Source { get; }

    public int Count => _docs.Length;

    public TextIndex(SourceIndex index, TextAnalyzer analyzer, long cell)
    {
        Source = index.Source;
        _cell = cell;
        var docs = new List<SearchItem>(index.Count);
        foreach (SearchItem item in index.Items)
        {
            // What the radius index leaves out of its postings: canceled posted offers (kept for look-ups by id).
            if (item is MatchaItem { IsActive: false }) continue;
            docs.Add(item);
        }
        _docs = [.. docs];
        int n = _docs.Length;
        _length = new byte[n * ItemDocument.FieldCount];
        _x = new float[n]; _y = new float[n]; _z = new float[n];
        _contract = new byte[n];
        _level = new sbyte[n];
        _sector = new short[n];
        _created = new int[n];
        _start_ = new int[n];
        _flags = new byte[n];
        _expiresAt = Source == Source.Matcha ? new long[n] : [];
        var sectorIds = new Dictionary<string, short>(StringComparer.Ordinal);
        var termIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var termsOfText = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var scratchTerms = new List<int>(32);
        var build = new Builder(termIds);
        var postings = new List<(int Term, int Doc, ushort Tf)>(n * 8);
        var docTerms = new List<(int Term, ushort Tf)>(32);
        for (int d = 0; d < n; d++)
        {
            SearchItem item = _docs[d];
            docTerms.Clear();
            for (int f = 0; f < ItemDocument.FieldCount; f++)
            {
                string? text = ItemDocument.Field(item, (TextField)f);
                int[] ids = TermsOf(text, analyzer, termsOfText, scratchTerms, ref build);
                _length[d * ItemDocument.FieldCount + f] = (byte)Math.Min(ids.Length, MaxFieldLength);
                _fieldLengths[f] += Math.Min(ids.Length, MaxFieldLength);
                foreach (int id in ids)
                {
                    int at = -1;
                    for (int k = 0; k < docTerms.Count; k++) if (docTerms[k].Term == id) { at = k; break; }
                    if (at < 0) { docTerms.Add((id, 0)); at = docTerms.Count - 1; }
                    int shift = 5 * f;
                    int tf = (docTerms[at].Tf >> shift) & MaxTermFrequency;
                    if (tf < MaxTermFrequency)
                    {
                        docTerms[at] = (id, (ushort)(docTerms[at].Tf + (1 << shift)));
                    }
                }
            }
            foreach (var (term, tf) in docTerms) postings.Add((term, d, tf));

            GreatCircle.Point p = GreatCircle.Point.At(item.Latitude, item.Longitude);
            _x[d] = (float)p.X; _y[d] = (float)p.Y; _z[d] = (float)p.Z;
            _contract[d] = ItemDocument.ContractTypes(item);
            _level[d] = ItemDocument.Level(item);
            string? sector = ItemDocument.Sector(item);
            if (sector is null) _sector[d] = -1;
            else
            {
                if (!sectorIds.TryGetValue(sector, out short s)) sectorIds[sector] = s = (short)sectorIds.Count;
                _sector[d] = s;
            }
            _created[d] = ItemDocument.CreatedDay(item);
            _start_[d] = ItemDocument.StartDay(item);
            if (_expiresAt.Length > 0) _expiresAt[d] = OfferDates.ExpiresAt(item);
            _flags[d] = (byte)((ItemDocument.DisabledElligible(item) ? 1 : 0) | (ItemDocument.SmartApply(item) ? 2 : 0) | (ItemDocument.AlgoCompany(item) ? 4 : 0));
        }
        _sectors = new string[sectorIds.Count];
        foreach (var (name, id) in sectorIds) _sectors[id] = name;
        // Terms sorted, their ids renumbered in that order.
        _terms = new string[termIds.Count];
        foreach (var (term, id) in termIds) _terms[id] = term;
        int[] order = new int[_terms.Length];
        for (int t = 0; t < order.Length; t++) order[t] = t;
        Array.Sort((string[])_terms.Clone(), order, StringComparer.Ordinal);
        int[] renumber = new int[_terms.Length];
        string[] sorted = new string[_terms.Length];
        for (int rank = 0; rank < order.Length; rank++)
        {
            renumber[order[rank]] = rank;
            sorted[rank] = string.Intern(_terms[order[rank]]);
        }
        _terms = sorted;
        for (int k = 0; k < postings.Count; k++) postings[k] = (renumber[postings[k].Term], postings[k].Doc, postings[k].Tf);

        // Postings grouped by term, documents ascending within a term (a counting sort: they were added in document order).
        _start = new int[_terms.Length + 1];
        foreach (var posting in postings) _start[posting.Term + 1]++;
        for (int t = 0; t < _terms.Length; t++) _start[t + 1] += _start[t];
        _doc = new int[postings.Count];
        _tf = new ushort[postings.Count];
        var fill = new int[_terms.Length];
        foreach (var (term, doc, tf) in postings)
        {
            int at = _start[term] + fill[term]++;
            _doc[at] = doc;
            _tf[at] = tf;
        }
    }

    private struct Builder(Dictionary<string, int> ids)
    {
        public readonly Dictionary<string, int> Ids = ids;
        public List<int>? Into;
    }

    /// <summary>The term ids of a field's text, analysed once per distinct text (labels and towns repeat a lot).</summary>
    private static int[] TermsOf(string? text, TextAnalyzer analyzer, Dictionary<string, int[]> memo, List<int> scratch, ref Builder build)
    {
        if (string.IsNullOrEmpty(text)) return [];
        if (memo.TryGetValue(text, out int[]? known)) return known;
        scratch.Clear();
        build.Into = scratch;
        analyzer.Analyze(text, ref build, static (ref Builder b, ReadOnlySpan<char> term) =>
        {
            var lookup = b.Ids.GetAlternateLookup<ReadOnlySpan<char>>();
            if (!lookup.TryGetValue(term, out int id))
            {
                id = b.Ids.Count;
                b.Ids.Add(new string(term), id);
            }
            b.Into!.Add(id);
        });
        int[] ids = [.. scratch];
        memo[text] = ids;
        return ids;
    }

    /// <summary>This index's part of the collection statistics.</summary>
    public void AddStatistics(TextStatisticsBuilder into)
    {
        into.Documents += _docs.Length;
        for (int f = 0; f < _fieldLengths.Length; f++) into.FieldLengths[f] += _fieldLengths[f];
        for (int t = 0; t < _terms.Length; t++)
        {
            into.Terms[_terms[t]] = into.Terms.GetValueOrDefault(_terms[t]) + (_start[t + 1] - _start[t]);
        }
    }

    /// <summary>This index's titles and organisation names, for suggestions.</summary>
    public void AddPhrases(TextPhrasesBuilder into)
    {
        foreach (SearchItem item in _docs)
        {
            string title = ItemDocument.Title(item);
            if (title.Length > 0) into.Titles[title] = into.Titles.GetValueOrDefault(title) + 1;
            if (ItemDocument.Organisation(item) is { Length: > 0 } organisation)
            {
                into.Organisations[organisation] = into.Organisations.GetValueOrDefault(organisation) + 1;
            }
        }
    }

    /// <summary>Bytes this index holds beyond the items (an estimate from its arrays, for the benchmarks).</summary>
    public long EstimatedBytes()
    {
        long bytes = (long)_doc.Length * 6 + _start.Length * 4 + _length.Length + _docs.Length * (8 + 12 + 1 + 1 + 2 + 4 + 4 + 1) + _expiresAt.Length * 8L;
        bytes += _terms.Length * 8L; // the strings are interned, shared by every cell
        return bytes;
    }

    /// <summary>
    /// Scores and counts one query: the item's hits among its first <see cref="TextQuery.Limit"/> (by the query's
    /// order), how many items match, and the facet counts (each facet with every filter but its own).
    /// </summary>
    public void Search(TextQuery query, TextCollector into)
    {
        int n = _docs.Length;
        if (n == 0) return;
        var circle = query.Area == SearchArea.Radius ? new CircleTest(query) : default;
        if (query.WordCount == 0)
        {
            for (int d = 0; d < n; d++) Consider(d, 0, query, in circle, into);
            return;
        }

        // Word by word: an item must match every word (any of its alternatives); its score adds, per word, its best
        // alternative's. matched[d] counts the words item d matched so far.
        int[] matched = ArrayPool<int>.Shared.Rent(n);
        double[] score = ArrayPool<double>.Shared.Rent(n);
        double[] best = ArrayPool<double>.Shared.Rent(n);
        int[] touched = ArrayPool<int>.Shared.Rent(Math.Min(n, 1024));
        int touchedCount = 0;
        try
        {
            Array.Clear(matched, 0, n);
            var norms = new FieldNorms(query.AverageLengths);
            int a = 0;
            for (int w = 0; w < query.WordCount; w++)
            {
                for (; a < query.Terms.Length && query.WordOf[a] == w; a++)
                {
                    int term = Array.BinarySearch(_terms, query.Terms[a], StringComparer.Ordinal);
                    if (term < 0) continue;
                    double weight = query.Weights[a];
                    for (int p = _start[term], end = _start[term + 1]; p < end; p++)
                    {
                        int d = _doc[p];
                        int m = matched[d];
                        if (m < w) continue;
                        double c = weight * norms.FieldSum(_tf[p], _length, d);
                        if (m == w)
                        {
                            matched[d] = w + 1;
                            best[d] = c;
                            if (w == 0)
                            {
                                score[d] = 0;
                                if (touchedCount == touched.Length) Grow(ref touched, Math.Min(n, touched.Length * 2));
                                touched[touchedCount++] = d;
                            }
                        }
                        else if (c > best[d])
                        {
                            best[d] = c;
                        }
                    }
                }
                for (int k = 0; k < touchedCount; k++)
                {
                    int d = touched[k];
                    if (matched[d] == w + 1) score[d] += best[d];
                }
            }
            for (int k = 0; k < touchedCount; k++)
            {
                int d = touched[k];
                if (matched[d] == query.WordCount) Consider(d, score[d], query, in circle, into);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(matched);
            ArrayPool<double>.Shared.Return(score);
            ArrayPool<double>.Shared.Return(best);
            ArrayPool<int>.Shared.Return(touched);
        }
    }

    private static void Grow(ref int[] array, int size)
    {
        int[] next = ArrayPool<int>.Shared.Rent(size);
        array.AsSpan().CopyTo(next);
        ArrayPool<int>.Shared.Return(array);
        array = next;
    }

    private const int FailType = 1 << 0, FailContract = 1 << 1, FailLevel = 1 << 2, FailSector = 1 << 3,
        FailDisabled = 1 << 4, FailSmartApply = 1 << 5, FailAlgo = 1 << 6, FailOther = 1 << 7;

    /// <summary>An item that matched the text: inside the area? which filters does it fail? Then counted and collected.</summary>
    private void Consider(int d, double score, TextQuery query, in CircleTest circle, TextCollector into)
    {
        // An offer past its expiration date is left out of everything (hits, counts, facets), as in radius searches.
        if (_expiresAt.Length > 0 && _expiresAt[d] <= query.AsOf) return;
        double distance = double.NaN;
        if (query.Area == SearchArea.Radius)
        {
            if (GreatCircle.ChordSquared(circle.Center, _x[d], _y[d], _z[d]) > circle.PaddedChordSquaredBound) return;
            // The exact distance from the item's own coordinates, as the contract defines it.
            SearchItem located = _docs[d];
            distance = GreatCircle.DistanceKm(GreatCircle.ChordSquared(circle.Center, GreatCircle.Point.At(located.Latitude, located.Longitude)));
            if (distance > query.RadiusKm) return;
        }
        else if (query.PostalPrefixes.Length > 0 && !InPrefixes(ItemDocument.PostalCode(_docs[d]), query.PostalPrefixes))
        {
            return;
        }
        TextFilters filters = query.Filters;
        int fails = 0;
        if (filters.TypeExcluded) fails |= FailType;
        if (filters.ContractTypes != 0 && (_contract[d] & filters.ContractTypes) == 0) fails |= FailContract;
        if (filters.Levels != 0 && (_level[d] < 0 || (filters.Levels & (1 << _level[d])) == 0)) fails |= FailLevel;
        if (filters.Sectors.Length > 0 && (_sector[d] < 0 || Array.IndexOf(filters.Sectors, _sectors[_sector[d]]) < 0)) fails |= FailSector;
        if (filters.DisabledElligible >= 0 && ((_flags[d] & 1) != 0) != (filters.DisabledElligible == 1)) fails |= FailDisabled;
        if (filters.SmartApply >= 0 && ((_flags[d] & 2) != 0) != (filters.SmartApply == 1)) fails |= FailSmartApply;
        if (filters.AlgoCompany >= 0 && ((_flags[d] & 4) != 0) != (filters.AlgoCompany == 1)) fails |= FailAlgo;
        if (filters.Organisations.Length > 0 && !IsOneOf(NameKey.Of(ItemDocument.Organisation(_docs[d])), filters.Organisations)) fails |= FailOther;
        if (filters.StartDayAtMost != int.MinValue && (_start_[d] == ItemDocument.NoDay || _start_[d] > filters.StartDayAtMost)) fails |= FailOther;
        if (fails != 0 && (fails & (fails - 1)) != 0) return; // fails two filters: counted nowhere
        if (fails == FailOther) return;

        if (fails == 0 || fails == FailType) into.Type++;
        if (fails == 0 || fails == FailContract)
        {
            if ((_contract[d] & ItemDocument.ContractApprenticeship) != 0) into.Contract[0]++;
            if ((_contract[d] & ItemDocument.ContractProfessionalisation) != 0) into.Contract[1]++;
        }
        if ((fails == 0 || fails == FailLevel) && _level[d] >= 0) into.Level[_level[d]]++;
        if ((fails == 0 || fails == FailSector) && _sector[d] >= 0) into.CountSector(_sectors[_sector[d]]);
        if (fails == 0 || fails == FailDisabled) into.Disabled[_flags[d] & 1]++;
        if (fails == 0 || fails == FailSmartApply) into.SmartApply[(_flags[d] >> 1) & 1]++;
        if (fails == 0 || fails == FailAlgo) into.Algo[(_flags[d] >> 2) & 1]++;
        if (fails != 0) return;

        into.Matched++;
        int day = query.Sort == TextSort.StartDate ? _start_[d] : _created[d];
        SearchItem item = _docs[d];
        into.Add(new TextHit(item.Id, item.Version, _cell, score, distance, day));
    }

    private static bool IsOneOf(string key, string[] keys) => key.Length > 0 && Array.IndexOf(keys, key) >= 0;

    private static bool InPrefixes(string? postal, string[] prefixes)
    {
        if (postal is null) return false;
        foreach (string prefix in prefixes)
        {
            if (postal.StartsWith(prefix, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    private readonly struct CircleTest(TextQuery query)
    {
        public readonly GreatCircle.Point Center = GreatCircle.Point.At(query.Latitude, query.Longitude);
        /// <summary>The circle's chord bound widened by 10 m: covers single-precision positions (errors under a metre).</summary>
        public readonly double PaddedChordSquaredBound = GreatCircle.ChordSquaredBound(query.RadiusKm + 0.01);
    }

    /// <summary>BM25's length normalisation per field, tabulated for the 256 lengths a field can have.</summary>
    private readonly struct FieldNorms
    {
        private readonly double[] _norm;

        public FieldNorms(double[] averageLengths)
        {
            _norm = new double[ItemDocument.FieldCount * (MaxFieldLength + 1)];
            for (int f = 0; f < ItemDocument.FieldCount; f++)
            {
                double average = f < averageLengths.Length ? averageLengths[f] : 0;
                for (int len = 0; len <= MaxFieldLength; len++)
                {
                    _norm[f * (MaxFieldLength + 1) + len] = TextScoring.LengthNorm(len, average);
                }
            }
        }

        /// <summary>Σ over fields (title, organisation, keywords) of boost × tf × (k1 + 1) / (tf + norm).</summary>
        public double FieldSum(ushort packed, byte[] lengths, int d)
        {
            double sum = 0;
            for (int f = 0; f < ItemDocument.FieldCount; f++)
            {
                int tf = (packed >> (5 * f)) & MaxTermFrequency;
                if (tf == 0) continue;
                double norm = _norm[f * (MaxFieldLength + 1) + lengths[d * ItemDocument.FieldCount + f]];
                sum += TextScoring.Boosts[f] * (tf * (TextScoring.K1 + 1)) / (tf + norm);
            }
            return sum;
        }
    }
}
