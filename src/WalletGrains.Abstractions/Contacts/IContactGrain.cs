using WalletGrains.Abstractions.Imports;
using WalletGrains.Abstractions.Wallets;

namespace WalletGrains.Abstractions.Contacts;

/// <summary>
/// One contact: its memberships, its single Single-wallet owner and that owner's deadline. Every rule of
/// ownership runs here, one call at a time, so at most one owner exists whatever the interleaving of requests.
/// </summary>
public interface IContactGrain : IGrainWithGuidKey
{
    Task<Result<ContactView>> Create(Caller caller, CreateContact command);

    /// <summary>The contact, if the caller may see it (restricted agents see only their wallets' contacts).</summary>
    Task<Result<ContactView>> Get(Caller caller);

    Task<Result<ContactView>> Update(Caller caller, UpdateContact command);

    /// <summary>Joins a wallet; in a Single wallet an owner may be bound at once.</summary>
    Task<Result<ContactView>> Include(Caller caller, Guid walletId, MembershipSource source, Guid? ownerUserId);

    /// <summary>Leaves a wallet; its owner, if any, is released.</summary>
    Task<Result<ContactView>> Remove(Caller caller, Guid walletId);

    /// <summary>Gives the Single ownership to another user of the same wallet, or moves it into another Single wallet.</summary>
    Task<Result<ContactView>> Transfer(Caller caller, Guid walletId, Guid toUserId);

    /// <summary>Ownership and membership changes, newest first.</summary>
    Task<Result<IReadOnlyList<HistoryEntry>>> History(Caller caller);

    /// <summary>Decides where a conversation of this contact goes (SPEC §2).</summary>
    Task<Result<RouteDecision>> Route(Caller caller);

    /// <summary>A user took the conversation: with no Single owner, the contact joins that user's automatic Single wallet.</summary>
    Task<Result<ContactView>> Assume(Caller caller, Guid userId);

    /// <summary>A conversation ended; <see cref="Classification.Won"/> concludes the sale and releases the owner.</summary>
    Task<Result<ContactView>> Complete(Caller caller, Guid userId, Classification? classification);

    /// <summary>
    /// Applies one import row: every check first, then one write, so a row that fails changes nothing. Null when
    /// applied (or when it changed nothing, the contact already being as the row says); otherwise why not.
    /// </summary>
    Task<DomainError?> Import(Caller caller, ImportContact row);

    /// <summary>Whether this contact holds (or is now claiming) the phone. Used by the phone grain to heal abandoned claims.</summary>
    [ReadOnly, AlwaysInterleave]
    Task<bool> HoldsPhone(string phone);

    /// <summary>Releases the owner if its deadline has passed. Idempotent; called by the expiry sweep.</summary>
    Task ExpireIfDue();

    /// <summary>The wallet is gone: its membership ends and its owner is released.</summary>
    Task WalletDeleted(Guid walletId);

    /// <summary>The wallet's type changed: the membership follows, and a wallet that is no longer Single releases its owner.</summary>
    Task WalletChanged(Guid walletId, WalletType type);

    /// <summary>The user was blocked or deleted: if it owns this contact, the owner is cleared and the membership kept.</summary>
    Task OwnerRemoved(Guid userId, string reason);
}

/// <summary>The uniqueness of one phone number in one account, keyed by <c>{accountId}/{phone}</c>.</summary>
public interface IContactPhoneGrain : IGrainWithStringKey
{
    /// <summary>Claims the phone for the contact; answers the contact that holds it (the claimant when it won).</summary>
    Task<Guid> Claim(Guid contactId);

    /// <summary>The contact holding the phone, if any.</summary>
    [ReadOnly, AlwaysInterleave]
    Task<Guid?> Resolve();
}

/// <summary>
/// One shard of a wallet's member list (contact → owner), keyed by <c>{walletId}/{shard}</c>. A wallet's members are
/// spread over <see cref="Shards"/> of them so that a million members never sit in one grain's memory. Each contact's
/// entry of the shard's durable index is stored with the contact's state; the contact then tells the shard, which keeps
/// the index in memory (<see cref="Set"/> and <see cref="Remove"/> write nothing).
/// </summary>
public interface IWalletMembersGrain : IGrainWithStringKey
{
    public const int Shards = 64;

