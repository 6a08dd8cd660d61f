using System.Security.Claims;
using System.Text.Json;
using WalletGrains.Abstractions.Webhooks;

namespace WalletGrains.Gateway.Endpoints;

/// <summary>Webhook subscriptions of the caller's account and their delivery logs. Admins only.</summary>
internal static class WebhookEndpoints
{
    public static void MapWebhooks(this IEndpointRouteBuilder api)
    {
        var webhooks = api.MapGroup("/webhooks").WithTags("Webhooks").RequireAuthorization(WalletClaims.AdminPolicy);

        webhooks.MapPost("/", async (CreateWebhook body, ClaimsPrincipal user, IGrainFactory grains) =>
                (await Subscriptions(user, grains).Create(user.ToCaller(), body))
                    .ToHttp(webhook => TypedResults.Created($"/api/v1/webhooks/{webhook.Id}", webhook)))
            .WithSummary("Subscribes a URL to contact events; the answer carries the signing secret, which no later answer shows.")
            .Produces<WebhookView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        webhooks.MapGet("/", async (int? pageNumber, int? pageSize, ClaimsPrincipal user, IGrainFactory grains) =>
                (await Subscriptions(user, grains).List(user.ToCaller(), new PageRequest(pageNumber ?? 1, pageSize ?? 20))).ToOk())
            .WithSummary("Lists the account's webhook subscriptions, a page at a time.")
            .Produces<Page<WebhookView>>().ProducesValidationProblem();

        webhooks.MapGet("/{id:guid}", async (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
                (await Subscriptions(user, grains).Get(user.ToCaller(), id)).ToOk())
            .WithSummary("Reads a webhook subscription (without its secret).")
            .Produces<WebhookView>().ProducesProblem(StatusCodes.Status404NotFound);

        webhooks.MapPatch("/{id:guid}", async (Guid id, JsonElement body, ClaimsPrincipal user, IGrainFactory grains) =>
            {
                var (patch, cleared) = JsonPatch.Read<UpdateWebhook>(body);
                patch = patch with { ClearDescription = cleared.Contains("description") };
                return (await Subscriptions(user, grains).Update(user.ToCaller(), id, patch)).ToOk();
            })
            .Accepts<UpdateWebhook>("application/json")
            .WithSummary("Changes url, eventTypes, description, enabled or secret; absent fields stay, description: null clears it.")
            .Produces<WebhookView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        webhooks.MapDelete("/{id:guid}", async (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
                (await Subscriptions(user, grains).Delete(user.ToCaller(), id)).ToNoContent())
            .WithSummary("Deletes a webhook subscription; its pending deliveries are dropped.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);

        webhooks.MapGet("/{id:guid}/deliveries", async (Guid id, int? pageNumber, int? pageSize, ClaimsPrincipal user, IGrainFactory grains) =>
                (await Subscriptions(user, grains).Deliveries(user.ToCaller(), id, new PageRequest(pageNumber ?? 1, pageSize ?? 20))).ToOk())
            .WithSummary("The subscription's delivery log, newest first: status, attempts, last status code and error, next attempt.")
            .Produces<Page<DeliveryView>>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static IWebhookSubscriptionsGrain Subscriptions(ClaimsPrincipal user, IGrainFactory grains) =>
        grains.GetGrain<IWebhookSubscriptionsGrain>(user.ToCaller().AccountId);
}
