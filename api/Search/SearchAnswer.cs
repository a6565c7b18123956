using System.Buffers;
using System.IO.Pipelines;
using Alternance.Api.Json;

namespace Alternance.Api.Search;

/// <summary>
/// A search answer as parts: fixed JSON text, and result lists assembled from cached item JSON. The parts are measured
/// first, so the answer goes out with its Content-Length, written straight into the response pipe: no body-sized buffer
/// is rented, grown and copied per request (a 160 KB answer was copied three times through such buffers).
/// </summary>
public sealed class SearchAnswer : IDisposable
{
    private readonly List<Part> _parts = new(12);

    /// <summary>Bytes the answer's body holds.</summary>
    public int Length { get; private set; }

    public void Add(byte[] json)
    {
        _parts.Add(new Part(json, null));
        Length += json.Length;
    }

    public void Add(ItemRenderings.ResultList results)
    {
        _parts.Add(new Part(null, results));
        Length += results.Length;
    }

    /// <summary>Writes the whole body (to a response pipe, or any buffer in tests).</summary>
    public void WriteTo(IBufferWriter<byte> output)
    {
        var blocks = new OutputBlocks(output, Length);
        foreach (Part part in _parts)
        {
            if (part.Results is { } results)
            {
                results.WriteTo(ref blocks);
            }
            else
            {
                blocks.Write(part.Json);
            }
        }
        blocks.Flush();
    }

    /// <param name="etag">The answer's entity tag for this coding; null for an answer that must not be kept (a source failed).</param>
    public async Task SendAsync(HttpResponse response, string? etag, ContentCoding coding)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        AnswerHeaders.Set(response, etag);
        if (coding != ContentCoding.Identity)
        {
            using var compressed = new CompressedBody(coding);
            WriteTo(compressed);
            Dispose();
            compressed.Complete();
            response.Headers.ContentEncoding = ContentCodings.HeaderValue(coding);
            await WholeBody.SendAsync(response, compressed.Compressed);
            return;
        }
        response.ContentLength = Length;
        // Headers first: the body then goes straight into one buffer of the connection's pipe, asked for its whole
        // length (written before the response has started, Kestrel stages it and copies it once more).
        await response.StartAsync(response.HttpContext.RequestAborted);
        PipeWriter body = response.BodyWriter;
        WriteTo(body);
        // The renderings are copied: let the front's arena reuse their segments while the client reads.
        Dispose();
        await body.FlushAsync(response.HttpContext.RequestAborted);
    }

    public void Dispose()
    {
        foreach (Part part in _parts) part.Results?.Dispose();
        _parts.Clear();
    }

    private readonly record struct Part(byte[]? Json, ItemRenderings.ResultList? Results);
}

/// <summary>The caching headers of the read routes' answers.</summary>
internal static class AnswerHeaders
{
    /// <summary>How long a client or shared cache may reuse an answer without asking: answers change with feeds and offers.</summary>
    public const string Reusable = "public, max-age=30";

    /// <summary>Sets <c>ETag</c> and <c>Cache-Control</c> (<c>no-store</c> without a tag) and <c>Vary: Accept-Encoding</c>.</summary>
    public static void Set(HttpResponse response, string? etag)
    {
        var headers = response.Headers;
        headers.Vary = "Accept-Encoding";
        if (etag is null)
        {
            headers.CacheControl = "no-store";
            return;
        }
        headers.ETag = etag;
        headers.CacheControl = Reusable;
    }
}

/// <summary>
/// Marks the read routes that negotiate their own coding and entity tags (<see cref="EncodedJson"/>, search answers):
/// the response-compression middleware leaves them alone.
/// </summary>
public sealed class SelfEncodedAnswer
{
    public static readonly SelfEncodedAnswer Instance = new();
}

/// <summary>A small JSON answer sent as the search answers are: entity tag, 304, coding, caching headers.</summary>
internal static class EncodedJson
{
    public static async Task SendAsync(HttpContext context, ReadOnlyMemory<byte> json, string hash)
    {
        HttpResponse response = context.Response;
        ContentCoding coding = ContentCodings.Negotiate(context.Request);
        string etag = ContentCodings.EntityTag(hash, coding);
        AnswerHeaders.Set(response, etag);
        if (AnswerTag.Matches(context.Request.Headers.IfNoneMatch, etag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        if (coding == ContentCoding.Identity)
        {
            await WholeBody.SendAsync(response, json);
            return;
        }
        using var compressed = new CompressedBody(coding);
        // In pieces of the encoder's staging (16 KB for gzip): copied whole, a larger answer overflowed it.
        ReadOnlySpan<byte> rest = json.Span;
        while (!rest.IsEmpty)
        {
            Span<byte> room = compressed.GetSpan(rest.Length);
            int n = Math.Min(room.Length, rest.Length);
            rest[..n].CopyTo(room);
            compressed.Advance(n);
            rest = rest[n..];
        }
        compressed.Complete();
        response.Headers.ContentEncoding = ContentCodings.HeaderValue(coding);
        await WholeBody.SendAsync(response, compressed.Compressed);
    }
}

/// <summary>
/// Sends a body held whole as the search answers send theirs: headers first, then the body copied once into one buffer
/// of the response pipe (asked for its whole length: the pipe rents it rather than cutting it into 4 KB blocks), one
/// flush. Written before the response has started, Kestrel would stage the body and copy it once more.
/// </summary>
internal static class WholeBody
{
    public static async Task SendAsync(HttpResponse response, ReadOnlyMemory<byte> body)
    {
        response.ContentLength = body.Length;
        CancellationToken aborted = response.HttpContext.RequestAborted;
        await response.StartAsync(aborted);
        if (body.Length > 0)
        {
            PipeWriter writer = response.BodyWriter;
            body.Span.CopyTo(writer.GetSpan(body.Length));
            writer.Advance(body.Length);
        }
        await response.BodyWriter.FlushAsync(aborted);
    }
}
