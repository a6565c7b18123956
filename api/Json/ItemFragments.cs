using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Text.Json;

namespace Alternance.Api.Json;

/// <summary>
/// Each item's JSON, written once and kept as UTF-8 bytes cut where the query's distance goes. Items are immutable
/// (an update is a new instance), so a rendering is kept on the item instance (<see cref="SearchItem.FrontCache"/>) and
/// dies with it: a front co-hosted with its silo reads the cells' own instances and writes a search answer by copying bytes. Without this, writing
/// 150–500 items (escaping, AES for the e-mails) was about a third of a search request's CPU.
/// </summary>
/// <remarks>
/// A rendering keeps the e-mail ciphertext and its random IV: the same item answers the same pair until it is
/// replaced or the process restarts (both decrypt to the address; nothing else about the item is secret).
/// </remarks>
public sealed class ItemFragments(IContactProtector protector)
{
    private static ReadOnlySpan<byte> DistanceProperty => "\"distance\":"u8;
    private const int ItemsAhead = 16;
    private const int RenderingsAhead = 8;

    /// <summary>
    /// Marks this front's renderings: two fronts in one process (tests) may have different keys for the e-mails, and
    /// each must write its own. Random, so that no counter is shared between fronts.
    /// </summary>
    private readonly int _tag = Random.Shared.Next(1, int.MaxValue);

    /// <summary>The other rendering (descriptions for trainings, phones for companies), asked for by few requests: kept
    /// beside the item, for as long as it lives.</summary>
    private readonly ConditionalWeakTable<SearchItem, byte[]> _second = new();

    /// <summary>
    /// The hits' <c>{"results":[...]}</c>, resolved and measured but not yet written: a search answer adds up its parts'
    /// lengths to send a Content-Length, then writes each part straight into the response.
    /// </summary>
    /// <param name="source">The source of every hit (a result list never mixes sources).</param>
    public ResultList Resolve(Hit[] hits, Source source, bool showCompanyPhone, bool withDescription)
    {
        bool second = source switch
        {
            Source.Formation => withDescription,
            Source.Company => showCompanyPhone,
            _ => false,
        };
        var list = new ResultList(hits.Length);
        for (int i = 0; i < hits.Length; i++)
        {
            // Items and their renderings are scattered over the heap: ask for the ones a few results ahead now, so that
            // their cache misses overlap instead of coming one after another.
            if (i + ItemsAhead < hits.Length) CacheHints.Prefetch(hits[i + ItemsAhead].Item);
            if (i + RenderingsAhead < hits.Length && hits[i + RenderingsAhead].Item.FrontCache is byte[] ahead) CacheHints.Prefetch(ahead);
            list.Add(Get(hits[i].Item, second), source, hits[i].DistanceKm);
        }
        return list;
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

        private byte[][] _renderings;
        private byte[] _distances;
        private int[] _distanceEnds;
        private int _count;
        private int _distanceBytes;

        /// <summary>Bytes <see cref="WriteTo(IBufferWriter{byte})"/> writes.</summary>
        public int Length { get; private set; }

        internal ResultList(int capacity)
        {
            _renderings = ArrayPool<byte[]>.Shared.Rent(Math.Max(1, capacity));
            _distances = ArrayPool<byte>.Shared.Rent(Math.Max(1, capacity) * MaxDistanceBytes);
            _distanceEnds = ArrayPool<int>.Shared.Rent(Math.Max(1, capacity));
            Length = Open.Length + Close.Length + Math.Max(0, capacity - 1); // brackets and commas
        }

        internal void Add(byte[] rendering, Source source, double distance)
        {
            _renderings[_count] = rendering;
            int written = FormatDistance(_distances.AsSpan(_distanceBytes), source, distance);
            _distanceBytes += written;
            _distanceEnds[_count] = _distanceBytes;
            _count++;
            // Read from the header, the JSON's first line: the rest is not touched until it is copied.
            Length += Rendering.Length(rendering) + written;
        }

        public void WriteTo(IBufferWriter<byte> output)
        {
            var blocks = new OutputBlocks(output);
            WriteTo(ref blocks);
            blocks.Flush();
        }

        internal void WriteTo(ref OutputBlocks output)
        {
            output.Write(Open);
            int distanceStart = 0;
            for (int i = 0; i < _count; i++)
            {
                if (i + CopiesAhead < _count) CacheHints.PrefetchAll(_renderings[i + CopiesAhead]);
                if (i > 0) output.Write((byte)',');
                byte[] rendering = _renderings[i];
                ReadOnlySpan<byte> json = Rendering.Json(rendering);
                output.Write(json[..Rendering.Cut(rendering)]);
                output.Write(_distances.AsSpan(distanceStart, _distanceEnds[i] - distanceStart));
                distanceStart = _distanceEnds[i];
                output.Write(json[Rendering.Resume(rendering)..]);
            }
            output.Write(Close);
        }

        public void Dispose()
        {
            if (_count >= 0)
            {
                ArrayPool<byte[]>.Shared.Return(_renderings, clearArray: true);
                ArrayPool<byte>.Shared.Return(_distances);
                ArrayPool<int>.Shared.Return(_distanceEnds);
                _renderings = [];
                _distances = [];
                _distanceEnds = [];
                _count = -1;
            }
        }
    }

