using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Alternance.Hosting;

/// <summary>Which process reports: an API node (serving HTTP, co-hosting a silo or not) or a silo host.</summary>
public enum TelemetryRole
{
    ApiNode,
    Silo,
}

/// <summary>The metrics and traces of every process of the cluster, set up in one place for the API and the silo hosts.</summary>
public static class TelemetryConfiguration
{
    public const string MemoryPoolRented = "aspnetcore.memory_pool.rented";
    public const string MemoryPoolPooled = "aspnetcore.memory_pool.pooled";

    /// <summary>
    /// Metrics (Orleans, the runtime, the engine; an API node adds ASP.NET Core's) for Prometheus at <c>/metrics</c>.
    /// When <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, both go to it, with traces from the HTTP request through every
    /// grain call, sampled by the front (tracing every call costs ~4x per grain call; a silo follows its parent's
    /// decision); without it no trace is made.
    /// </summary>
    public static IServiceCollection AddAlternanceTelemetry(this IServiceCollection services, IConfiguration configuration, TelemetryRole role)
    {
        bool http = role == TelemetryRole.ApiNode;
        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(http ? "alternance-cluster" : "alternance-silo"))
            .WithMetrics(m =>
            {
                m.AddMeter("Microsoft.Orleans").AddMeter("Alternance.*").AddRuntimeInstrumentation();
                if (http)
                {
                    m.AddAspNetCoreInstrumentation()
                        // Kestrel's memory pool counts every 4 KB block rented and returned (three tagged updates per
                        // block: a 160 KB answer made ~120 of them, ~5 % of the server's CPU on big answers); its
                        // allocated and evicted bytes, which move only when the pool grows or shrinks, are kept.
                        .AddView(MemoryPoolRented, MetricStreamConfiguration.Drop)
                        .AddView(MemoryPoolPooled, MetricStreamConfiguration.Drop);
                }
                m.AddPrometheusExporter();
            });
        if (TraceExport.IsConfigured(configuration))
        {
            otel.WithTracing(t =>
                {
                    t.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(TraceExport.SampleRatio(configuration))))
                        .AddSource(TraceExport.Sources);
                    if (http) t.AddAspNetCoreInstrumentation();
                })
                .UseOtlpExporter();
        }
        return services;
    }
}
