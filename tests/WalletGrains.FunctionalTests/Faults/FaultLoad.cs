using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using WalletGrains.FunctionalTests.Contacts;

namespace WalletGrains.FunctionalTests.Faults;

/// <summary>
/// The people and wallets of a fault test. Wallet A (Single, automatic, no time limit) is served by A1 and A2; wallet E
/// (Single, automatic, PT1M) by E1 and E2. Each user is responsible for one wallet only, so an assume lands in a known wallet.
/// </summary>
internal sealed record Crew(Account Account, Guid A1, Guid A2, Guid E1, Guid E2, Guid WalletA, Guid WalletE)
{
    public static async Task<Crew> Create(Api api)
    {
        var account = await api.CreateAccount();
        var (a1, _) = await account.CreateUser("Ana");
        var (a2, _) = await account.CreateUser("Bia");
        var (e1, _) = await account.CreateUser("Caio");
        var (e2, _) = await account.CreateUser("Duda");
        var teamA = await account.CreateTeam(a1, a2);
        var teamE = await account.CreateTeam(e1, e2);
        var walletA = await account.CreateWalletId(teamA, [a1, a2], automatic: true, name: "Faults A");
        var walletE = await account.CreateWalletId(teamE, [e1, e2], automatic: true, timeLimit: "PT1M", name: "Faults E");
        return new Crew(account, a1, a2, e1, e2, walletA, walletE);
    }
}

/// <summary>What the load does to one contact, in order. The last three bind in wallet E, whose owners expire after a minute.</summary>
internal enum Script
{
    /// <summary>Include in A owned by A1, then transfer to A2.</summary>
    OwnedThenTransferred,

    /// <summary>Include in A without owner, route (auto-assigned), route again (sticky).</summary>
    IncludedThenRouted,

    /// <summary>A2 assumes the conversation (joins A, owned by A2), then route (sticky).</summary>
    AssumedThenRouted,

    /// <summary>Include in A owned by A1, then include in E owned by E1, which must answer 409 contact.already_owned.</summary>
    OwnedThenConflict,

    /// <summary>E1 assumes the conversation: joins E, owned by E1 until a minute later.</summary>
    AssumedExpiring,

    /// <summary>Include in E without owner, then route (auto-assigned for a minute).</summary>
    RoutedExpiring,

    /// <summary>Include in E owned by E1, then transfer to E2 (a new minute).</summary>
    TransferredExpiring,
}

/// <summary>One contact of the load and the state its acknowledged answers promise.</summary>
internal sealed class ContactCase(Guid id, Script script)
{
    public Guid Id { get; } = id;

    public Script Script { get; } = script;

    public bool Expiring => Script >= Script.AssumedExpiring;

    /// <summary>Wallets an acknowledged answer put the contact in.</summary>
    public HashSet<Guid> Wallets { get; } = [];

    /// <summary>The owner the last acknowledged answer showed, and in which wallet.</summary>
    public (Guid Wallet, Guid User)? Owner { get; set; }

    /// <summary>The owner's deadline as the acknowledged answer gave it (for a route, which does not show it: a minute after the answer).</summary>
    public DateTimeOffset? Deadline { get; set; }

    /// <summary>When the load last sent anything about this contact.</summary>
    public DateTimeOffset LastSentAt { get; set; }

    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>One failed attempt: when, which operation, and how it failed.</summary>
internal sealed record Failure(DateTimeOffset At, string Operation, string How);

/// <summary>
/// A bounded load through the gateway: a few workers run each contact's script, retrying what fails transiently
/// (503, 429, a dropped connection) as a client should, so the expected final state follows from the acknowledged
/// answers; a router keeps routing finished contacts. Every attempt, answer and failure is counted.
/// </summary>
internal sealed class FaultLoad(Crew crew, TimeSpan pace)
{
    public const string RouteOperation = "route";

    /// <summary>The stable code of a 503 problem: the cluster or its store did not answer; safe to retry.</summary>
    public const string UnavailableCode = "service.unavailable";

    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan OperationDeadline = TimeSpan.FromSeconds(90);

