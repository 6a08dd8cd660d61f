using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.ExceptionServices;
using StackExchange.Redis;

namespace WalletGrains.Silo.Storage;

/// <summary>
/// A Redis connection for the grain storage and indexes that spreads its commands over several connections and, on the
/// embedded store, answers each command only once the store's append-only file has committed it.
/// </summary>
/// <remarks>
/// A grain write is a Lua script (its version claimed, then the state and its entries). A store that commits before it
/// answers runs one connection's scripts one commit at a time, so on the single connection a multiplexer keeps,
/// persisted grain writes stall at a few thousand per second while plain commands pipelined on the same connection share
/// their commits. Several connections let the store commit the scripts of different grains together. Each grain awaits one storage call before
/// it makes the next, so which connection carries a call never reorders one grain's reads and writes.
/// </remarks>
public static class PooledRedisConnection
{
    /// <summary>
    /// Connects <paramref name="size"/> multiplexers and returns one that hands out a database spreading calls over them;
    /// with <paramref name="commits"/>, every answer of that database waits for the store's commit, except an empty
    /// answer about a key under <paramref name="statesUnder"/> (grain states: see <see cref="Database"/>).
    /// </summary>
    public static async Task<IConnectionMultiplexer> Connect(ConfigurationOptions options, int size, StoreCommitWait? commits, string? statesUnder = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var connections = new IConnectionMultiplexer[size];
        try
        {
            for (var i = 0; i < size; i++)
            {
                connections[i] = await ConnectionMultiplexer.ConnectAsync(options.Clone());
            }
        }
        catch
        {
            foreach (var connection in connections.Where(c => c is not null))
            {
                connection.Dispose();
            }

            throw;
        }

        return size == 1 && commits is null ? connections[0] : Multiplexer.Over(connections, commits, statesUnder);
    }

#pragma warning disable CA1852 // Not sealed: DispatchProxy derives the proxy type from it at run time.
    /// <summary>Forwards every call to the first connection, except databases (spread over all) and closing (all of them).</summary>
    internal class Multiplexer : DispatchProxy
    {
        private IConnectionMultiplexer[] _connections = [];
        private IDatabase? _database;

        internal static IConnectionMultiplexer Over(IConnectionMultiplexer[] connections, StoreCommitWait? commits, string? statesUnder)
        {
            var proxy = Create<IConnectionMultiplexer, Multiplexer>();
            var self = (Multiplexer)(object)proxy;
            self._connections = connections;
            self._database = Database.Over([.. connections.Select(c => c.GetDatabase())], commits, statesUnder);
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            switch (targetMethod.Name)
            {
                case nameof(IConnectionMultiplexer.GetDatabase) when args is [-1, null]:
                    return _database;
                case nameof(IConnectionMultiplexer.Close):
                case nameof(IDisposable.Dispose):
                    foreach (var connection in _connections)
                    {
                        Forward(targetMethod, connection, args);
                    }

                    return null;
                case nameof(IConnectionMultiplexer.CloseAsync):
                    return Task.WhenAll(_connections.Select(c => (Task)Forward(targetMethod, c, args)!));
                case nameof(IAsyncDisposable.DisposeAsync):
                    return new ValueTask(Task.WhenAll(_connections.Select(c => c.DisposeAsync().AsTask())));
                default:
                    return Forward(targetMethod, _connections[0], args);
            }
        }
    }

    /// <summary>Sends each command over the next connection in turn; with a commit wait, answers once the store committed it.</summary>
    /// <remarks>
    /// Reads wait too: what a grain reads (its state on activation, an index) is then durable before it acts on it. The
    /// one exception is a read of a grain's state (a key under the states' prefix) that found nothing: a state only
    /// disappears when its own grain clears it, and that grain waits for the commit before it answers, while no other
    /// activation of it can read the state. A new grain's activation therefore costs no commit wait. An index is not such
    /// a key: any contact's write can empty it, and another grain may read it meanwhile.
    /// </remarks>
    internal class Database : DispatchProxy
    {
        private static readonly ConcurrentDictionary<Type, Func<Task, StoreCommitWait, bool, Task>> Waits = new();

        private IDatabase[] _databases = [];
        private StoreCommitWait? _commits;
        private string? _statesUnder;
        private uint _next;

        internal static IDatabase Over(IDatabase[] databases, StoreCommitWait? commits, string? statesUnder)
        {
            var proxy = Create<IDatabase, Database>();
            var self = (Database)(object)proxy;
            self._databases = databases;
            self._commits = commits;
            self._statesUnder = statesUnder;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            var database = _databases[Interlocked.Increment(ref _next) % (uint)_databases.Length];
            var result = Forward(targetMethod, database, args);

            return _commits is not null && result is Task command
                ? Waits.GetOrAdd(targetMethod.ReturnType, AfterCommit)(command, _commits, IsState(args))
                : result;
        }

        private bool IsState(object?[]? args) =>
            _statesUnder is not null && args is [RedisKey key, ..] && ((string?)key)?.StartsWith(_statesUnder, StringComparison.Ordinal) == true;

        private static Func<Task, StoreCommitWait, bool, Task> AfterCommit(Type returnType)
        {
            if (!returnType.IsGenericType)
            {
                return static async (command, commits, _) =>
                {
                    await command.ConfigureAwait(false);
                    await commits.UntilCommitted().ConfigureAwait(false);
                };
            }

            var typed = typeof(Database).GetMethod(nameof(Typed), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(returnType.GetGenericArguments()[0]);
            return typed.CreateDelegate<Func<Task, StoreCommitWait, bool, Task>>();
        }

        private static Task<T> Typed<T>(Task command, StoreCommitWait commits, bool isState) => Then((Task<T>)command, commits, isState);

        private static async Task<T> Then<T>(Task<T> command, StoreCommitWait commits, bool isState)
        {
            var answer = await command.ConfigureAwait(false);
            if (isState && answer is Array { Length: 0 })
            {
                return answer;
            }

            await commits.UntilCommitted().ConfigureAwait(false);
            return answer;
        }
    }
#pragma warning restore CA1852

    private static object? Forward(MethodInfo method, object target, object?[]? args)
    {
        try
        {
            return method.Invoke(target, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}