    private byte[] Get(SearchItem item, bool second)
    {
        // Kept on the item itself, one array (header and JSON) directly: a side table, a holder object, then an object
        // beside its array each cost a cache miss per result.
        if (item.FrontCache is not byte[] first || Rendering.Tag(first) != _tag)
        {
            item.FrontCache = first = Render(item, second: false);
        }
        if (!second) return first;
        if (!_second.TryGetValue(item, out byte[]? other))
        {
            other = _second.GetValue(item, i => Render(i, second: true));
        }
        return other;
    }

    private byte[] Render(SearchItem item, bool second)
    {
        var options = new ItemWriteOptions(protector,
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
        return Rendering.Create(_tag, json, at, at + skip);
    }

    /// <summary>As <see cref="ItemWriter"/> writes it: 2 decimals; in listings null, or 0 for national offers (§3.6).</summary>
    internal static int FormatDistance(Span<byte> destination, Source source, double distance)
    {
        if (double.IsNaN(distance))
        {
            ReadOnlySpan<byte> text = source == Source.PeJob ? "0"u8 : "null"u8;
            text.CopyTo(destination);
            return text.Length;
        }
        // Math.Round(d, 2, AwayFromZero) is Round(d × 100) / 100, and the shortest text of k / 100 is k's digits with
        // the point two places in (trailing zeros dropped): integer formatting, not the general double formatter.
        double hundredths = Math.Round(distance * 100, MidpointRounding.AwayFromZero);
        if (!(hundredths >= 0 && hundredths < 1e15))
        {
            throw new InvalidOperationException($"A distance of {distance} km is out of range.");
        }
        long k = (long)hundredths;
        long whole = k / 100;
        int fraction = (int)(k - whole * 100);
        int written = WriteDigits(destination, (ulong)whole);
        if (fraction != 0)
        {
            destination[written++] = (byte)'.';
            destination[written++] = (byte)('0' + fraction / 10);
            if (fraction % 10 != 0) destination[written++] = (byte)('0' + fraction % 10);
        }
        return written;
    }

    /// <summary>A non-negative integer's decimal digits (the general formatter looks up culture data per call).</summary>
    private static int WriteDigits(Span<byte> destination, ulong value)
    {
        int digits = 1;
        for (ulong rest = value / 10; rest != 0; rest /= 10) digits++;
        for (int at = digits - 1; at >= 0; at--)
        {
            ulong next = value / 10;
            destination[at] = (byte)('0' + (int)(value - next * 10));
            value = next;
        }
        return digits;
    }

    /// <summary>
    /// An item's rendering as one array: a header (the front's tag, where the distance is cut out, where the JSON
    /// resumes), then the JSON: <c>Json[..Cut]</c>, the distance, <c>Json[Resume..]</c>.
    /// </summary>
    internal static class Rendering
    {
        private const int HeaderBytes = 12;

        public static byte[] Create(int tag, ReadOnlySpan<byte> json, int cut, int resume)
        {
            byte[] rendering = new byte[HeaderBytes + json.Length];
            BinaryPrimitives.WriteInt32LittleEndian(rendering, tag);
            BinaryPrimitives.WriteInt32LittleEndian(rendering.AsSpan(4), cut);
            BinaryPrimitives.WriteInt32LittleEndian(rendering.AsSpan(8), resume);
            json.CopyTo(rendering.AsSpan(HeaderBytes));
            return rendering;
        }

        public static int Tag(byte[] rendering) => BinaryPrimitives.ReadInt32LittleEndian(rendering);

        public static int Cut(byte[] rendering) => BinaryPrimitives.ReadInt32LittleEndian(rendering.AsSpan(4));

        public static int Resume(byte[] rendering) => BinaryPrimitives.ReadInt32LittleEndian(rendering.AsSpan(8));

        public static ReadOnlySpan<byte> Json(byte[] rendering) => rendering.AsSpan(HeaderBytes);

        /// <summary>Bytes written for the item, its distance aside.</summary>
        public static int Length(byte[] rendering) => rendering.Length - HeaderBytes - (Resume(rendering) - Cut(rendering));
    }
}

/// <summary>
/// Copies into an output's blocks with one <c>GetSpan</c>/<c>Advance</c> per block rather than per piece: an answer
/// is some 1,600 small pieces (item JSON around its distance), and a response pipe hands out 4 KB blocks.
/// </summary>
internal ref struct OutputBlocks(IBufferWriter<byte> output)
{
    private Span<byte> _block;
    private int _used;

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
        _block = output.GetSpan(4096);
    }
}

/// <summary>Software prefetches: hints to start loading memory that is about to be read (never faults, may be ignored).</summary>
internal static unsafe class CacheHints
{
    /// <summary>The first cache line of an object (its header and first fields).</summary>
    public static void Prefetch(object? value)
    {
        if (Sse.IsSupported && value is not null)
        {
            // The address is only a hint: if the object moves meanwhile, the prefetch is wasted, nothing else.
            Sse.Prefetch0(*(void**)Unsafe.AsPointer(ref value));
        }
    }

    /// <summary>Every cache line of an array.</summary>
    public static void PrefetchAll(byte[] array)
    {
        if (!Sse.IsSupported) return;
        byte* start = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        for (int offset = 0; offset < array.Length; offset += 64)
        {
            Sse.Prefetch0(start + offset);
        }
    }
}
