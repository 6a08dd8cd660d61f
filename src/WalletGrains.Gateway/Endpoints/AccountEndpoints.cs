using System.Security.Claims;

namespace WalletGrains.Gateway.Endpoints;

/// <summary>Accounts (operator) and the account's own settings (its users).</summary>
internal static class AccountEndpoints
{
    public static void MapAccounts(this IEndpointRouteBuilder api)
    {
        var accounts = api.MapGroup("/accounts").WithTags("Accounts").RequireAuthorization(WalletClaims.OperatorPolicy);

        accounts.MapPost("/", async (CreateAccount body, IGrainFactory grains) =>
                (await grains.GetGrain<IAccountGrain>(Guid.CreateVersion7()).Create(body))
                    .ToHttp(account => TypedResults.Created($"/api/v1/accounts/{account.Id}", account)))
            .WithSummary("Creates an account and its first admin; the answer carries the admin's token.")
            .Produces<AccountView>(StatusCodes.Status201Created).ProducesValidationProblem();

        accounts.MapGet("/{id:guid}", async (Guid id, IGrainFactory grains) =>
                (await grains.GetGrain<IAccountGrain>(id).Get()).ToOk())
            .WithSummary("Reads an account.").Produces<AccountView>().ProducesProblem(StatusCodes.Status404NotFound);

        accounts.MapPatch("/{id:guid}", async (Guid id, UpdateAccount body, IGrainFactory grains) =>
                (await grains.GetGrain<IAccountGrain>(id).Update(body)).ToOk())
            .WithSummary("Changes an account's plan or name; below Plus the wallet feature switches off.")
            .Produces<AccountView>().ProducesProblem(StatusCodes.Status404NotFound);

        var settings = api.MapGroup("/settings").WithTags("Settings").RequireAuthorization(WalletClaims.UserPolicy);

        settings.MapGet("/wallets", async (ClaimsPrincipal user, IGrainFactory grains) =>
                (await grains.GetGrain<IAccountGrain>(user.ToCaller().AccountId).Get(user.ToCaller())).ToOk())
            .WithSummary("Reads the caller's account, with its wallet settings.").Produces<AccountView>();

        settings.MapPut("/wallets", async (WalletSettings body, ClaimsPrincipal user, IGrainFactory grains) =>
                (await grains.GetGrain<IAccountGrain>(user.ToCaller().AccountId).ConfigureWallets(user.ToCaller(), body)).ToOk())
            .RequireAuthorization(WalletClaims.AdminPolicy)
            .WithSummary("Enables or disables wallets (Plus and above) and restricted contact access.")
            .Produces<AccountView>().ProducesProblem(StatusCodes.Status403Forbidden);
    }
}
