using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace Alternance.Hosting;

public static class ClientConfiguration
{
    /// <summary>Configures a cluster client (an API node or the CLI) from the <c>Cluster</c> section.</summary>
    public static IClientBuilder AddAlternanceClient(this IClientBuilder client, IConfiguration configuration)
    {
        var options = ClusterHostingOptions.From(configuration);
        client.Configure<ClusterOptions>(o =>
        {
            o.ServiceId = options.ServiceId;
            o.ClusterId = options.ClusterId;
        });
        if (string.Equals(options.Clustering, "AzureStorage", StringComparison.OrdinalIgnoreCase))
        {
            string connection = options.AzureStorageConnectionString
                ?? throw new InvalidOperationException("Cluster:AzureStorageConnectionString is required for Azure clustering.");
            client.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(connection));
        }
        else
        {
            client.UseLocalhostClustering(options.GatewayPort, options.ServiceId, options.ClusterId);
        }
        if (TraceExport.IsConfigured(configuration))
        {
            client.AddActivityPropagation();
        }
        if (options.Dashboard)
        {
            client.AddDashboard();
        }
        return client;
    }
}
