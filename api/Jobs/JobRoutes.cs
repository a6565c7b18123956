using System.Text.Json;
using Alternance.Api.Docs;
using Alternance.Api.Json;
using Alternance.Api.Search;
using Alternance.Api.Security;
using Alternance.Api.Validation;
using Alternance.Data;
using Alternance.Search;

namespace Alternance.Api.Jobs;

/// <summary>
/// The job routes La bonne alternance serves since 2025 (reference §1.13), as the API Apprentissage gateway names them
/// too: <c>GET /api/v3/jobs/search</c> (<c>/job/v1/search</c>) and <c>GET /api/v3/jobs/{id}</c> (<c>/job/v1/offer/{id}</c>).
/// The same engine path as the v1 routes: one engine call for the three sources, answers assembled from the front's item
/// JSON (<see cref="ItemRenderings.ResolveV3Async"/>), entity tags from the hits.
/// </summary>
public static class JobRoutes
{
    /// <summary>A search whose items changed before they were rendered is run again, at most this many times in all.</summary>
    private const int Attempts = 3;

    public static IEndpointRouteBuilder MapJobRoutes(this IEndpointRouteBuilder app)
    {
        foreach (string path in (string[])["/api/v3/jobs/search", "/job/v1/search"])
        {
            app.MapGet(path, (HttpContext context, CancellationToken _) => Search(context))
                .WithMetadata(SelfEncodedAnswer.Instance).WithName(path.StartsWith("/job", StringComparison.Ordinal) ? "jobSearchGateway" : "jobSearchV3")
                .WithJobSearchDocs();
        }
        foreach (string path in (string[])["/api/v3/jobs/export", "/job/v1/export"])
        {
            app.MapGet(path, (HttpContext context, CancellationToken _) => JobExport.Send(context))
                .WithMetadata(SelfEncodedAnswer.Instance).WithName(path.StartsWith("/job", StringComparison.Ordinal) ? "jobExportGateway" : "jobExportV3")
                .WithJobExportDocs();
        }
        foreach (string path in (string[])["/api/v3/jobs/{id}", "/job/v1/offer/{id}"])
        {
            app.MapGet(path, (HttpContext context, string id) => Offer(context, id))
                .WithMetadata(SelfEncodedAnswer.Instance).WithName(path.StartsWith("/job", StringComparison.Ordinal) ? "jobOfferGateway" : "jobOfferV3")
                .WithJobOfferDocs();
        }
        return app;
    }

    private static async Task Search(HttpContext context)
    {
        IServiceProvider services = context.RequestServices;
        var (request, error) = JobSearchRequest.Read(context.Request.Query, services.GetRequiredService<ReferenceData>());
        if (request is null)
        {
            await error!.ExecuteAsync(context);
            return;
        }
        var (offers, national, recruiters) = request.Plan();
        SourceQuery?[] planned = [offers, national, recruiters];
        var queries = new List<SourceQuery>(3);
        foreach (SourceQuery? q in planned) if (q is not null) queries.Add(q);
        var renderings = services.GetRequiredService<ItemRenderings>();
        for (int attempt = 1; ; attempt++)
        {
            SearchOutcome[] outcomes = queries.Count == 0
                ? []
                : await services.GetRequiredService<ISearchBackend>().SearchAsync(queries, context.RequestAborted);
            // Slots in source order (the tag's layout); posted offers cut to the cap (their query counted recruiters).
            var slots = new Slot[Sources.Count];
            int k = 0;
            for (int p = 0; p < planned.Length; p++)
            {
                if (planned[p] is not { } query) continue;
                SearchOutcome outcome = outcomes[k++];
                if (outcome.Hits.Length > JobSearchRequest.PerSourceLimit)
                {
                    outcome = outcome with { Hits = outcome.Hits[..JobSearchRequest.PerSourceLimit] };
                }
                slots[(int)query.Source] = new Slot(true, outcome);
            }
            ContentCoding coding = ContentCodings.Negotiate(context.Request);
            string? hash = AnswerTag.Of(SearchKind.JobsV3, slots, showPhone: false, withDescription: false);
            string? etag = hash is null ? null : ContentCodings.EntityTag(hash, coding);
            if (etag is not null && AnswerTag.Matches(context.Request.Headers.IfNoneMatch, etag))
            {
                context.Response.StatusCode = StatusCodes.Status304NotModified;
                AnswerHeaders.Set(context.Response, etag);
                return;
            }
            var lists = new ItemRenderings.ResultList?[Sources.Count];
            bool stale = false;
            try
            {
                foreach (Source source in (Source[])[Source.Matcha, Source.PeJob, Source.Company])
                {
                    if (slots[(int)source] is not { Requested: true, Outcome: { Error: null } outcome }) continue;
                    lists[(int)source] = await renderings.ResolveV3Async(source, outcome.Generation, outcome.Hits,
                        acceptChanged: attempt == Attempts, context.RequestAborted);
                    stale |= lists[(int)source] is null;
                }
            }
            catch
            {
                foreach (ItemRenderings.ResultList? list in lists) list?.Dispose();
                throw;
            }
            if (stale)
            {
                foreach (ItemRenderings.ResultList? list in lists) list?.Dispose();
                continue;
            }
            using SearchAnswer answer = Compose(slots, lists);
            await answer.SendAsync(context.Response, etag, coding);
            return;
        }
    }

