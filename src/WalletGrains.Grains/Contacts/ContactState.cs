using WalletGrains.Grains.Expiry;
using WalletGrains.Grains.Indexes;

namespace WalletGrains.Grains.Contacts;

/// <summary>One wallet the contact is in.</summary>
[GenerateSerializer, Immutable]
public sealed record Membership(
    [property: Id(0)] Guid WalletId,
    [property: Id(1)] WalletType Type,
    [property: Id(2)] MembershipSource Source,
    [property: Id(3)] DateTimeOffset JoinedAt);

/// <summary>The contact's one Single-wallet owner: who, through which team, and until when.</summary>
[GenerateSerializer, Immutable]
public sealed record Ownership(
    [property: Id(0)] Guid WalletId,
    [property: Id(1)] Guid UserId,
    [property: Id(2)] Guid? TeamId,
    [property: Id(3)] DateTimeOffset BoundAt,
    [property: Id(4)] DateTimeOffset? Deadline)
{
    public bool IsDue(DateTimeOffset now) => Deadline is { } deadline && deadline <= now;
}

/// <summary>
/// Persisted state of one contact: memberships, the owner and its deadline, and the history of changes. It is found
/// under its account's directory, each of its wallets' member lists (with its owner there) and the expiry bucket of its
/// owner's deadline; its storage writes those entries together with it.
/// </summary>
[GenerateSerializer]
public sealed record ContactState : IIndexedState
{
    /// <summary>History kept per contact; older entries are dropped first.</summary>
    public const int MaxHistory = 200;

    [Id(0)] public Guid AccountId { get; init; }
    [Id(1)] public string Phone { get; init; } = "";
    [Id(2)] public string? Name { get; init; }
    [Id(3)] public ContactStatus Status { get; init; }
    [Id(4)] public ContactAttributes Attributes { get; init; } = ContactAttributes.None;
    [Id(5)] public IReadOnlyList<Membership> Memberships { get; init; } = [];
    [Id(6)] public Ownership? Owner { get; init; }
    [Id(7)] public long Sequence { get; init; }
    [Id(8)] public IReadOnlyList<HistoryEntry> History { get; init; } = [];
    [Id(9)] public DateTimeOffset CreatedAt { get; init; }
    [Id(10)] public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Recorded changes not yet acknowledged by the account's webhook dispatcher (see <c>ContactOutbox</c>).</summary>
    [Id(11)] public IReadOnlyList<ContactEvent> Outbox { get; init; } = [];

    public Membership? MembershipOf(Guid walletId) => Memberships.FirstOrDefault(m => m.WalletId == walletId);

    public void AddIndexEntries(GrainId grainId, List<IndexEntry> entries)
    {
        var id = grainId.GetGuidKey();
        entries.Add(new IndexEntry(AccountContactsGrain.Index(AccountId, id), id));
        if (Owner?.Deadline is { } due)
        {
            entries.Add(new IndexEntry(ExpiryBucketGrain.Index(IExpiryBucketGrain.SlotOf(due), IExpiryBucketGrain.ShardOf(id)), id));
        }

        foreach (var member in Memberships)
        {
            entries.Add(new IndexEntry(WalletMembersGrain.Index(member.WalletId, id), id, Owner?.WalletId == member.WalletId ? Owner.UserId : null));
        }
    }
}
