using System.ComponentModel.DataAnnotations;

namespace PeerGateway;

/// <summary>Settings of the peer gateway, bound from the <c>Peer</c> section.</summary>
public sealed class PeerOptions
{
    public const string Section = "Peer";

    /// <summary>StackExchange.Redis connection string of the store the owner keys live in.</summary>
    [Required]
    public string Store { get; set; } = "";

    /// <summary>The one bearer token this gateway accepts.</summary>
    [Required, MinLength(24)]
    public string Token { get; set; } = "";

    /// <summary>Attendants a new owner is picked from, round robin.</summary>
    [Range(1, 10_000)]
    public int Users { get; set; } = 64;

    /// <summary>How long an owner stays bound (the product's P6M wallets, in seconds).</summary>
    [Range(60, int.MaxValue)]
    public int OwnerSeconds { get; set; } = 183 * 24 * 3600;
}
