using System.Text.Json;
using Alternance.Api.Docs;
using Alternance.Api.Errors;
using Alternance.Api.Http;
using Alternance.Api.Metiers;
using Alternance.Api.Search;
using Alternance.Api.Security;
using Alternance.Api.Validation;
using Alternance.Data;

namespace Alternance.Api.Widget;

/// <summary>
/// The embeddable widgets (CONTRACT §3): the search page and its legacy paths, the application, appointment and
/// recruiter forms, the tester page, their assets, and the few look-ups they need beyond the public API (places,
/// appellations with their codes, the recruiter widget's writes).
/// </summary>
public static class WidgetRoutes
{
    public static IServiceCollection AddWidget(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddReferenceData();
        services.Configure<WidgetOptions>(configuration.GetSection(WidgetOptions.Section));
        services.AddSingleton<WidgetAssets>();
        services.AddSingleton<WidgetPages>();
        services.AddSingleton<PlaceIndex>();
        services.AddSingleton<WidgetTokens>();
        services.AddSingleton<RecruiterWidget>();
        return services;
    }

    public static IEndpointRouteBuilder MapWidget(this IEndpointRouteBuilder app)
    {
        // Pages (GET and HEAD). The legacy paths of the reference serve the search page with their scope.
        Page(app, "/recherche", (c, p) => p.Serve(c, p.Search(null)));
        Page(app, "/recherche-apprentissage", (c, p) => p.Serve(c, p.Search("all")));
        Page(app, "/recherche-emploi", (c, p) => p.Serve(c, p.Search("job")));
        Page(app, "/recherche-apprentissage-formation", (c, p) => p.Serve(c, p.Search("training")));
        Page(app, "/postuler", (c, p) => p.Serve(c, p.Page("apply")));
        // The appointment form; /espace-pro/form is where the API's form_url points.
        Page(app, "/rdva", (c, p) => p.Serve(c, p.Page("appointment")));
        Page(app, "/espace-pro/form", (c, p) => p.Serve(c, p.Page("appointment")));
        Page(app, "/espace-pro/widget/{origin}", (c, p) =>
            c.RequestServices.GetRequiredService<RecruiterWidget>().IsOrigin((string)c.Request.RouteValues["origin"]!)
                ? p.Serve(c, p.Page("recruiter"))
                : p.Serve(c, p.Page("not-found"), StatusCodes.Status404NotFound));
        Page(app, "/test-widget", (c, p) => p.Serve(c, p.Page("test-widget")));
        Page(app, "/widget/licences", (c, p) => p.Serve(c, p.Page("licences")));
        app.MapMethods(WidgetAssets.Prefix + "{**name}", ReadMethods, (string name, HttpContext c, WidgetAssets assets) => ServeAsset(c, assets.Find(name)))
            .WithMetadata(SelfEncodedAnswer.Instance).ExcludeFromDescription();

        // Look-ups and writes behind the pages.
        RouteGroupBuilder api = app.MapGroup("/api/widget").WithTags("Widget");
        api.MapGet("/communes", (HttpContext c, PlaceIndex places) => Communes(c.Request.Query, places))
            .CacheableForAnHour().WithSummary("Communes by name or postal-code prefix, INSEE code, or nearest to a point (at most 10)")
            .WithQueryDocs(
                ("q", false, "The start of a commune's name or postal code."),
                ("insee", false, "An INSEE commune code."),
                ("latitude", false, "With longitude: the commune nearest to the point."),
                ("longitude", false, "With latitude."));
        api.MapGet("/appellations", (HttpContext c, AppellationIndex index) => Appellations(c.Request.Query, index))
            .CacheableForAnHour().WithSummary("ROME appellations matching a label, with their codes (at most 20)")
            .WithQueryDocs(("label", true, "The label to search for, e.g. boulanger."));
        api.MapGet("/recruiters/{origin}/siret/{siret}", (string origin, string siret, RecruiterWidget r) => r.CheckSiret(origin, siret))
            .WithSummary("The company of a SIRET, for the recruiter widget");
        api.MapPost("/recruiters/{origin}/establishment", (string origin, HttpContext c, RecruiterWidget r) => r.CreateEstablishment(c, origin))
            .WithSummary("Creates an establishment from the recruiter widget; answers its token in X-Widget-Token");
        api.MapPost("/recruiters/{origin}/jobs/{establishmentId}", (string origin, string establishmentId, HttpContext c, RecruiterWidget r) =>
                r.CreateJob(c, origin, establishmentId))
            .WithSummary("Posts an offer from the recruiter widget (X-Widget-Token of the establishment)");
        return app;
    }

