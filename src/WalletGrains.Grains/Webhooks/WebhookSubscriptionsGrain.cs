using System.Security.Cryptography;
using WalletGrains.Abstractions.Webhooks;
using WalletGrains.Grains.Common;

namespace WalletGrains.Grains.Webhooks;

/// <summary>One webhook subscription. The secret is kept as given: signing needs it, so it cannot be stored hashed.</summary>
[GenerateSerializer, Immutable]
public sealed record WebhookSubscription(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Url,
    [property: Id(2)] IReadOnlyList<string> EventTypes,
    [property: Id(3)] string Secret,
    [property: Id(4)] string? Description,
    [property: Id(5)] bool Enabled,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] DateTimeOffset UpdatedAt)
{
    public WebhookView View(bool withSecret = false) => new(Id, Url, EventTypes, Description, Enabled, CreatedAt, UpdatedAt, withSecret ? Secret : null);

    public WebhookTarget Target() => new(Id, Url, EventTypes, Secret, Enabled);
}

/// <summary>Persisted state of an account's webhook subscriptions, in creation order.</summary>
[GenerateSerializer]
public sealed record WebhookSubscriptionsState
{
    [Id(0)] public IReadOnlyList<WebhookSubscription> Items { get; init; } = [];
}

/// <summary>
/// The webhook subscriptions of one account: admins create, read, change and delete them; the account's dispatcher
/// shards read them to deliver, and silos ask whether there are any. The delivery log is read from the shards.
/// </summary>
internal sealed class WebhookSubscriptionsGrain(
    [PersistentState("webhooks", Stores.Default)] IPersistentState<WebhookSubscriptionsState> webhooks,
    WebhookAddressPolicy policy,
    TimeProvider clock) : Grain, IWebhookSubscriptionsGrain
{
    private const int MinSecretLength = 24;
    private const int MaxSecretLength = 256;
    private const int MaxDescriptionLength = 256;

    private Guid AccountId => this.GetPrimaryKey();

    private IReadOnlyList<WebhookSubscription> Items => webhooks.State.Items;

    public async Task<Result<WebhookView>> Create(Caller caller, CreateWebhook command)
    {
        if (Refuse(caller) is { } refused)
        {
            return refused;
        }

        var types = EventTypes(command.EventTypes ?? [WebhookEventTypes.All]);
        if (!types.IsSuccess)
        {
            return types.Error!;
        }

        if ((ValidateSecret(command.Secret) ?? ValidateDescription(command.Description) ?? await policy.Check(command.Url)) is { } invalid)
        {
            return invalid;
        }

        if (Items.Count >= IWebhookSubscriptionsGrain.MaxSubscriptions)
        {
            return DomainError.Conflict(ErrorCodes.WebhookLimitReached, $"An account has at most {IWebhookSubscriptionsGrain.MaxSubscriptions} webhook subscriptions.");
        }

        var now = clock.GetUtcNow();
        var created = new WebhookSubscription(
            Guid.CreateVersion7(), command.Url!.Trim(), types.Value!, command.Secret ?? NewSecret(),
            command.Description?.Trim(), command.Enabled ?? true, now, now);
        await Save([.. Items, created]);
        return created.View(withSecret: true);
    }

    public Task<Result<Page<WebhookView>>> List(Caller caller, PageRequest page) =>
        Task.FromResult<Result<Page<WebhookView>>>((Refuse(caller) ?? page.Validate()) is { } error
            ? error
            : Page<WebhookView>.Of(Items.Select(w => w.View()), page));

    public Task<Result<WebhookView>> Get(Caller caller, Guid id) =>
        Task.FromResult<Result<WebhookView>>(Find(caller, id) is { } error ? error : Items.First(w => w.Id == id).View());

    public async Task<Result<WebhookView>> Update(Caller caller, Guid id, UpdateWebhook command)
    {
        if (Find(caller, id) is { } missing)
        {
            return missing;
        }

        var current = Items.First(w => w.Id == id);
        var next = current;
        if (command.Url is not null)
        {
            if (await policy.Check(command.Url) is { } invalid)
            {
                return invalid;
            }

            next = next with { Url = command.Url.Trim() };
        }

        if (command.EventTypes is not null)
        {
            var types = EventTypes(command.EventTypes);
            if (!types.IsSuccess)
            {
                return types.Error!;
            }

            next = next with { EventTypes = types.Value! };
        }

        if ((ValidateSecret(command.Secret) ?? ValidateDescription(command.Description)) is { } bad)
        {
            return bad;
        }

        next = next with
        {
            Secret = command.Secret ?? next.Secret,
            Description = command.ClearDescription ? null : command.Description?.Trim() ?? next.Description,
            Enabled = command.Enabled ?? next.Enabled,
        };
        if (next != current)
        {
            next = next with { UpdatedAt = clock.GetUtcNow() };
            await Save([.. Items.Select(w => w.Id == id ? next : w)]);
        }

        return next.View();
    }

    public async Task<Result<Done>> Delete(Caller caller, Guid id)
    {
        if (Find(caller, id) is { } missing)
        {
            return missing;
        }

        await Save([.. Items.Where(w => w.Id != id)]);
        return Done.Value;
    }

    public async Task<Result<Page<DeliveryView>>> Deliveries(Caller caller, Guid id, PageRequest page)
    {
        if ((Find(caller, id) ?? page.Validate()) is { } error)
        {
            return error;
        }

        var shards = await Task.WhenAll(Enumerable.Range(0, IWebhookDispatcherGrain.Shards).Select(shard =>
            GrainFactory.GetGrain<IWebhookDispatcherGrain>(IWebhookDispatcherGrain.Key(AccountId, shard)).Deliveries(id)));
        return Page<DeliveryView>.Of(shards.SelectMany(s => s).OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Sequence).ThenByDescending(d => d.Id), page);
    }

    public Task<bool> Any() => Task.FromResult(Items.Count > 0);

    public Task<IReadOnlyList<WebhookTarget>> Targets() => Task.FromResult<IReadOnlyList<WebhookTarget>>([.. Items.Select(w => w.Target())]);

    private async Task Save(IReadOnlyList<WebhookSubscription> items)
    {
        webhooks.State = webhooks.State with { Items = items };
        await webhooks.WriteStateAsync();
    }

    private DomainError? Refuse(Caller caller)
    {
        if (caller.AccountId != AccountId)
        {
            return NotFound();
        }

        return caller.IsAdmin ? null : DomainError.Forbidden(ErrorCodes.Forbidden, "Only admins manage webhooks.");
    }

    private DomainError? Find(Caller caller, Guid id) => Refuse(caller) ?? (Items.Any(w => w.Id == id) ? null : NotFound());

    private static Result<IReadOnlyList<string>> EventTypes(IReadOnlyList<string> requested)
    {
        var types = requested.Select(t => t?.Trim() ?? "").Distinct(StringComparer.Ordinal).ToList();
        if (types.Count == 0 || types.Any(t => t != WebhookEventTypes.All && !WebhookEventTypes.Known.Contains(t)))
        {
            return DomainError.Invalid(
                ErrorCodes.WebhookEventTypesInvalid,
                $"eventTypes must list one or more of {string.Join(", ", WebhookEventTypes.Known)}, or \"*\" for all.",
                "eventTypes");
        }

        return types.Contains(WebhookEventTypes.All) ? [WebhookEventTypes.All] : types;
    }

    private static DomainError? ValidateSecret(string? secret) =>
        secret is not null && (secret.Length is < MinSecretLength or > MaxSecretLength || secret.Any(c => c is <= ' ' or > '~'))
            ? DomainError.Invalid(ErrorCodes.WebhookSecretInvalid, $"secret must be {MinSecretLength}–{MaxSecretLength} printable ASCII characters without spaces.", "secret")
            : null;

    private static DomainError? ValidateDescription(string? description) =>
        description is not null && description.Trim().Length > MaxDescriptionLength
            ? DomainError.Invalid(ErrorCodes.WebhookDescriptionInvalid, $"description must be at most {MaxDescriptionLength} characters.", "description")
            : null;

    /// <summary>A fresh signing secret: 32 random bytes, base64url, with a recognisable prefix.</summary>
    private static string NewSecret() =>
        "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static DomainError NotFound() => DomainError.NotFound(ErrorCodes.WebhookNotFound, "No such webhook in this account.");
}
