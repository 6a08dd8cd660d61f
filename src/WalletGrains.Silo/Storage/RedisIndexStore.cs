using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;
using WalletGrains.Grains.Indexes;

namespace WalletGrains.Silo.Storage;

/// <summary>
/// Indexes as Redis hashes, one per index under <c>{serviceId}/index/</c>: field = the id's 16 bytes, value = the
/// value's 16 bytes or empty. Each change is a single <c>HSET</c> or <c>HDEL</c>, durable on the same terms as a grain
/// write (the store acknowledges it once its append-only file has it). A store failure surfaces as an
/// <see cref="OrleansException"/>, as a grain-storage failure does, so callers in other processes (a gateway) receive it
/// as such and answer that the store is unavailable.
/// </summary>
public sealed class RedisIndexStore(StoreConnection connection, IOptions<ClusterOptions> cluster) : IIndexStore
{
    private readonly string _prefix = Prefix(cluster.Value);

    /// <summary>What each index's key starts with, followed by the index's name.</summary>
    public static string Prefix(ClusterOptions cluster) => cluster.ServiceId + "/index/";

    public async Task<Dictionary<Guid, Guid?>> Read(string index)
    {
        var entries = await Run("read index", index, (database, key) => database.HashGetAllAsync(key));
        var result = new Dictionary<Guid, Guid?>(entries.Length);
        foreach (var entry in entries)
        {
            byte[] value = entry.Value!;
            result[new Guid((byte[])entry.Name!)] = value.Length == 16 ? new Guid(value) : null;
        }

        return result;
    }

    public Task Set(string index, Guid id, Guid? value = null) =>
        Run("set an entry of index", index, (database, key) => database.HashSetAsync(key, id.ToByteArray(), value is { } v ? v.ToByteArray() : Array.Empty<byte>()));

    public Task Remove(string index, Guid id) => Run("remove an entry of index", index, (database, key) => database.HashDeleteAsync(key, id.ToByteArray()));

    public Task Delete(string index) => Run("delete index", index, (database, key) => database.KeyDeleteAsync(key));

    private Task<T> Run<T>(string operation, string index, Func<IDatabase, RedisKey, Task<T>> command) =>
        connection.Run(operation, index, database => command(database, _prefix + index));
}
