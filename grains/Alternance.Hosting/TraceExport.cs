using Microsoft.Extensions.Configuration;

namespace Alternance.Hosting;

/// <summary>
/// Traces are collected only when they go somewhere: an OTLP endpoint (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>). Without
/// one, creating activities and carrying them through every grain call was pure cost on the search path.
/// </summary>
public static class TraceExport
{
    public static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
}
