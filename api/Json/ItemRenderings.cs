using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Alternance.Api.Search;
using Alternance.Search;
using Microsoft.Extensions.Options;

namespace Alternance.Api.Json;

/// <summary>Configuration section <c>Renderings</c>.</summary>
public sealed class RenderingOptions
{
    public const string Section = "Renderings";

    /// <summary>How much item JSON a front keeps (renderings and their slots); past it, what was not read lately goes.</summary>
    public int CacheMegabytes { get; set; } = 512;
}

/// <summary>
/// The front's item JSON, by source and id (<see cref="RenderingTable"/>s over one <see cref="RenderingArena"/>): each item written once (escaping, AES for the e-mails) and kept as UTF-8
/// bytes cut where the query's distance goes, so that a search answer is assembled by copying bytes. Hits name the
/// item's version; a rendering serves only that version. Hits this front has no rendering for are fetched from their
/// cells in one call per cell and rendered. The same path for a front co-hosted with its silo and for an API node of a
/// cluster: writing 150–500 items per answer was a third of a request's CPU co-hosted, and nine tenths of it on a client
/// node, which also received every item whole from the cells.
/// </summary>
/// <remarks>
/// A rendering keeps the e-mail ciphertext and its random IV: the same item answers the same pair until it changes, is
/// evicted or the process restarts (both decrypt to the address; nothing else about the item is secret). The cache is
/// bounded (<see cref="RenderingOptions.CacheMegabytes"/>); past it the arena sweeps its oldest segment: the renderings
/// read since they were written there move to the newest, the others go (a clock: one bit per rendering, set when it is read).
/// </remarks>
public sealed class ItemRenderings
{
    public const string MeterName = "Alternance.Api.Renderings";
    private static ReadOnlySpan<byte> DistanceProperty => "\"distance\":"u8;
    /// <summary>How far ahead of the hit being resolved its slot, then its rendering, are asked for: misses overlap.</summary>
    private const int SlotsAhead = 16, RenderingsAhead = 8;

    private readonly IContactProtector _protector;
    private readonly ISearchBackend _backend;
    /// <summary>Per source: the plain renderings, those with descriptions (trainings) or phones (companies), and the v3
    /// shape's (offers and companies, <see cref="V3ItemWriter"/>).</summary>
    private readonly RenderingTable[] _first, _second, _v3;
    private readonly RenderingArena _arena;
    private readonly V3Links _links;
    private readonly Counter<long> _hits;
    private readonly Counter<long> _misses;
    private readonly Counter<long> _evictions;
    private readonly Counter<long> _declined;
    private readonly Counter<long> _noRoom;
    /// <summary>
    /// The doorkeeper (as TinyLFU's): one bit per fingerprint slot, set at an item's first miss once the kept JSON has
    /// reached its budget; only a miss that finds its bit set keeps the rendering. Over a mix much wider than the budget (the
    /// peers' searches at scale 10: 58 % misses) keeping every rendering filled the kept JSON with items not read again
    /// before the sweep dropped them, each pushing out one that was read again (measured on and off, when renderings were
    /// still objects of their own: 1,916 against 1,443 requests/s, docs/BENCHMARKS.md). 2²³ bits (1 MB), cleared after 2²⁰ first misses.
    /// </summary>
    private readonly ulong[] _seen = new ulong[SeenBits / 64];
    private int _seenSinceClear;
    private const int SeenBits = 1 << 23, SeenClearAfter = 1 << 20;

