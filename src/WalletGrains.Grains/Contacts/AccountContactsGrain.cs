using WalletGrains.Grains.Indexes;

namespace WalletGrains.Grains.Contacts;

/// <summary>
/// One shard of an account's contact directory. Contacts register here as they are created, each as one entry of the
/// shard's durable index; nothing is kept in memory, since only whole-account passes (an import archiving the contacts
/// absent from its file) read it.
/// </summary>
internal sealed class AccountContactsGrain(IIndexStore indexes) : Grain, IAccountContactsGrain
{
    private string Index => "accountContacts/" + this.GetPrimaryKeyString();

    public Task Add(Guid contactId) => indexes.Set(Index, contactId);

    public async Task<IReadOnlyList<Guid>> All() => [.. (await indexes.Read(Index)).Keys];
}
