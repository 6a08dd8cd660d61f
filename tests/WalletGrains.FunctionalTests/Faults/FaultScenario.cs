using System.Diagnostics;
using StackExchange.Redis;
using WalletGrains.Abstractions.Contacts;
using WalletGrains.FunctionalTests.Contacts;

namespace WalletGrains.FunctionalTests.Faults;

/// <summary>
/// A fault test's cluster, people, contacts and load, and the checks every fault test makes afterwards from the API
/// (and, for the expiry sweep, from the store).
/// </summary>
internal sealed class FaultScenario : IAsyncDisposable
{
    /// <summary>Time each worker waits between two requests of its own: the load's rate, not a stand-in for any clock.</summary>
    public static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(100);

    private readonly CancellationTokenSource _stopRouting = new();
    private readonly List<string> _figures = [];
    private Task _router = Task.CompletedTask;

    private FaultScenario(FaultCluster cluster, Crew crew)
    {
        Cluster = cluster;
        Crew = crew;
        Load = new FaultLoad(crew, Pace);
    }

    public FaultCluster Cluster { get; }

    public Crew Crew { get; }

    public FaultLoad Load { get; }

    public List<ContactCase> Cases { get; } = [];

    private Account Account => Crew.Account;

    public static async Task<FaultScenario> Start()
    {
        var output = TestContext.Current.TestOutputHelper;
        var cluster = await FaultCluster.Start(line => output?.WriteLine(line));
        try
        {
            return new FaultScenario(cluster, await Crew.Create(cluster.Api));
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Contacts for the scripts, created up front, in a shuffled but reproducible order.</summary>
    public async Task<List<ContactCase>> Contacts(int seed, params (Script Script, int Count)[] scripts)
    {
        var order = scripts.SelectMany(s => Enumerable.Repeat(s.Script, s.Count)).ToArray();
        new Random(seed).Shuffle(order);
        var cases = await FaultLoad.CreateCases(Crew, order);
        Cases.AddRange(cases);
        return cases;
    }

    /// <summary>Starts the workers and the router.</summary>
    public void StartLoad(int workers = 4)
    {
        Load.Start(workers);
        _router = Task.Run(() => Load.RouteUntil(_stopRouting.Token));
    }

    /// <summary>Waits until at least <paramref name="count"/> of the cases have run their scripts.</summary>
    public static async Task WhenDone(IReadOnlyCollection<ContactCase> cases, int count)
    {
        while (cases.Count(c => c.Done.Task.IsCompleted) < count)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Lets the queued scripts finish, then stops the router.</summary>
    public async Task FinishLoad()
    {
        await Load.Finish();
        await _stopRouting.CancelAsync();
        await _router;
        Cluster.Log($"load finished: {Load.Sent} requests sent, {Load.Acknowledged} acknowledged, {Load.Rejected} refused as expected, {Load.Failures.Count} failed transiently");
    }

    /// <summary>The earliest owner deadline the acknowledged answers gave.</summary>
    public static DateTimeOffset FirstDeadline(IEnumerable<ContactCase> expiring) =>
        expiring.Select(c => c.Deadline ?? throw new InvalidOperationException($"{c.Id} has no acknowledged deadline.")).Min();

    /// <summary>Waits, while the load goes on, until the wall clock reaches a moment the service's own deadlines are tied to.</summary>
    public static async Task Until(DateTimeOffset moment)
    {
        while (DateTimeOffset.UtcNow < moment)
        {
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Expiry buckets still in the store: contacts whose deadline no sweep has visited yet.</summary>
    public async Task<int> PendingExpiryBuckets()
    {
        var options = new ConfigurationOptions { EndPoints = { Cluster.Store.ConnectionString }, AbortOnConnectFail = false, ConnectTimeout = 2000 };
        await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        var count = 0;
        await foreach (var _ in redis.GetServer(Cluster.Store.ConnectionString).KeysAsync(pattern: "*/index/expiryBucket/*"))
        {
            count++;
        }

        return count;
    }

    /// <summary>
    /// Waits until every expiry bucket in the store has been swept and emptied. The load is over and no one reads the
    /// expiring contacts meanwhile, so only the silos' own timers and sweeps can release them.
    /// </summary>
    public async Task WaitForSweeps(TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        int pending;
        while ((pending = await PendingExpiryBuckets()) > 0)
        {
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"{pending} expiry buckets were still unswept {limit} after the load.");
            }

            await Task.Delay(1000, TestContext.Current.CancellationToken);
        }

        Cluster.Log($"every expiry bucket swept ({clock.Elapsed.TotalSeconds:0} s after the load)");
    }

    /// <summary>
    /// Every contact shows what its acknowledged answers promised: its wallets, and its owner (none at all for contacts
    /// of wallet E once their minute is over); no contact has two owners.
    /// </summary>
    public async Task VerifyContacts(IEnumerable<ContactCase> cases, bool expired)
    {
        foreach (var contact in cases)
        {
            var view = await Read($"/api/v1/contacts/{contact.Id}");
            var owners = view.Owners();
            if (owners.Length > 1)
            {
                Load.Violation($"contact {contact.Id} has {owners.Length} owners: {view.ToJsonString()}");
            }

            var wallets = view.Memberships().Select(m => m!["walletId"]!.GetValue<Guid>()).ToHashSet();
            if (!wallets.SetEquals(contact.Wallets))
            {
                Load.Violation($"contact {contact.Id} ({contact.Script}) is in wallets [{string.Join(", ", wallets)}], acknowledged [{string.Join(", ", contact.Wallets)}]");
            }

            var expected = expired ? null : contact.Owner;
            var actual = owners.Length == 1 ? view.Memberships().Where(m => m!["owner"] is not null).Select(m => (Wallet: m!["walletId"]!.GetValue<Guid>(), User: m["owner"]!.GetValue<Guid>())).Single() : ((Guid, Guid)?)null;
            if (!Equals(actual, expected))
            {
                Load.Violation($"contact {contact.Id} ({contact.Script}) is owned by {actual?.ToString() ?? "nobody"}, acknowledged {expected?.ToString() ?? "nobody"}");
            }
        }
    }

    /// <summary>The wallet's count and its member list (its sharded index) match the contacts that are in it.</summary>
    public async Task VerifyWallet(Guid wallet)
    {
        var expected = Cases.Where(c => c.Wallets.Contains(wallet)).Select(c => c.Id).ToHashSet();
        var count = (await Read($"/api/v1/wallets/{wallet}"))["contactsCount"]!.GetValue<long>();
        var listed = new HashSet<Guid>();
        for (var page = 1; ; page++)
        {
            var items = (await Read($"/api/v1/wallets/{wallet}/contacts?pageNumber={page}&pageSize=100"))["items"]!.AsArray();
            listed.UnionWith(items.Select(i => i!["id"]!.GetValue<Guid>()));
            if (items.Count < 100)
            {
                break;
            }
        }

        if (count != expected.Count || !listed.SetEquals(expected))
        {
            Load.Violation($"wallet {wallet}: contactsCount {count}, lists {listed.Count}, but {expected.Count} contacts are in it " +
                $"(listed, not in it: [{string.Join(", ", listed.Except(expected))}]; in it, not listed: [{string.Join(", ", expected.Except(listed))}])");
        }
    }

    /// <summary>
    /// The expiring contacts were released by the cluster on its own: each history ends with <c>expired</c> for the
    /// acknowledged owner, recorded before this check read anything (a read would itself expire an overdue owner, with
    /// the read's time). Answers how many were released by a sweep (after their deadline's bucket slot was over) rather
    /// than by their own timer, among all and among those the load had left alone since before the fault.
    /// </summary>
    public async Task<(int Timers, int Sweeps, int SweepsUntouched)> VerifyExpired(IEnumerable<ContactCase> expiring, DateTimeOffset fault)
    {
        var readStart = DateTimeOffset.UtcNow;
        var (timers, sweeps, untouched) = (0, 0, 0);
        foreach (var contact in expiring)
        {
            var history = await History(contact);
            var last = history[0]!;
            var at = last["at"]!.GetValue<DateTimeOffset>();
            if (last["kind"]!.GetValue<string>() != "expired" || contact.Owner is not { } owner
                || last.GuidOf("userId") != owner.User || last.GuidOf("walletId") != owner.Wallet || at >= readStart)
            {
                Load.Violation($"contact {contact.Id} ({contact.Script}) was not released by the cluster before it was read at {readStart:O} (acknowledged owner {contact.Owner}); history: {history.ToJsonString()}");
                continue;
            }

            var bound = history.First(h => h!["kind"]!.GetValue<string>() is "bound" or "transferred")!;
            var deadline = bound["at"]!.GetValue<DateTimeOffset>().AddMinutes(1);
            var slot = IExpiryBucketGrain.SlotSeconds;
            var deadlineSlotOver = DateTimeOffset.FromUnixTimeSeconds(((deadline.ToUnixTimeSeconds() / slot) + 1) * slot);
            if (at >= deadlineSlotOver)
            {
                sweeps++;
                untouched += contact.LastSentAt < fault ? 1 : 0;
            }
            else
            {
                timers++;
            }
        }

        return (timers, sweeps, untouched);
    }

    /// <summary>
    /// Blocks a user: the wallet releases what its member index says the user owns. Afterwards no contact may still be
    /// owned by that user, which holds only if the index knew every owner the contacts hold.
    /// </summary>
    public async Task VerifyOwnerIndex(Guid user)
    {
        var blocked = await Load.Call("block", null, () => Account.Patch($"/api/v1/users/{user}", new { status = "Blocked" }));
        Expect.Status(HttpStatusCode.OK, blocked!);
        foreach (var contact in Cases.Where(c => c.Owner?.User == user))
        {
            var view = await Read($"/api/v1/contacts/{contact.Id}");
            if (view.Owners().Contains(user))
            {
                Load.Violation($"contact {contact.Id} is still owned by blocked user {user}: the wallet's member index did not know the owner");
            }
        }
    }

    public void Figure(string name, object value)
    {
        _figures.Add($"{name}: {value}");
        Cluster.Log($"FIGURE {name}: {value}");
    }

    /// <summary>Prints the figures and fails with every violation found.</summary>
    public void AssertNoViolations()
    {
        Figure("violations found", Load.Violations.Count);
        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine("==== figures ====");
        foreach (var figure in _figures)
        {
            output?.WriteLine(figure);
        }

        if (Load.Violations.Count > 0)
        {
            Assert.Fail($"{Load.Violations.Count} violations:\n{string.Join('\n', Load.Violations.Take(40))}\n\n{Cluster.Diagnostics()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopRouting.CancelAsync();
        _stopRouting.Dispose();
        await Cluster.DisposeAsync();
    }

    public async Task<JsonArray> History(ContactCase contact) => (await Read($"/api/v1/contacts/{contact.Id}/history")).AsArray();

    /// <summary>A read, retried while the cluster answers 503; anything but 200 in the end fails the test.</summary>
    public async Task<JsonNode> Read(string path)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var (reply, failure) = await Load.Attempt(() => Account.Get(path));
            if (failure is null)
            {
                return Expect.Status(HttpStatusCode.OK, reply!).Json!;
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"GET {path} kept failing: {failure}");
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }
}
