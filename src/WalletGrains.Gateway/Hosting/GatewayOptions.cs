using System.ComponentModel.DataAnnotations;

namespace WalletGrains.Gateway.Hosting;

/// <summary>HTTP limits of the gateway, bound from the <c>Gateway</c> section.</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>Largest JSON body accepted, in bytes; larger ones answer 413.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest CSV file <c>POST /api/v1/imports</c> accepts, in bytes; larger ones answer 413.</summary>
    [Range(1024, 1024L * 1024 * 1024)]
    public long MaxImportBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>Requests per second allowed per authenticated user (or per client address for unauthenticated requests); more answer 429.</summary>
    [Range(1, int.MaxValue)]
    public int RateLimitPerSecond { get; set; } = 20_000;
}

/// <summary>Authentication settings, bound from the <c>Auth</c> section (<c>Auth__OperatorToken</c> in the environment).</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    public const int MinimumOperatorTokenLength = 24;

    /// <summary>The operator's bearer token, which creates accounts. Never logged.</summary>
    [MinLength(MinimumOperatorTokenLength)]
    public string? OperatorToken { get; set; }

    /// <summary>
    /// How long a gateway trusts what it last learned about a user token (0 turns the cache off). A change to a user
    /// made through this gateway applies here at once; through another gateway, within this time.
    /// </summary>
    [Range(0, 300)]
    public int TokenCacheSeconds { get; set; } = 5;
}
