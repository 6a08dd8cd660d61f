using Orleans.Runtime;

namespace WalletGrains.Bench.InSilo;

/// <summary>Lateness of expiries in seconds: percentiles over the contacts that expired, and how many did not in time.</summary>
internal sealed record Lateness(int Contacts, int Expired, double P50, double P99, double Max)
{
    public static Lateness Of(int contacts, IReadOnlyList<double> seconds)
    {
        var sorted = seconds.Order().ToArray();
        double At(double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
        return new Lateness(contacts, sorted.Length, At(0.50), At(0.99), sorted.Length == 0 ? double.NaN : sorted[^1]);
    }
}

/// <summary>What the expiry row measured, printed as its RESULT line.</summary>
internal sealed record ExpiryResult(
    int Contacts, string TimeLimit, DateTimeOffset DeadlineMinute, double DeadlineSpreadSeconds, TimeSpan SweepPeriod,
    double BindSeconds, double DeactivateSeconds, int ActiveAtDeadline, Lateness Active, Lateness Deactivated);

/// <summary>
/// Expiry lag: contacts bound so that every deadline falls in the same minute, half of them deactivated (as idle
/// collection would) before it; lateness is the time of each contact's <c>expired</c> history entry minus its deadline.
/// The silo runs in this process on its own embedded Garnet store, as the embedded default does.
/// </summary>
/// <remarks>
/// Binding many contacts takes longer than a minute, and a time limit runs from each bind: contacts are bound in batches,
/// each into a Single wallet of its own whose time limit, computed just before the batch, ends at the same deadline
/// minute. That minute is chosen from the bind rate of a warm-up batch, so that binding and deactivating end before it.
/// </remarks>
internal static class ExpiryRow
{
    private const int InFlight = 256;
    private const int Batches = 20;
    private static readonly TimeSpan DeadlineOffset = TimeSpan.FromSeconds(1);

    public static async Task<ExpiryResult> Run(string dataDirectory, int contacts, TimeSpan sweepPeriod)
    {
        using var host = await BenchSilo.OnEmbeddedStore(dataDirectory, sweepPeriod);
        var grains = host.Grains();
        var tenant = await GrainTenant.Create(grains, agents: 8);
        var warmup = Math.Max(100, contacts / 50);
        var ids = new Guid[contacts + warmup];
        await Parallel.ForEachAsync(Enumerable.Range(0, ids.Length), new ParallelOptions { MaxDegreeOfParallelism = InFlight },
            async (i, _) => ids[i] = await tenant.CreateContact(i));

        // The warm-up batch (a day-long limit, not measured) gives the bind rate the deadline minute is planned with.
        var warmWallet = await tenant.SingleWallet("Warm-up", automatic: false, "P1D");
        var clock = Stopwatch.StartNew();
        await Bind(tenant, warmWallet.Id, ids.AsMemory(contacts, warmup), contacts);
        var planned = TimeSpan.FromSeconds(3 * contacts * clock.Elapsed.TotalSeconds / warmup);
        var earliest = DateTimeOffset.UtcNow.Add(planned).AddMinutes(1).AddSeconds(2).Ticks;
        var minute = new DateTimeOffset(earliest - (earliest % TimeSpan.TicksPerMinute), TimeSpan.Zero).AddMinutes(1);

        var deadlines = new DateTimeOffset[contacts];
        var timeLimits = new List<string>();
        var bind = Stopwatch.StartNew();
        foreach (var batch in Enumerable.Range(0, contacts).Chunk((contacts + Batches - 1) / Batches))
        {
            var limit = minute + DeadlineOffset - DateTimeOffset.UtcNow;
            if (limit < TimeLimit.Minimum)
            {
                throw new InvalidOperationException($"Binding is slower than planned ({planned}): the deadline minute {minute:HH:mm} is too close. Run fewer contacts.");
            }

            timeLimits.Add(string.Create(CultureInfo.InvariantCulture, $"PT{limit.TotalSeconds:0.###}S"));
            var wallet = await tenant.SingleWallet($"Expiring {timeLimits.Count}", automatic: false, timeLimits[^1]);
            var memberships = await Bind(tenant, wallet.Id, ids.AsMemory(batch[0], batch.Length), batch[0]);
            for (var k = 0; k < batch.Length; k++)
            {
                deadlines[batch[0] + k] = memberships[k].Deadline!.Value;
            }
        }

        var bindSeconds = bind.Elapsed.TotalSeconds;

        // Odd contacts are deactivated, as idle collection would; even ones stay active with their deadline timer armed.
        var management = grains.GetGrain<IManagementGrain>(0);
        var deactivate = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, contacts).Where(i => i % 2 == 1), new ParallelOptions { MaxDegreeOfParallelism = 64 },
            async (i, cancel) => await management.DeactivateGrain(tenant.Contact(ids[i]).GetGrainId(), cancel));
        var deactivateSeconds = deactivate.Elapsed.TotalSeconds;
        var contactType = tenant.Contact(ids[0]).GetGrainId().Type;
        var active = (await management.GetActiveGrains(contactType)).ToHashSet();
        var activeAtDeadline = ids.Take(contacts).Count(id => active.Contains(tenant.Contact(id).GetGrainId()));
        if (DateTimeOffset.UtcNow >= deadlines.Min())
        {
            throw new InvalidOperationException($"Binding and deactivating ended after the first deadline ({deadlines.Min():HH:mm:ss}). Run fewer contacts.");
        }

