using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using Alternance.Api.Validation;
using Alternance.Search;

namespace Alternance.Api.Search;

/// <summary>
/// A search answer's entity tag: a hash of what the answer is made of — for each source, the generation it was read at
/// and every hit's id fingerprint, version and distance — and of the options that shape the writing. Items are
/// versioned by every write and their JSON is the same on every front (e-mail IVs are derived, not drawn), so equal tags
/// mean equal bytes: a strong validator, computed before anything is written, so a matching <c>If-None-Match</c>
/// answers 304 without assembling the body.
/// </summary>
internal static class AnswerTag
{
    /// <summary>Changes when the way items are written changes (a new release's JSON must not match an old tag).</summary>
    private const ulong WritingFormat = 1;
    private const int BytesPerHit = 32;

    /// <returns>The tag's 16 hex digits, or null when a source failed (a partial answer is not cached).</returns>
    public static string? Of(SearchKind kind, ReadOnlySpan<Slot> slots, bool showPhone, bool withDescription)
    {
        int hits = 0;
        foreach (var (requested, outcome) in slots)
        {
            if (!requested) continue;
            if (outcome?.Error is not null) return null;
            hits += outcome?.Hits.Length ?? 0;
        }
        int size = 16 + slots.Length * 16 + hits * BytesPerHit;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            Span<byte> data = buffer.AsSpan(0, size);
            BinaryPrimitives.WriteUInt64LittleEndian(data, WritingFormat);
            BinaryPrimitives.WriteUInt64LittleEndian(data[8..], (ulong)kind | (showPhone ? 1UL << 8 : 0) | (withDescription ? 1UL << 9 : 0));
            int at = 16;
            foreach (var (requested, outcome) in slots)
            {
                // Per source: whether it is in the answer, its generation and how many hits follow.
                BinaryPrimitives.WriteInt64LittleEndian(data[at..], requested ? outcome?.Generation ?? -1 : -2);
                BinaryPrimitives.WriteInt64LittleEndian(data[(at + 8)..], outcome?.Hits.Length ?? 0);
                at += 16;
                if (outcome is null) continue;
                foreach (Hit hit in outcome.Hits)
                {
                    Span<byte> entry = data.Slice(at, BytesPerHit);
                    BinaryPrimitives.WriteUInt64LittleEndian(entry, hit.Key.Low);
                    BinaryPrimitives.WriteUInt64LittleEndian(entry[8..], hit.Key.High);
                    BinaryPrimitives.WriteInt64LittleEndian(entry[16..], hit.Version);
                    BinaryPrimitives.WriteInt64LittleEndian(entry[24..], BitConverter.DoubleToInt64Bits(hit.DistanceKm));
                    at += BytesPerHit;
                }
            }
            return XxHash3.HashToUInt64(data).ToString("x16");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>One item's answer (the item routes): its source, id and version, and the writing options (and shape: v1 or v3).</summary>
    public static string Of(SearchItem item, bool showPhone, bool withDescription, bool v3 = false)
    {
        Span<byte> head = stackalloc byte[32];
        BinaryPrimitives.WriteUInt64LittleEndian(head, WritingFormat);
        BinaryPrimitives.WriteUInt64LittleEndian(head[8..], (ulong)item.Source | (showPhone ? 1UL << 8 : 0) | (withDescription ? 1UL << 9 : 0)
            | (v3 ? 1UL << 10 : 0));
        BinaryPrimitives.WriteInt64LittleEndian(head[16..], item.Version);
        Fingerprint key = Fingerprint.Of(item.Id);
        BinaryPrimitives.WriteUInt64LittleEndian(head[24..], key.Low ^ key.High);
        return XxHash3.HashToUInt64(head).ToString("x16");
    }

    /// <summary>Whether an <c>If-None-Match</c> header names this entity tag (or is <c>*</c>).</summary>
    public static bool Matches(string? ifNoneMatch, string etag)
    {
        if (string.IsNullOrEmpty(ifNoneMatch)) return false;
        ReadOnlySpan<char> rest = ifNoneMatch;
        while (!rest.IsEmpty)
        {
            int comma = rest.IndexOf(',');
            ReadOnlySpan<char> candidate = (comma < 0 ? rest : rest[..comma]).Trim();
            rest = comma < 0 ? default : rest[(comma + 1)..];
            if (candidate is "*") return true;
            // If-None-Match uses the weak comparison: W/"x" matches "x".
            if (candidate.StartsWith("W/", StringComparison.Ordinal)) candidate = candidate[2..];
            if (candidate.SequenceEqual(etag)) return true;
        }
        return false;
    }
}
