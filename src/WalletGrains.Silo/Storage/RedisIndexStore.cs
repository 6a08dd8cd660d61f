using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;
using WalletGrains.Grains.Indexes;

namespace WalletGrains.Silo.Storage;

/// <summary>
/// Indexes as Redis hashes, one per index under <c>{serviceId}/index/</c>: field = the id's 16 bytes, value = the
/// value's 16 bytes or empty. Each change is a single <c>HSET</c> or <c>HDEL</c>, durable on the same terms as a grain
/// write (the store acknowledges it once its append-only file has it).
/// </summary>
public sealed class RedisIndexStore(StoreConnection connection, IOptions<ClusterOptions> cluster) : IIndexStore
{
    private readonly string _prefix = cluster.Value.ServiceId + "/index/";

    public async Task<Dictionary<Guid, Guid?>> Read(string index)
    {
        var entries = await (await Database()).HashGetAllAsync(Key(index));
        var result = new Dictionary<Guid, Guid?>(entries.Length);
        foreach (var entry in entries)
        {
            byte[] value = entry.Value!;
            result[new Guid((byte[])entry.Name!)] = value.Length == 16 ? new Guid(value) : null;
        }

        return result;
    }

    public async Task Set(string index, Guid id, Guid? value = null) =>
        await (await Database()).HashSetAsync(Key(index), id.ToByteArray(), value is { } v ? v.ToByteArray() : Array.Empty<byte>());

    public async Task Remove(string index, Guid id) => await (await Database()).HashDeleteAsync(Key(index), id.ToByteArray());

    public async Task Delete(string index) => await (await Database()).KeyDeleteAsync(Key(index));

    private RedisKey Key(string index) => _prefix + index;

    private async Task<IDatabase> Database() => (await connection.Get()).GetDatabase();
}
