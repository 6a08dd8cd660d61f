using WalletGrains.Grains.Indexes;

namespace WalletGrains.Grains.Contacts;

/// <summary>
/// One shard of a wallet's members (contact → owner, null when unowned), kept in memory in contact-id order for
/// listings and counts. The durable index behind it is written by the contacts' storage together with each contact's
/// state (<see cref="ContactState"/>); this grain reads it on activation, and the contacts tell it each change once
/// stored (and, on each of their activations, what they hold), so it writes nothing on their behalf.
/// </summary>
internal sealed class WalletMembersGrain(IIndexStore indexes) : Grain, IWalletMembersGrain
{
    private const string IndexPrefix = "walletMembers/";

    private SortedDictionary<Guid, Guid?> _members = [];

    /// <summary>The index of the shard of the wallet's members that lists the contact.</summary>
    public static string Index(Guid walletId, Guid contactId) =>
        IndexPrefix + IWalletMembersGrain.Key(walletId, IWalletMembersGrain.ShardOf(contactId));

    private string Own => IndexPrefix + this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _members = new SortedDictionary<Guid, Guid?>(await indexes.Read(Own));

    public Task Set(Guid contactId, Guid? ownerUserId)
    {
        _members[contactId] = ownerUserId;
        return Task.CompletedTask;
    }

    public Task Remove(Guid contactId)
    {
        _members.Remove(contactId);
        return Task.CompletedTask;
    }

    public Task<int> Count() => Task.FromResult(_members.Count);

    public Task<IReadOnlyList<Guid>> List(int skip, int take) =>
        Task.FromResult<IReadOnlyList<Guid>>([.. _members.Keys.Skip(skip).Take(take)]);

    public Task<IReadOnlyList<Guid>> OwnedBy(Guid userId) =>
        Task.FromResult<IReadOnlyList<Guid>>([.. _members.Where(m => m.Value == userId).Select(m => m.Key)]);

    public Task<IReadOnlyList<Guid>> All() => Task.FromResult<IReadOnlyList<Guid>>([.. _members.Keys]);

    public async Task<IReadOnlyList<Guid>> Drain()
    {
        var all = _members.Keys.ToList();
        await indexes.Delete(Own);
        _members = [];
        return all;
    }
}
