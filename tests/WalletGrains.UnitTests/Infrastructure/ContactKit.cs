using Orleans.Runtime;
using WalletGrains.Abstractions.Contacts;

namespace WalletGrains.UnitTests.Infrastructure;

/// <summary>Helpers for contact tests: creating contacts and wallets, reading memberships, owners and the wallet index.</summary>
public static class ContactKit
{
    /// <summary>A fresh E.164 number (Brazilian mobile shape); collisions are practically impossible.</summary>
    public static string Phone() => $"+55119{Random.Shared.NextInt64(10_000_000, 99_999_999)}";

    public static IContactGrain ContactGrain(this Tenant tenant, Guid id) => tenant.Grains.GetGrain<IContactGrain>(id);

    /// <summary>The stateless batch grain, the way the gateway reaches it.</summary>
    public static IContactBatchGrain Batch(this Tenant tenant) => tenant.Grains.GetGrain<IContactBatchGrain>(0);

    public static Task<Result<ContactView>> CreateContact(this Tenant tenant, CreateContact command, Caller? caller = null) =>
        tenant.ContactGrain(Guid.NewGuid()).Create(caller ?? tenant.Admin, command);

    /// <summary>Creates a contact with a fresh phone number.</summary>
    public static async Task<ContactView> Contact(this Tenant tenant, string? name = "Cliente", ContactAttributes? attributes = null, string? phone = null) =>
        Tenant.Value(await tenant.CreateContact(new CreateContact(phone ?? Phone(), name, attributes)));

    /// <summary>Includes the contact in the wallet from the contact side, as an admin.</summary>
    public static async Task<ContactView> Include(this Tenant tenant, ContactView contact, WalletView wallet, Guid? owner = null, MembershipSource source = MembershipSource.Manual) =>
        Tenant.Value(await tenant.ContactGrain(contact.Id).Include(tenant.Admin, wallet.Id, source, owner));

    /// <summary>The contact as the admin sees it now (this call itself expires a due owner).</summary>
    public static async Task<ContactView> Read(this Tenant tenant, Guid contactId) => Tenant.Value(await tenant.ContactGrain(contactId).Get(tenant.Admin));

    public static async Task<RouteDecision> Route(this Tenant tenant, Guid contactId, Caller? caller = null) =>
        Tenant.Value(await tenant.ContactGrain(contactId).Route(caller ?? tenant.Admin));

    public static async Task<IReadOnlyList<HistoryEntry>> History(this Tenant tenant, Guid contactId) =>
        Tenant.Value(await tenant.ContactGrain(contactId).History(tenant.Admin));

    public static async Task<WalletView> NewWallet(this Tenant tenant, CreateWallet command) => Tenant.Value(await tenant.CreateWallet(command));

    /// <summary>A Single wallet naming the team's given users, automatic or not, with an optional time limit.</summary>
    public static Task<WalletView> SingleWallet(this Tenant tenant, TeamView team, IEnumerable<UserView> responsible, bool automatic = false, string? timeLimit = null, string? name = null) =>
        tenant.NewWallet(new CreateWallet(
            name ?? $"Carteira {Guid.NewGuid():N}", WalletType.Single, automatic, timeLimit,
            [new WalletTeam(team.Id, [.. responsible.Select(u => u.Id)])]));

    /// <summary>A Multiple wallet naming the team's given users, automatic or not, with optional criteria.</summary>
    public static Task<WalletView> MultipleWallet(this Tenant tenant, TeamView team, IEnumerable<UserView> responsible, bool automatic = false, WalletCriteria? criteria = null, string? name = null) =>
        tenant.NewWallet(new CreateWallet(
            name ?? $"Carteira {Guid.NewGuid():N}", WalletType.Multiple, automatic, null,
            [new WalletTeam(team.Id, [.. responsible.Select(u => u.Id)])], criteria));

