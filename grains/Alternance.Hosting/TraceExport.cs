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

    /// <summary>The environment variable naming the OTLP collector (OpenTelemetry's own name).</summary>
    public const string EndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public const string SampleRatioKey = "Telemetry:TraceSampleRatio";

    public static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration[EndpointKey]);

    /// <summary>The share of searches traced (<c>Telemetry:TraceSampleRatio</c>, 1% by default: tracing every grain call costs ~4x per call).</summary>
    public static double SampleRatio(IConfiguration configuration) =>
        configuration.GetValue(SampleRatioKey, 0.01);
}
