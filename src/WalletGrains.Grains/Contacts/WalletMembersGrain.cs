using WalletGrains.Grains.Common;

namespace WalletGrains.Grains.Contacts;

/// <summary>Persisted state of one shard of a wallet's member list: contact → owner (null when unowned).</summary>
[GenerateSerializer]
public sealed record WalletMembersState
{
    [Id(0)] public SortedDictionary<Guid, Guid?> Members { get; init; } = [];
}

/// <summary>
/// One shard of a wallet's members. Contact grains are the source of truth and report here after each change.
/// Calls interleave and share one storage write (group commit), so a burst of includes costs a few writes.
/// </summary>
internal sealed class WalletMembersGrain(
    [PersistentState("walletMembers", Stores.Default)] IPersistentState<WalletMembersState> members) : Grain, IWalletMembersGrain, IDisposable
{
    private readonly WriteGate _writes = new();

    public Task Set(Guid contactId, Guid? ownerUserId)
    {
        if (members.State.Members.TryGetValue(contactId, out var owner) && owner == ownerUserId)
        {
            return Task.CompletedTask;
        }

        members.State.Members[contactId] = ownerUserId;
        return Flush();
    }

    public Task Remove(Guid contactId) => members.State.Members.Remove(contactId) ? Flush() : Task.CompletedTask;

    public Task<int> Count() => Task.FromResult(members.State.Members.Count);

    public Task<IReadOnlyList<Guid>> List(int skip, int take) =>
        Task.FromResult<IReadOnlyList<Guid>>([.. members.State.Members.Keys.Skip(skip).Take(take)]);

    public Task<IReadOnlyList<Guid>> OwnedBy(Guid userId) =>
        Task.FromResult<IReadOnlyList<Guid>>([.. members.State.Members.Where(m => m.Value == userId).Select(m => m.Key)]);

    public Task<IReadOnlyList<Guid>> All() => Task.FromResult<IReadOnlyList<Guid>>([.. members.State.Members.Keys]);

    public async Task<IReadOnlyList<Guid>> Drain()
    {
        var all = members.State.Members.Keys.ToList();
        if (members.RecordExists)
        {
            await members.ClearStateAsync();
        }

        members.State = new WalletMembersState();
        return all;
    }

    public void Dispose() => _writes.Dispose();

    private Task Flush() => _writes.WriteSoon(members);
}
