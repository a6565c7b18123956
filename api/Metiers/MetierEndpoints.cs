using Alternance.Api.Http;
using Alternance.Api.Docs;
using Alternance.Api.Errors;
using Alternance.Api.Json;
using Alternance.Api.Search;
using Alternance.Api.Validation;

namespace Alternance.Api.Metiers;

/// <summary>The métier and ROME look-ups (docs/contract.md#job-title-look-ups). No caller needed.</summary>
public static class MetierEndpoints
{
    public static IServiceCollection AddMetierRoutes(this IServiceCollection services)
    {
        services.AddReferenceData();
        services.AddSingleton<MetierCatalog>();
        services.AddSingleton<AppellationIndex>();
        services.AddSingleton<CfdIndex>();
        return services;
    }

    public static IEndpointRouteBuilder MapMetierRoutes(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/metiers", (HttpContext context, MetierCatalog catalog) => Metiers(context, catalog))
            .WithName("metiers").CacheableForAnHour().WithTags("Métiers")
            .WithSummary("Métiers by title, ROME codes or RNCP codes")
            .WithDescription("At least one of title, romes, rncps. Title search over métier labels, ROME labels, appellations, RNCP titles and domains; at most 20.")
            .WithQueryDocs(
                ("title", false, "Free text: a job title, a keyword."),
                ("romes", false, "Comma-separated ROME codes."),
                ("rncps", false, "Comma-separated RNCP codes."),
                ("withRomeLabels", false, "Any value: include romeTitles (code and label of each ROME code)."))
            .Produces<MetiersResponse>(200).Produces<ParameterError>(400);

        app.MapGet("/api/v1/metiers/all", (MetierCatalog catalog) =>
                TypedResults.Json(new MetierNames(catalog.Labels), ApiJsonContext.Relaxed.MetierNames))
            .WithName("metiersAll").CacheableForAnHour().WithTags("Métiers").WithSummary("Every métier label, alphabetically")
            .Produces<MetierNames>(200);

        app.MapGet("/api/v1/metiers/intitule", (HttpContext context, AppellationIndex index) =>
            {
                string? label = SearchValidator.Value(context.Request.Query, "label");
                if (label is null) return ApiErrors.MissingParameters(Messages.LabelMissing);
                return TypedResults.Json(new AppellationsResponse(index.Find(label)), ApiJsonContext.Relaxed.AppellationsResponse);
            })
            .WithName("metiersIntitule").CacheableForAnHour().WithTags("Métiers").WithSummary("ROME appellations matching a label (at most 100)")
            .WithQueryDocs(("label", true, "The label to search for, e.g. boulanger."))
            .Produces<AppellationsResponse>(200).Produces<ParameterError>(400);

        app.MapGet("/api/v1/metiers/metiersParFormation/{cfd}", async (string cfd, CfdIndex index, MetierCatalog catalog, CancellationToken ct) =>
            {
                var names = new List<string>();
                if (cfd.Length is > 0 and <= 64)
                {
                    foreach (string rome in await index.RomesForCfdAsync(cfd, ct))
                    {
                        foreach (Metier m in catalog.ForRome(rome))
                        {
                            if (!names.Contains(m.Label)) names.Add(m.Label);
                        }
                    }
                }
                names.Sort(StringComparer.Ordinal);
                if (names.Count > MetierCatalog.MaxResults) names.RemoveRange(MetierCatalog.MaxResults, names.Count - MetierCatalog.MaxResults);
                return TypedResults.Json(new MetierNames(names), ApiJsonContext.Relaxed.MetierNames);
            })
            .WithName("metiersParFormation").WithTags("Métiers").WithSummary("Métiers of the trainings with a CFD (at most 20)")
            .Produces<MetierNames>(200);
        return app;
    }

    private static IResult Metiers(HttpContext context, MetierCatalog catalog)
    {
        IQueryCollection query = context.Request.Query;
        string? title = SearchValidator.Value(query, "title");
        string[]? romes = Split(SearchValidator.Value(query, "romes"), upper: true);
        string[]? rncps = Split(SearchValidator.Value(query, "rncps"), upper: true);
        if (title is null && romes is null && rncps is null)
        {
            return ApiErrors.MissingParameters(Messages.MetiersMissing);
        }
        bool withRomeLabels = query.ContainsKey("withRomeLabels");
        List<Metier> found = catalog.Find(title, romes, rncps);
        var labels = new MetierLabel[found.Count];
        for (int i = 0; i < labels.Length; i++)
        {
            Metier m = found[i];
            RomeTitle[]? titles = null;
            if (withRomeLabels)
            {
                titles = new RomeTitle[m.RomeCodes.Length];
                for (int k = 0; k < titles.Length; k++) titles[k] = new RomeTitle(m.RomeCodes[k].Code, m.RomeCodes[k].Label);
            }
            labels[i] = new MetierLabel(m.Label, m.Romes, m.Rncps, "job", titles);
        }
        return TypedResults.Json(new MetiersResponse(labels), ApiJsonContext.Relaxed.MetiersResponse);
    }

    private static string[]? Split(string? csv, bool upper)
    {
        if (csv is null) return null;
        var values = new List<string>();
        foreach (var range in csv.AsSpan().Split(','))
        {
            string v = csv[range].Trim();
            if (v.Length == 0 || v.Length > 32) continue;
            values.Add(upper ? v.ToUpperInvariant() : v);
        }
        return values.Count == 0 ? null : [.. values];
    }
}