        Console.WriteLine($"bound {contacts:N0} in {bindSeconds:0.0} s; {activeAtDeadline:N0} still active; deadlines from {deadlines.Min():HH:mm:ss.fff} to {deadlines.Max():HH:mm:ss.fff}");
        await WaitForExpiries(tenant, contacts, minute.AddMinutes(1) + (2 * sweepPeriod) + TimeSpan.FromMinutes(3));

        var lateActive = new List<double>();
        var lateDeactivated = new List<double>();
        await Parallel.ForEachAsync(Enumerable.Range(0, contacts), new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (i, _) =>
        {
            var history = GrainTenant.Value(await GrainTenant.Retried(() => tenant.Contact(ids[i]).History(tenant.Admin)));
            if (history.FirstOrDefault(h => h.Kind == HistoryKind.Expired) is { } expired)
            {
                var list = i % 2 == 0 ? lateActive : lateDeactivated;
                lock (list)
                {
                    list.Add((expired.At - deadlines[i]).TotalSeconds);
                }
            }
        });

        await host.StopAsync();
        return new ExpiryResult(
            contacts, $"{timeLimits[0]} … {timeLimits[^1]} ({timeLimits.Count} wallets)", minute, (deadlines.Max() - deadlines.Min()).TotalSeconds, sweepPeriod,
            bindSeconds, deactivateSeconds, activeAtDeadline, Lateness.Of((contacts + 1) / 2, lateActive), Lateness.Of(contacts / 2, lateDeactivated));
    }

    private static async Task<MembershipView[]> Bind(GrainTenant tenant, Guid walletId, ReadOnlyMemory<Guid> ids, int firstIndex)
    {
        var memberships = new MembershipView[ids.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, ids.Length), new ParallelOptions { MaxDegreeOfParallelism = InFlight },
            async (k, _) => memberships[k] = await tenant.IncludeOwned(ids.Span[k], walletId, firstIndex + k));
        return memberships;
    }

    /// <summary>
    /// Waits until the agents own none of the measured contacts any more (their load counters, <c>Presence().OwnedContacts</c>),
    /// never reading a contact (a read would wake it and expire it on the spot), or until <paramref name="giveUpAt"/>.
    /// </summary>
    private static async Task WaitForExpiries(GrainTenant tenant, int contacts, DateTimeOffset giveUpAt)
    {
        // The warm-up contacts keep their day-long owners; only the measured ones should be released.
        var owners = tenant.Agents.Select(agent => tenant.Grains.GetGrain<IUserGrain>(agent)).ToList();
        async Task<long> Owned() => (await GrainTenant.Retried(() => Task.WhenAll(owners.Select(o => o.Presence().AsTask())))).Sum(p => p.OwnedContacts);
        var target = await Owned() - contacts;
        while (DateTimeOffset.UtcNow < giveUpAt)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var left = await Owned() - target;
            if (left <= 0)
            {
                return;
            }

            Console.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss} {left:N0} contacts still owned");
        }
    }
}
