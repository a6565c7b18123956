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
/// The job routes La bonne alternance serves since 2025 (docs/contract.md#v3-and-v2), as the API Apprentissage gateway names them
/// too: <c>GET /api/v3/jobs/search</c> (<c>/job/v1/search</c>) and <c>GET /api/v3/jobs/{id}</c> (<c>/job/v1/offer/{id}</c>).
/// The same engine path as the v1 routes: one engine call for the three sources, answers assembled from the front's item
/// JSON (<see cref="ItemRenderings.ResolveV3Async"/>), entity tags from the hits.
/// </summary>
public static class JobRoutes
{
    /// <summary>A search whose items changed before they were rendered is run again, at most this many times in all.</summary>
    private const int Attempts = 3;

    /// <summary>The bulk route takes at most this many offers per request.</summary>
    public const int BulkLimit = 1000;
    /// <summary>The bulk route's body limit.</summary>
    public const long BulkBodyLimit = 16 * 1024 * 1024;

    public static IServiceCollection AddJobWrites(this IServiceCollection services)
    {
        services.AddSingleton<JobWriteService>();
        return services;
    }

    /// <summary>The write routes of v3 (partner keys, like the v1 offer routes): not public reads, so outside the CORS group.</summary>
    public static IEndpointRouteBuilder MapJobWriteRoutes(this IEndpointRouteBuilder app)
    {
        foreach (string path in (string[])["/api/v3/jobs", "/job/v1/offer"])
        {
            app.MapPost(path, (HttpContext c, JobWriteService s) => Create(c, s)).WithJobWriteDocs("Post an offer (v3)",
                "A partner key (Authorization: Bearer or x-api-key). Answers 200 {id}; 400 with zod issues (offer.description at least 30 "
                + "characters, at least one of apply.url, apply.email, apply.phone, dates...), 409 when the partner's partner_job_id is taken.")
                .Accepts<Docs.JobOfferWriteV3Doc>("application/json").Produces<Docs.OfferIdDoc>(200).Produces<Docs.BoomError>(409);
        }
        foreach (string path in (string[])["/api/v3/jobs/{id}", "/job/v1/offer/{id}"])
        {
            app.MapPut(path, (string id, HttpContext c, JobWriteService s) => Update(c, s, id)).WithJobWriteDocs("Replace an offer (v3)",
                "The partner that posted it replaces it whole: 204; 404 Job offer not found; 400 Job must be active in order to be modified.")
                .Accepts<Docs.JobOfferWriteV3Doc>("application/json").Produces(204);
        }
        foreach (string path in (string[])["/api/v3/jobs/{id}/publishing-informations", "/job/v1/offer/{id}/publishing-informations"])
        {
            app.MapGet(path, (string id, HttpContext c, JobWriteService s) => Publishing(c, s, id)).WithJobWriteDocs("Publishing state of an offer (v3)",
                "{publishing: {status: PUBLISHED | WILL_BE_PUBLISHED | WILL_NOT_BE_PUBLISHED, error: {code, label} | null}}; 404 for an unknown offer.")
                .Produces<Docs.PublishingV3Doc>(200);
        }
        app.MapPost("/api/v4/jobs/multi-partner/bulk", (HttpContext c, JobWriteService s) => Bulk(c, s)).WithJobWriteDocs("Upsert offers in bulk (v4)",
            $"An array of at most {BulkLimit} offers, each with partner_label and partner_job_id (the upsert key): answers 200 with one "
            + "{id, status} per offer (200 written, 304 unchanged) or {status, error} (400 invalid, 403, 409...), in order; a bad offer "
            + "never stops the others.")
            .Accepts<Docs.JobOfferBulkItemDoc[]>("application/json").Produces<Docs.JobOfferBulkResultDoc[]>(200);
        return app;
    }

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

