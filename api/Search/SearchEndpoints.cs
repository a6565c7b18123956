using System.Text.Json;
using Alternance.Api.Docs;
using Alternance.Api.Errors;
using Alternance.Api.Json;
using Alternance.Api.Validation;
using Alternance.Data;
using Alternance.Search;

namespace Alternance.Api.Search;

/// <summary>The four search routes (docs/contract.md#search-routes): validate, plan, one engine call, write.</summary>
public static class SearchEndpoints
{
    public static IServiceCollection AddSearchRoutes(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddReferenceData();
        services.AddContactPrivacy(configuration);
        services.Configure<RenderingOptions>(configuration.GetSection(RenderingOptions.Section));
        services.AddSingleton<V3Links>();
        services.AddSingleton<ItemRenderings>();
        services.AddSingleton<ISearchBackend, EngineSearchBackend>();
        return services;
    }

    /// <summary>The bundled referential, shared (loaded once, on first use).</summary>
    public static IServiceCollection AddReferenceData(this IServiceCollection services)
    {
        Microsoft.Extensions.DependencyInjection.Extensions.ServiceCollectionDescriptorExtensions.TryAddSingleton(
            services, _ => ReferenceData.Load());
        return services;
    }

    public static IEndpointRouteBuilder MapSearchRoutes(this IEndpointRouteBuilder app)
    {
        // Route templates match case-insensitively: /api/V1/... reaches the same endpoints.
        app.MapGet("/api/v1/formations", (HttpContext context, CancellationToken _) => Handle(context, SearchKind.Formations))
            .WithMetadata(SelfEncodedAnswer.Instance).WithName("formations").WithSearchDocs(SearchKind.Formations);
        app.MapGet("/api/v1/formationsParRegion", (HttpContext context, CancellationToken _) => Handle(context, SearchKind.FormationsParRegion))
            .WithMetadata(SelfEncodedAnswer.Instance).WithName("formationsParRegion").WithSearchDocs(SearchKind.FormationsParRegion);
        app.MapGet("/api/v1/jobs", (HttpContext context, CancellationToken _) => Handle(context, SearchKind.Jobs))
            .WithMetadata(SelfEncodedAnswer.Instance).WithName("jobs").WithSearchDocs(SearchKind.Jobs);
        app.MapGet("/api/v1/jobsEtFormations", (HttpContext context, CancellationToken _) => Handle(context, SearchKind.JobsEtFormations))
            .WithMetadata(SelfEncodedAnswer.Instance).WithName("jobsEtFormations").WithSearchDocs(SearchKind.JobsEtFormations);
        return app;
    }

    /// <summary>A search whose items changed before they were rendered is run again, at most this many times in all.</summary>
    private const int Attempts = 3;

    private static async Task Handle(HttpContext context, SearchKind kind)
    {
        IServiceProvider services = context.RequestServices;
        var errors = new List<string>(2);
        SearchRequest request = SearchValidator.Validate(kind, context.Request.Query, services.GetRequiredService<ReferenceData>(), errors);
        if (errors.Count > 0)
        {
            await ApiErrors.BadRequest(errors).ExecuteAsync(context);
            return;
        }

        SourceQuery?[] planned = SearchPlanner.Plan(request);
        var queries = new List<SourceQuery>(Sources.Count);
        foreach (SourceQuery? q in planned) if (q is not null) queries.Add(q);
        var renderings = services.GetRequiredService<ItemRenderings>();
        bool showPhone = services.GetRequiredService<PhonePolicy>().MayShowPhone(request.Caller);
        for (int attempt = 1; ; attempt++)
        {
            SearchOutcome[] outcomes = queries.Count == 0
                ? []
                : await services.GetRequiredService<ISearchBackend>().SearchAsync(queries, context.RequestAborted);

            // Slots by source: the outcome, or an empty result when the request matched nothing by construction.
            var slots = new Slot[Sources.Count];
            int k = 0;
            for (int s = 0; s < slots.Length; s++)
            {
                if (planned[s] is not null) slots[s] = new Slot(true, outcomes[k++]);
                else if (request.NoRomeMatches && IsRequested(request.Sources, (Source)s)) slots[s] = new Slot(true, null);
            }

            if (kind is SearchKind.Formations or SearchKind.FormationsParRegion && slots[(int)Source.Formation].Outcome?.Error is not null)
            {
                // The whole answer is that one source: it failed, so the request did (with the source's error body).
                context.Response.Headers.CacheControl = "no-store";
                context.Response.Headers.RetryAfter = ApiErrors.RetryAfterSeconds;
                await PooledJson.SendAsync(context.Response, StatusCodes.Status503ServiceUnavailable, slots[(int)Source.Formation].Outcome!.Error!,
                    static (w, e) => ItemWriter.WriteSourceError(w, e));
                return;
            }
            ContentCoding coding = ContentCodings.Negotiate(context.Request);
            string? hash = AnswerTag.Of(kind, slots, showPhone, request.WithDescription);
            string? etag = hash is null ? null : ContentCodings.EntityTag(hash, coding);
            if (etag is not null && AnswerTag.Matches(context.Request.Headers.IfNoneMatch, etag))
            {
                // The client holds these very bytes: nothing is assembled.
                context.Response.StatusCode = StatusCodes.Status304NotModified;
                AnswerHeaders.Set(context.Response, etag);
                return;
            }
            ItemRenderings.ResultList?[]? lists = await ResolveAsync(slots, renderings, showPhone, request.WithDescription,
                acceptChanged: attempt == Attempts, context.RequestAborted);
            if (lists is null) continue;
            using SearchAnswer answer = Compose(kind, slots, lists);
            await answer.SendAsync(context.Response, etag, coding);
            return;
        }
    }

