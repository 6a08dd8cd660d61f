using WalletGrains.Grains.Common;

namespace WalletGrains.Grains.Contacts;

/// <summary>Persisted state of one shard of an account's contact directory.</summary>
[GenerateSerializer]
public sealed record AccountContactsState
{
    [Id(0)] public HashSet<Guid> Contacts { get; init; } = [];
}

/// <summary>
/// One shard of an account's contact directory. Contacts register here as they are created; calls interleave and share
/// one storage write (group commit), so a burst of creates, such as an import, costs a few writes per shard.
/// </summary>
internal sealed class AccountContactsGrain(
    [PersistentState("accountContacts", Stores.Default)] IPersistentState<AccountContactsState> directory) : Grain, IAccountContactsGrain, IDisposable
{
    private readonly WriteGate _writes = new();

    public Task Add(Guid contactId) => directory.State.Contacts.Add(contactId) ? _writes.WriteSoon(directory) : Task.CompletedTask;

    public Task<IReadOnlyList<Guid>> All() => Task.FromResult<IReadOnlyList<Guid>>([.. directory.State.Contacts]);

    public void Dispose() => _writes.Dispose();
}
