using Alternance.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Alternance.Silo;

/// <summary>A cluster member: a silo plus a small HTTP port for probes and Prometheus.</summary>
public static class SiloHost
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.UseOrleans(silo => silo.AddAlternanceSilo(builder.Configuration));
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("alternance-silo"))
            .WithMetrics(m => m.AddMeter("Microsoft.Orleans").AddMeter("Alternance.*").AddRuntimeInstrumentation().AddPrometheusExporter());
        if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.UseOtlpExporter();
        }
        builder.Services.AddHealthChecks();
        var app = builder.Build();
        app.MapHealthChecks("/health/live");
        app.MapHealthChecks("/health/ready");
        app.MapPrometheusScrapingEndpoint("/metrics");
        await app.RunAsync(cancellationToken);
        return 0;
    }
}
