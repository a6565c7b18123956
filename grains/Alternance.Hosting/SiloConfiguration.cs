using System.Net;
using Alternance.Grains;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Serialization;
using Orleans.Storage;

namespace Alternance.Hosting;

public static class SiloConfiguration
{
    /// <summary>
    /// Configures a silo from the <c>Cluster</c> section: clustering, the cells' grain storage, the dashboard
    /// collector and trace propagation. Used by the silo host, the co-hosted API and the test clusters.
    /// </summary>
    public static ISiloBuilder AddAlternanceSilo(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = ClusterHostingOptions.From(configuration);

        silo.Configure<ClusterOptions>(o =>
        {
            o.ServiceId = options.ServiceId;
            o.ClusterId = options.ClusterId;
        });
        if (string.Equals(options.Clustering, "AzureStorage", StringComparison.OrdinalIgnoreCase))
        {
            string connection = RequireConnection(options);
            silo.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(connection));
            IPAddress advertised = options.AdvertisedIPAddress is { } ip ? IPAddress.Parse(ip) : IPAddress.Loopback;
            silo.ConfigureEndpoints(advertised, options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: options.AdvertisedIPAddress is not null);
            if (Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST") is not null)
            {
                silo.UseKubernetesHosting();
            }
        }
        else if (string.Equals(options.Clustering, "Localhost", StringComparison.OrdinalIgnoreCase))
        {
            silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
        }
        // "None": the caller configures clustering itself (test clusters).

        // Failure detection (probe timeouts, votes): Orleans' defaults unless Cluster:Membership says otherwise.
        silo.Services.AddOptions<ClusterMembershipOptions>().Bind(configuration.GetSection(ClusterHostingOptions.Section + ":Membership"));
        silo.AddCellStorage(options);
        silo.Services.TryAddSingleton<CellMetrics>();
        silo.Services.AddOptions<LoadCompactionOptions>().Bind(configuration.GetSection(LoadCompactionOptions.Section));
        silo.Services.TryAddSingleton<LoadCompaction>();
        silo.Services.TryAddSingleton<SharedStrings>(_ => new SharedStrings());
        silo.Services.TryAddSingleton<Alternance.Text.TextAnalyzer>();
        if (TraceExport.IsConfigured(configuration))
        {
            silo.AddActivityPropagation();
        }
        if (options.Dashboard)
        {
            silo.AddDashboard();
        }
        return silo;
    }

    public static ISiloBuilder AddCellStorage(this ISiloBuilder silo, ClusterHostingOptions options)
    {
        switch (options.Storage.ToLowerInvariant())
        {
            case "azureblob":
                string connection = RequireConnection(options);
                silo.AddAzureBlobGrainStorage(StorageNames.GrainState, (AzureBlobStorageOptions o) =>
                {
                    o.BlobServiceClient = new BlobServiceClient(connection);
                    o.ContainerName = options.BlobContainer;
                });
                // Cells hold thousands of items: Orleans' binary format is several times smaller and faster than JSON.
                silo.Services.AddOptions<AzureBlobStorageOptions>(StorageNames.GrainState)
                    .Configure<Serializer>((o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
                break;
            case "memory":
                silo.AddMemoryGrainStorage(StorageNames.GrainState);
                break;
            case "file":
                string root = options.StoragePath;
                silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.GrainState,
                    (services, _) => new FileGrainStorage(root, services.GetRequiredService<Serializer>()));
                break;
            default:
                throw new InvalidOperationException($"Unknown Cluster:Storage '{options.Storage}' (File, AzureBlob or Memory).");
        }
        return silo;
    }

    private static string RequireConnection(ClusterHostingOptions options) =>
        options.AzureStorageConnectionString
        ?? throw new InvalidOperationException("Cluster:AzureStorageConnectionString (or ConnectionStrings:AzureStorage) is required for Azure clustering or storage.");
}
