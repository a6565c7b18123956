using Alternance.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Alternance.Api.Telemetry;

public static class TelemetryConfiguration
{
    public const string MemoryPoolRented = "aspnetcore.memory_pool.rented";
    public const string MemoryPoolPooled = "aspnetcore.memory_pool.pooled";

    /// <summary>
    /// Metrics (Orleans, ASP.NET Core, runtime, the engine) for Prometheus at <c>/metrics</c>. When
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, both go to it, with traces from the HTTP request through every grain
    /// call, sampled (tracing every call costs ~4x per grain call); without it no trace is made.
    /// </summary>
    public static IServiceCollection AddAlternanceTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("alternance-cluster"))
            .WithMetrics(m => m
                .AddMeter("Microsoft.Orleans")
                .AddMeter("Alternance.*")
                .AddAspNetCoreInstrumentation()
                // Kestrel's memory pool counts every 4 KB block rented and returned (three tagged updates per block: a
                // 160 KB answer made ~120 of them, ~5 % of the server's CPU on big answers); its allocated and evicted
                // bytes, which move only when the pool grows or shrinks, are kept.
                .AddView(MemoryPoolRented, MetricStreamConfiguration.Drop)
                .AddView(MemoryPoolPooled, MetricStreamConfiguration.Drop)
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        if (TraceExport.IsConfigured(configuration))
        {
            otel.WithTracing(t => t
                    .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(TraceExport.SampleRatio(configuration))))
                    .AddSource(TraceExport.Sources)
                    .AddAspNetCoreInstrumentation())
                .UseOtlpExporter();
        }
        return services;
    }
}
