using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;
using WalletGrains.FunctionalTests.Faults;
using WalletGrains.Silo.Storage;

namespace WalletGrains.FunctionalTests.Storage;

/// <summary>A store and this process's connection to it, wired as a silo wires them.</summary>
internal sealed class StoreUnderTest(string connectionString, StoreCommitWait? commits, Func<ValueTask> stop) : IAsyncDisposable
{
    private readonly StoreConnection _connection = new(ConfigurationOptions.Parse(connectionString), size: 4, commits);

    public static async Task<StoreUnderTest> Start(string kind)
    {
        if (kind == "redis-server")
        {
            var redis = await RedisServer.Start();
            return new StoreUnderTest(redis.ConnectionString, commits: null, redis.DisposeAsync);
        }

        var directory = Directory.CreateTempSubdirectory("walletgrains-index-").FullName;
        var garnet = EmbeddedGarnet.Start(directory, 0, NullLogger.Instance);
        return new StoreUnderTest(garnet.ConnectionString, new StoreCommitWait(garnet.UntilCommitted), () =>
        {
            garnet.Dispose();
            Directory.Delete(directory, recursive: true);
            return ValueTask.CompletedTask;
        });
    }

    public static StoreUnderTest Garnet(string directory)
    {
        var garnet = EmbeddedGarnet.Start(directory, 0, NullLogger.Instance);
        return new StoreUnderTest(garnet.ConnectionString, new StoreCommitWait(garnet.UntilCommitted), () =>
        {
            garnet.Dispose();
            return ValueTask.CompletedTask;
        });
    }

    public static IOptions<ClusterOptions> Cluster { get; } = Options.Create(new ClusterOptions { ServiceId = "index-tests", ClusterId = "index-tests" });

    public StoreConnection Connection => _connection;

    public RedisIndexStore Indexes() => new(_connection, Cluster);

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        await stop();
    }
}
