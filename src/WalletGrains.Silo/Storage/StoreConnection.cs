using StackExchange.Redis;

namespace WalletGrains.Silo.Storage;

/// <summary>
/// The silo's connections to its Redis-protocol store for grain state and indexes (<see cref="PooledRedisConnection"/>),
/// opened on first use and shared by the grain storage providers and the <see cref="RedisIndexStore"/>.
/// </summary>
public sealed class StoreConnection(ConfigurationOptions options, int size, StoreCommitWait? commits) : IAsyncDisposable
{
    private readonly Lazy<Task<IConnectionMultiplexer>> _connection = new(() => PooledRedisConnection.Connect(options, size, commits));

    public Task<IConnectionMultiplexer> Get() => _connection.Value;

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully)
        {
            await (await _connection.Value).DisposeAsync();
        }
    }
}
