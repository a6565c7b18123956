using System.Globalization;
using System.IO.Hashing;
using System.Text.Json;
using Alternance.Api.Docs;
using Alternance.Api.Errors;
using Alternance.Api.Json;
using Alternance.Api.Search;
using Alternance.Data;
using Alternance.Search;
using Alternance.Text;

namespace Alternance.Api.TextSearch;

/// <summary>
/// <c>GET /api/v1/search</c> (free text over trainings, offers and companies, with facets, sorts and pages) and
/// <c>GET /api/v1/search/suggest</c> (search-as-you-type completions). docs/text-search.md.
/// </summary>
public static class TextSearchEndpoints
{
    public static IServiceCollection AddTextSearchRoutes(this IServiceCollection services)
    {
        services.AddSingleton<TextHitViews>();
        services.AddSingleton<SuggestionIndex>();
        return services;
    }

    public static IEndpointRouteBuilder MapTextSearchRoutes(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/search", (HttpContext context, CancellationToken _) => Search(context))
            .WithMetadata(SelfEncodedAnswer.Instance)
            .WithQueryDocs(SearchParameters)
            .WithName("search")
            .WithTags("Recherche").WithSummary("Free text over trainings, offers and companies, with facets, sorts and pages")
            .WithDescription("Every word must match (its synonyms and, from 5 letters, one-typo variants count); BM25 relevance on collection-wide statistics. Facets are disjunctive. docs/text-search.md.")
            .Produces<Docs.TextSearchResponseDoc>(200)
            .Produces<ParameterError>(400);
        app.MapGet("/api/v1/search/suggest", (HttpContext context, CancellationToken _) => Suggest(context))
            .WithQueryDocs(("q", true, "What the user typed, 3..200 characters."), ("limit", false, "1..20, default 10."))
            .WithName("searchSuggest")
            .WithTags("Recherche").WithSummary("Search-as-you-type completions: titles, organisations, ROME labels and appellations")
            .Produces<Docs.SuggestionsResponseDoc>(200)
            .Produces<ParameterError>(400);
        return app;
    }

    private static readonly (string Name, bool Required, string Description)[] SearchParameters =
    [
        ("q", false, "Free text, at most 200 characters; empty matches everything."),
        ("mode", false, "emplois, formations or emplois_formation (default)."),
        ("latitude", false, "Search centre latitude, with longitude."),
        ("longitude", false, "Search centre longitude, with latitude."),
        ("radius", false, "Radius in km around the centre, 0..200, default 30."),
        ("admin_area", false, "departement:<code> or region:<code>, instead of a centre."),
        ("contract_type", false, "Apprentissage, Professionnalisation (comma-separated: any)."),
        ("level", false, "3..7 or indifferent (comma-separated: any)."),
        ("type_filter_label", false, "Formations, Offres d'emploi, Entreprises (comma-separated: any)."),
        ("activity_sector", false, "Exact sector label; repeat for several."),
        ("organization_name", false, "Organisation name, accents and case ignored; repeat for several."),
        ("start_date", false, "yyyy-mm-dd: items starting on or before it."),
        ("is_disabled_elligible", false, "true or false."),
        ("smart_apply", false, "true or false."),
        ("is_algo_company", false, "true or false."),
        ("sort", false, "relevance (default), proximity (needs a centre), date, start_date."),
        ("page", false, "0-based page, default 0."),
        ("hitsPerPage", false, "1..100, default 20; (page + 1) × hitsPerPage ≤ 1000."),
    ];

    private static async Task Search(HttpContext context)
    {
        IServiceProvider services = context.RequestServices;
        var errors = new List<string>(2);
        TextSearchRequest request = TextSearchValidator.Validate(context.Request.Query, services.GetRequiredService<ReferenceData>(), errors);
        if (errors.Count > 0)
        {
            await ApiErrors.BadRequest(errors).ExecuteAsync(context);
            return;
        }
        TextSearchResult result = await services.GetRequiredService<TextSearchEngine>().SearchAsync(request, context.RequestAborted);
        TextHitView?[] views = await services.GetRequiredService<TextHitViews>().ResolveAsync(result, context.RequestAborted);
        // Tagged by its own bytes: hits, scores, facets and pages all change them, and a client that holds the same bytes
        // gets a 304 without them (the radius searches tag their hits instead, to skip writing; here the writing is small).
        using PooledBufferWriter body = PooledJson.Render((request, result, views),
            static (w, s) => TextAnswerWriter.Write(w, s.request, s.result, s.views));
        string hash = XxHash3.HashToUInt64(body.WrittenSpan).ToString("x16", CultureInfo.InvariantCulture);
        await EncodedJson.SendAsync(context, body.WrittenMemory, hash);
    }

    private static async Task Suggest(HttpContext context)
    {
        IServiceProvider services = context.RequestServices;
        var errors = new List<string>(1);
        var (q, limit) = TextSearchValidator.ValidateSuggest(context.Request.Query, errors);
        if (errors.Count > 0)
        {
            await ApiErrors.BadRequest(errors).ExecuteAsync(context);
            return;
        }
        SuggestionIndex index = services.GetRequiredService<SuggestionIndex>();
        SuggestionTable table = await index.GetAsync();
        Suggestion[] found = table.Complete(q, limit);
        await PooledJson.SendAsync(context.Response, StatusCodes.Status200OK, found, static (w, s) => TextAnswerWriter.WriteSuggestions(w, s));
    }
}

