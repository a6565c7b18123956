using Alternance.Api.Admin;
using Alternance.Api.Applications;
using Alternance.Api.Appointments;
using Alternance.Api.Dashboard;
using Alternance.Api.Dataset;
using Alternance.Api.Docs;
using Alternance.Api.Errors;
using Alternance.Api.Items;
using Alternance.Api.Jobs;
using Alternance.Api.Metiers;
using Alternance.Api.Search;
using Alternance.Api.Health;
using Alternance.Api.Http;
using Alternance.Api.Mail;
using Alternance.Api.Recruiters;
using Alternance.Api.Security;
using Alternance.Api.Telemetry;
using Alternance.Api.TextSearch;
using Alternance.Api.Widget;
using Alternance.Hosting;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = ServiceContentRoot.Resolve() });
// One line per entry, with the time: read by people at a console and by log collectors alike.
builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });

// Embedded (the default): this process is also a silo, on the local file store, and loads the bundled
// dataset on first start. Client: an API node of a cluster of separate silos.
bool embedded = !ClusterHostingOptions.From(builder.Configuration).IsClient;
if (embedded)
{
    builder.UseOrleans(silo => silo.AddAlternanceSilo(builder.Configuration));
    builder.Services.AddBundledDataset(builder.Configuration);
}
else
{
    builder.UseOrleansClient(client => client.AddAlternanceClient(builder.Configuration));
    builder.Services.AddClusterWarmup();
}

builder.Services.AddSearchFront(builder.Configuration);
builder.Services.AddAlternanceTelemetry(builder.Configuration);
builder.Services.AddHealthChecks().AddCheck<DatasetReadyCheck>("dataset", tags: ["ready"]);
builder.Services.AddSingleton<DatasetReadyCheck>();
builder.Services.AddHostedService<ReadyAnnouncement>();
// Read side: error bodies and the no-500 handler, search/item/métier routes, OpenAPI.
builder.Services.AddApiErrors();
builder.Services.AddSearchRoutes(builder.Configuration);
builder.Services.AddTextSearchRoutes();
// Compression, CORS on the public read routes, caching defaults.
builder.Services.AddPublicHttp();
builder.Services.AddMetierRoutes();
builder.Services.AddApiDocs();
builder.Services.AddDashboardAccess(builder.Configuration);
// Write side: API keys and rate limits, mail transport, offers, applications, appointment requests.
builder.Services.AddWriteSecurity(builder.Configuration);
builder.Services.AddMailTransport(builder.Configuration);
builder.Services.AddRecruiterWrites(builder.Configuration);
builder.Services.AddJobWrites();
builder.Services.AddApplications(builder.Configuration);
builder.Services.AddAppointments();
// The embeddable pages (search and map, forms, tester) and their assets.
builder.Services.AddWidget(builder.Configuration);

var app = builder.Build();

app.UseApiErrors();

app.UseApiRateLimits();
app.UsePublicHttp();

app.MapHealthEndpoints();
app.MapPrometheusScrapingEndpoint("/metrics");
if (ClusterHostingOptions.From(app.Configuration).Dashboard)
{
    // Not public by default: loopback only, or a key (Dashboard:Access, Dashboard:Key).
    app.MapDashboard();
}
// The public read routes: callable from pages of any origin.
RouteGroupBuilder publicRead = app.MapGroup("").RequireCors(PublicHttp.ReadPolicy);
publicRead.MapSearchRoutes();
publicRead.MapTextSearchRoutes();
publicRead.MapItemRoutes();
publicRead.MapMetierRoutes();
publicRead.MapJobRoutes();
app.MapFrontPage(app.Configuration);
app.MapApiDocs();
app.MapBenchmarkRoutes(app.Configuration);

app.MapRecruiterRoutes();
app.MapJobWriteRoutes();
app.MapApplicationRoutes();
app.MapAppointmentRoutes();
app.MapAdminRoutes();
app.MapWidget();

app.Run();

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
