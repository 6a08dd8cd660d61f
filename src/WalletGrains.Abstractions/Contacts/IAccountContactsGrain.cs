namespace WalletGrains.Abstractions.Contacts;

/// <summary>
/// One shard of an account's contact directory, keyed by <c>{accountId}/{shard}</c>: the ids of the contacts created in
/// the account, each listed no later than it is first stored (with it, on the Redis store), so the directory never misses
/// one. Only whole-account passes read it, such as an import archiving the contacts absent from its file; no request
/// path calls it.
/// </summary>
public interface IAccountContactsGrain : IGrainWithStringKey
{
    public const int Shards = 64;

    [ReadOnly, AlwaysInterleave]
    Task<IReadOnlyList<Guid>> All();

    public static string Key(Guid accountId, int shard) => $"{accountId:N}/{shard}";

    public static int ShardOf(Guid contactId) => (int)((uint)contactId.GetHashCode() % Shards);
}
