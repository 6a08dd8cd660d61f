using WalletGrains.Grains.Indexes;

namespace WalletGrains.Grains.Contacts;

/// <summary>
/// One shard of a wallet's members (contact → owner, null when unowned). Contact grains are the source of truth and
/// report here after each change; each change is one entry of the shard's durable index, and the shard keeps the
/// whole index in memory, in contact-id order, for listings and counts.
/// </summary>
internal sealed class WalletMembersGrain(IIndexStore indexes) : Grain, IWalletMembersGrain
{
    private SortedDictionary<Guid, Guid?> _members = [];

    private string Index => "walletMembers/" + this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _members = new SortedDictionary<Guid, Guid?>(await indexes.Read(Index));

    public Task Set(Guid contactId, Guid? ownerUserId)
    {
        if (_members.TryGetValue(contactId, out var owner) && owner == ownerUserId)
        {
            return Task.CompletedTask;
        }

        _members[contactId] = ownerUserId;
        return indexes.Set(Index, contactId, ownerUserId);
    }

    public Task Remove(Guid contactId) => _members.Remove(contactId) ? indexes.Remove(Index, contactId) : Task.CompletedTask;

    public Task<int> Count() => Task.FromResult(_members.Count);

    public Task<IReadOnlyList<Guid>> List(int skip, int take) =>
        Task.FromResult<IReadOnlyList<Guid>>([.. _members.Keys.Skip(skip).Take(take)]);

    public Task<IReadOnlyList<Guid>> OwnedBy(Guid userId) =>
        Task.FromResult<IReadOnlyList<Guid>>([.. _members.Where(m => m.Value == userId).Select(m => m.Key)]);

    public Task<IReadOnlyList<Guid>> All() => Task.FromResult<IReadOnlyList<Guid>>([.. _members.Keys]);

    public async Task<IReadOnlyList<Guid>> Drain()
    {
        var all = _members.Keys.ToList();
        await indexes.Delete(Index);
        _members = [];
        return all;
    }
}