    public ItemRenderings(IContactProtector protector, ISearchBackend backend, IOptions<RenderingOptions> options, IMeterFactory meters,
        V3Links? links = null)
    {
        _protector = protector;
        _backend = backend;
        _links = links ?? new V3Links("http://localhost:8080");
        Meter meter = meters.Create(MeterName);
        _evictions = meter.CreateCounter<long>("alternance.renderings.evictions", "{item}", "Renderings dropped to stay within the budget");
        _arena = new RenderingArena(Math.Max(1, options.Value.CacheMegabytes) * 1024L * 1024L, evicted => _evictions.Add(evicted));
        _first = new RenderingTable[Sources.Count];
        _second = new RenderingTable[Sources.Count];
        _v3 = new RenderingTable[Sources.Count];
        for (int s = 0; s < Sources.Count; s++)
        {
            _first[s] = _arena.CreateTable();
            _second[s] = _arena.CreateTable();
            _v3[s] = _arena.CreateTable();
        }
        _hits = meter.CreateCounter<long>("alternance.renderings.hits", "{item}", "Search results answered from this front's item JSON");
        _misses = meter.CreateCounter<long>("alternance.renderings.misses", "{item}", "Search results fetched from their cells and rendered");
        _declined = meter.CreateCounter<long>("alternance.renderings.declined", "{item}",
            "Search results rendered and not kept: a first miss once the kept JSON has reached its budget");
        // Every series exists from the start, at 0: a dashboard's rates and ratios have them before the first eviction.
        _hits.Add(0);
        _misses.Add(0);
        _evictions.Add(0);
        _declined.Add(0);
        _noRoom = meter.CreateCounter<long>("alternance.renderings.no_room", "{item}",
            "Search results rendered and not kept: the arena had no free segment (its sweeps waiting for answers still copying)");
        _noRoom.Add(0);
        meter.CreateObservableGauge("alternance.renderings.bytes", () => Bytes, "By", "Bytes held for item JSON (the arena's segments and slots)");
        meter.CreateObservableGauge("alternance.renderings.items", Count, "{item}", "Renderings kept");
    }

    /// <summary>Bytes held for the kept JSON (the arena's segments and the tables' slots).</summary>
    public long Bytes => _arena.Bytes;

    public int Count() => _arena.Count;

    /// <summary>Whether the kept JSON has reached its budget (from then on each rendering kept pushes others out).</summary>
    internal bool ReachedBudget => _arena.ReachedBudget;

    /// <summary>Whether the arena's sweep (which makes room past the budget) is queued or running.</summary>
    internal bool Sweeping => _arena.Sweeping;

    /// <summary>
    /// The hits' <c>{"results":[...]}</c>, resolved and measured but not yet written (a search answer adds up its parts'
    /// lengths to send a Content-Length, then writes each part straight into the response). Null when an item changed
    /// or went since the search (a cell answered another version): the caller searches again.
    /// </summary>
    /// <param name="source">The source of every hit (a result list never mixes sources).</param>
    /// <param name="generation">The generation the hits were found at (<see cref="SearchOutcome.Generation"/>).</param>
    /// <param name="acceptChanged">Write a changed item as it is now, and leave out one that went, rather than answer null
    /// (the last resort of a search that raced with writes several times).</param>
    public ValueTask<ResultList?> ResolveAsync(Source source, long generation, Hit[] hits, bool showCompanyPhone, bool withDescription,
        bool acceptChanged, CancellationToken cancellationToken)
    {
        bool second = source switch
        {
            Source.Formation => withDescription,
            Source.Company => showCompanyPhone,
            _ => false,
        };
        return Resolve(source, generation, hits, second ? Style.Second : Style.Plain, acceptChanged, cancellationToken);
    }

    /// <summary>
    /// As <see cref="ResolveAsync"/>, in the v3 shape (<see cref="V3ItemWriter"/>): the items alone, comma-separated, with
    /// no brackets and no distance (a v3 answer puts two sources' items in one array).
    /// </summary>
    public ValueTask<ResultList?> ResolveV3Async(Source source, long generation, Hit[] hits, bool acceptChanged, CancellationToken cancellationToken) =>
        Resolve(source, generation, hits, Style.V3, acceptChanged, cancellationToken);

    /// <summary>Which JSON of an item a table keeps.</summary>
    private enum Style : byte { Plain, Second, V3 }

