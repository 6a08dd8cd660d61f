using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;
using WalletGrains.Abstractions.Contacts;
using WalletGrains.Abstractions.Wallets;
using WalletGrains.FunctionalTests.Faults;
using WalletGrains.Grains.Contacts;
using WalletGrains.Grains.Expiry;
using WalletGrains.Grains.Indexes;
using WalletGrains.Silo.Storage;

namespace WalletGrains.FunctionalTests.Storage;

/// <summary>
/// The contacts' storage on the real stores (Debian's redis-server, and the embedded Garnet as the embedded default
/// reaches it): each write stores the state and the index entries it names in one script, adds the entries that are new
/// or changed, removes those the state no longer names, and leaves every other entry of those indexes alone. A write or
/// clear with a stale ETag fails and changes nothing.
/// </summary>
public sealed class IndexedStateStorageTests
{
    private static readonly Serializer Serializer = new ServiceCollection()
        .AddSerializer(s => s.AddAssembly(typeof(ContactState).Assembly))
        .BuildServiceProvider()
        .GetRequiredService<Serializer>();

    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Stores => ["redis-server", "embedded Garnet"];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_write_stores_the_state_with_its_entries_and_the_next_one_moves_them(string kind)
    {
        await using var store = await StoreUnderTest.Start(kind);
        var (storage, indexes) = (Storage(store), store.Indexes());
        var (id, grain) = Contact();
        var (account, wallet, other, ana, bia) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var neighbour = Guid.NewGuid();
        await indexes.Set(WalletMembersGrain.Index(wallet, id), neighbour, bia);

        var deadline = Now.AddHours(1);
        var state = new GrainState<ContactState>(new ContactState
        {
            AccountId = account,
            Phone = "+5511999990001",
            Memberships = [Member(wallet), Member(other)],
            Owner = new Ownership(wallet, ana, null, Now, deadline),
        });
        await storage.WriteStateAsync("contact", grain, state);

        Assert.Equal(new Dictionary<Guid, Guid?> { [id] = ana, [neighbour] = bia }, await indexes.Read(WalletMembersGrain.Index(wallet, id)));
        Assert.Equal(new Dictionary<Guid, Guid?> { [id] = null }, await indexes.Read(WalletMembersGrain.Index(other, id)));
        Assert.Equal(new Dictionary<Guid, Guid?> { [id] = null }, await indexes.Read(AccountContactsGrain.Index(account, id)));
        Assert.Equal(new Dictionary<Guid, Guid?> { [id] = null }, await indexes.Read(Bucket(deadline, id)));
        var read = new GrainState<ContactState>();
        await storage.ReadStateAsync("contact", grain, read);
        Assert.True(read.RecordExists);
        Assert.Equal(state.ETag, read.ETag);
        Assert.Equal((account, ana, deadline, 2), (read.State!.AccountId, read.State.Owner!.UserId, read.State.Owner.Deadline, read.State.Memberships.Count));

        // Released in one wallet and gone from the other; a new wallet; no deadline.
        var third = Guid.NewGuid();
        read.State = read.State! with { Owner = null, Memberships = [Member(wallet), Member(third)] };
        await storage.WriteStateAsync("contact", grain, read);

        Assert.Equal(new Dictionary<Guid, Guid?> { [id] = null, [neighbour] = bia }, await indexes.Read(WalletMembersGrain.Index(wallet, id)));
        Assert.Empty(await indexes.Read(WalletMembersGrain.Index(other, id)));
        Assert.Equal(new Dictionary<Guid, Guid?> { [id] = null }, await indexes.Read(WalletMembersGrain.Index(third, id)));
        Assert.Equal(new Dictionary<Guid, Guid?> { [id] = null }, await indexes.Read(AccountContactsGrain.Index(account, id)));
        Assert.Empty(await indexes.Read(Bucket(deadline, id)));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_write_or_clear_with_a_stale_ETag_fails_and_changes_nothing(string kind)
    {
        await using var store = await StoreUnderTest.Start(kind);
        var (storage, indexes) = (Storage(store), store.Indexes());
        var (id, grain) = Contact();
        var (account, wallet, ana) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var first = new GrainState<ContactState>(new ContactState { AccountId = account, Memberships = [Member(wallet)] });
        await storage.WriteStateAsync("contact", grain, first);

        // A second writer that read the same version writes first (as a duplicate activation would).
        var second = new GrainState<ContactState>();
        await storage.ReadStateAsync("contact", grain, second);
        second.State = second.State! with { Owner = new Ownership(wallet, ana, null, Now, null) };
        await storage.WriteStateAsync("contact", grain, second);

        var stale = first.ETag;
        first.State = first.State! with { Memberships = [] };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("contact", grain, first));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("contact", grain, first));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("contact", grain, new GrainState<ContactState>(new ContactState { AccountId = account })));
        Assert.Equal(stale, first.ETag);

        var read = new GrainState<ContactState>();
        await storage.ReadStateAsync("contact", grain, read);
        Assert.Equal((second.ETag, ana), (read.ETag, read.State!.Owner!.UserId));
        Assert.Equal(new Dictionary<Guid, Guid?> { [id] = ana }, await indexes.Read(WalletMembersGrain.Index(wallet, id)));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Of_two_writers_racing_with_the_same_ETag_exactly_one_wins(string kind)
    {
        // What makes a duplicate activation harmless: of two writes carrying the same ETag, arriving on different
        // connections at the same moment, exactly one is stored, also on the embedded Garnet, which interleaves scripts.
        await using var store = await StoreUnderTest.Start(kind);
        var storage = Storage(store);
        var account = Guid.NewGuid();
        var grains = Enumerable.Range(0, 2_000).Select(_ => Contact().Grain).ToList();
        var read = new List<GrainState<ContactState>>();
        foreach (var grain in grains)
        {
            var state = new GrainState<ContactState>(new ContactState { AccountId = account });
            await storage.WriteStateAsync("contact", grain, state);
            read.Add(state);
        }

        var owners = new[] { Guid.NewGuid(), Guid.NewGuid() };
        var attempts = grains.SelectMany((grain, i) => owners.Select(owner => (Grain: grain, Owner: owner, State: new GrainState<ContactState>(
            read[i].State! with { Owner = new Ownership(Guid.NewGuid(), owner, null, Now, null) }) { ETag = read[i].ETag, RecordExists = true })))
            .ToList();
        var outcomes = await Task.WhenAll(attempts.Select(async a =>
        {
            try
            {
                await storage.WriteStateAsync("contact", a.Grain, a.State);
                return (a.Grain, Won: (Guid?)a.Owner);
            }
            catch (InconsistentStateException)
            {
                return (a.Grain, Won: null);
            }
        }));

        foreach (var (grain, i) in grains.Select((g, i) => (g, i)))
        {
            var winners = outcomes.Where(o => o.Grain == grain && o.Won is not null).Select(o => o.Won).ToList();
            Assert.Single(winners);
            var stored = new GrainState<ContactState>();
            await storage.ReadStateAsync("contact", grain, stored);
            Assert.Equal(winners[0], stored.State!.Owner!.UserId);
        }
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_writer_that_did_not_read_the_state_still_moves_and_clears_its_entries(string kind)
    {
        // A second silo's storage, which never read this state: the entries it replaces are the stored ones.
        await using var store = await StoreUnderTest.Start(kind);
        var (first, second, indexes) = (Storage(store), Storage(store), store.Indexes());
        var (id, grain) = Contact();
        var (account, wallet, other, ana) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var deadline = Now.AddHours(1);
        var written = new GrainState<ContactState>(new ContactState
        {
            AccountId = account,
            Memberships = [Member(wallet)],
            Owner = new Ownership(wallet, ana, null, Now, deadline),
        });
        await first.WriteStateAsync("contact", grain, written);

        var moved = new GrainState<ContactState>(new ContactState { AccountId = account, Memberships = [Member(other)] })
        {
            ETag = written.ETag,
            RecordExists = true,
        };
        await second.WriteStateAsync("contact", grain, moved);

        Assert.Empty(await indexes.Read(WalletMembersGrain.Index(wallet, id)));
        Assert.Empty(await indexes.Read(Bucket(deadline, id)));
        Assert.Equal(new Dictionary<Guid, Guid?> { [id] = null }, await indexes.Read(WalletMembersGrain.Index(other, id)));

        await first.ClearStateAsync("contact", grain, new GrainState<ContactState> { ETag = moved.ETag, RecordExists = true });

        Assert.Empty(await indexes.Read(WalletMembersGrain.Index(other, id)));
        Assert.Empty(await indexes.Read(AccountContactsGrain.Index(account, id)));
        var read = new GrainState<ContactState>();
        await second.ReadStateAsync("contact", grain, read);
        Assert.False(read.RecordExists);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_write_or_clear_the_store_stopped_in_the_middle_of_is_finished_by_the_next_write(string kind)
    {
        // The embedded Garnet's AOF holds each command of a script: a store stopped right after a write created its
        // version keeps it next to the version before, with none or some of its entries written; one stopped during a
        // clear keeps its empty version. Both are set up here as they would be left.
        await using var store = await StoreUnderTest.Start(kind);
        var (storage, indexes) = (Storage(store), store.Indexes());
        var (id, grain) = Contact();
        var (account, wallet, other, ana) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var written = new GrainState<ContactState>(new ContactState { AccountId = account, Memberships = [Member(wallet)] });
        await storage.WriteStateAsync("contact", grain, written);
        var key = $"{StoreUnderTest.Cluster.Value.ServiceId}/state/contact/{grain}";
        var interrupted = written.State! with { Owner = new Ownership(wallet, ana, null, Now, null), Memberships = [Member(wallet), Member(other)] };
        await Set(store, key, "v:2", Version(interrupted, grain));

        var read = new GrainState<ContactState>();
        await storage.ReadStateAsync("contact", grain, read);
        Assert.Equal(("2", ana), (read.ETag, read.State!.Owner!.UserId));

        // Its entry in the other wallet was never written; the next write, which keeps it, writes it.
        read.State = read.State with { Owner = null, Memberships = [Member(other)] };
        await storage.WriteStateAsync("contact", grain, read);

        Assert.Equal(["v:3"], await Fields(store, key));
        Assert.Empty(await indexes.Read(WalletMembersGrain.Index(wallet, id)));
        Assert.Equal(new Dictionary<Guid, Guid?> { [id] = null }, await indexes.Read(WalletMembersGrain.Index(other, id)));

        await Set(store, key, "v:4", []);

        var cleared = new GrainState<ContactState>();
        await storage.ReadStateAsync("contact", grain, cleared);
        Assert.Equal((false, "4"), (cleared.RecordExists, cleared.ETag));

        cleared.State = new ContactState { AccountId = account, Memberships = [Member(wallet)] };
        await storage.WriteStateAsync("contact", grain, cleared);

        Assert.Equal(["v:5"], await Fields(store, key));
        Assert.Equal(new Dictionary<Guid, Guid?> { [id] = null }, await indexes.Read(WalletMembersGrain.Index(wallet, id)));
        Assert.Empty(await indexes.Read(WalletMembersGrain.Index(other, id)));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Clearing_removes_the_state_and_its_entries_only(string kind)
    {
        await using var store = await StoreUnderTest.Start(kind);
        var (storage, indexes) = (Storage(store), store.Indexes());
        var (id, grain) = Contact();
        var (account, wallet, neighbour) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await indexes.Set(WalletMembersGrain.Index(wallet, id), neighbour);
        var state = new GrainState<ContactState>(new ContactState { AccountId = account, Memberships = [Member(wallet)] });
        await storage.WriteStateAsync("contact", grain, state);

        await storage.ClearStateAsync("contact", grain, state);

        Assert.False(state.RecordExists);
        var read = new GrainState<ContactState>();
        await storage.ReadStateAsync("contact", grain, read);
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.Equal(new Dictionary<Guid, Guid?> { [neighbour] = null }, await indexes.Read(WalletMembersGrain.Index(wallet, id)));
        Assert.Empty(await indexes.Read(AccountContactsGrain.Index(account, id)));

        // Written again from nothing, as a new contact would be.
        await storage.WriteStateAsync("contact", grain, new GrainState<ContactState>(new ContactState { AccountId = account }));
        Assert.Equal(new Dictionary<Guid, Guid?> { [id] = null }, await indexes.Read(AccountContactsGrain.Index(account, id)));
    }

    [Fact]
    public async Task A_store_that_is_gone_fails_the_write_as_an_Orleans_error_the_gateway_answers_503()
    {
        var redis = await RedisServer.Start();
        await using var store = new StoreUnderTest(redis.ConnectionString, commits: null, redis.DisposeAsync);
        var storage = Storage(store);
        var (_, grain) = Contact();
        await storage.WriteStateAsync("contact", grain, new GrainState<ContactState>(new ContactState { AccountId = Guid.NewGuid() }));

        await redis.Kill();

        var failure = await Assert.ThrowsAsync<OrleansException>(() =>
            storage.WriteStateAsync("contact", grain, new GrainState<ContactState>(new ContactState { AccountId = Guid.NewGuid() })));
        StoreFailures.AssertCrossesToAGateway(failure);
    }

    // A version's value as the storage writes it: the entry list's length, a colon, the list, the state.
    private static byte[] Version(ContactState state, GrainId grain)
    {
        var entries = new List<IndexEntry>();
        state.AddIndexEntries(grain, entries);
        var prefix = RedisIndexStore.Prefix(StoreUnderTest.Cluster.Value);
        var list = Encoding.ASCII.GetBytes(string.Join('\n', entries.Select(e =>
            $"{prefix}{e.Index}\t{Convert.ToHexString(e.Id.ToByteArray())}\t{(e.Value is { } v ? Convert.ToHexString(v.ToByteArray()) : "")}")));
        return [.. Encoding.ASCII.GetBytes($"{list.Length}:"), .. list, .. new OrleansGrainStorageSerializer(Serializer).Serialize(state).ToArray()];
    }

    private static Task<bool> Set(StoreUnderTest store, string key, string field, byte[] value) =>
        store.Connection.Run("set a field", database => database.HashSetAsync(key, field, value));

    private static async Task<string[]> Fields(StoreUnderTest store, string key) =>
        [.. (await store.Connection.Run("list the fields", database => database.HashKeysAsync(key))).Select(f => (string)f!).Order()];

    private static RedisIndexedGrainStorage Storage(StoreUnderTest store) =>
        new(store.Connection, Serializer, StoreUnderTest.Cluster);

    private static (Guid Id, GrainId Grain) Contact()
    {
        var id = Guid.NewGuid();
        return (id, GrainId.Create(GrainType.Create("contact"), GrainIdKeyExtensions.CreateGuidKey(id)));
    }

    private static Membership Member(Guid wallet) => new(wallet, WalletType.Single, MembershipSource.Manual, Now);

    private static string Bucket(DateTimeOffset deadline, Guid id) =>
        ExpiryBucketGrain.Index(IExpiryBucketGrain.SlotOf(deadline), IExpiryBucketGrain.ShardOf(id));
}
