using Alternance.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Alternance.Silo;

/// <summary>A cluster member: a silo plus a small HTTP port for probes and Prometheus.</summary>
public static class SiloHost
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = ServiceContentRoot.Resolve() });
        builder.UseOrleans(silo => silo.AddAlternanceSilo(builder.Configuration));
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("alternance-silo"))
            .WithMetrics(m => m.AddMeter("Microsoft.Orleans").AddMeter("Alternance.*").AddRuntimeInstrumentation().AddPrometheusExporter());
        if (TraceExport.IsConfigured(builder.Configuration))
        {
            // The cells' side of each search's trace (the front samples; a silo follows its parent's decision).
            otel.WithTracing(t => t
                    .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(TraceExport.SampleRatio(builder.Configuration))))
                    .AddSource(TraceExport.Sources))
                .UseOtlpExporter();
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