    private ValueTask<ResultList?> Resolve(Source source, long generation, Hit[] hits, Style style, bool acceptChanged,
        CancellationToken cancellationToken)
    {
        RenderingTable table = (style switch { Style.Second => _second, Style.V3 => _v3, _ => _first })[(int)source];
        RenderingRef[] renderings = ArrayPool<RenderingRef>.Shared.Rent(Math.Max(1, hits.Length));
        // Held until the answer has copied the renderings found: the arena reuses no segment they are in meanwhile.
        RenderingArena.ReadSection section = _arena.Enter();
        List<int>? missing = null;
        for (int i = 0; i < hits.Length; i++)
        {
            // Slots and renderings are scattered over memory: ask for those of the hits ahead now, so that their cache
            // misses overlap instead of coming one after another.
            if (i + SlotsAhead < hits.Length) table.PrefetchSlot(hits[i + SlotsAhead].Key);
            if (i + RenderingsAhead < hits.Length) table.PrefetchRendering(hits[i + RenderingsAhead].Key);
            if (!table.Find(hits[i].Key, hits[i].Version, out renderings[i]))
            {
                (missing ??= []).Add(i);
            }
        }
        _hits.Add(hits.Length - (missing?.Count ?? 0));
        if (missing is null)
        {
            return ValueTask.FromResult<ResultList?>(Measure(source, hits, renderings, section, style));
        }
        return ResolveMissingAsync(source, generation, hits, renderings, section, missing, table, style, acceptChanged, cancellationToken);
    }

    private async ValueTask<ResultList?> ResolveMissingAsync(Source source, long generation, Hit[] hits, RenderingRef[] renderings,
        RenderingArena.ReadSection section, List<int> missing, RenderingTable table, Style style, bool acceptChanged,
        CancellationToken cancellationToken)
    {
        _misses.Add(missing.Count);
        var wanted = new Hit[missing.Count];
        for (int k = 0; k < wanted.Length; k++) wanted[k] = hits[missing[k]];
        SearchItem?[] items;
        try
        {
            items = await _backend.FetchAsync(source, generation, wanted, cancellationToken);
        }
        catch
        {
            section.Dispose();
            ArrayPool<RenderingRef>.Shared.Return(renderings, clearArray: true);
            throw;
        }
        bool gone = false;
        for (int k = 0; k < wanted.Length; k++)
        {
            SearchItem? item = items[k];
            if (item is null || item.Version != wanted[k].Version)
            {
                if (!acceptChanged)
                {
                    section.Dispose();
                    ArrayPool<RenderingRef>.Shared.Return(renderings, clearArray: true);
                    return null;
                }
                gone |= item is null;
                if (item is null) continue;
            }
            // The answer uses this array; the arena keeps a copy, if it has room and the doorkeeper lets it in.
            byte[] rendering = Render(item, wanted[k].Key, style);
            if (!Admit(wanted[k].Key))
            {
                _declined.Add(1);
            }
            else if (!table.Put(rendering))
            {
                _noRoom.Add(1);
            }
            renderings[missing[k]] = new RenderingRef(rendering, 0);
        }
        if (gone)
        {
            // Close the gaps the items that went left.
            var kept = new List<Hit>(hits.Length);
            int to = 0;
            for (int i = 0; i < hits.Length; i++)
            {
                if (renderings[i].Array is null) continue;
                renderings[to++] = renderings[i];
                kept.Add(hits[i]);
            }
            hits = [.. kept];
        }
        return Measure(source, hits, renderings, section, style);
    }

    private static ResultList Measure(Source source, Hit[] hits, RenderingRef[] renderings, RenderingArena.ReadSection section, Style style)
    {
        var list = new ResultList(renderings, section, hits.Length, bare: style == Style.V3);
        for (int i = 0; i < hits.Length; i++)
        {
            list.Add(source, hits[i].DistanceKm);
        }
        return list;
    }

