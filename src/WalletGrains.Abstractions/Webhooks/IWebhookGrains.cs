using WalletGrains.Abstractions.Contacts;

namespace WalletGrains.Abstractions.Webhooks;

/// <summary>The webhook subscriptions of one account, keyed by account id. Admins manage them; dispatchers read them.</summary>
public interface IWebhookSubscriptionsGrain : IGrainWithGuidKey
{
    public const int MaxSubscriptions = 20;

    /// <summary>Creates a subscription; the answer carries its secret, which no later answer shows.</summary>
    Task<Result<WebhookView>> Create(Caller caller, CreateWebhook command);

    [ReadOnly]
    Task<Result<Page<WebhookView>>> List(Caller caller, PageRequest page);

    [ReadOnly]
    Task<Result<WebhookView>> Get(Caller caller, Guid id);

    Task<Result<WebhookView>> Update(Caller caller, Guid id, UpdateWebhook command);

    /// <summary>Deletes the subscription; its pending deliveries are dropped.</summary>
    Task<Result<Done>> Delete(Caller caller, Guid id);

    /// <summary>The subscription's delivery log over every dispatcher shard, newest first.</summary>
    [ReadOnly, AlwaysInterleave]
    Task<Result<Page<DeliveryView>>> Deliveries(Caller caller, Guid id, PageRequest page);

    /// <summary>Whether the account has any subscription: contacts skip the outbox entirely when it has none.</summary>
    [ReadOnly, AlwaysInterleave]
    Task<bool> Any();

    /// <summary>Every subscription with what delivering to it takes.</summary>
    [ReadOnly, AlwaysInterleave]
    Task<IReadOnlyList<WebhookTarget>> Targets();
}

/// <summary>
/// One shard of an account's webhook deliveries, keyed by <c>{accountId}/{shard}</c>; a contact always hands its events
/// to the shard of its id, so each contact's events stay in order while no single grain carries the account.
/// It persists what it accepts before acknowledging, delivers from a timer and wakes on a reminder after a restart.
/// </summary>
public interface IWebhookDispatcherGrain : IGrainWithStringKey
{
    public const int Shards = 8;

    /// <summary>Stores the events (skipping ones already accepted, by contact and sequence) and queues their deliveries.</summary>
    Task Accept(IReadOnlyList<ContactEvent> events);

    /// <summary>This shard's pending and recently finished deliveries to one subscription.</summary>
    [ReadOnly]
    Task<IReadOnlyList<DeliveryView>> Deliveries(Guid subscriptionId);

    public static string Key(Guid accountId, int shard) => $"{accountId:N}/{shard}";

    public static int ShardOf(Guid contactId) => (int)((uint)contactId.GetHashCode() % Shards);
}