    private static readonly string[] ReadMethods = [HttpMethods.Get, HttpMethods.Head];

    private static void Page(IEndpointRouteBuilder app, string pattern, Func<HttpContext, WidgetPages, IResult> serve) =>
        app.MapMethods(pattern, ReadMethods, (HttpContext c, WidgetPages p) => serve(c, p)).ExcludeFromDescription();

    private static IResult ServeAsset(HttpContext context, WidgetAsset? asset)
    {
        if (asset is null)
        {
            return Results.NotFound();
        }
        HttpResponse response = context.Response;
        ContentCoding coding = ContentCodings.Negotiate(context.Request);
        string etag = ContentCodings.EntityTag(asset.Hash, coding);
        response.Headers.ETag = etag;
        response.Headers.Vary = "Accept-Encoding";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.CacheControl = asset.Immutable ? "public, max-age=31536000, immutable" : "public, max-age=3600";
        if (context.Request.Headers.IfNoneMatch.ToString() == etag)
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        byte[] body = coding switch
        {
            ContentCoding.Brotli => asset.Brotli,
            ContentCoding.Gzip => asset.Gzip,
            _ => asset.Content,
        };
        if (ContentCodings.HeaderValue(coding) is { } encoding) response.Headers.ContentEncoding = encoding;
        return Results.Bytes(body, asset.ContentType);
    }

    private static IResult Communes(IQueryCollection query, PlaceIndex places)
    {
        var errors = new List<string>(2);
        string? q = SearchValidator.Value(query, "q");
        string? insee = SearchValidator.Value(query, "insee");
        string? latText = SearchValidator.Value(query, "latitude");
        string? lonText = SearchValidator.Value(query, "longitude");
        List<Commune> found;
        if (q is not null)
        {
            if (q.Length > 100) errors.Add("q : Search text must be at most 100 characters long.");
            found = errors.Count == 0 ? places.Find(q) : [];
        }
        else if (insee is not null)
        {
            if (!SearchValidator.IsInsee(insee)) errors.Add(Messages.InseeBadFormat);
            found = errors.Count == 0 && places.ByInsee(insee) is { } c ? [c] : [];
        }
        else if (latText is not null || lonText is not null)
        {
            double lat = Coordinate(latText, -90, 90, Messages.LatitudeMissing, Messages.LatitudeNaN, Messages.LatitudeRange, errors);
            double lon = Coordinate(lonText, -180, 180, Messages.LongitudeMissing, Messages.LongitudeNaN, Messages.LongitudeRange, errors);
            found = errors.Count == 0 && places.Nearest(lat, lon) is { } c ? [c] : [];
        }
        else
        {
            errors.Add("q, insee, latitude, longitude : You must give a search text, an insee code or a point.");
            found = [];
        }
        if (errors.Count > 0) return ApiErrors.BadRequest(errors);
        return new JsonBody(StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("communes");
            foreach (Commune c in found)
            {
                w.WriteStartObject();
                w.WriteString("insee", c.Insee);
                w.WriteString("name", c.Name);
                w.WriteString("zipcode", c.PostalCode);
                w.WriteString("departement", c.DepartementCode);
                w.WriteNumber("latitude", c.Latitude);
                w.WriteNumber("longitude", c.Longitude);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static double Coordinate(string? text, double min, double max, string missing, string notNumber, string range, List<string> errors)
    {
        if (text is null)
        {
            errors.Add(missing);
            return 0;
        }
        // Numbers read as the search routes read them.
        if (!SearchValidator.TryParseNumber(text, out double value))
        {
            errors.Add(notNumber);
            return 0;
        }
        if (value < min || value > max) errors.Add(range);
        return value;
    }

    private static IResult Appellations(IQueryCollection query, AppellationIndex index)
    {
        string? label = SearchValidator.Value(query, "label");
        if (label is null) return ApiErrors.MissingParameters(Messages.LabelMissing);
        var found = index.FindWithCodes(label, 20);
        return new JsonBody(StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("appellations");
            foreach (var (couple, code) in found)
            {
                w.WriteStartObject();
                w.WriteString("code", code);
                w.WriteString("label", couple.Appellation);
                w.WriteString("romeCode", couple.CodeRome);
                w.WriteString("romeLabel", couple.Intitule);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }
}
