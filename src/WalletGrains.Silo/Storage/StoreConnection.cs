using Orleans.Runtime;
using StackExchange.Redis;

namespace WalletGrains.Silo.Storage;

/// <summary>
/// The silo's connections to its Redis-protocol store for grain state and indexes (<see cref="PooledRedisConnection"/>),
/// opened on first use and shared by the grain storage providers and the <see cref="RedisIndexStore"/>. With a commit
/// wait, grain states are the keys under <paramref name="statesUnder"/> (see <see cref="PooledRedisConnection.Database"/>).
/// </summary>
public sealed class StoreConnection(ConfigurationOptions options, int size, StoreCommitWait? commits, string? statesUnder = null) : IAsyncDisposable
{
    private readonly Lazy<Task<IConnectionMultiplexer>> _connection = new(() => PooledRedisConnection.Connect(options, size, commits, statesUnder));

    public Task<IConnectionMultiplexer> Get() => _connection.Value;

    /// <summary>
    /// Runs one command. A store failure surfaces as an <see cref="OrleansException"/> naming what failed
    /// (<paramref name="what"/>, e.g. "read the state …"), as a grain-storage failure does, so callers in other
    /// processes (a gateway) receive it as such and answer that the store is unavailable.
    /// </summary>
    public Task<T> Run<T>(string what, Func<IDatabase, Task<T>> command) => Run(what, null, command);

    /// <summary>
    /// Runs one command, as <see cref="Run{T}(string, Func{IDatabase, Task{T}})"/> does, naming a failure
    /// "<paramref name="operation"/> <paramref name="subject"/>": the name is only put together when the command fails.
    /// </summary>
    public async Task<T> Run<T>(string operation, string? subject, Func<IDatabase, Task<T>> command)
    {
        try
        {
            return await command((await Get()).GetDatabase());
        }
        catch (Exception e) when (e is RedisException or RedisTimeoutException)
        {
            // Without the inner exception: a client library's exception has no Orleans codec, so it could not reach a gateway.
            var what = subject is null ? operation : $"{operation} {subject}";
            throw new OrleansException($"The store failed to {what}: {e.GetType().Name}: {e.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully)
        {
            await (await _connection.Value).DisposeAsync();
        }
    }
}