    private static readonly byte[] JobsOpen = "{\"jobs\":["u8.ToArray();
    private static readonly byte[] Comma = ","u8.ToArray();
    private static readonly byte[] RecruitersOpen = "],\"recruiters\":["u8.ToArray();
    private static readonly byte[] WarningsOpen = "],\"warnings\":"u8.ToArray();
    private static readonly byte[] NoWarnings = "[]"u8.ToArray();
    private static readonly byte[] End = "}"u8.ToArray();

    /// <summary>
    /// <c>{"jobs":[posted offers..., national offers...],"recruiters":[companies...],"warnings":[...]}</c>: the documented
    /// order is source priority (posted offers, then national offers), then distance, then the newest (each list is in
    /// that order already). A source that failed adds a warning and nothing else (the answer stays 200, untagged).
    /// </summary>
    private static SearchAnswer Compose(Slot[] slots, ItemRenderings.ResultList?[] lists)
    {
        var answer = new SearchAnswer();
        answer.Add(JobsOpen);
        bool any = false;
        foreach (Source source in (Source[])[Source.Matcha, Source.PeJob])
        {
            if (lists[(int)source] is not { Count: > 0 } list) continue;
            if (any) answer.Add(Comma);
            answer.Add(list);
            any = true;
        }
        answer.Add(RecruitersOpen);
        if (lists[(int)Source.Company] is { Count: > 0 } companies) answer.Add(companies);
        answer.Add(WarningsOpen);
        var warnings = new List<(string Message, string Code)>();
        foreach (Source source in (Source[])[Source.Matcha, Source.PeJob, Source.Company])
        {
            if (slots[(int)source].Outcome?.Error is { } error) warnings.Add((ItemWriter.SourceErrorMessage(error), UnavailableCode(source)));
        }
        // Lists that stay in the answer are disposed with it; empty ones now.
        foreach (ItemRenderings.ResultList? list in lists) if (list is { Count: 0 }) list.Dispose();
        answer.Add(warnings.Count == 0 ? NoWarnings : PooledJson.ToArray(warnings, static (w, list) =>
        {
            w.WriteStartArray();
            foreach (var (message, code) in list)
            {
                w.WriteStartObject();
                w.WriteString("message"u8, message);
                w.WriteString("code"u8, code);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }));
        answer.Add(End);
        return answer;
    }

    /// <summary>The warning code of a source whose cells did not answer.</summary>
    public static string UnavailableCode(Source source) => source switch
    {
        Source.Matcha => "OFFRES_EMPLOI_LBA_UNAVAILABLE",
        Source.PeJob => "FRANCE_TRAVAIL_UNAVAILABLE",
        _ => "RECRUTEURS_LBA_UNAVAILABLE",
    };

    private static async Task Offer(HttpContext context, string id)
    {
        IServiceProvider services = context.RequestServices;
        id = id.Trim();
        var backend = services.GetRequiredService<ISearchBackend>();
        // Posted offers first (their ids are ObjectIds), then national offers. Expired offers are not found.
        SearchItem? item = id.Length is 0 or > 512 ? null
            : await backend.GetAsync(Source.Matcha, id, context.RequestAborted) ?? await backend.GetAsync(Source.PeJob, id, context.RequestAborted);
        if (item is null)
        {
            await Boom.NotFound(NotFoundMessage(id)).ExecuteAsync(context);
            return;
        }
        var links = services.GetRequiredService<V3Links>();
        byte[] json = PooledJson.ToArray((Item: item, Links: links), static (w, s) => V3ItemWriter.Write(w, s.Item, s.Links));
        await EncodedJson.SendAsync(context, json, AnswerTag.Of(item, showPhone: false, withDescription: false, v3: true));
    }

    /// <summary>La bonne alternance's 404 message for an unknown offer id.</summary>
    public static string NotFoundMessage(string id) => $"Aucune offre d'emploi trouvée pour l'ID: {id}";
}
