using System.ComponentModel.DataAnnotations;

namespace WalletGrains.ServiceDefaults;

/// <summary>Which parts of WalletGrains this process runs.</summary>
public enum ServiceMode
{
    /// <summary>Silo and gateway in one process on an embedded durable store: the default.</summary>
    Embedded,

    /// <summary>A silo of a cluster on a shared store; serves only health endpoints over HTTP.</summary>
    Silo,

    /// <summary>An HTTP gateway that reaches the cluster's silos through the shared membership table.</summary>
    Gateway,
}

/// <summary>The cluster's identity and its shared store, bound from the <c>Cluster</c> section.</summary>
public sealed class ClusterSettings
{
    public const string Section = "Cluster";

    [Required]
    public string ClusterId { get; set; } = "walletgrains";

    [Required]
    public string ServiceId { get; set; } = "walletgrains";

    /// <summary>Redis-protocol store (Redis or Garnet) for membership, grain state and reminders. Set by the embedded store in embedded mode.</summary>
    public string? StoreConnectionString { get; set; }

    /// <summary>
    /// Connections each silo's grain storage opens to the store. A grain write is one Lua script, and a store that waits
    /// for its append-only file answers one connection's scripts one commit at a time: more connections, more writes per
    /// commit.
    /// </summary>
    [Range(1, 64)]
    public int StorageConnections { get; set; } = 16;

    /// <summary>Silo-to-silo port.</summary>
    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port clients (gateways) connect to; 0 in embedded mode, where the gateway is co-hosted.</summary>
    [Range(0, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Running as a Kubernetes pod: silos watch their peers' pods and take their identity from the pod.</summary>
    public bool KubernetesHosting { get; set; }

    /// <summary>Address other silos and gateways reach this silo at.</summary>
    [Required]
    public string AdvertisedAddress { get; set; } = "127.0.0.1";
}