    private readonly Channel<ContactCase> _queue = Channel.CreateUnbounded<ContactCase>();
    private readonly ConcurrentQueue<Failure> _failures = new();
    private readonly ConcurrentQueue<string> _violations = new();
    private readonly ConcurrentQueue<(DateTimeOffset At, bool Succeeded)> _routes = new();
    private readonly ConcurrentQueue<ContactCase> _finished = new();
    private readonly List<Task> _workers = [];
    private long _sent;
    private long _acknowledged;
    private long _rejected;

    private Account Account => crew.Account;

    public long Sent => Interlocked.Read(ref _sent);

    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    /// <summary>Definitive 4xx answers (the expected conflicts).</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    public IReadOnlyCollection<Failure> Failures => _failures;

    public IReadOnlyCollection<string> Violations => _violations;

    public void Violation(string what) => _violations.Enqueue(what);

    public static async Task<List<ContactCase>> CreateCases(Crew crew, IEnumerable<Script> scripts)
    {
        var list = scripts.ToList();
        var cases = new ContactCase[list.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, list.Count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            cases[i] = new ContactCase(await crew.Account.CreateContact(name: $"Fault {i}"), list[i]));
        return [.. cases];
    }

    public void Start(int workers)
    {
        for (var i = 0; i < workers; i++)
        {
            _workers.Add(Task.Run(Work));
        }
    }

    public void Enqueue(IEnumerable<ContactCase> cases)
    {
        foreach (var contact in cases)
        {
            _queue.Writer.TryWrite(contact);
        }
    }

