using StackExchange.Redis;

namespace WalletGrains.Bench.InSilo;

/// <summary>What <c>silo-rows</c> measured against one store, printed as its RESULT line.</summary>
internal sealed record StoreRowsResult(Rate RawSets, Rate GrainWrites64, Rate GrainWrites256, Rate Routes, Rate Pings, int Contacts, string RouteReason)
{
    /// <summary>The store's persisted grain-write rate: the better of the two concurrencies, so ratios against it are not flattered.</summary>
    public Rate GrainWrites => GrainWrites256.PerSecond >= GrainWrites64.PerSecond ? GrainWrites256 : GrainWrites64;
}

/// <summary>
/// The rows measured in the benchmark's own silo against the server's store: the store's raw SET rate, its persisted
/// grain-write rate through the product's grain-storage configuration, and route decisions and pings without HTTP.
/// </summary>
internal static class StoreRows
{
    private const int ProbeGrains = 10_000;
    private const int SetsInFlight = 64;
    private const int CallsInFlight = 256;

    public static async Task<StoreRowsResult> Run(string store, int contacts, TimeSpan warmup, TimeSpan duration)
    {
        var rawSets = await RawSets(store, warmup, duration);
        Console.WriteLine($"raw SET: {rawSets.PerSecond:N0}/s");

        using var host = await BenchSilo.OnServerStore(store);
        var grains = host.Grains();
        await Parallel.ForEachAsync(Enumerable.Range(0, ProbeGrains), new ParallelOptions { MaxDegreeOfParallelism = CallsInFlight },
            async (i, _) => await grains.GetGrain<IProbeGrain>(i).Touch());

        // Each worker writes its own grains in turn, so no two writes wait for the same grain.
        Task<Rate> Writes(int inFlight) => LoadLoop.Run(inFlight, warmup, duration, (worker, n) =>
            new ValueTask(grains.GetGrain<IProbeGrain>(((n * inFlight) + worker) % ProbeGrains).Write()));
        var writes64 = await Writes(64);
        var writes256 = await Writes(CallsInFlight);
        Console.WriteLine($"grain writes: {writes64.PerSecond:N0}/s at 64, {writes256.PerSecond:N0}/s at {CallsInFlight}");

        var tenant = await GrainTenant.Create(grains, agents: 64);
        var wallet = await tenant.SingleWallet("Sales (automatic)", automatic: true, "P6M");
        var ids = new Guid[contacts];
        await Parallel.ForEachAsync(Enumerable.Range(0, contacts), new ParallelOptions { MaxDegreeOfParallelism = CallsInFlight }, async (i, _) =>
        {
            ids[i] = await tenant.CreateContact(i);
            await tenant.IncludeOwned(ids[i], wallet.Id, i);
        });

        var reason = GrainTenant.Value(await tenant.Contact(ids[0]).Route(tenant.Admin)).Reason;
        var routes = await LoadLoop.Run(CallsInFlight, warmup, duration, async (_, _) =>
        {
            var decision = await tenant.Contact(ids[Random.Shared.Next(ids.Length)]).Route(tenant.Admin);
            if (decision.Value?.Reason != RouteDecision.StickyOwner)
            {
                throw new InvalidOperationException($"A route answered {decision.Value?.Reason ?? decision.Error?.Code}, not {RouteDecision.StickyOwner}.");
            }
        });
        var health = grains.GetGrain<IHealthGrain>(0);
        var pings = await LoadLoop.Run(CallsInFlight, warmup, duration, async (_, _) => await health.Ping());
        Console.WriteLine($"in-silo: {routes.PerSecond:N0} routes/s, {pings.PerSecond:N0} pings/s");

        await host.StopAsync();
        return new StoreRowsResult(rawSets, writes64, writes256, routes, pings, contacts, reason);
    }

    /// <summary>SET of a probe-sized value, <see cref="SetsInFlight"/> in flight over one multiplexed connection.</summary>
    private static async Task<Rate> RawSets(string store, TimeSpan warmup, TimeSpan duration)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(store);
        var database = redis.GetDatabase();
        var value = new byte[ProbeState.PayloadBytes];
        return await LoadLoop.Run(SetsInFlight, warmup, duration, async (worker, n) =>
            await database.StringSetAsync($"bench:set:{worker}:{n % 1000}", value));
    }
}
