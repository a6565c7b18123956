using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Alternance.Api.Json;

/// <summary>
/// Each item's JSON, written once and kept as UTF-8 bytes cut where the query's distance goes. Items are immutable
/// (an update is a new instance), so a rendering is keyed by the item instance and dies with it: a front co-hosted
/// with its silo reads the cells' own instances and writes a search answer by copying bytes. Without this, writing
/// 150–500 items (escaping, AES for the e-mails) was about a third of a search request's CPU.
/// </summary>
/// <remarks>
/// A rendering keeps the e-mail ciphertext and its random IV: the same item answers the same pair until it is
/// replaced or the process restarts (both decrypt to the address; nothing else about the item is secret).
/// </remarks>
public sealed class ItemFragments(IContactProtector protector)
{
    private static ReadOnlySpan<byte> DistanceProperty => "\"distance\":"u8;

    private readonly ConditionalWeakTable<SearchItem, Renderings> _renderings = new();

    /// <summary>Writes <c>{"results":[...]}</c> for the hits as one raw JSON value.</summary>
    public void WriteResults(Utf8JsonWriter w, Hit[] hits, bool showCompanyPhone, bool withDescription)
    {
        using var body = new PooledBufferWriter(Math.Max(1024, hits.Length * 1024));
        Append(body, "{\"results\":["u8);
        for (int i = 0; i < hits.Length; i++)
        {
            if (i > 0) Append(body, ","u8);
            SearchItem item = hits[i].Item;
            Fragment fragment = Get(item, Variant(item, showCompanyPhone, withDescription));
            Append(body, fragment.Head);
            WriteDistance(body, item.Source, hits[i].DistanceKm);
            Append(body, fragment.Tail);
        }
        Append(body, "]}"u8);
        w.WriteRawValue(body.WrittenSpan, skipInputValidation: true);
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
        Renderings renderings = _renderings.GetValue(item, static _ => new Renderings());
        return renderings.Variants[variant] ??= Render(item, variant);
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
    private static void WriteDistance(PooledBufferWriter body, Source source, double distance)
    {
        if (double.IsNaN(distance))
        {
            Append(body, source == Source.PeJob ? "0"u8 : "null"u8);
            return;
        }
        double rounded = Math.Round(distance, 2, MidpointRounding.AwayFromZero);
        Span<byte> span = body.GetSpan(32);
        if (!rounded.TryFormat(span, out int written, default, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("A distance did not fit in 32 bytes.");
        }
        body.Advance(written);
    }

    private static void Append(PooledBufferWriter body, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(body.GetSpan(bytes.Length));
        body.Advance(bytes.Length);
    }

    private sealed class Renderings
    {
        public readonly Fragment?[] Variants = new Fragment?[2];
    }

    /// <summary>An item's JSON before and after its distance value.</summary>
    private sealed class Fragment(byte[] head, byte[] tail)
    {
        public readonly byte[] Head = head;
        public readonly byte[] Tail = tail;
    }
}
