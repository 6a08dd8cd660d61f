using System.Security.Claims;
using System.Text.Json;

namespace WalletGrains.Gateway.Endpoints;

/// <summary>Teams ("equipes") of the caller's account.</summary>
internal static class TeamEndpoints
{
    public static void MapTeams(this IEndpointRouteBuilder api)
    {
        var teams = api.MapGroup("/teams").WithTags("Teams").RequireAuthorization(WalletClaims.UserPolicy);

        teams.MapPost("/", async (CreateTeam body, ClaimsPrincipal user, IGrainFactory grains) =>
                (await grains.GetGrain<ITeamGrain>(Guid.CreateVersion7()).Create(user.ToCaller(), body))
                    .ToHttp(team => TypedResults.Created($"/api/v1/teams/{team.Id}", team)))
            .RequireAuthorization(WalletClaims.AdminPolicy)
            .WithSummary("Creates a team with ordered members, a distribution strategy and optional business hours.")
            .Produces<TeamView>(StatusCodes.Status201Created).ProducesValidationProblem();

        teams.MapGet("/{id:guid}", async (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
                (await grains.GetGrain<ITeamGrain>(id).Get(user.ToCaller())).ToOk())
            .WithSummary("Reads a team.").Produces<TeamView>().ProducesProblem(StatusCodes.Status404NotFound);

        teams.MapPatch("/{id:guid}", async (Guid id, JsonElement body, ClaimsPrincipal user, IGrainFactory grains) =>
            {
                var (patch, cleared) = JsonPatch.Read<UpdateTeam>(body);
                patch = patch with { ClearBusinessHours = cleared.Contains("businessHours") };
                return (await grains.GetGrain<ITeamGrain>(id).Update(user.ToCaller(), patch)).ToOk();
            })
            .RequireAuthorization(WalletClaims.AdminPolicy)
            .Accepts<UpdateTeam>("application/json")
            .WithSummary("Edits a team; absent fields stay, businessHours: null removes the hours.")
            .Produces<TeamView>().ProducesProblem(StatusCodes.Status404NotFound);

        teams.MapDelete("/{id:guid}", async (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
                (await grains.GetGrain<ITeamGrain>(id).Delete(user.ToCaller())).ToNoContent())
            .RequireAuthorization(WalletClaims.AdminPolicy)
            .WithSummary("Deletes a team that no wallet names.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status409Conflict);
    }
}
