using System.Buffers;
using System.Globalization;
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


    /// <summary>
    /// The hits' <c>{"results":[...]}</c>, resolved and measured but not yet written: a search answer adds up its parts'
    /// lengths to send a Content-Length, then writes each part straight into the response.
    /// </summary>
    public ResultList Resolve(Hit[] hits, bool showCompanyPhone, bool withDescription)
    {
        var list = new ResultList(hits.Length);
        for (int i = 0; i < hits.Length; i++)
        {
            SearchItem item = hits[i].Item;
            list.Add(Get(item, Variant(item, showCompanyPhone, withDescription)), item.Source, hits[i].DistanceKm);
        }
        return list;
    }

    /// <summary>Resolved fragments and their formatted distances, on pooled arrays (dispose to return them).</summary>
    public sealed class ResultList : IDisposable
    {
        private static ReadOnlySpan<byte> Open => "{\"results\":["u8;
        private static ReadOnlySpan<byte> Close => "]}"u8;
        /// <summary>Longest distance text: "null", or a number rounded to 2 decimals (well under 24 bytes).</summary>
        private const int MaxDistanceBytes = 24;

        private Fragment[] _fragments;
        private byte[] _distances;
        private int[] _distanceEnds;
        private int _count;
        private int _distanceBytes;

        /// <summary>Bytes <see cref="WriteTo"/> writes.</summary>
        public int Length { get; private set; }

        internal ResultList(int capacity)
        {
            _fragments = ArrayPool<Fragment>.Shared.Rent(Math.Max(1, capacity));
            _distances = ArrayPool<byte>.Shared.Rent(Math.Max(1, capacity) * MaxDistanceBytes);
            _distanceEnds = ArrayPool<int>.Shared.Rent(Math.Max(1, capacity));
            Length = Open.Length + Close.Length + Math.Max(0, capacity - 1); // brackets and commas
        }

        internal void Add(Fragment fragment, Source source, double distance)
        {
            _fragments[_count] = fragment;
            int written = FormatDistance(_distances.AsSpan(_distanceBytes), source, distance);
            _distanceBytes += written;
            _distanceEnds[_count] = _distanceBytes;
            _count++;
            Length += fragment.Head.Length + written + fragment.Tail.Length;
        }

        public void WriteTo(IBufferWriter<byte> output)
        {
            Copy(output, Open);
            int distanceStart = 0;
            for (int i = 0; i < _count; i++)
            {
                if (i > 0) Copy(output, ","u8);
                Copy(output, _fragments[i].Head);
                Copy(output, _distances.AsSpan(distanceStart, _distanceEnds[i] - distanceStart));
                distanceStart = _distanceEnds[i];
                Copy(output, _fragments[i].Tail);
            }
            Copy(output, Close);
        }

        public void Dispose()
        {
            if (_count >= 0)
            {
                ArrayPool<Fragment>.Shared.Return(_fragments, clearArray: true);
                ArrayPool<byte>.Shared.Return(_distances);
                ArrayPool<int>.Shared.Return(_distanceEnds);
                _fragments = [];
                _distances = [];
                _distanceEnds = [];
                _count = -1;
            }
        }

        /// <summary>Copies into the output's spans, whatever their size (a response pipe hands out 4 KB blocks).</summary>
        private static void Copy(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
        {
            while (bytes.Length > 0)
            {
                Span<byte> span = output.GetSpan(Math.Min(bytes.Length, 4096));
                int n = Math.Min(span.Length, bytes.Length);
                bytes[..n].CopyTo(span);
                output.Advance(n);
                bytes = bytes[n..];
            }
        }
    }

    /// <summary>Which of an item's two renderings a request needs: descriptions (trainings) or phones (companies).</summary>
    private static int Variant(SearchItem item, bool showCompanyPhone, bool withDescription) => item.Source switch
    {
        Source.Formation => withDescription ? 1 : 0,
        Source.Company => showCompanyPhone ? 1 : 0,
        _ => 0,
    };

    private Fragment Get(SearchItem item, int variant)
    {
        // Kept on the item itself (one pointer away): a side table cost a string of cache misses per result.
        // Owned: two fronts in one process (tests) may have different keys for the e-mails.
        if (item.FrontCache is not Renderings renderings || !ReferenceEquals(renderings.Owner, this))
        {
            item.FrontCache = renderings = new Renderings(this);
        }
        return variant == 0 ? renderings.First ??= Render(item, 0) : renderings.Second ??= Render(item, 1);
    }

    private Fragment Render(SearchItem item, int variant)
    {
        var options = new ItemWriteOptions(protector,
            ShowCompanyPhone: item.Source == Source.Company && variant == 1,
            WithDescription: item.Source == Source.Formation && variant == 1);
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
        return new Fragment(json[..at].ToArray(), json[(at + skip)..].ToArray());
    }

    /// <summary>As <see cref="ItemWriter"/> writes it: 2 decimals; in listings null, or 0 for national offers (§3.6).</summary>
    private static int FormatDistance(Span<byte> destination, Source source, double distance)
    {
        if (double.IsNaN(distance))
        {
            ReadOnlySpan<byte> text = source == Source.PeJob ? "0"u8 : "null"u8;
            text.CopyTo(destination);
            return text.Length;
        }
        double rounded = Math.Round(distance, 2, MidpointRounding.AwayFromZero);
        if (!rounded.TryFormat(destination, out int written, default, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("A distance did not fit in its buffer.");
        }
        return written;
    }

    private sealed class Renderings(ItemFragments owner)
    {
        public readonly ItemFragments Owner = owner;
        public Fragment? First;
        public Fragment? Second;
    }

    /// <summary>An item's JSON before and after its distance value.</summary>
    internal sealed class Fragment(byte[] head, byte[] tail)
    {
        public readonly byte[] Head = head;
        public readonly byte[] Tail = tail;
    }
}