    private static async Task<IResult> Create(HttpContext context, JobWriteService service)
    {
        var (partner, body, refused) = await ReadOffer(context, service);
        if (refused is not null) return refused;
        JobWriteService.Outcome outcome = await service.Create(partner!, body!);
        return outcome.Error ?? new JsonBody(StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteString("id", outcome.Id);
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> Update(HttpContext context, JobWriteService service, string id)
    {
        var (partner, body, refused) = await ReadOffer(context, service);
        if (refused is not null) return refused;
        JobWriteService.Outcome outcome = await service.Update(partner!, id.Trim(), body!);
        return outcome.Error ?? Results.NoContent();
    }

    /// <summary>The partner of the API key and its offer, read and validated as v3 does; or the answer refusing them.</summary>
    private static async Task<(Partner? Partner, JobOfferBody? Body, IResult? Refused)> ReadOffer(HttpContext context, JobWriteService service)
    {
        var (partner, denied) = context.RequestServices.GetRequiredService<ApiKeys>().AuthenticatePartner(context.Request);
        if (partner is null) return (null, null, denied!);
        var (document, failure) = await RequestBodies.ReadJsonAsync(context, RequestBodies.SmallLimit);
        if (document is null) return (null, null, failure!);
        using (document)
        {
            var (body, _, validator) = JobOfferBody.Read(document.RootElement, service.Now);
            return body is null ? (null, null, validator.ToResult()) : (partner, body, null);
        }
    }

    private static async Task<IResult> Publishing(HttpContext context, JobWriteService service, string id)
    {
        var (partner, denied) = context.RequestServices.GetRequiredService<ApiKeys>().AuthenticatePartner(context.Request);
        if (partner is null) return denied!;
        if (await service.Publishing(id.Trim()) is not var (status, code, label)) return Boom.NotFound(NotFoundMessage(id));
        return new JsonBody(StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("publishing");
            w.WriteString("status", status);
            if (code is null)
            {
                w.WriteNull("error");
            }
            else
            {
                w.WriteStartObject("error");
                w.WriteString("code", code);
                w.WriteString("label", label);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// Each offer of the array is checked and written on its own (durably, before the answer): one bad offer is one error
    /// in the answer, at its place, and the others are written.
    /// </summary>
    private static async Task<IResult> Bulk(HttpContext context, JobWriteService service)
    {
        var (partner, denied) = context.RequestServices.GetRequiredService<ApiKeys>().AuthenticatePartner(context.Request);
        if (partner is null) return denied!;
        var (document, failure) = await RequestBodies.ReadJsonAsync(context, BulkBodyLimit);
        if (document is null) return failure!;
        using (document)
        {
            JsonElement root = document.RootElement;
            var v = new BodyValidator(root);
            if (root.ValueKind != JsonValueKind.Array)
            {
                v.Add("", "Array attendu", "invalid_type");
                return v.ToResult();
            }
            if (root.GetArrayLength() > BulkLimit)
            {
                v.Add("", $"Array must contain at most {BulkLimit} element(s)", "too_big");
                return v.ToResult();
            }
            var results = new List<(int Status, string? Id, string? Error)>(root.GetArrayLength());
            foreach (JsonElement item in root.EnumerateArray())
            {
                var (body, label, validator) = JobOfferBody.Read(item, service.Now, multiPartner: true);
                if (body is null)
                {
                    results.Add((StatusCodes.Status400BadRequest, null, validator.Message()));
                    continue;
                }
                JobWriteService.Outcome outcome = await service.Upsert(partner, label!, body);
                results.Add(outcome.Error is JsonBody error
                    ? (error.Status, null, outcome.Message)
                    : (outcome.Changed ? StatusCodes.Status200OK : StatusCodes.Status304NotModified, outcome.Id, null));
            }
            return new JsonBody(StatusCodes.Status200OK, w =>
            {
                w.WriteStartArray();
                foreach (var (status, id, error) in results)
                {
                    w.WriteStartObject();
                    if (id is not null) w.WriteString("id", id);
                    w.WriteNumber("status", status);
                    if (error is not null) w.WriteString("error", error);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            });
        }
    }

    /// <summary>La bonne alternance's 404 message for an unknown offer id.</summary>
    public static string NotFoundMessage(string id) => $"Aucune offre d'emploi trouvée pour l'ID: {id}";
}
