using Alternance.Hosting;

namespace Alternance.Api.Http;

/// <summary><c>/</c>: what this service is and where to go from here (French, as the service's users are).</summary>
public static class FrontPage
{
    public static IEndpointRouteBuilder MapFrontPage(this IEndpointRouteBuilder app, IConfiguration configuration)
    {
        bool dashboard = ClusterHostingOptions.From(configuration).Dashboard;
        string html = Page(dashboard);
        app.MapGet("/", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "public, max-age=300";
            return Results.Content(html, "text/html; charset=utf-8");
        }).ExcludeFromDescription();
        return app;
    }

    private static string Page(bool dashboard) => $$"""
        <!doctype html>
        <html lang="fr">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Alternance Cluster — API Alternance</title>
        <style>
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#161616}
        h1{font-size:1.6rem;margin-bottom:.2rem}code{background:#f0f0f0;padding:.1rem .3rem;border-radius:3px;word-break:break-all}
        a{color:#000091}li{margin:.3rem 0}
        </style>
        </head>
        <body>
        <main>
        <h1>Alternance Cluster</h1>
        <p>L'API Alternance (contrat de l'API v1 de La Bonne Alternance) : formations en apprentissage, offres d'emploi en
        alternance et entreprises susceptibles de recruter des alternants, autour d'un point, par codes ROME, niveau de
        diplôme et rayon.</p>
        <ul>
        <li><a href="/api-docs">Documentation de l'API</a> (OpenAPI : <a href="/api-docs/swagger.json">/api-docs/swagger.json</a>)</li>
        <li>Widgets à intégrer (voir <a href="/test-widget">le code à copier et l'aperçu</a>) :
        <a href="/recherche-apprentissage?caller=accueil&amp;romes=M1607&amp;job_name=Secr%C3%A9tariat&amp;lat=48.8566&amp;lon=2.3522&amp;radius=30">recherche de formations et d'emplois, avec carte</a>,
        <a href="/recherche?caller=accueil">formulaire de recherche</a>,
        <a href="/espace-pro/widget/accueil">dépôt d'offre par un recruteur</a></li>
        <li>Exemple : <a href="/api/v1/jobs?romes=M1607,M1805&amp;latitude=48.85&amp;longitude=2.35&amp;radius=30&amp;caller=essai"><code>/api/v1/jobs?romes=M1607,M1805&amp;latitude=48.85&amp;longitude=2.35&amp;radius=30&amp;caller=essai</code></a></li>
        <li>État : <a href="/health/ready">/health/ready</a>, métriques : <a href="/metrics">/metrics</a>{{(dashboard ? ", tableau de bord Orleans : <a href=\"/dashboard/\">/dashboard/</a>" : "")}}</li>
        </ul>
        </main>
        </body>
        </html>
        """;
}
