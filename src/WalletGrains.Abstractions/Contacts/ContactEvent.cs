namespace WalletGrains.Abstractions.Contacts;

/// <summary>
/// A membership or ownership change, as published on the account's event stream. <see cref="Id"/> is unique and
/// <see cref="Sequence"/> counts the contact's changes, so consumers dedupe and order per contact.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ContactEvent(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid AccountId,
    [property: Id(2)] Guid ContactId,
    [property: Id(3)] long Sequence,
    [property: Id(4)] DateTimeOffset At,
    [property: Id(5)] HistoryKind Kind,
    [property: Id(6)] Guid WalletId,
    [property: Id(7)] Guid? UserId,
    [property: Id(8)] Guid? ActorUserId,
    [property: Id(9)] string Reason);

/// <summary>Where contact events are published: one Orleans stream per account.</summary>
public static class ContactEvents
{
    /// <summary>Name of the stream provider the silo registers.</summary>
    public const string StreamProvider = "events";

    /// <summary>Stream namespace; the stream key is the account id.</summary>
    public const string Namespace = "contact-events";
}
