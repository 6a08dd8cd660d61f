using Orleans.Runtime;

namespace WalletGrains.Bench.InSilo;

/// <summary>Heap and RSS after a forced full GC, with the silo's activations by grain type.</summary>
internal sealed record MemorySnapshot(long HeapBytes, long ResidentBytes, IReadOnlyDictionary<string, int> Activations);

/// <summary>What the memory row measured, printed as its RESULT line.</summary>
internal sealed record MemoryResult(int Contacts, double SeedSeconds, MemorySnapshot Before, MemorySnapshot AfterSeed, MemorySnapshot ContactsOnly)
{
    /// <summary>Heap growth per contact right after seeding: the contact and everything its creation left resident.</summary>
    public double HeapPerContactAfterSeed => (AfterSeed.HeapBytes - Before.HeapBytes) / (double)Contacts;

    /// <summary>
    /// Heap growth per resident contact between two steady states (only contacts resident), before and after seeding:
    /// divided by the contact activations the second state holds more than the first, which with a million contacts can
    /// be fewer than the contacts seeded (the silo collected some while they were read again).
    /// </summary>
    public double HeapPerContact => (ContactsOnly.HeapBytes - Before.HeapBytes) / (double)ResidentContacts;

    /// <summary>Seeded contacts resident in the last steady state.</summary>
    public int ResidentContacts => Math.Max(1, ContactActivations(ContactsOnly) - ContactActivations(Before));

    private static int ContactActivations(MemorySnapshot snapshot) => snapshot.Activations.GetValueOrDefault("ContactGrain");

    public double ResidentPerContactAfterSeed => (AfterSeed.ResidentBytes - Before.ResidentBytes) / (double)Contacts;
}

/// <summary>
/// Bytes per resident contact with one membership: a silo in this process (the store out of process, so its memory is not
/// counted) creates contacts and includes each in a Single wallet with an owner, through grain calls.
/// </summary>
internal static class MemoryRow
{
    private const int InFlight = 256;
    private const int WarmupContacts = 2_000;
    private static readonly TimeSpan IdleGap = TimeSpan.FromSeconds(5);

    public static async Task<MemoryResult> Run(string store, int contacts)
    {
        using var host = await BenchSilo.OnStore(store);
        var grains = host.Grains();
        var management = grains.GetGrain<IManagementGrain>(0);
        var tenant = await GrainTenant.Create(grains, agents: 64);
        var wallet = await tenant.SingleWallet("Sales", automatic: false, "P6M");

        // Warm-up contacts make every code path and grain type used before the baseline, which, like the last snapshot,
        // holds only contact activations: the grains seeding used (phone claims, index shards, expiry buckets) are collected.
        var warm = await Seed(tenant, wallet.Id, 0, WarmupContacts);
        var before = await ContactsOnly(tenant, management, warm);

        var clock = Stopwatch.StartNew();
        var ids = await Seed(tenant, wallet.Id, WarmupContacts, contacts);
        var seedSeconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"seeded {contacts:N0} contacts in {seedSeconds:0.0} s");
        var afterSeed = await Snapshot(management);
        var contactsOnly = await ContactsOnly(tenant, management, [.. warm, .. ids]);

        await host.StopAsync();
        return new MemoryResult(contacts, seedSeconds, before, afterSeed, contactsOnly);
    }

    /// <summary>
    /// Steady state: every contact is read again, then activations idle since before that (everything seeding used but
    /// the contacts) are collected, as idle collection would, and the heap is measured.
    /// </summary>
    private static async Task<MemorySnapshot> ContactsOnly(GrainTenant tenant, IManagementGrain management, IReadOnlyList<Guid> contacts)
    {
        await Task.Delay(IdleGap);
        var touched = Stopwatch.StartNew();
        await Parallel.ForEachAsync(contacts, new ParallelOptions { MaxDegreeOfParallelism = InFlight },
            async (id, _) => GrainTenant.Value(await tenant.Contact(id).Get(tenant.Admin)));
        await management.ForceActivationCollection(touched.Elapsed + (IdleGap / 2));
        await WaitUntilSteady(management);
        return await Snapshot(management);
    }

    private static async Task<Guid[]> Seed(GrainTenant tenant, Guid walletId, int first, int count)
    {
        var ids = new Guid[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (i, _) =>
        {
            ids[i] = await tenant.CreateContact(first + i);
            await tenant.IncludeOwned(ids[i], walletId, first + i);
        });
        return ids;
    }

    private static async Task<MemorySnapshot> Snapshot(IManagementGrain management)
    {
        var activations = (await management.GetSimpleGrainStatistics())
            .GroupBy(s => s.GrainType.Split(',')[0].Split('.')[^1])
            .ToDictionary(g => g.Key, g => g.Sum(s => s.ActivationCount));
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return new MemorySnapshot(GC.GetTotalMemory(forceFullCollection: true), Environment.WorkingSet, activations);
    }

    /// <summary>Waits until the activation count stops falling after a forced collection.</summary>
    private static async Task WaitUntilSteady(IManagementGrain management)
    {
        var last = -1;
        for (var i = 0; i < 120; i++)
        {
            await Task.Delay(500);
            var count = await management.GetTotalActivationCount();
            if (count == last)
            {
                return;
            }

            last = count;
        }
    }
}
