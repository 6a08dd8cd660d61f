using System.Security.Claims;

namespace WalletGrains.Gateway.Endpoints;

/// <summary>Users (attendants) of the caller's account.</summary>
internal static class UserEndpoints
{
    public static void MapUsers(this IEndpointRouteBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users").RequireAuthorization(WalletClaims.UserPolicy);

        users.MapPost("/", async (CreateUser body, ClaimsPrincipal user, IGrainFactory grains) =>
                (await grains.GetGrain<IUserGrain>(Guid.CreateVersion7()).Create(user.ToCaller(), body))
                    .ToHttp(created => TypedResults.Created($"/api/v1/users/{created.Id}", created)))
            .RequireAuthorization(WalletClaims.AdminPolicy)
            .WithSummary("Creates a user; the answer carries its bearer token, shown only once.")
            .Produces<UserView>(StatusCodes.Status201Created).ProducesValidationProblem();

        users.MapGet("/me", async (ClaimsPrincipal user, IGrainFactory grains) =>
                (await grains.GetGrain<IUserGrain>(user.ToCaller().UserId).Get(user.ToCaller())).ToOk())
            .WithSummary("Reads the user the token speaks for.").Produces<UserView>();

        users.MapGet("/{id:guid}", async (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
                (await grains.GetGrain<IUserGrain>(id).Get(user.ToCaller())).ToOk())
            .WithSummary("Reads a user.").Produces<UserView>().ProducesProblem(StatusCodes.Status404NotFound);

        users.MapPatch("/{id:guid}", async (Guid id, UpdateUser body, ClaimsPrincipal user, IGrainFactory grains, TokenCache tokens) =>
            {
                var updated = await grains.GetGrain<IUserGrain>(id).Update(user.ToCaller(), body);
                tokens.Forget(id);
                return updated.ToOk();
            })
            .WithSummary("Changes availability (any user, for themselves), or status, profile, name (admins).")
            .Produces<UserView>().ProducesProblem(StatusCodes.Status404NotFound);

        users.MapDelete("/{id:guid}", async (Guid id, ClaimsPrincipal user, IGrainFactory grains, TokenCache tokens) =>
            {
                var deleted = await grains.GetGrain<IUserGrain>(id).Delete(user.ToCaller());
                tokens.Forget(id);
                return deleted.ToNoContent();
            })
            .RequireAuthorization(WalletClaims.AdminPolicy)
            .WithSummary("Deletes a user for good; its token stops working.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
    }
}