    /// <summary>Whether a rendering just written is kept: always until the kept JSON first reaches its budget, then on its
    /// second miss since the doorkeeper was last cleared (<see cref="_seen"/>).</summary>
    private bool Admit(in Fingerprint key)
    {
        if (!_arena.ReachedBudget) return true;
        int bit = (int)(key.Low & (SeenBits - 1));
        ulong mask = 1UL << (bit & 63);
        if ((Interlocked.Or(ref _seen[bit >> 6], mask) & mask) != 0) return true;
        if (Interlocked.Increment(ref _seenSinceClear) == SeenClearAfter)
        {
            // Forget the old first misses: an item read twice long ago is not read often. Races with Or are harmless (a lost
            // bit costs one more miss).
            Array.Clear(_seen);
            Volatile.Write(ref _seenSinceClear, 0);
        }
        return false;
    }

    /// <summary>Resolved renderings and their formatted distances, on pooled arrays (dispose to return them).</summary>
    public sealed class ResultList : IDisposable
    {
        private static ReadOnlySpan<byte> Open => "{\"results\":["u8;
        private static ReadOnlySpan<byte> Close => "]}"u8;
        /// <summary>How far ahead the copy loop asks for renderings' bytes (each a few hundred bytes, a new stream for the
        /// hardware prefetcher, which needs a few misses to pick one up).</summary>
        private const int CopiesAhead = 4;
        /// <summary>Longest distance text: "null", or a distance in km with 2 decimals (under 21,000 km).</summary>
        private const int MaxDistanceBytes = 24;

        private RenderingRef[] _renderings;
        private RenderingArena.ReadSection? _section;
        private byte[] _distances;
        private int[] _distanceEnds;
        private int _count;
        private int _distanceBytes;
        /// <summary>The items alone: no <c>{"results":[</c> around them, no distance in them (v3 renderings).</summary>
        private readonly bool _bare;

        /// <summary>Bytes <see cref="WriteTo(IBufferWriter{byte})"/> writes.</summary>
        public int Length { get; private set; }

        /// <summary>How many items the list holds.</summary>
        public int Count => Math.Max(0, _count);

        /// <param name="renderings">A pooled array holding the renderings in order; the list returns it.</param>
        /// <param name="section">The read section the renderings were found in; the list ends it.</param>
        internal ResultList(RenderingRef[] renderings, RenderingArena.ReadSection? section, int count, bool bare = false)
        {
            _renderings = renderings;
            _section = section;
            _bare = bare;
            _distances = ArrayPool<byte>.Shared.Rent(Math.Max(1, count) * MaxDistanceBytes);
            _distanceEnds = ArrayPool<int>.Shared.Rent(Math.Max(1, count));
            Length = (bare ? 0 : Open.Length + Close.Length) + Math.Max(0, count - 1); // brackets and commas
        }

        /// <summary>Formats the next result's distance (its rendering is already in place).</summary>
        internal void Add(Source source, double distance)
        {
            int written = _bare ? 0 : DistanceText.Format(_distances.AsSpan(_distanceBytes), source, distance);
            _distanceBytes += written;
            _distanceEnds[_count] = _distanceBytes;
            // Read from the header: the JSON is not touched until it is copied.
            RenderingRef rendering = _renderings[_count];
            Length += Rendering.Length(rendering.Array, rendering.Offset) + written;
            _count++;
        }

        public void WriteTo(IBufferWriter<byte> output)
        {
            var blocks = new OutputBlocks(output, Length);
            WriteTo(ref blocks);
            blocks.Flush();
        }

