using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WalletGrains.Gateway.Hosting;

namespace WalletGrains.Gateway.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer</c> tokens: the operator token from configuration, or a user
/// token looked up by its hash in that token's own grain. Tokens are never logged.
/// </summary>
internal sealed class BearerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IGrainFactory grains,
    IOptions<AuthOptions> auth,
    TokenCache cache) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string Prefix = "Bearer ";

    private static readonly ClaimsPrincipal OperatorPrincipal = new(new ClaimsIdentity([new Claim(WalletClaims.Operator, "true")], WalletClaims.Scheme));

    private readonly byte[]? _operatorToken = auth.Value.OperatorToken is { Length: > 0 } token ? Encoding.UTF8.GetBytes(token) : null;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!TryReadToken(Request.Headers.Authorization, out var token))
        {
            return AuthenticateResult.NoResult();
        }

        if (token.IsEmpty || token.Length > 256)
        {
            return AuthenticateResult.Fail("Malformed bearer token.");
        }

        if (_operatorToken is not null && IsOperator(token))
        {
            return Success(OperatorPrincipal);
        }

        if (cache.TryGet(token, out var known))
        {
            return Success(known);
        }

        var text = token.ToString();
        var principal = await grains.GetGrain<ITokenGrain>(Tokens.Hash(text)).Authenticate();
        if (principal is null || principal.Status == UserStatus.Deleted)
        {
            return AuthenticateResult.Fail("Unknown or revoked token.");
        }

        Claim[] claims =
        [
            new(WalletClaims.Account, principal.AccountId.ToString()),
            new(WalletClaims.User, principal.UserId.ToString()),
            new(WalletClaims.Profile, principal.Profile.ToString()),
            .. principal.Status == UserStatus.Blocked ? [new Claim(WalletClaims.Blocked, "true")] : Array.Empty<Claim>(),
        ];
        var user = new WalletPrincipal(new ClaimsIdentity(claims, WalletClaims.Scheme), new Caller(principal.AccountId, principal.UserId, principal.Profile));
        cache.Put(text, principal.UserId, user);
        return Success(user);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Problem.Write(Context, StatusCodes.Status401Unauthorized, ErrorCodes.Unauthenticated,
            "A valid 'Authorization: Bearer <token>' header is required.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Context.User.IsBlocked()
            ? Problem.Write(Context, StatusCodes.Status403Forbidden, ErrorCodes.UserBlocked, "This user is blocked.")
            : Problem.Write(Context, StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, "This token may not perform this operation.");

    /// <summary>The token of an <c>Authorization</c> header (possibly empty), or false when it names no bearer token.</summary>
    internal static bool TryReadToken(string? header, out ReadOnlySpan<char> token)
    {
        if (header is null || !header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            token = default;
            return false;
        }

        token = header.AsSpan(Prefix.Length).Trim();
        return true;
    }

    private bool IsOperator(ReadOnlySpan<char> token)
    {
        Span<byte> bytes = stackalloc byte[Encoding.UTF8.GetMaxByteCount(token.Length)];
        var length = Encoding.UTF8.GetBytes(token, bytes);
        return CryptographicOperations.FixedTimeEquals(bytes[..length], _operatorToken);
    }

    private static AuthenticateResult Success(ClaimsPrincipal principal) =>
        AuthenticateResult.Success(new AuthenticationTicket(principal, WalletClaims.Scheme));
}