    [AlwaysInterleave]
    Task Set(Guid contactId, Guid? ownerUserId);

    [AlwaysInterleave]
    Task Remove(Guid contactId);

    [ReadOnly, AlwaysInterleave]
    Task<int> Count();

    /// <summary>Members in contact-id order, skipping <paramref name="skip"/>, at most <paramref name="take"/>.</summary>
    [ReadOnly, AlwaysInterleave]
    Task<IReadOnlyList<Guid>> List(int skip, int take);

    /// <summary>Contacts in this shard owned by the user.</summary>
    [ReadOnly, AlwaysInterleave]
    Task<IReadOnlyList<Guid>> OwnedBy(Guid userId);

    /// <summary>All members, in id order.</summary>
    [ReadOnly, AlwaysInterleave]
    Task<IReadOnlyList<Guid>> All();

    /// <summary>All members, to end them when the wallet is deleted; clears the shard.</summary>
    Task<IReadOnlyList<Guid>> Drain();

    public static string Key(Guid walletId, int shard) => $"{walletId:N}/{shard}";

    public static int ShardOf(Guid contactId) => (int)((uint)contactId.GetHashCode() % Shards);
}

/// <summary>
/// The contacts whose deadline falls in one slot of <see cref="SlotSeconds"/>, for one shard, keyed by
/// <c>{slot}/{shard}</c> (slot = unix seconds / <see cref="SlotSeconds"/>). The expiry sweep visits each bucket once
/// its slot is over, so deactivated contacts and contacts of a lost silo still expire, without one reminder per
/// contact. A contact's storage adds it to the bucket of its owner's deadline with its state; each entry stands on its
/// own in the bucket's durable index (no rewrite of the rest), so a bucket costs the same per entry however many
/// contacts fall due in its slot.
/// </summary>
public interface IExpiryBucketGrain : IGrainWithStringKey
{
    public const int Shards = 16;

    public const int SlotSeconds = 10;

    [AlwaysInterleave]
    Task Add(Guid contactId);

    /// <summary>Asks every contact of the bucket to expire if due, then empties the bucket.</summary>
    Task Fire();

    public static string Key(long slot, int shard) => $"{slot}/{shard}";

    public static long SlotOf(DateTimeOffset instant) => instant.ToUnixTimeSeconds() / SlotSeconds;

    public static int ShardOf(Guid contactId) => (int)((uint)contactId.GetHashCode() % Shards);
}

/// <summary>One of <see cref="IExpiryBucketGrain.Shards"/> sweepers, keyed by shard: a reminder visits its shard's past buckets.</summary>
public interface IExpirySweeperGrain : IGrainWithIntegerKey
{
    /// <summary>Registers the sweep reminder (idempotent); called at silo start.</summary>
    Task Start();

    /// <summary>Visits every bucket of this shard whose slot is over and not yet swept.</summary>
    Task Sweep();
}

/// <summary>Applies one membership command to many contacts, resolving phone numbers. Stateless: it only fans out.</summary>
public interface IContactBatchGrain : IGrainWithIntegerKey
{
    public const int MaxItems = 1000;

    Task<Result<IReadOnlyList<BatchItemResult>>> Include(Caller caller, Guid walletId, IReadOnlyList<ContactRef> contacts, MembershipSource source, Guid? ownerUserId);

    Task<Result<IReadOnlyList<BatchItemResult>>> Remove(Caller caller, Guid walletId, IReadOnlyList<ContactRef> contacts);

    /// <summary>Includes one contact, named by id or phone, and answers it.</summary>
    Task<Result<ContactView>> IncludeOne(Caller caller, Guid walletId, ContactRef contact, MembershipSource source, Guid? ownerUserId);

    /// <summary>Removes one contact, named by id or phone, and answers it.</summary>
    Task<Result<ContactView>> RemoveOne(Caller caller, Guid walletId, ContactRef contact);

    /// <summary>One page of a wallet's contacts.</summary>
    Task<Result<Page<ContactView>>> List(Caller caller, Guid walletId, PageRequest page);

    /// <summary>The contact id a reference names, checking the phone index for phone references.</summary>
    Task<Result<Guid>> Resolve(Caller caller, ContactRef contact);
}
