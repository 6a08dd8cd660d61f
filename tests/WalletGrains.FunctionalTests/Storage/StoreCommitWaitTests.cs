using StackExchange.Redis;
using WalletGrains.FunctionalTests.Faults;
using WalletGrains.Silo.Storage;

namespace WalletGrains.FunctionalTests.Storage;

/// <summary>
/// With a commit wait (the embedded store), the silo's connection answers a command only once the store has committed
/// what it saw, except a read of a grain state that found nothing: a new grain's activation does not wait for a commit.
/// The commit wait here counts the waits, over Debian's redis-server.
/// </summary>
public sealed class StoreCommitWaitTests
{
    private const string States = "commit-tests/state/";

    [Fact]
    public async Task Only_a_read_of_a_grain_state_that_finds_nothing_is_answered_without_a_commit_wait()
    {
        await using var redis = await RedisServer.Start();
        var waits = 0;
        var commits = new StoreCommitWait(() =>
        {
            Interlocked.Increment(ref waits);
            return Task.CompletedTask;
        });
        await using var connection = new StoreConnection(ConfigurationOptions.Parse(redis.ConnectionString), size: 2, commits, States);

        async Task<int> WaitsFor<T>(Func<IDatabase, Task<T>> command)
        {
            var before = waits;
            await connection.Run("test", command);
            return waits - before;
        }

        Assert.Equal(0, await WaitsFor(database => database.HashGetAllAsync(States + "never-written")));
        Assert.Equal(1, await WaitsFor(database => database.HashSetAsync(States + "written", "v:1", "state")));
        Assert.Equal(1, await WaitsFor(database => database.HashGetAllAsync(States + "written")));

        // An empty index may have been emptied by another grain's write that is not committed yet: its read waits.
        Assert.Equal(1, await WaitsFor(database => database.HashGetAllAsync("commit-tests/index/never-written")));
    }
}
