using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using WalletGrains.Gateway.Hosting;

namespace WalletGrains.Gateway.Endpoints;

/// <summary>Wallets ("carteiras") of the caller's account.</summary>
internal static class WalletEndpoints
{
    public static void MapWallets(this IEndpointRouteBuilder api)
    {
        var wallets = api.MapGroup("/wallets").WithTags("Wallets").RequireAuthorization(WalletClaims.UserPolicy);

        wallets.MapPost("/", async (CreateWallet body, ClaimsPrincipal user, IGrainFactory grains) =>
                (await grains.GetGrain<IWalletGrain>(Guid.CreateVersion7()).Create(user.ToCaller(), body))
                    .ToHttp(wallet => TypedResults.Created($"/api/v1/wallets/{wallet.Id}", wallet)))
            .RequireAuthorization(WalletClaims.AdminPolicy)
            .WithSummary("Creates a wallet. Names are unique per account, ignoring case.")
            .Produces<WalletView>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status403Forbidden);

        wallets.MapPost("/per-user", async (CreatePerUserWallets body, ClaimsPrincipal user, IGrainFactory grains) =>
                (await grains.GetGrain<IPerUserWalletsGrain>(0).Create(user.ToCaller(), body)).ToHttp(result =>
                    result.Created.Count == 0 && result.Failed.Count > 0
                        ? Problem.From(result.Failed[0].Error)
                        : TypedResults.Json(result, statusCode: StatusCodes.Status201Created)))
            .RequireAuthorization(WalletClaims.AdminPolicy)
            .WithSummary("Creates one Single wallet for each agent of a team, named after the user.")
            .Produces<PerUserWallets>(StatusCodes.Status201Created).ProducesValidationProblem();

        wallets.MapGet("/", async ([AsParameters] WalletListParameters query, ClaimsPrincipal user, IGrainFactory grains) =>
            {
                var caller = user.ToCaller();
                var request = new WalletListQuery(
                    new PageRequest(query.PageNumber ?? 1, query.PageSize ?? 20), query.ManagerUserId, caller.UserId,
                    query.OrderBy ?? WalletOrder.Name, query.OrderDirection == OrderDirection.Descending);
                return (await grains.GetGrain<IWalletCatalogGrain>(caller.AccountId).List(caller, request)).ToOk();
            })
            .WithSummary("Lists wallets, a page at a time; a manager's default wallet comes first for that manager.")
            .Produces<Page<WalletView>>().ProducesValidationProblem();

        wallets.MapGet("/{id:guid}", async (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
                (await grains.GetGrain<IWalletGrain>(id).Get(user.ToCaller())).ToOk())
            .WithSummary("Reads a wallet with its contact count and availability.")
            .Produces<WalletView>().ProducesProblem(StatusCodes.Status404NotFound);

        wallets.MapPatch("/{id:guid}", async (Guid id, JsonElement body, ClaimsPrincipal user, IGrainFactory grains) =>
            {
                var (patch, cleared) = JsonPatch.Read<UpdateWallet>(body);
                return (await grains.GetGrain<IWalletGrain>(id).Update(user.ToCaller(), patch with { Cleared = cleared })).ToOk();
            })
            .RequireAuthorization(WalletClaims.AdminPolicy)
            .Accepts<UpdateWallet>("application/json")
            .WithSummary("Edits any field of a wallet, type included; absent fields stay, null clears timeLimit, criteria, managerUserId, journey.")
            .Produces<WalletView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        wallets.MapDelete("/{id:guid}", async (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
                (await grains.GetGrain<IWalletGrain>(id).Delete(user.ToCaller())).ToNoContent())
            .RequireAuthorization(WalletClaims.AdminPolicy)
            .WithSummary("Deletes a wallet for good: memberships end and owners are released.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
    }

    public static void MapWalletContacts(this IEndpointRouteBuilder api)
    {
        var members = api.MapGroup("/wallets/{id:guid}/contacts").WithTags("Wallet contacts").RequireAuthorization(WalletClaims.AdminPolicy);

        members.MapGet("/", async (Guid id, int? pageNumber, int? pageSize, ClaimsPrincipal user, IGrainFactory grains) =>
                (await grains.GetGrain<IContactBatchGrain>(0).List(user.ToCaller(), id, new PageRequest(pageNumber ?? 1, pageSize ?? 20))).ToOk())
            .WithSummary("Lists the wallet's contacts, a page at a time.")
            .Produces<Page<ContactView>>().ProducesProblem(StatusCodes.Status404NotFound);

        members.MapPost("/", async (Guid id, IncludeBody body, ClaimsPrincipal user, IGrainFactory grains) =>
                (await grains.GetGrain<IContactBatchGrain>(0).IncludeOne(user.ToCaller(), id, new ContactRef(body.ContactId, body.PhoneNumber), MembershipSource.Manual, body.OwnerUserId)).ToOk())
            .WithSummary("Includes one contact (by contactId or phoneNumber), optionally bound to an owner.")
            .Produces<ContactView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        members.MapDelete("/{contactId:guid}", async (Guid id, Guid contactId, ClaimsPrincipal user, IGrainFactory grains) =>
                (await grains.ByGuid<IContactGrain>(contactId).Remove(user.ToCaller(), id)).ToHttp(_ => TypedResults.NoContent()))
            .WithSummary("Removes a contact from the wallet; its owner there is released.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);

        members.MapPost("/batch", async (Guid id, BatchBody body, ClaimsPrincipal user, IGrainFactory grains) =>
                (await grains.GetGrain<IContactBatchGrain>(0).Include(user.ToCaller(), id, body.ToRefs(), MembershipSource.Api, body.OwnerUserId)).ToOk())
            .WithSummary("Includes up to 1,000 contacts by id or phone; answers a result per item.")
            .Produces<IReadOnlyList<BatchItemResult>>().ProducesValidationProblem();

        members.MapDelete("/batch", async (Guid id, [FromBody] BatchBody body, ClaimsPrincipal user, IGrainFactory grains) =>
                (await grains.GetGrain<IContactBatchGrain>(0).Remove(user.ToCaller(), id, body.ToRefs())).ToOk())
            .WithSummary("Removes up to 1,000 contacts by id or phone; answers a result per item.")
            .Produces<IReadOnlyList<BatchItemResult>>().ProducesValidationProblem();
    }

    /// <summary>Body of a single include: a contact by id or phone, and an optional owner.</summary>
    internal sealed record IncludeBody(Guid? ContactId, string? PhoneNumber, Guid? OwnerUserId);

    /// <summary>Body of a batch: contacts by id and by phone, and an optional owner for all.</summary>
    internal sealed record BatchBody(IReadOnlyList<Guid>? ContactIds, IReadOnlyList<string>? PhoneNumbers, Guid? OwnerUserId)
    {
        public IReadOnlyList<ContactRef> ToRefs() =>
            [.. (ContactIds ?? []).Select(id => new ContactRef(id)), .. (PhoneNumbers ?? []).Select(phone => new ContactRef(PhoneNumber: phone))];
    }

    /// <summary>Query string of the wallet list.</summary>
    internal sealed record WalletListParameters(
        int? PageNumber, int? PageSize, Guid? ManagerUserId, WalletOrder? OrderBy, OrderDirection? OrderDirection);
}

/// <summary>Sort direction of a list.</summary>
public enum OrderDirection
{
    Ascending,
    Descending,
}
