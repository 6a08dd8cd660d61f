using WalletGrains.Abstractions.Contacts;

namespace WalletGrains.Abstractions.Webhooks;

/// <summary>Body of <c>POST /api/v1/webhooks</c>. Without a secret the service generates one; without event types every type is sent.</summary>
[GenerateSerializer, Immutable]
public sealed record CreateWebhook(
    [property: Id(0)] string? Url,
    [property: Id(1)] IReadOnlyList<string>? EventTypes = null,
    [property: Id(2)] string? Secret = null,
    [property: Id(3)] string? Description = null,
    [property: Id(4)] bool? Enabled = null);

/// <summary>Body of <c>PATCH /api/v1/webhooks/{id}</c>; absent fields stay, <c>description: null</c> clears it, a secret replaces the old one.</summary>
[GenerateSerializer, Immutable]
public sealed record UpdateWebhook(
    [property: Id(0)] string? Url = null,
    [property: Id(1)] IReadOnlyList<string>? EventTypes = null,
    [property: Id(2)] string? Secret = null,
    [property: Id(3)] string? Description = null,
    [property: Id(4)] bool? Enabled = null)
{
    /// <summary>Set by the gateway when the body sent <c>description: null</c>.</summary>
    [Id(5), JsonIgnore]
    public bool ClearDescription { get; init; }
}

/// <summary>A subscription as the API shows it. <see cref="Secret"/> is only set in the creation answer.</summary>
[GenerateSerializer, Immutable]
public sealed record WebhookView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Url,
    [property: Id(2)] IReadOnlyList<string> EventTypes,
    [property: Id(3)] string? Description,
    [property: Id(4)] bool Enabled,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] DateTimeOffset UpdatedAt,
    [property: Id(7), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Secret = null);

/// <summary>What the dispatchers need of a subscription to deliver to it, secret included. Never leaves the cluster.</summary>
[GenerateSerializer, Immutable]
public sealed record WebhookTarget(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Url,
    [property: Id(2)] IReadOnlyList<string> EventTypes,
    [property: Id(3)] string Secret,
    [property: Id(4)] bool Enabled)
{
    public bool Wants(string eventType) => EventTypes.Contains(WebhookEventTypes.All) || EventTypes.Contains(eventType);
}

/// <summary>Where a delivery stands.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DeliveryStatus>))]
public enum DeliveryStatus
{
    /// <summary>Not yet acknowledged by the receiver; retried with backoff.</summary>
    [JsonStringEnumMemberName("pending")]
    Pending,

    /// <summary>The receiver answered 2xx.</summary>
    [JsonStringEnumMemberName("delivered")]
    Delivered,

    /// <summary>Every attempt of the retry window failed; the contact's later events went on without it.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,
}

/// <summary>One event's delivery to one subscription, as the delivery log shows it.</summary>
[GenerateSerializer, Immutable]
public sealed record DeliveryView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid EventId,
    [property: Id(2)] string EventType,
    [property: Id(3)] Guid ContactId,
    [property: Id(4)] long Sequence,
    [property: Id(5)] DeliveryStatus Status,
    [property: Id(6)] int Attempts,
    [property: Id(7)] int? LastStatusCode,
    [property: Id(8)] string? LastError,
    [property: Id(9)] DateTimeOffset CreatedAt,
    [property: Id(10)] DateTimeOffset? LastAttemptAt,
    [property: Id(11)] DateTimeOffset? NextAttemptAt,
    [property: Id(12)] DateTimeOffset? FinishedAt);

/// <summary>
/// The JSON body of every webhook delivery: one membership or ownership change of one contact. <see cref="Id"/> is
/// unique (receivers dedupe by it) and <see cref="Sequence"/> counts the contact's changes (receivers order by it).
/// Every field is always present; <see cref="UserId"/> and <see cref="ActorId"/> may be null.
/// </summary>
public sealed record WebhookEvent(
    Guid Id,
    string Type,
    Guid AccountId,
    Guid ContactId,
    long Sequence,
    DateTimeOffset OccurredAt,
    Guid WalletId,
    Guid? UserId,
    Guid? ActorId,
    string Reason)
{
    /// <summary>The payload of a recorded change: expiry reads as a release with reason <c>expired</c>, a transfer's new owner as a bind with reason <c>transfer</c>.</summary>
    public static WebhookEvent Of(ContactEvent change) => new(
        change.Id,
        WebhookEventTypes.Of(change.Kind),
        change.AccountId,
        change.ContactId,
        change.Sequence,
        change.At,
        change.WalletId,
        change.UserId,
        change.ActorUserId,
        change.Kind == HistoryKind.Expired ? "expired" : change.Reason);
}

/// <summary>The event types a subscription can ask for.</summary>
public static class WebhookEventTypes
{
    public const string Joined = "contact.joined";
    public const string Left = "contact.left";
    public const string Bound = "contact.bound";
    public const string Released = "contact.released";

    /// <summary>Every type, including types added later.</summary>
    public const string All = "*";

    public static readonly IReadOnlyList<string> Known = [Joined, Left, Bound, Released];

    public static string Of(HistoryKind kind) => kind switch
    {
        HistoryKind.Joined => Joined,
        HistoryKind.Left => Left,
        HistoryKind.Bound or HistoryKind.Transferred => Bound,
        _ => Released,
    };
}

/// <summary>Names of the headers every delivery carries.</summary>
public static class WebhookHeaders
{
    /// <summary>The event's id, as in the body.</summary>
    public const string EventId = "WalletGrains-Event-Id";

    /// <summary>The event's type, as in the body.</summary>
    public const string EventType = "WalletGrains-Event-Type";

    /// <summary>Unix seconds when this attempt was signed.</summary>
    public const string Timestamp = "WalletGrains-Timestamp";

    /// <summary><c>sha256=</c> and the lowercase hex HMAC-SHA256, keyed by the secret, of <c>timestamp + "." + body</c>.</summary>
    public const string Signature = "WalletGrains-Signature";

    /// <summary>Which attempt this is, from 1.</summary>
    public const string Attempt = "WalletGrains-Delivery-Attempt";
}
