using Microsoft.Extensions.Configuration;

namespace Alternance.Hosting;

/// <summary>How this process runs the cluster, bound from the <c>Cluster</c> configuration section.</summary>
public sealed class ClusterHostingOptions
{
    public const string Section = "Cluster";

    /// <summary>For the API: <c>Embedded</c> (the default: it co-hosts a silo) or <c>Client</c> (an API node of separate silos).</summary>
    public string Mode { get; set; } = "Embedded";

    public bool IsClient => string.Equals(Mode, "Client", StringComparison.OrdinalIgnoreCase);

    /// <summary><c>Localhost</c> (one machine, the default) or <c>AzureStorage</c> (membership in an Azure table).</summary>
    public string Clustering { get; set; } = "Localhost";

    /// <summary><c>File</c> (the default: local disk, survives restarts), <c>AzureBlob</c>, or <c>Memory</c> (tests).</summary>
    public string Storage { get; set; } = "File";

    /// <summary>Where the <c>File</c> store keeps grain states.</summary>
    public string StoragePath { get; set; } = DefaultStoragePath();

    /// <summary>Azure Storage connection string for <c>AzureStorage</c> clustering and <c>AzureBlob</c> storage.</summary>
    public string? AzureStorageConnectionString { get; set; }

    /// <summary>The blob container of the <c>AzureBlob</c> store (one per cluster sharing a storage account).</summary>
    public string BlobContainer { get; set; } = "alternance-cells";

    public string ServiceId { get; set; } = "alternance";

    public string ClusterId { get; set; } = "alternance-dev";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos reach this one at (Kubernetes sets it from <c>POD_IP</c>).</summary>
    public string? AdvertisedIPAddress { get; set; }

    /// <summary>Collect data for the Orleans dashboard.</summary>
    public bool Dashboard { get; set; } = true;

    /// <summary>The <c>Cluster</c> section, with <c>ConnectionStrings:AzureStorage</c> as the connection string's fallback.</summary>
    public static ClusterHostingOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<ClusterHostingOptions>() ?? new ClusterHostingOptions();
        options.AzureStorageConnectionString ??= configuration.GetConnectionString("AzureStorage");
        return options;
    }

    public static string DefaultStoragePath() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create),
            "alternance-cluster", "store");
}
