using Alternance.Api.Json;
using Alternance.Api.Validation;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Alternance.Api.Docs;

/// <summary>
/// The OpenAPI 3 document at <c>/api-docs/swagger.json</c> (every mapped endpoint, the write routes included) and the
/// interactive page at <c>/api-docs</c>. The read routes parse their query strings themselves (so that a type error is
/// a contract message), so their parameters are declared here.
/// </summary>
public static class ApiDocs
{
    public const string DocumentPath = "/api-docs/swagger.json";

    public static IServiceCollection AddApiDocs(this IServiceCollection services)
    {
        services.AddOpenApi("v1", options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Alternance Cluster — API La Bonne Alternance v1 and v3",
                    Version = "1.0",
                    Description = "Trainings, job offers and companies likely to hire apprentices, searched around a point, "
                        + "in a region or France-wide (La Bonne Alternance API v1), and the job routes reusers call today (v3 search, "
                        + "offer by id, export and writes; v2 applications and appointment links; also under the API Apprentissage "
                        + "gateway's names /job/v1/..., /formation/v1/...). v1 validation errors answer 400 "
                        + "`{\"error\":\"wrong_parameters\",\"error_messages\":[...]}`; unknown ids 404 "
                        + "`{\"error\":\"not_found\",\"status\":404,\"result\":\"not_found\",\"message\":...}`. "
                        + "Every `/api/v1/...` route is also reachable as `/api/V1/...`.",
                };
                // The Orleans dashboard's endpoints are an operator's page, not the API.
                var dashboard = new List<string>();
                foreach (string path in document.Paths.Keys)
                {
                    if (path.StartsWith("/dashboard", StringComparison.OrdinalIgnoreCase)) dashboard.Add(path);
                }
                foreach (string path in dashboard) document.Paths.Remove(path);
                return Task.CompletedTask;
            });
        });
        return services;
    }

    public static WebApplication MapApiDocs(this WebApplication app)
    {
        app.MapOpenApi(DocumentPath);
        app.UseSwaggerUI(options =>
        {
            options.RoutePrefix = "api-docs";
            options.SwaggerEndpoint(DocumentPath, "API v1");
            options.DocumentTitle = "Alternance Cluster — API";
        });
        return app;
    }

    // ------------------------------------------------------------------ parameters

    private readonly record struct Param(string Name, JsonSchemaType Type, bool Required, string Description, string? Example = null);

    private static readonly Param Caller = new("caller", JsonSchemaType.String, true,
        "Identifies the reuser: company or product name, ideally prefixed with a contact e-mail.", "contact@domaine nom_de_societe");
    private static readonly Param Romes = new("romes", JsonSchemaType.String, false,
        "Comma-separated ROME codes (one letter and 4 digits), at most 20.", "F1603,I1308");
    private static readonly Param RomeDomain = new("romeDomain", JsonSchemaType.String, false,
        "A ROME domain: one letter (A) or one letter and 2 digits (A12); matches ROME codes by prefix. Exclusive with romes.", "F16");
    private static readonly Param Rncp = new("rncp", JsonSchemaType.String, false,
        "One RNCP code (RNCP followed by 2 to 5 digits), converted to its ROME codes. Exclusive with romes.", "RNCP31899");
    private static readonly Param Latitude = new("latitude", JsonSchemaType.Number, false,
        "Search centre latitude, -90..90. With longitude; without both the search is France-wide.", "48.845");
    private static readonly Param Longitude = new("longitude", JsonSchemaType.Number, false,
        "Search centre longitude, -180..180.", "2.3752");
    private static readonly Param FormationRadius = new("radius", JsonSchemaType.Number, false,
        "Radius in km, 0..200 (20000 accepted). Default 30. 0 is the point itself; a search that finds nothing answers the 5 nearest trainings.", "30");
    private static readonly Param JobRadius = new("radius", JsonSchemaType.Number, false,
        "Radius in km, 0..200 (20000 accepted). Required with a centre; 0 means 10 km.", "30");
    private static readonly Param Insee = new("insee", JsonSchemaType.String, false,
        "INSEE commune code (2A/2B allowed, municipal arrondissements known). Without coordinates it locates the search at the commune's centre.", "75056");
    private static readonly Param Diploma = new("diploma", JsonSchemaType.String, false,
        "Target diploma level: a value whose first character is 3..7, e.g. \"3 (CAP...)\", \"4 (BAC...)\", \"5 (BTS, DEUST...)\", \"6 (Licence, BUT...)\", \"7 (Master, titre ingénieur...)\".", "5 (BTS, DEUST...)");
    private static readonly Param JobsSources = new("sources", JsonSchemaType.String, false,
        "Comma-separated sources among matcha (posted offers), lba/lbb (companies), offres/peJob (national offers). Default: all.", "offres,matcha,lba");
    private static readonly Param JobsEtFormationsSources = new("sources", JsonSchemaType.String, false,
        "Comma-separated sources among formation/formations, matcha, lba/lbb, offres/peJob. Default: all.", "formations,offres,matcha,lba");
    private static readonly Param Opco = new("opco", JsonSchemaType.String, false,
        "OPCO short name (AKTO, ATLAS, AFDAS, CONSTRUCTYS, OPCOMMERCE, OCAPIAT, OPCO2I, EP, MOBILITE, SANTE, UNIFORMATION), any case.", "AKTO");
    private static readonly Param OpcoUrl = new("opcoUrl", JsonSchemaType.String, false, "OPCO web site URL, any case.");
    private static readonly Param Options = new("options", JsonSchemaType.String, false,
        "with_description: include training.objectif and training.description.", "with_description");
    private static readonly Param Region = new("region", JsonSchemaType.String, false,
        "INSEE region code (01, 02, 03, 04, 06, 11, 24, 27, 28, 32, 44, 52, 53, 75, 76, 84, 93, 94). Exclusive with departement.", "11");
    private static readonly Param Departement = new("departement", JsonSchemaType.String, false,
        "Département number, 2 or 3 digits (matches the training's postal code prefix; 20 is Corsica).", "75");

    public static RouteHandlerBuilder WithSearchDocs(this RouteHandlerBuilder builder, SearchKind kind)
    {
        Param[] parameters = kind switch
        {
            SearchKind.Formations => [Caller, Romes, RomeDomain, Latitude, Longitude, FormationRadius, Insee, Diploma, Options],
            SearchKind.FormationsParRegion => [Caller, Romes, RomeDomain, Region, Departement, Diploma, Options],
            SearchKind.Jobs => [Caller, Romes, Rncp, Latitude, Longitude, JobRadius, Insee, Diploma, JobsSources, Opco, OpcoUrl],
            _ => [Caller, Romes, Rncp, Latitude, Longitude, JobRadius, Insee, Diploma, JobsEtFormationsSources, Opco, OpcoUrl, Options],
        };
        (string summary, string description) = kind switch
        {
            SearchKind.Formations => ("Trainings around a point, or France-wide",
                "Up to 500 distinct trainings within the radius, nearest first (ties by id); France-wide sorted by title, company name, id."),
            SearchKind.FormationsParRegion => ("Trainings in a region or département, or France-wide",
                "Up to 500 distinct trainings sorted by title, company name, id. romes or romeDomain is required without region and departement."),
            SearchKind.Jobs => ("Job opportunities: national offers, posted offers, companies likely to hire",
                "peJobs (150), matchas (the jobs of the 250 nearest recruiters), lbaCompanies (150), nearest first. A failing source puts an error object in its slot; the answer stays 200."),
            _ => ("Trainings and job opportunities in one call", "The /formations and /jobs answers side by side."),
        };
        builder.WithTags("Recherche").WithSummary(summary).WithDescription(description);
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            AddQueryParameters(operation, parameters);
            return Task.CompletedTask;
        });
        Type response = kind switch
        {
            SearchKind.Formations or SearchKind.FormationsParRegion => typeof(FormationsResponse),
            SearchKind.Jobs => typeof(JobsResponse),
            _ => typeof(JobsEtFormationsResponse),
        };
        builder.Produces(200, response);
        builder.Produces<ParameterError>(400);
        if (kind is SearchKind.Formations or SearchKind.FormationsParRegion) builder.Produces<SourceError>(503);
        return builder;
    }

    /// <summary>An item route: caller in the query, the id in the path.</summary>
    public static RouteHandlerBuilder WithItemDocs(this RouteHandlerBuilder builder, string summary, Type response, string idDescription)
    {
        builder.WithTags("Détail").WithSummary(summary);
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            AddQueryParameters(operation, [Caller]);
            if (operation.Parameters is { } list)
            {
                foreach (IOpenApiParameter p in list)
                {
                    if (p.In == ParameterLocation.Path && p is OpenApiParameter concrete) concrete.Description = idDescription;
                }
            }
            return Task.CompletedTask;
        });
        builder.Produces(200, response);
        builder.Produces<ParameterError>(400);
        builder.Produces<NotFoundError>(404);
        return builder;
    }

    private static readonly Param[] JobSearchV3Parameters =
    [
        new("latitude", JsonSchemaType.Number, false, "Search centre latitude, -90..90; with longitude, or neither (France-wide).", "48.845"),
        new("longitude", JsonSchemaType.Number, false, "Search centre longitude, -180..180.", "2.3752"),
        new("radius", JsonSchemaType.Number, false, "Radius in km, 0..200. Default 30.", "30"),
        new("target_diploma_level", JsonSchemaType.String, false, "European level of the target diploma: 3, 4, 5, 6 or 7.", "5"),
        new("romes", JsonSchemaType.String, false, "Comma-separated ROME codes (an upper-case letter and 4 digits).", "F1603,I1308"),
        new("rncp", JsonSchemaType.String, false, "An RNCP code; its ROME codes are added to romes.", "RNCP31899"),
        new("departements", JsonSchemaType.String, false, "Départements (repeated or comma-separated): the workplace's postal code starts with one of them (2A/2B: 20).", "75"),
        new("opco", JsonSchemaType.String, false, "OPCO label (La bonne alternance's list, e.g. \"Opco Santé\") or short name (SANTE).", "AKTO / Opco entreprises et salariés des services à forte intensité de main d'oeuvre"),
        new("partners_to_exclude", JsonSchemaType.String, false, "partner_label values to leave out (repeated or comma-separated): offres_emploi_lba, France Travail, recruteurs_lba.", "France Travail"),
        new("elligibleHandicapFilter", JsonSchemaType.Boolean, false, "true: only offers open to disabled workers.", "true"),
    ];

    /// <summary><c>GET /api/v3/jobs/search</c> and its gateway name.</summary>
    public static RouteHandlerBuilder WithJobSearchDocs(this RouteHandlerBuilder builder)
    {
        builder.WithTags("V3 - Jobs").WithSummary("Job offers and companies likely to hire (v3)")
            .WithDescription("jobs: posted offers then national offers, 150 of each at most, nearest first then newest (newest first without a "
                + "centre); recruiters: companies likely to hire, 150 at most, nearest first. Offers past their expiration date are never "
                + "returned. A source that fails adds a warning {message, code}; the answer stays 200. Validation errors: 400 "
                + "{statusCode, error, message, data.validationError} (zod issues, context querystring).");
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            AddQueryParameters(operation, JobSearchV3Parameters);
            return Task.CompletedTask;
        });
        builder.Produces<JobSearchV3Response>(200);
        builder.Produces<BoomError>(400);
        return builder;
    }

    /// <summary><c>GET /api/v3/jobs/export</c> and its gateway name.</summary>
    public static RouteHandlerBuilder WithJobExportDocs(this RouteHandlerBuilder builder)
    {
        builder.WithTags("V3 - Jobs").WithSummary("Every searchable offer, gzipped JSON Lines (v3)")
            .WithDescription("Every offer a v3 search can find at this instant (posted offers published for third parties, national offers; "
                + "none expired), one v3 job offer per line, gzip, streamed from one directory snapshot. Last-Modified and X-Last-Update "
                + "(ISO 8601) give the instant the set was taken at.");
        builder.Produces(200, contentType: "application/gzip");
        builder.Produces<GenericError>(503);
        return builder;
    }

    /// <summary>A v3 write route: a partner key, a JSON body, La bonne alternance's error bodies.</summary>
    public static RouteHandlerBuilder WithJobWriteDocs(this RouteHandlerBuilder builder, string summary, string description)
    {
        builder.WithTags("V3 - Jobs (write)").WithSummary(summary).WithDescription(description);
        builder.Produces<BoomError>(400);
        builder.Produces<BoomError>(401);
        builder.Produces<BoomError>(403);
        builder.Produces<BoomError>(404);
        return builder;
    }

    /// <summary><c>GET /api/v3/jobs/{id}</c> and its gateway name.</summary>
    public static RouteHandlerBuilder WithJobOfferDocs(this RouteHandlerBuilder builder)
    {
        builder.WithTags("V3 - Jobs").WithSummary("One job offer (v3)")
            .WithDescription("A posted offer (its job id) or a national offer (its France Travail id), in the v3 shape. Unknown or expired: "
                + "404 {statusCode: 404, error: \"Not Found\", message: \"Aucune offre d'emploi trouvée pour l'ID: …\"}.");
        builder.Produces<JobOfferV3Doc>(200);
        builder.Produces<BoomError>(404);
        return builder;
    }

    /// <summary>Declares query parameters on a métier route.</summary>
    public static RouteHandlerBuilder WithQueryDocs(this RouteHandlerBuilder builder, params (string Name, bool Required, string Description)[] parameters)
    {
        var list = new Param[parameters.Length];
        for (int i = 0; i < list.Length; i++) list[i] = new Param(parameters[i].Name, JsonSchemaType.String, parameters[i].Required, parameters[i].Description);
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            AddQueryParameters(operation, list);
            return Task.CompletedTask;
        });
        return builder;
    }

    private static void AddQueryParameters(OpenApiOperation operation, Param[] parameters)
    {
        operation.Parameters ??= [];
        foreach (Param p in parameters)
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = p.Name,
                In = ParameterLocation.Query,
                Required = p.Required,
                Description = p.Description,
                Schema = new OpenApiSchema { Type = p.Type },
                Example = p.Example is null ? null
                    : p.Type == JsonSchemaType.Number ? System.Text.Json.Nodes.JsonValue.Create(double.Parse(p.Example, System.Globalization.CultureInfo.InvariantCulture))
                    : System.Text.Json.Nodes.JsonValue.Create(p.Example),
            });
        }
    }
}
