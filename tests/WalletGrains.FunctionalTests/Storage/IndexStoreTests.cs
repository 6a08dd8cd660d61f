using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using WalletGrains.FunctionalTests.Faults;
using WalletGrains.Silo.Storage;

namespace WalletGrains.FunctionalTests.Storage;

/// <summary>
/// The grains' durable indexes on the real stores a user runs: Debian's redis-server, and the embedded Garnet reached
/// as the embedded default reaches it (several connections, each answer held until the append-only file has it). Entries
/// change one at a time and read back exactly; an index that was deleted or never written reads back empty.
/// </summary>
public sealed class IndexStoreTests
{
    public static TheoryData<string> Stores => ["redis-server", "embedded Garnet"];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Entries_are_set_changed_removed_and_deleted_one_at_a_time(string kind)
    {
        await using var store = await StoreUnderTest.Start(kind);
        var indexes = store.Indexes();
        var (a, b, c, owner, other) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());

        await indexes.Set("wallet/1", a);
        await indexes.Set("wallet/1", b, owner);
        await indexes.Set("wallet/2", c, other);
        Assert.Equal(new Dictionary<Guid, Guid?> { [a] = null, [b] = owner }, await indexes.Read("wallet/1"));

        await indexes.Set("wallet/1", a, other);
        await indexes.Set("wallet/1", b);
        await indexes.Remove("wallet/1", c);
        Assert.Equal(new Dictionary<Guid, Guid?> { [a] = other, [b] = null }, await indexes.Read("wallet/1"));

        await indexes.Remove("wallet/1", a);
        Assert.Equal(new Dictionary<Guid, Guid?> { [b] = null }, await indexes.Read("wallet/1"));

        await indexes.Delete("wallet/1");
        Assert.Empty(await indexes.Read("wallet/1"));
        Assert.Empty(await indexes.Read("never-written"));
        Assert.Equal(new Dictionary<Guid, Guid?> { [c] = other }, await indexes.Read("wallet/2"));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Concurrent_changes_of_different_entries_all_land(string kind)
    {
        await using var store = await StoreUnderTest.Start(kind);
        var indexes = store.Indexes();
        var members = Enumerable.Range(0, 2_000).Select(_ => (Id: Guid.NewGuid(), Owner: (Guid?)Guid.NewGuid())).ToList();

        await Task.WhenAll(members.Select(m => indexes.Set("big", m.Id, m.Owner)));
        await Task.WhenAll(members.Where((_, i) => i % 2 == 0).Select(m => indexes.Remove("big", m.Id)));

        var expected = members.Where((_, i) => i % 2 == 1).ToDictionary(m => m.Id, m => m.Owner);
        Assert.Equal(expected, await indexes.Read("big"));
    }

    [Fact]
    public async Task A_store_that_is_gone_fails_the_change_as_an_Orleans_error_the_gateway_answers_503()
    {
        var redis = await RedisServer.Start();
        await using var store = new StoreUnderTest(redis.ConnectionString, commits: null, redis.DisposeAsync);
        var indexes = store.Indexes();
        await indexes.Set("before", Guid.NewGuid());

        await redis.Kill();

        // Grain code in a silo calls the index store; an Orleans error crosses to a gateway process as one, where a
        // client library's own exception type would not.
        var failure = await Assert.ThrowsAsync<OrleansException>(() => indexes.Set("after", Guid.NewGuid()));
        StoreFailures.AssertCrossesToAGateway(failure);
    }

    [Fact]
    public async Task Entries_written_to_the_embedded_store_are_there_after_it_restarts_on_its_files()
    {
        var directory = Directory.CreateTempSubdirectory("walletgrains-index-").FullName;
        var id = Guid.NewGuid();
        var owner = Guid.NewGuid();
        try
        {
            await using (var store = StoreUnderTest.Garnet(directory))
            {
                await store.Indexes().Set("kept", id, owner);
            }

            await using (var store = StoreUnderTest.Garnet(directory))
            {
                Assert.Equal(new Dictionary<Guid, Guid?> { [id] = owner }, await store.Indexes().Read("kept"));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Entries_written_before_and_after_the_log_has_grown_far_past_them_are_all_kept_and_recovered()
    {
        var directory = Directory.CreateTempSubdirectory("walletgrains-index-").FullName;
        try
        {
            // 400 indexes of 100 entries; then 48 MiB of other records written after them (small values, held in the
            // log's pages themselves), so the indexes' records fall far behind the log's tail, where the store used to
            // write them to disk; then one more entry in each index, which changes records that are now far behind.
            var written = Enumerable.Range(0, 400).ToDictionary(
                i => $"far-behind/{i}",
                _ => Enumerable.Range(0, 100).ToDictionary(_ => Guid.NewGuid(), _ => (Guid?)Guid.NewGuid()));
            await using (var store = StoreUnderTest.Garnet(directory))
            {
                var indexes = store.Indexes();
                foreach (var chunk in written.Chunk(50))
                {
                    await Task.WhenAll(chunk.SelectMany(index => index.Value.Select(entry => indexes.Set(index.Key, entry.Key, entry.Value))));
                }

                var filler = new byte[1024];
                for (var i = 0; i < 48 * 1024; i += 1024)
                {
                    await Task.WhenAll(Enumerable.Range(i, 1024).Select(n =>
                        store.Connection.Run("filler", database => database.StringSetAsync($"filler/{n}", filler))));
                }

                foreach (var chunk in written.Chunk(50))
                {
                    await Task.WhenAll(chunk.Select(index =>
                    {
                        var (id, owner) = (Guid.NewGuid(), Guid.NewGuid());
                        index.Value[id] = owner;
                        return indexes.Set(index.Key, id, owner);
                    }));
                }

                foreach (var (index, entries) in written)
                {
                    Assert.Equal(entries, await indexes.Read(index));
                }
            }

            await using (var store = StoreUnderTest.Garnet(directory))
            {
                foreach (var (index, entries) in written)
                {
                    Assert.Equal(entries, await store.Indexes().Read(index));
                }
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
