using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Alternance.Api.Json;
using Alternance.Api.Search;

namespace Alternance.Api.Jobs;

/// <summary>
/// <c>GET /api/v3/jobs/export</c> (<c>/job/v1/export</c>): every offer a v3 search can find — posted offers published for
/// third parties and national offers, none expired — as gzipped JSON Lines in the v3 shape, streamed cell by cell from
/// one directory snapshot at one instant (<see cref="Alternance.Search.SearchEngine.ListAllAsync"/>): the set searches
/// see at that moment. La bonne alternance answers a link to a file it writes every night, with the file's
/// <c>lastUpdate</c>; this service writes the file on request from the live set, and its <c>lastUpdate</c> (that
/// instant) is in the <c>Last-Modified</c> and <c>X-Last-Update</c> headers.
/// </summary>
public static class JobExport
{
    /// <summary>Lines handed to the compressor at a time: the response goes out as it is made.</summary>
    private const int FlushEvery = 256;

    /// <summary>The queries of the export: a v3 search's offers, with no filter.</summary>
    public static SourceQuery[] Queries(long asOf) =>
    [
        new SourceQuery { Source = Source.Matcha, MultiPublishedOnly = true, AsOf = asOf },
        new SourceQuery { Source = Source.PeJob, AsOf = asOf },
    ];

    public static async Task Send(HttpContext context)
    {
        IServiceProvider services = context.RequestServices;
        var backend = services.GetRequiredService<ISearchBackend>();
        var links = services.GetRequiredService<V3Links>();
        DateTimeOffset at = DateTimeOffset.FromUnixTimeMilliseconds(services.GetRequiredService<Alternance.Search.SearchEngine>().Now);
        // Items come out of their cells one chunk at a time; the first chunk is read before anything is sent, so a
        // cluster that does not answer is a 503 with a body, not a truncated file.
        await using IAsyncEnumerator<SearchItem> items = backend.ListAllAsync(Queries(at.ToUnixTimeMilliseconds()), context.RequestAborted)
            .GetAsyncEnumerator(context.RequestAborted);
        bool any = await items.MoveNextAsync();

        HttpResponse response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/gzip";
        response.Headers.ContentDisposition = "attachment; filename=\"jobs.jsonl.gz\"";
        response.Headers.LastModified = at.ToString("R", CultureInfo.InvariantCulture);
        response.Headers["X-Last-Update"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        response.Headers.CacheControl = "no-store";
        // Lines are written to a buffer, then compressed into the response asynchronously (Kestrel allows no blocking writes).
        await using var gzip = new GZipStream(response.Body, CompressionLevel.Fastest, leaveOpen: true);
        var line = new System.Buffers.ArrayBufferWriter<byte>(4096);
        await using var writer = new Utf8JsonWriter(line, PooledJson.WriterOptions);
        int written = 0;
        while (any)
        {
            V3ItemWriter.Write(writer, items.Current, links);
            writer.Flush();
            System.Buffers.BuffersExtensions.Write(line, "\n"u8);
            if (++written % FlushEvery == 0 || line.WrittenCount > 64 * 1024)
            {
                await gzip.WriteAsync(line.WrittenMemory, context.RequestAborted);
                line.ResetWrittenCount();
            }
            writer.Reset(line);
            // A failure past this point (headers sent) aborts the response: the client sees a broken gzip stream, never
            // a complete-looking file with offers missing.
            any = await items.MoveNextAsync();
        }
        await gzip.WriteAsync(line.WrittenMemory, context.RequestAborted);
    }
}
