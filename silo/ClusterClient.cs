using Alternance.Hosting;
using Alternance.Search;

namespace Alternance.Silo;

/// <summary>A short-lived cluster client for the operator commands, configured like an API node.</summary>
public static class ClusterClient
{
    public static async Task<IHost> StartAsync(CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true);
        // A command prints its own report: only problems from the hosting and Orleans.
        builder.Configuration["Logging:LogLevel:Default"] = "Warning";
        builder.Configuration["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning";
        builder.UseOrleansClient(client => client.AddAlternanceClient(builder.Configuration));
        builder.Services.AddSearchFront(builder.Configuration);
        IHost host = builder.Build();
        await host.StartAsync(cancellationToken);
        return host;
    }
}
