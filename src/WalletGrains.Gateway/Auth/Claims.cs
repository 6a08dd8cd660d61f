using System.Security.Claims;

namespace WalletGrains.Gateway.Auth;

/// <summary>Claim types and policies of WalletGrains bearer tokens, and the mapping to a grain <see cref="Caller"/>.</summary>
public static class WalletClaims
{
    public const string Scheme = "Bearer";
    public const string Account = "wg:account";
    public const string User = "wg:user";
    public const string Profile = "wg:profile";
    public const string Blocked = "wg:blocked";
    public const string Operator = "wg:operator";

    /// <summary>Policy: the service operator.</summary>
    public const string OperatorPolicy = "operator";

    /// <summary>Policy: any active user of an account.</summary>
    public const string UserPolicy = "user";

    /// <summary>Policy: an active admin of an account.</summary>
    public const string AdminPolicy = "admin";

    /// <summary>A blocked user: authenticated, but refused by every policy.</summary>
    public static bool IsBlocked(this ClaimsPrincipal principal) => principal.HasClaim(c => c.Type == Blocked);

    public static Caller ToCaller(this ClaimsPrincipal principal) => principal is WalletPrincipal { Caller: var caller }
        ? caller
        : new(
            Guid.Parse(principal.FindFirstValue(Account)!),
            Guid.Parse(principal.FindFirstValue(User)!),
            Enum.Parse<UserProfile>(principal.FindFirstValue(Profile)!));
}

/// <summary>An authenticated user of an account, with the <see cref="Caller"/> its claims describe made once.</summary>
public sealed class WalletPrincipal(ClaimsIdentity identity, Caller caller) : ClaimsPrincipal(identity)
{
    public Caller Caller { get; } = caller;
}
