using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Alternance.Api.Widget;

/// <summary>Configuration section <c>Widget</c>.</summary>
public sealed class WidgetOptions
{
    public const string Section = "Widget";

    /// <summary>The <c>caller</c> the pages send to the API when their URL carries none.</summary>
    public string DefaultCaller { get; set; } = "widget-alternance";

    /// <summary>The partner on whose behalf the recruiter widget creates establishments (their owner).</summary>
    public string RecruiterPartner { get; set; } = "widget";

    /// <summary>The origins <c>/espace-pro/widget/{origin}</c> serves; empty: any (letters, digits, <c>-</c>, <c>_</c>).</summary>
    public string[] RecruiterOrigins { get; set; } = [];
}

/// <summary>An HTML page, built once, with its validator.</summary>
public sealed record WidgetPage(string Html, string ETag);

/// <summary>
/// The widget's HTML pages: small static shells (header, an empty main, footer) that load their page's bundles and
/// read their parameters from their own URL; built once at start. Every page may be framed by any site (white label)
/// and runs under a content security policy that allows only this service's scripts, styles and API.
/// </summary>
public sealed class WidgetPages
{
    /// <summary>Marks the document as framed before its first paint, so that an embedded page never shows its header.</summary>
    private const string FramedScript = "if(window.top!==window.self)document.documentElement.classList.add('is-embedded')";

    private readonly WidgetAssets _assets;
    private readonly WidgetOptions _options;
    private readonly Dictionary<string, WidgetPage> _pages = new(StringComparer.Ordinal);

