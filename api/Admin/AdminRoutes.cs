using System.IO.Compression;
using System.Text.Json;
using Alternance.Api.Security;
using Alternance.Data;
using Alternance.Grains;
using Alternance.Search;
using Microsoft.AspNetCore.Http.Features;

namespace Alternance.Api.Admin;

/// <summary>
/// Bulk ingestion with the admin key (docs/contract.md#feeds): <c>PUT /api/admin/import/{feed}?mode=replace|upsert</c> with a
/// JSON Lines body (gzip accepted, by <c>Content-Encoding: gzip</c> or by its magic bytes), answering the import report
/// with each refused line; <c>DELETE /api/admin/{feed}/{id}</c>. A replace swaps the whole feed in one step; replacing the
/// recruiters feed keeps the recruiters created through the API (they live in the cells' posted slots).
/// </summary>
public static class AdminRoutes
{
    public static IEndpointRouteBuilder MapAdminRoutes(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder admin = app.MapGroup("/api/admin").WithTags("Admin");
        admin.MapPut("/import/{feed}", Import).DisableRequestTimeout();
        admin.MapDelete("/{feed}/{id}", Delete);
        return app;
    }

    private static async Task<IResult> Import(string feed, HttpContext context, ApiKeys keys, FeedImporter importer, ILoggerFactory loggers)
    {
        if (keys.AuthenticateAdmin(context.Request) is { } denied) return denied;
        if (!Sources.TryParseFeedName(feed, out Source source))
        {
            return Boom.NotFound($"Unknown feed '{feed}': formations, peJobs, recruiters or companies");
        }
        string mode = context.Request.Query["mode"].ToString();
        if (mode.Length == 0) mode = "replace";
        if (mode is not ("replace" or "upsert"))
        {
            return Boom.BadRequest("mode must be replace or upsert");
        }
        // Feeds are large: no body size limit on this route.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = null;
        }
        Stream body = context.Request.Body;
        string encoding = context.Request.Headers.ContentEncoding.ToString();
        if (encoding.Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            body = new GZipStream(body, CompressionMode.Decompress, leaveOpen: true);
        }
        else if (encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return Boom.Result(StatusCodes.Status415UnsupportedMediaType, $"Unsupported Content-Encoding '{encoding}' (gzip or none)");
        }

        ImportSession session;
        try
        {
            session = mode == "replace" ? await importer.BeginReplaceAsync(source) : await importer.BeginUpsertAsync(source);
        }
        catch (ReplaceInProgressException e)
        {
            return Boom.Result(StatusCodes.Status409Conflict, e.Message);
        }
        await using (session)
        {
            FeedReport read;
            try
            {
                read = await FeedReader.ReadAsync(body, source, batch => session.AddAsync(batch), ImportSession.Chunk, context.RequestAborted);
            }
            catch (InvalidDataException e)
            {
                return Boom.BadRequest($"The body is not valid gzip: {e.Message}");
            }
            ImportReport report = await session.CommitAsync();
            loggers.CreateLogger("Alternance.Api.Admin").LogInformation(
                "Imported {Feed} ({Mode}): {Items} items, {Rejected} lines refused, {Cells} cells in {Elapsed:0.0} s",
                source.FeedName(), mode, report.Items, read.Rejected + report.Rejected, report.Cells, report.Elapsed.TotalSeconds);
            return new JsonBody(StatusCodes.Status200OK, w => WriteReport(w, source, mode, read, report));
        }
    }

    private static void WriteReport(Utf8JsonWriter w, Source source, string mode, FeedReport read, ImportReport report)
    {
        w.WriteStartObject();
        w.WriteString("feed", source.FeedName());
        w.WriteString("mode", mode);
        w.WriteNumber("generation", report.Generation);
        w.WriteNumber("lines", read.Lines);
        w.WriteNumber("items", report.Items);
        w.WriteNumber("rejected", read.Rejected + report.Rejected);
        w.WriteNumber("cells", report.Cells);
        w.WriteNumber("elapsedMs", Math.Round(report.Elapsed.TotalMilliseconds));
        w.WritePropertyName("errors");
        w.WriteStartArray();
        foreach (FeedError error in read.Errors)
        {
            w.WriteStartObject();
            w.WriteNumber("line", error.Line);
            w.WriteString("reason", error.Reason);
            w.WriteEndObject();
        }
        foreach (string error in report.Errors)
        {
            w.WriteStartObject();
            w.WriteNull("line");
            w.WriteString("reason", error);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteBoolean("errorsTruncated", read.ErrorsTruncated);
        w.WriteEndObject();
    }

    private static async Task<IResult> Delete(string feed, string id, HttpContext context, ApiKeys keys, FeedImporter importer,
        IGrainFactory grains, DirectoryCache directory)
    {
        if (keys.AuthenticateAdmin(context.Request) is { } denied) return denied;
        if (!Sources.TryParseFeedName(feed, out Source source))
        {
            return Boom.NotFound($"Unknown feed '{feed}': formations, peJobs, recruiters or companies");
        }
        if (await importer.DeleteAsync(source, id))
        {
            return Results.NoContent();
        }
        // An offer posted through the API is not in the feed: its recruiter takes it out of search.
        if (source == Source.Matcha && WriteIds.IsObjectId(id) &&
            await grains.GetGrain<IJobOfferGrain>(id).GetEstablishment() is { } establishment)
        {
            IRecruiterGrain recruiter = grains.GetGrain<IRecruiterGrain>(establishment);
            RecruiterRecord? record = await recruiter.Get();
            if (record?.Jobs.FirstOrDefault(j => j.Id == id) is { Status: "Active" })
            {
                await recruiter.Apply(id, JobAction.AdminDelete);
                await directory.RefreshAsync();
                return Results.NoContent();
            }
        }
        return Boom.NotFound($"No {source.FeedName()} item with id '{id}'");
    }
}
