using System.Text.Json;
using Alternance.Api.Docs;
using Alternance.Api.Errors;
using Alternance.Api.Json;
using Alternance.Api.Validation;
using Alternance.Data;
using Alternance.Search;

namespace Alternance.Api.Search;

/// <summary>The four search routes (CONTRACT §1): validate, plan, one engine call, write.</summary>
public static class SearchEndpoints
{
    /// <param name="cacheItemJson">Keep each item's JSON (<see cref="ItemFragments"/>): for a front that reads the cells' own item instances.</param>
    public static IServiceCollection AddSearchRoutes(this IServiceCollection services, IConfiguration configuration, bool cacheItemJson = false)
    {
        services.AddReferenceData();
        services.AddContactPrivacy(configuration);
        if (cacheItemJson)
        {
            services.AddSingleton<ItemFragments>();
        }
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
            .WithName("formations").WithSearchDocs(SearchKind.Formations);
        app.MapGet("/api/v1/formationsParRegion", (HttpContext context, CancellationToken _) => Handle(context, SearchKind.FormationsParRegion))
            .WithName("formationsParRegion").WithSearchDocs(SearchKind.FormationsParRegion);
        app.MapGet("/api/v1/jobs", (HttpContext context, CancellationToken _) => Handle(context, SearchKind.Jobs))
            .WithName("jobs").WithSearchDocs(SearchKind.Jobs);
        app.MapGet("/api/v1/jobsEtFormations", (HttpContext context, CancellationToken _) => Handle(context, SearchKind.JobsEtFormations))
            .WithName("jobsEtFormations").WithSearchDocs(SearchKind.JobsEtFormations);
        return app;
    }

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

        var options = new ItemWriteOptions(
            services.GetRequiredService<IContactProtector>(),
            services.GetRequiredService<PhonePolicy>().MayShowPhone(request.Caller),
            request.WithDescription,
            services.GetService<ItemFragments>());
        var state = new ResponseState(kind, slots, options);

        if (kind is SearchKind.Formations or SearchKind.FormationsParRegion && slots[(int)Source.Formation].Outcome?.Error is not null)
        {
            // The whole answer is that one source: it failed, so the request did (with the source's error body).
            await PooledJson.SendAsync(context.Response, StatusCodes.Status503ServiceUnavailable, slots[(int)Source.Formation].Outcome!.Error!,
                static (w, e) => ItemWriter.WriteSourceError(w, e));
            return;
        }
        using SearchAnswer answer = Compose(state);
        await answer.SendAsync(context.Response);
    }

    private static bool IsRequested(SourceSet set, Source source) => source switch
    {
        Source.Formation => (set & SourceSet.Formations) != 0,
        Source.PeJob => (set & SourceSet.PeJobs) != 0,
        Source.Matcha => (set & SourceSet.Matchas) != 0,
        _ => (set & SourceSet.Companies) != 0,
    };

    /// <summary>A source's place in the answer: not requested, requested with an outcome, or requested and empty (null outcome).</summary>
    private readonly record struct Slot(bool Requested, SearchOutcome? Outcome);

    private sealed record ResponseState(SearchKind Kind, Slot[] Slots, ItemWriteOptions Options);

    // The answer's fixed JSON text, as the reference shapes it (§2.1).
    private static readonly byte[] Null = "null"u8.ToArray();
    private static readonly byte[] FormationsKey = "{\"formations\":"u8.ToArray();
    private static readonly byte[] JobsKey = ",\"jobs\":"u8.ToArray();
    private static readonly byte[] PeJobsKey = "{\"peJobs\":"u8.ToArray();
    private static readonly byte[] MatchasKey = ",\"matchas\":"u8.ToArray();
    private static readonly byte[] CompaniesKey = ",\"lbaCompanies\":"u8.ToArray();
    private static readonly byte[] JobsEnd = ",\"lbbCompanies\":null}"u8.ToArray();
    private static readonly byte[] End = "}"u8.ToArray();

    private static SearchAnswer Compose(ResponseState state)
    {
        var answer = new SearchAnswer();
        switch (state.Kind)
        {
            case SearchKind.Formations:
            case SearchKind.FormationsParRegion:
                AddSlot(answer, state.Slots, Source.Formation, state.Options);
                break;
            case SearchKind.Jobs:
                AddJobs(answer, state);
                break;
            case SearchKind.JobsEtFormations:
                answer.Add(FormationsKey);
                AddSlot(answer, state.Slots, Source.Formation, state.Options);
                answer.Add(JobsKey);
                if (state.Slots[(int)Source.PeJob].Requested || state.Slots[(int)Source.Matcha].Requested || state.Slots[(int)Source.Company].Requested)
                {
                    AddJobs(answer, state);
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

    private static void AddJobs(SearchAnswer answer, ResponseState state)
    {
        answer.Add(PeJobsKey);
        AddSlot(answer, state.Slots, Source.PeJob, state.Options);
        answer.Add(MatchasKey);
        AddSlot(answer, state.Slots, Source.Matcha, state.Options);
        answer.Add(CompaniesKey);
        AddSlot(answer, state.Slots, Source.Company, state.Options);
        answer.Add(JobsEnd);
    }

    private static void AddSlot(SearchAnswer answer, Slot[] slots, Source source, ItemWriteOptions options)
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
        else
        {
            Hit[] hits = slot.Outcome?.Hits ?? [];
            if (options.Fragments is { } fragments)
            {
                answer.Add(fragments.Resolve(hits, source, options.ShowCompanyPhone, options.WithDescription));
            }
            else
            {
                answer.Add(PooledJson.ToArray((hits, options), static (w, s) => ItemWriter.WriteResults(w, s.hits, s.options)));
            }
        }
    }
}