    public WidgetPages(WidgetAssets assets, IOptions<WidgetOptions> options)
    {
        _assets = assets;
        _options = options.Value;
        string framedHash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(FramedScript)));
        // Images: the host site's logo (return_logo_url) is on its own server. Frames: the tester page's live widgets.
        ContentSecurityPolicy = $"default-src 'self'; script-src 'self' 'sha256-{framedHash}'; style-src 'self'; img-src 'self' data: https:; "
            + "connect-src 'self'; frame-src 'self'; frame-ancestors *; base-uri 'none'; form-action 'self'; object-src 'none'";

        _pages["search"] = Build("search", "search", null, "Formations et emplois en alternance", "Trouvez une formation ou un emploi en alternance");
        _pages["search:all"] = Build("search", "search", "all", "Formations et emplois en alternance", "Trouvez une formation ou un emploi en alternance");
        _pages["search:job"] = Build("search", "search", "job", "Emplois en alternance", "Trouvez un emploi en alternance");
        _pages["search:training"] = Build("search", "search", "training", "Formations en alternance", "Trouvez une formation en alternance");
        _pages["apply"] = Build("forms", "apply", null, "Postuler", "Postuler");
        _pages["appointment"] = Build("forms", "appointment", null, "Demande de rendez-vous", "Contacter l'organisme de formation");
        _pages["recruiter"] = Build("recruiter", "recruiter", null, "Déposer une offre d'alternance", "Déposer une offre d'alternance");
        _pages["test-widget"] = Build("test-widget", "test-widget", null, "Intégrer le widget", "Intégrer le widget Alternance");
        _pages["licences"] = Static("Licences", "Licences des composants", LicencesBody());
        _pages["not-found"] = Static("Page introuvable", "Page introuvable", "<p>Cette adresse ne correspond à aucune page du widget.</p><p><a href=\"/\">Accueil</a></p>");
    }

    public string ContentSecurityPolicy { get; }

    public WidgetPage Page(string name) => _pages[name];

    /// <summary>The search page: the path's scope (the legacy paths), or none (<c>/recherche</c>: the <c>scope</c> parameter).</summary>
    public WidgetPage Search(string? scope) => _pages[scope is null ? "search" : "search:" + scope];

    /// <summary>Writes a page with its headers; answers 304 when the client holds it.</summary>
    public IResult Serve(HttpContext context, WidgetPage page, int status = StatusCodes.Status200OK)
    {
        IHeaderDictionary headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        // Revalidated on every load: a release changes the bundles' names in it.
        headers.CacheControl = "no-cache";
        headers.ETag = page.ETag;
        if (status == StatusCodes.Status200OK && context.Request.Headers.IfNoneMatch.ToString() == page.ETag)
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        return Results.Content(page.Html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    private WidgetPage Build(string bundleName, string page, string? scope, string title, string heading)
    {
        WidgetBundle bundle = _assets.Bundle(bundleName);
        var config = new Dictionary<string, string?>
        {
            ["page"] = page,
            ["scope"] = scope,
            ["defaultCaller"] = _options.DefaultCaller,
        };
        string preload = "";
        if (page == "search")
        {
            config["basemap"] = WidgetAssets.Url(_assets.BaseMap);
            // The base map is fetched by the script: ask for it while the script itself downloads.
            preload = $"<link rel=\"preload\" href=\"{WidgetAssets.Url(_assets.BaseMap)}\" as=\"fetch\" crossorigin=\"anonymous\">\n";
        }
        // The default encoder escapes <, > and &: the JSON cannot close its script element.
        string json = JsonSerializer.Serialize(config);
        string body = $"<div id=\"app\" class=\"app app--{page}\"><noscript><p class=\"notice\">Cette page a besoin de JavaScript.</p></noscript></div>";
        string head = $"<link rel=\"stylesheet\" href=\"{WidgetAssets.Url(bundle.Style)}\">\n{preload}<script defer src=\"{WidgetAssets.Url(bundle.Script)}\"></script>\n";
        return Document(title, heading, head, body, $"<script type=\"application/json\" id=\"widget-config\">{json}</script>\n", page);
    }

    private WidgetPage Static(string title, string heading, string body) =>
        Document(title, heading, $"<link rel=\"stylesheet\" href=\"{WidgetAssets.Url(_assets.Bundle("forms").Style)}\">\n", body, "", "static");

    private static WidgetPage Document(string title, string heading, string head, string body, string tail, string page)
    {
        string html = $$"""
            <!doctype html>
            <html lang="fr">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{WebUtility.HtmlEncode(title)}}</title>
            <link rel="icon" href="data:,">
            <script>{{FramedScript}}</script>
            {{head}}</head>
            <body class="page page--{{page}}">
            <a class="skip-link" href="#main">Aller au contenu principal</a>
            <header class="site-header">
            <div class="site-header__inner">
            <a class="brand" href="/"><span class="brand__mark" aria-hidden="true"></span><span class="brand__text"><span class="brand__name">Alternance</span><span class="brand__tagline">Formations et emplois en alternance</span></span></a>
            <div class="host-logo" id="host-logo"></div>
            </div>
            </header>
            <main id="main" class="main" tabindex="-1">
            <h1 class="page-title">{{WebUtility.HtmlEncode(heading)}}</h1>
            {{body}}
            </main>
            <footer class="site-footer">
            <div class="site-footer__inner">
            <p>Service de l'API Alternance : formations en apprentissage, offres d'emploi en alternance et entreprises qui recrutent.</p>
            <ul class="footer-links">
            <li><a href="/api-docs">Documentation de l'API</a></li>
            <li><a href="/test-widget">Intégrer le widget</a></li>
            <li><a href="/widget/licences">Licences</a></li>
            </ul>
            </div>
            </footer>
            {{tail}}</body>
            </html>
            """;
        string etag = "\"" + WidgetAsset.HashOf(Encoding.UTF8.GetBytes(html)) + "\"";
        return new WidgetPage(html, etag);
    }

    private static string LicencesBody() => """
        <p>Le widget embarque ces composants, servis par ce service (aucun CDN, aucune tuile ni police tierce) :</p>
        <ul>
        <li><a href="https://leafletjs.com">Leaflet</a> 1.9.4 — licence BSD 2 clauses : <a href="/widget/assets/vendor/leaflet/LICENSE">texte</a></li>
        <li><a href="https://github.com/Leaflet/Leaflet.markercluster">Leaflet.markercluster</a> 1.5.3 — licence MIT : <a href="/widget/assets/vendor/leaflet.markercluster/MIT-LICENCE.txt">texte</a></li>
        <li>Fond de carte : contours <a href="https://www.naturalearthdata.com">Natural Earth</a> (domaine public), via le paquet npm <a href="https://github.com/topojson/world-atlas">world-atlas</a> 2.0.2 (licence ISC : <a href="/widget/assets/vendor/world-atlas/LICENSE">texte</a>) ; villes : code officiel géographique (INSEE), licence ouverte.</li>
        </ul>
        """;
}