/// <summary>Writes the answers of the free-text routes.</summary>
internal static class TextAnswerWriter
{
    public static void Write(Utf8JsonWriter w, TextSearchRequest request, TextSearchResult result, TextHitView?[] views)
    {
        w.WriteStartObject();
        w.WriteStartArray("hits");
        var matched = new List<string>();
        for (int i = 0; i < result.Hits.Length; i++)
        {
            SourcedTextHit hit = result.Hits[i];
            TextHitView? view = views[i];
            HashSet<string> terms = TermsOf(result, hit.Source);
            w.WriteStartObject();
            w.WriteString("kind", ItemDocument.Kind(hit.Source));
            w.WriteString("id", hit.Hit.Id);
            w.WriteString("title", view?.Title);
            w.WriteString("organisation", view?.Organisation);
            w.WriteStartObject("place");
            w.WriteString("city", view?.City);
            if (view is null) { w.WriteNull("latitude"); w.WriteNull("longitude"); }
            else { w.WriteNumber("latitude", view.Latitude); w.WriteNumber("longitude", view.Longitude); }
            w.WriteEndObject();
            if (double.IsNaN(hit.Hit.DistanceKm)) w.WriteNull("distance");
            else DistanceText.Write(w, Source.Formation, hit.Hit.DistanceKm);
            w.WriteStartObject("dates");
            w.WriteString("created", ItemDocument.DayText(view?.CreatedDay ?? ItemDocument.NoDay));
            w.WriteString("start", ItemDocument.DayText(view?.StartDay ?? ItemDocument.NoDay));
            w.WriteEndObject();
            w.WriteNumber("score", hit.Hit.Score);
            matched.Clear();
            w.WriteString("preview", view is null ? null : Highlight(view, terms, matched));
            w.WriteStartArray("matched_words");
            foreach (string word in matched) w.WriteStringValue(word);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteNumber("nbHits", result.NbHits);
        w.WriteNumber("page", request.Page);
        w.WriteNumber("nbPages", (result.NbHits + request.HitsPerPage - 1) / request.HitsPerPage);
        w.WriteNumber("hitsPerPage", request.HitsPerPage);
        w.WriteStartObject("facets");
        TextFacet? open = null;
        foreach (FacetCount count in result.Facets)
        {
            if (open != count.Facet)
            {
                if (open is not null) w.WriteEndObject();
                w.WriteStartObject(FacetName(count.Facet));
                open = count.Facet;
            }
            w.WriteNumber(count.Value, count.Count);
        }
        if (open is not null) w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static string FacetName(TextFacet facet) => facet switch
    {
        TextFacet.TypeFilterLabel => "type_filter_label",
        TextFacet.ContractType => "contract_type",
        TextFacet.Level => "level",
        TextFacet.ActivitySector => "activity_sector",
        TextFacet.IsDisabledElligible => "is_disabled_elligible",
        TextFacet.SmartApply => "smart_apply",
        _ => "is_algo_company",
    };

    private static HashSet<string> TermsOf(TextSearchResult result, Source source)
    {
        foreach (TextSourceQuery q in result.Queries) if (q.Source == source) return q.Terms;
        return [];
    }

    /// <summary>
    /// The title, HTML-escaped, with each word whose term the query looked for in <c>&lt;em&gt;</c>; the matched words of
    /// every field (as written, first occurrence, in field order) go to <paramref name="matched"/>.
    /// </summary>
    private static string Highlight(TextHitView view, HashSet<string> terms, List<string> matched)
    {
        var preview = new System.Text.StringBuilder(view.Title.Length + 16);
        string title = view.Fields[(int)TextField.Title] ?? "";
        int at = 0;
        foreach (TextToken token in view.Tokens[(int)TextField.Title])
        {
            if (!terms.Contains(token.Term)) continue;
            preview.Append(System.Net.WebUtility.HtmlEncode(title[at..token.Start]));
            preview.Append("<em>").Append(System.Net.WebUtility.HtmlEncode(title[token.Start..token.End])).Append("</em>");
            at = token.End;
        }
        preview.Append(System.Net.WebUtility.HtmlEncode(title[at..]));
        for (int f = 0; f < view.Fields.Length; f++)
        {
            string? text = view.Fields[f];
            if (text is null) continue;
            foreach (TextToken token in view.Tokens[f])
            {
                if (!terms.Contains(token.Term)) continue;
                string word = text[token.Start..token.End];
                if (!matched.Contains(word)) matched.Add(word);
            }
        }
        return preview.ToString();
    }

    public static void WriteSuggestions(Utf8JsonWriter w, Suggestion[] suggestions)
    {
        w.WriteStartObject();
        w.WriteStartArray("suggestions");
        foreach (Suggestion s in suggestions)
        {
            w.WriteStartObject();
            w.WriteString("text", s.Text);
            w.WriteString("kind", s.Kind);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