    /// <summary>No more work: returns once the workers have finished what was queued.</summary>
    public async Task Finish()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_workers);
    }

    /// <summary>Routes finished contacts of wallet A (sticky, no write) one after another until stopped.</summary>
    public async Task RouteUntil(CancellationToken stop)
    {
        var pool = new List<ContactCase>();
        var next = 0;
        while (!stop.IsCancellationRequested)
        {
            while (_finished.TryDequeue(out var done))
            {
                if (!done.Expiring)
                {
                    pool.Add(done);
                }
            }

            if (pool.Count > 0)
            {
                var contact = pool[next++ % pool.Count];
                var routed = await Call(RouteOperation, contact, () => Account.Route(contact.Id), stop);
                if (routed is not null && contact.Owner is { } owner && (routed["reason"] != "sticky-owner" || routed.Json.GuidOf("userId") != owner.User))
                {
                    Violation($"route of {contact.Id} answered {routed}, but its acknowledged owner is {owner.User}");
                }
            }

            try
            {
                await Task.Delay(pace, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Waits until a route sent after <paramref name="since"/> failed and then routes succeeded <paramref name="streak"/> times in a row (or none failed at all).</summary>
    public async Task WaitForRoutesToRecover(DateTimeOffset since, int streak, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            var after = _routes.Where(r => r.At >= since).ToList();
            var lastFailure = after.FindLastIndex(r => !r.Succeeded);
            if (after.Count - lastFailure - 1 >= streak)
            {
                return;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException($"Routes did not succeed {streak} times in a row within {limit} of the fault.");
    }

    /// <summary>From the fault to the first successful route after the last failed one (zero when no route failed).</summary>
    public TimeSpan RouteRecovery(DateTimeOffset fault)
    {
        var after = _routes.Where(r => r.At >= fault).OrderBy(r => r.At).ToList();
        var lastFailure = after.FindLastIndex(r => !r.Succeeded);
        if (lastFailure < 0)
        {
            return TimeSpan.Zero;
        }

        var recovered = after.Skip(lastFailure + 1).FirstOrDefault(r => r.Succeeded);
        return recovered == default ? TimeSpan.MaxValue : recovered.At - fault;
    }

    /// <summary>
    /// Sends one request, retrying transient failures (503 problem, 429, connection trouble) until it gets a definitive
    /// answer; a 5xx that is not a 503 problem is a violation, and is retried too. Null when <paramref name="stop"/> fired.
    /// </summary>
    public async Task<Reply?> Call(string operation, ContactCase? contact, Func<Task<Reply>> send, CancellationToken stop = default)
    {
        var clock = Stopwatch.StartNew();
        while (!stop.IsCancellationRequested)
        {
            contact?.LastSentAt = DateTimeOffset.UtcNow;
            Interlocked.Increment(ref _sent);
            var (reply, failure) = await Attempt(send);
            if (reply is not null && failure is null)
            {
                if (reply.Status is >= HttpStatusCode.OK and < HttpStatusCode.MultipleChoices)
                {
                    Interlocked.Increment(ref _acknowledged);
                }
                else
                {
                    Interlocked.Increment(ref _rejected);
                }

                if (operation == RouteOperation)
                {
                    _routes.Enqueue((DateTimeOffset.UtcNow, true));
                }

                return reply;
            }

            _failures.Enqueue(new Failure(DateTimeOffset.UtcNow, operation, failure!));
            if (operation == RouteOperation)
            {
                _routes.Enqueue((DateTimeOffset.UtcNow, false));
            }

            if (clock.Elapsed > OperationDeadline)
            {
                throw new TimeoutException($"{operation} of {contact?.Id} kept failing for {OperationDeadline}; last: {failure}");
            }

            try
            {
                await Task.Delay(RetryDelay, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return null;
    }

    /// <summary>One attempt: the answer, or how it failed transiently (503 problem, 429, transport), or a violation for any other 5xx.</summary>
    public async Task<(Reply? Reply, string? Failure)> Attempt(Func<Task<Reply>> send)
    {
        Reply reply;
        try
        {
            reply = await send();
        }
        catch (HttpRequestException e)
        {
            return (null, $"transport: {e.HttpRequestError}");
        }
        catch (TaskCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            return (null, "client timeout");
        }

        if (reply.Status == HttpStatusCode.ServiceUnavailable)
        {
            if (!reply.IsProblem || reply.Code != UnavailableCode)
            {
                Violation($"a 503 that is not a service.unavailable problem: {reply} ({reply.MediaType})");
            }

            return (reply, "503 " + reply.Code);
        }

        if (reply.Status == HttpStatusCode.TooManyRequests)
        {
            return (reply, "429");
        }

        if ((int)reply.Status >= 500)
        {
            Violation($"{(int)reply.Status} instead of a 503 problem: {reply.Text}");
            return (reply, $"{(int)reply.Status}");
        }

        return (reply, null);
    }

    /// <summary>When failures started and stopped after a moment, for the figures.</summary>
    public string FailureWindow(DateTimeOffset from, DateTimeOffset? until = null)
    {
        var window = _failures.Where(f => f.At >= from && f.At < (until ?? DateTimeOffset.MaxValue)).ToList();
        return window.Count == 0
            ? "no failures"
            : $"{window.Count} failures from +{(window.Min(f => f.At) - from).TotalSeconds:0.0} s to +{(window.Max(f => f.At) - from).TotalSeconds:0.0} s";
    }

    /// <summary>Counts failures by how they failed, for the figures.</summary>
    public string FailureSummary() =>
        _failures.IsEmpty ? "none" : string.Join(", ", _failures.GroupBy(f => f.How).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} ×{g.Count()}"));

    private async Task Work()
    {
        await foreach (var contact in _queue.Reader.ReadAllAsync())
        {
            try
            {
                await Run(contact);
                _finished.Enqueue(contact);
                contact.Done.TrySetResult();
            }
            catch (Exception e)
            {
                contact.Done.TrySetException(e);
                Violation($"the script of {contact.Id} ({contact.Script}) failed: {e.Message}");
            }
        }
    }

    private async Task Run(ContactCase contact)
    {
        var (a, e) = (crew.WalletA, crew.WalletE);
        switch (contact.Script)
        {
            case Script.OwnedThenTransferred:
                await Include(contact, a, crew.A1);
                await Transfer(contact, a, crew.A2);
                break;
            case Script.IncludedThenRouted:
                await Include(contact, a, owner: null);
                await Route(contact, a, [crew.A1, crew.A2]);
                await Route(contact, a, [crew.A1, crew.A2]);
                break;
            case Script.AssumedThenRouted:
                await Assume(contact, a, crew.A2);
                await Route(contact, a, [crew.A2]);
                break;
            case Script.OwnedThenConflict:
                await Include(contact, a, crew.A1);
                var refused = await Call("include", contact, () => Account.Include(e, new { contactId = contact.Id, ownerUserId = crew.E1 }));
                if (refused!.Status != HttpStatusCode.Conflict || refused.Code != "contact.already_owned")
                {
                    Violation($"a second owner for {contact.Id} was not refused: {refused}");
                }

                break;
            case Script.AssumedExpiring:
                await Assume(contact, e, crew.E1);
                break;
            case Script.RoutedExpiring:
                await Include(contact, e, owner: null);
                await Route(contact, e, [crew.E1, crew.E2]);
                break;
            case Script.TransferredExpiring:
                await Include(contact, e, crew.E1);
                await Transfer(contact, e, crew.E2);
                break;
        }
    }

    private async Task Include(ContactCase contact, Guid wallet, Guid? owner)
    {
        var view = await AcknowledgedCall("include", contact, () => Account.Include(wallet, new { contactId = contact.Id, ownerUserId = owner }));
        contact.Wallets.Add(wallet);
        if (owner is { } user)
        {
            contact.Owner = (wallet, user);
        }

        CheckView(contact, view);
    }

    private async Task Transfer(ContactCase contact, Guid wallet, Guid to)
    {
        var view = await AcknowledgedCall("transfer", contact, () => Account.Post($"/api/v1/contacts/{contact.Id}/transfer", new { walletId = wallet, toUserId = to }));
        contact.Wallets.Add(wallet);
        contact.Owner = (wallet, to);
        CheckView(contact, view);
    }

    private async Task Assume(ContactCase contact, Guid wallet, Guid user)
    {
        var view = await AcknowledgedCall("assume", contact, () => Account.Assumed(contact.Id, user));
        contact.Wallets.Add(wallet);
        contact.Owner = (wallet, user);
        CheckView(contact, view);
    }

    private async Task Route(ContactCase contact, Guid wallet, Guid[] candidates)
    {
        var routed = await AcknowledgedCall(RouteOperation, contact, () => Account.Route(contact.Id));
        var user = routed.Json.GuidOf("userId");
        var reason = routed["reason"];
        if (reason is not ("auto-assigned" or "sticky-owner") || routed.Json.GuidOf("walletId") != wallet || user is null || !candidates.Contains(user.Value)
            || (contact.Owner is { } owner && (reason != "sticky-owner" || owner.User != user)))
        {
            Violation($"route of {contact.Id} answered {routed}; expected an owner in {wallet} (acknowledged owner: {contact.Owner?.User})");
            return;
        }

        contact.Owner = (wallet, user.Value);
        if (wallet == crew.WalletE)
        {
            contact.Deadline ??= DateTimeOffset.UtcNow.AddMinutes(1);
        }
    }

    private async Task<Reply> AcknowledgedCall(string operation, ContactCase contact, Func<Task<Reply>> send)
    {
        var reply = await Call(operation, contact, send) ?? throw new OperationCanceledException();
        if (reply.Status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{operation} answered {reply}");
        }

        await Task.Delay(pace);
        return reply;
    }

    /// <summary>An acknowledged answer must show what it acknowledges: the memberships and the one owner.</summary>
    private void CheckView(ContactCase contact, Reply view)
    {
        var owners = view.Json.Owners();
        var wallets = view.Json.Memberships().Select(m => m!["walletId"]!.GetValue<Guid>()).ToHashSet();
        var shows = contact.Wallets.IsSubsetOf(wallets) && owners.Length <= 1
            && (contact.Owner is { } owner ? view.Json.OwnerIn(owner.Wallet) == owner.User : owners.Length == 0);
        if (!shows)
        {
            Violation($"the answer for {contact.Id} does not show what it acknowledges (owner {contact.Owner}): {view}");
        }

        if (contact.Owner is { } bound && view.Json.MembershipOf(bound.Wallet)?["deadline"] is { } deadline)
        {
            contact.Deadline = deadline.GetValue<DateTimeOffset>();
        }
    }
}
