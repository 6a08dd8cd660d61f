using System.Security.Claims;
using WalletGrains.Gateway.Hosting;

namespace WalletGrains.Gateway.Endpoints;

/// <summary>Contacts, their wallets, their history and transfers.</summary>
internal static class ContactEndpoints
{
    public static void MapContacts(this IEndpointRouteBuilder api)
    {
        var contacts = api.MapGroup("/contacts").WithTags("Contacts").RequireAuthorization(WalletClaims.UserPolicy);

        contacts.MapPost("/", async (CreateContact body, ClaimsPrincipal user, IGrainFactory grains) =>
                (await grains.ByGuid<IContactGrain>(Guid.CreateVersion7()).Create(user.ToCaller(), body))
                    .ToHttp(contact => TypedResults.Created($"/api/v1/contacts/{contact.Id}", contact)))
            .WithSummary("Creates a contact (one per phone number); it joins the automatic Multiple wallets whose criteria it matches.")
            .Produces<ContactView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        contacts.MapGet("/{id:guid}", async (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
                (await grains.ByGuid<IContactGrain>(id).Get(user.ToCaller())).ToOk())
            .WithSummary("Reads a contact with its memberships, owner and deadline.")
            .Produces<ContactView>().ProducesProblem(StatusCodes.Status404NotFound);

        contacts.MapPatch("/{id:guid}", async (Guid id, UpdateContact body, ClaimsPrincipal user, IGrainFactory grains) =>
                (await grains.ByGuid<IContactGrain>(id).Update(user.ToCaller(), body)).ToOk())
            .WithSummary("Edits name, status or attributes; automatic Multiple memberships follow the new attributes.")
            .Produces<ContactView>().ProducesProblem(StatusCodes.Status404NotFound);

        contacts.MapGet("/{id:guid}/history", async (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
                (await grains.ByGuid<IContactGrain>(id).History(user.ToCaller())).ToOk())
            .RequireAuthorization(WalletClaims.AdminPolicy)
            .WithSummary("Ownership and membership changes, newest first, with time, actor and reason.")
            .Produces<IReadOnlyList<HistoryEntry>>().ProducesProblem(StatusCodes.Status404NotFound);

        contacts.MapPost("/{id:guid}/transfer", async (Guid id, TransferBody body, ClaimsPrincipal user, IGrainFactory grains) =>
                (await grains.ByGuid<IContactGrain>(id).Transfer(user.ToCaller(), body.WalletId, body.ToUserId)).ToOk())
            .RequireAuthorization(WalletClaims.AdminPolicy)
            .WithSummary("Moves ownership to another user of the wallet, or into another Single wallet.")
            .Produces<ContactView>().ProducesValidationProblem();

        contacts.MapPost("/{id:guid}/wallets", async (Guid id, ContactWalletBody body, ClaimsPrincipal user, IGrainFactory grains) =>
                (await grains.ByGuid<IContactGrain>(id).Include(user.ToCaller(), body.WalletId, MembershipSource.Manual, body.OwnerUserId)).ToOk())
            .RequireAuthorization(WalletClaims.AdminPolicy)
            .WithSummary("Includes the contact in a wallet, optionally with an owner (Single wallets).")
            .Produces<ContactView>().ProducesValidationProblem();

        contacts.MapDelete("/{id:guid}/wallets/{walletId:guid}", async (Guid id, Guid walletId, ClaimsPrincipal user, IGrainFactory grains) =>
                (await grains.ByGuid<IContactGrain>(id).Remove(user.ToCaller(), walletId)).ToOk())
            .RequireAuthorization(WalletClaims.AdminPolicy)
            .WithSummary("Removes the contact from a wallet; its owner there is released.")
            .Produces<ContactView>().ProducesProblem(StatusCodes.Status404NotFound);

        var conversations = api.MapGroup("/conversations").WithTags("Conversations").RequireAuthorization(WalletClaims.UserPolicy);

        conversations.MapPost("/route", async (RouteBody body, ClaimsPrincipal user, IGrainFactory grains) =>
                (await grains.ByGuid<IContactGrain>(body.ContactId).Route(user.ToCaller())).ToOk())
            .WithSummary("Decides who serves a new conversation of the contact, with the reason.")
            .Produces<RouteDecision>().ProducesProblem(StatusCodes.Status404NotFound);

        conversations.MapPost("/assumed", async (AssumedBody body, ClaimsPrincipal user, IGrainFactory grains) =>
                (await grains.ByGuid<IContactGrain>(body.ContactId).Assume(user.ToCaller(), body.UserId)).ToOk())
            .WithSummary("A user took the conversation: with no Single owner, the contact joins that user's automatic Single wallet.")
            .Produces<ContactView>().ProducesProblem(StatusCodes.Status404NotFound);

        conversations.MapPost("/completed", async (CompletedBody body, ClaimsPrincipal user, IGrainFactory grains) =>
                (await grains.ByGuid<IContactGrain>(body.ContactId).Complete(user.ToCaller(), body.UserId, body.Classification)).ToOk())
            .WithSummary("A conversation ended; WON concludes the sale and releases the owner.")
            .Produces<ContactView>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>Body of a transfer.</summary>
    internal sealed record TransferBody(Guid WalletId, Guid ToUserId);

    /// <summary>Body of a contact-side include.</summary>
    internal sealed record ContactWalletBody(Guid WalletId, Guid? OwnerUserId);

    /// <summary>Body of a route request.</summary>
    internal sealed record RouteBody(Guid ContactId);

    /// <summary>Body of an assumed conversation.</summary>
    internal sealed record AssumedBody(Guid ContactId, Guid UserId);

    /// <summary>Body of a completed conversation.</summary>
    internal sealed record CompletedBody(Guid ContactId, Guid UserId, Classification? Classification);
}