    /// <summary>
    /// Each answered source's result list, from this front's item JSON; null when an item changed between the search and
    /// its rendering (the lists resolved so far are disposed), unless <paramref name="acceptChanged"/>: then the changed
    /// items are written as they are now.
    /// </summary>
    private static async ValueTask<ItemRenderings.ResultList?[]?> ResolveAsync(Slot[] slots, ItemRenderings renderings, bool showPhone,
        bool withDescription, bool acceptChanged, CancellationToken cancellationToken)
    {
        var lists = new ItemRenderings.ResultList?[slots.Length];
        var pending = new ValueTask<ItemRenderings.ResultList?>[slots.Length];
        for (int s = 0; s < slots.Length; s++)
        {
            if (slots[s] is { Requested: true, Outcome: { Error: null } outcome })
            {
                pending[s] = renderings.ResolveAsync((Source)s, outcome.Generation, outcome.Hits, showPhone, withDescription, acceptChanged, cancellationToken);
            }
        }
        bool stale = false;
        Exception? failure = null;
        for (int s = 0; s < slots.Length; s++)
        {
            if (slots[s] is not { Requested: true, Outcome: { Error: null } }) continue;
            try
            {
                lists[s] = await pending[s];
                stale |= lists[s] is null;
            }
            catch (Exception e)
            {
                failure ??= e;
            }
        }
        if (failure is null && !stale) return lists;
        foreach (ItemRenderings.ResultList? list in lists) list?.Dispose();
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        return null;
    }

    private static bool IsRequested(SourceSet set, Source source) => source switch
    {
        Source.Formation => (set & SourceSet.Formations) != 0,
        Source.PeJob => (set & SourceSet.PeJobs) != 0,
        Source.Matcha => (set & SourceSet.Matchas) != 0,
        _ => (set & SourceSet.Companies) != 0,
    };


    // The answer's fixed JSON text, as the contract shapes it (docs/contract.md#json-shapes).
    private static readonly byte[] Null = "null"u8.ToArray();
    private static readonly byte[] FormationsKey = "{\"formations\":"u8.ToArray();
    private static readonly byte[] JobsKey = ",\"jobs\":"u8.ToArray();
    private static readonly byte[] PeJobsKey = "{\"peJobs\":"u8.ToArray();
    private static readonly byte[] MatchasKey = ",\"matchas\":"u8.ToArray();
    private static readonly byte[] CompaniesKey = ",\"lbaCompanies\":"u8.ToArray();
    private static readonly byte[] JobsEnd = ",\"lbbCompanies\":null}"u8.ToArray();
    private static readonly byte[] End = "}"u8.ToArray();
    private static readonly byte[] EmptyResults = "{\"results\":[]}"u8.ToArray();

    private static SearchAnswer Compose(SearchKind kind, Slot[] slots, ItemRenderings.ResultList?[] lists)
    {
        var answer = new SearchAnswer();
        switch (kind)
        {
            case SearchKind.Formations:
            case SearchKind.FormationsParRegion:
                AddSlot(answer, slots, lists, Source.Formation);
                break;
            case SearchKind.Jobs:
                AddJobs(answer, slots, lists);
                break;
            case SearchKind.JobsEtFormations:
                answer.Add(FormationsKey);
                AddSlot(answer, slots, lists, Source.Formation);
                answer.Add(JobsKey);
                if (slots[(int)Source.PeJob].Requested || slots[(int)Source.Matcha].Requested || slots[(int)Source.Company].Requested)
                {
                    AddJobs(answer, slots, lists);
                }
                else
                {
                    answer.Add(Null);
                }
                answer.Add(End);
                break;
        }
        return answer;
    }

    private static void AddJobs(SearchAnswer answer, Slot[] slots, ItemRenderings.ResultList?[] lists)
    {
        answer.Add(PeJobsKey);
        AddSlot(answer, slots, lists, Source.PeJob);
        answer.Add(MatchasKey);
        AddSlot(answer, slots, lists, Source.Matcha);
        answer.Add(CompaniesKey);
        AddSlot(answer, slots, lists, Source.Company);
        answer.Add(JobsEnd);
    }

    private static void AddSlot(SearchAnswer answer, Slot[] slots, ItemRenderings.ResultList?[] lists, Source source)
    {
        Slot slot = slots[(int)source];
        if (!slot.Requested)
        {
            answer.Add(Null);
        }
        else if (slot.Outcome?.Error is { } error)
        {
            answer.Add(PooledJson.ToArray(error, static (w, e) => ItemWriter.WriteSourceError(w, e)));
        }
        else if (lists[(int)source] is { } results)
        {
            answer.Add(results);
        }
        else
        {
            // Requested, matched nothing by construction (no ROME code for the request).
            answer.Add(EmptyResults);
        }
    }
}

/// <summary>A source's place in an answer: not requested, requested with an outcome, or requested and empty (null outcome).</summary>
internal readonly record struct Slot(bool Requested, SearchOutcome? Outcome);