        internal void WriteTo(ref OutputBlocks output)
        {
            if (!_bare) output.Write(Open);
            int distanceStart = 0;
            for (int i = 0; i < _count; i++)
            {
                if (i + CopiesAhead < _count)
                {
                    RenderingRef ahead = _renderings[i + CopiesAhead];
                    CacheHints.PrefetchRange(ahead.Array, ahead.Offset, Rendering.TotalLength(ahead.Array, ahead.Offset));
                }
                if (i > 0) output.Write((byte)',');
                RenderingRef rendering = _renderings[i];
                ReadOnlySpan<byte> json = Rendering.Json(rendering.Array, rendering.Offset);
                output.Write(json[..Rendering.Cut(rendering.Array, rendering.Offset)]);
                output.Write(_distances.AsSpan(distanceStart, _distanceEnds[i] - distanceStart));
                distanceStart = _distanceEnds[i];
                output.Write(json[Rendering.Resume(rendering.Array, rendering.Offset)..]);
            }
            if (!_bare) output.Write(Close);
        }

        public void Dispose()
        {
            if (_count >= 0)
            {
                _section?.Dispose();
                _section = null;
                ArrayPool<RenderingRef>.Shared.Return(_renderings, clearArray: true);
                ArrayPool<byte>.Shared.Return(_distances);
                ArrayPool<int>.Shared.Return(_distanceEnds);
                _renderings = [];
                _distances = [];
                _distanceEnds = [];
                _count = -1;
            }
        }
    }

    private byte[] Render(SearchItem item, in Fingerprint key, Style style)
    {
        if (style == Style.V3)
        {
            // No distance in the v3 shape: nothing to cut out.
            byte[] v3 = PooledJson.ToArray((Item: item, Links: _links), static (w, s) => V3ItemWriter.Write(w, s.Item, s.Links));
            return Rendering.Create(key, item.Version, v3, v3.Length, v3.Length);
        }
        bool second = style == Style.Second;
        var options = new ItemWriteOptions(_protector,
            ShowCompanyPhone: item.Source == Source.Company && second,
            WithDescription: item.Source == Source.Formation && second);
        using var buffer = new PooledBufferWriter(2048);
        using (var writer = new Utf8JsonWriter(buffer, PooledJson.WriterOptions))
        {
            // NaN renders the distance as a fixed token (null, or 0 for national offers), cut out below.
            ItemWriter.WriteItem(writer, item, double.NaN, options);
        }
        ReadOnlySpan<byte> json = buffer.WrittenSpan;
        // Inside a JSON string a quote is escaped, so this sequence can only be the property itself.
        int at = json.IndexOf(DistanceProperty);
        if (at < 0) throw new InvalidOperationException($"The {item.Source} item {item.Id} was written without a distance.");
        at += DistanceProperty.Length;
        int skip = json[at..].StartsWith("null"u8) ? 4 : 1;
        return Rendering.Create(key, item.Version, json, at, at + skip);
    }
}

/// <summary>
/// Copies into an output's blocks with one <c>GetSpan</c>/<c>Advance</c> per block rather than per piece: an answer
/// is some 1,600 small pieces (item JSON around its distance). Given the answer's length, it asks for all of it at
/// once: a response pipe then rents one buffer of that size instead of handing out 4 KB blocks (one lock and one
/// socket segment per answer instead of ~40; docs/api.md, "Assembling").
/// </summary>
internal ref struct OutputBlocks(IBufferWriter<byte> output, int expected = 0)
{
    private Span<byte> _block;
    private int _used;
    private int _expected = expected;

    public void Write(byte value)
    {
        if (_used == _block.Length) Next();
        _block[_used++] = value;
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        while (true)
        {
            Span<byte> free = _block[_used..];
            if (bytes.Length <= free.Length)
            {
                bytes.CopyTo(free);
                _used += bytes.Length;
                return;
            }
            bytes[..free.Length].CopyTo(free);
            _used += free.Length;
            bytes = bytes[free.Length..];
            Next();
        }
    }

    /// <summary>Advances the output past what was written (call once at the end).</summary>
    public void Flush()
    {
        if (_used > 0) output.Advance(_used);
        _block = default;
        _used = 0;
    }

    private void Next()
    {
        Flush();
        _block = output.GetSpan(Math.Max(_expected, 4096));
        _expected -= _block.Length;
    }
}
