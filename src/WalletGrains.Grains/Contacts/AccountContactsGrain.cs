using WalletGrains.Grains.Indexes;

namespace WalletGrains.Grains.Contacts;

/// <summary>
/// One shard of an account's contact directory: a durable index whose entries the contacts' storage writes with their
/// state (<see cref="ContactState"/>). Nothing is kept in memory, since only whole-account passes (an import archiving
/// the contacts absent from its file) read it.
/// </summary>
internal sealed class AccountContactsGrain(IIndexStore indexes) : Grain, IAccountContactsGrain
{
    private const string IndexPrefix = "accountContacts/";

    /// <summary>The index of the directory shard that lists the contact.</summary>
    public static string Index(Guid accountId, Guid contactId) =>
        IndexPrefix + IAccountContactsGrain.Key(accountId, IAccountContactsGrain.ShardOf(contactId));

    public async Task<IReadOnlyList<Guid>> All() => [.. (await indexes.Read(IndexPrefix + this.GetPrimaryKeyString())).Keys];
}
