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
        var blocks = new OutputBlocks(output);
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

    public async Task SendAsync(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = Length;
        // Headers first: the body then goes straight into the connection's blocks (written before the response has
        // started, Kestrel stages it and copies it once more).
        await response.StartAsync(response.HttpContext.RequestAborted);
        PipeWriter body = response.BodyWriter;
        WriteTo(body);
        await body.FlushAsync(response.HttpContext.RequestAborted);
    }

    public void Dispose()
    {
        foreach (Part part in _parts) part.Results?.Dispose();
        _parts.Clear();
    }

    private readonly record struct Part(byte[]? Json, ItemRenderings.ResultList? Results);
}
