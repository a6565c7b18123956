using Microsoft.Extensions.Configuration;

namespace Alternance.Hosting;

/// <summary>
/// Traces are collected only when they go somewhere: an OTLP endpoint (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>). Without
/// one, creating activities and carrying them through every grain call was pure cost on the search path.
/// </summary>
public static class TraceExport
{
    /// <summary>The activity sources an API node and a silo trace: Orleans' grain calls and the engine's own.</summary>
    public static readonly string[] Sources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application", "Alternance.*"];

    public static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    /// <summary>The share of searches traced (<c>Telemetry:TraceSampleRatio</c>, 1% by default: tracing every grain call costs ~4x per call).</summary>
    public static double SampleRatio(IConfiguration configuration) =>
        configuration.GetValue("Telemetry:TraceSampleRatio", 0.01);
}