    /// <summary>The contact's one membership of this wallet.</summary>
    public static MembershipView In(this ContactView contact, WalletView wallet) => Assert.Single(contact.Memberships, m => m.WalletId == wallet.Id);

    public static bool IsIn(this ContactView contact, WalletView wallet) => contact.Memberships.Any(m => m.WalletId == wallet.Id);

    /// <summary>The contacts' owners over all its memberships (at most one by the exclusive-ownership rule).</summary>
    public static IReadOnlyList<Guid> Owners(this ContactView contact) => [.. contact.Memberships.Where(m => m.Owner is not null).Select(m => m.Owner!.Value)];

    /// <summary>The contacts of the wallet the user owns, read from the wallet's member index without touching any contact grain.</summary>
    public static async Task<IReadOnlyList<Guid>> OwnedInIndex(this Tenant tenant, Guid walletId, Guid userId)
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, IWalletMembersGrain.Shards).Select(shard =>
            tenant.Grains.GetGrain<IWalletMembersGrain>(IWalletMembersGrain.Key(walletId, shard)).OwnedBy(userId)));
        return [.. shards.SelectMany(s => s)];
    }

    /// <summary>How many contacts the user owns, as least-loaded distribution reads it.</summary>
    public static async Task<long> Load(this Tenant tenant, Guid userId) => (await tenant.UserGrain(userId).Presence()).OwnedContacts;

    /// <summary>
    /// Deactivates the grain through the cluster's management grain (as idle collection eventually would) and waits until
    /// no silo holds an activation of it, so that its timers are gone. Nothing else may call it meanwhile.
    /// </summary>
    public static async Task Deactivate(this IGrainFactory grains, IAddressable grain)
    {
        await grains.GetGrain<IManagementGrain>(0).DeactivateGrain(grain.GetGrainId(), TestContext.Current.CancellationToken);
        await Eventually(() => grains.IsActive(grain), active => !active, $"{grain.GetGrainId()} is deactivated");
    }

    /// <summary>Whether some silo holds an activation of the grain, asking every silo's catalog; asking does not activate it.</summary>
    public static async Task<bool> IsActive(this IGrainFactory grains, IAddressable grain)
    {
        var id = grain.GetGrainId();
        return (await grains.GetGrain<IManagementGrain>(0).GetActiveGrains(id.Type, TestContext.Current.CancellationToken)).Contains(id);
    }

    /// <summary>Where the directory (through its cache) places the grain's activation, if anywhere; fresh right after a call.</summary>
    public static async Task<SiloAddress?> ActivationOf(this IGrainFactory grains, IAddressable grain) =>
        await grains.GetGrain<IManagementGrain>(0).GetActivationAddress(grain, TestContext.Current.CancellationToken);

    public static Task<Result<UserView>> SetAvailability(this Tenant tenant, UserView user, Availability availability) =>
        tenant.UserGrain(user.Id).Update(tenant.Admin, new UpdateUser(Availability: availability));

    /// <summary>
    /// Waits for something another activation does on its own (a timer, a reminder, a one-way call) by re-reading
    /// <paramref name="probe"/>; the short delays only keep the loop live, they never make fake time pass. The wait is
    /// bounded generously (a loaded machine runs the whole suite at once), not as a speed check.
    /// </summary>
    public static async Task<T> Eventually<T>(Func<Task<T>> probe, Func<T, bool> done, string what, Action? everySecond = null)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var lastNudge = TimeSpan.Zero;
        var value = await probe();
        for (var attempt = 0; !done(value) && waited.Elapsed < TimeSpan.FromMinutes(2); attempt++)
        {
            await Task.Delay(attempt < 50 ? 1 : 10, TestContext.Current.CancellationToken);
            if (everySecond is not null && waited.Elapsed - lastNudge >= TimeSpan.FromSeconds(1))
            {
                lastNudge = waited.Elapsed;
                everySecond();
            }

            value = await probe();
        }

        Assert.True(done(value), $"Gave up waiting: {what}. Last value: {value}");
        return value;
    }
}
