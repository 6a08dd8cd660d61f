using WalletGrains.Abstractions.Contacts;

namespace WalletGrains.UnitTests;

/// <summary>
/// Spec §1 timeLimit and §2 expiry: the owner's deadline is the bind time plus the wallet's limit; an expired binding is
/// never honoured; a grain timer fires it while the contact is active; the sharded sweep (a reminder per shard) fires
/// it when the contact is not active. The sweep runs on the fixture's reminders, which tick with the fake clock.
/// </summary>
[Collection(SharedClock.Name)]
public sealed class ContactExpiryTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    private sealed record Setup(Tenant Tenant, UserView Ana, UserView Bia, TeamView Team, WalletView Wallet);

    /// <summary>Ana and Bia responsible for a manual Single wallet with the given time limit.</summary>
    private async Task<Setup> Arrange(string timeLimit)
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var bia = await tenant.User("Bia");
        var team = await tenant.Team(ana, bia);
        return new Setup(tenant, ana, bia, team, await tenant.SingleWallet(team, [ana, bia], timeLimit: timeLimit));
    }

    /// <summary>Includes a new contact owned by <paramref name="owner"/>; answers it with the deadline and the clock's reading around the bind.</summary>
    private static async Task<(ContactView Contact, DateTimeOffset Deadline, DateTimeOffset Before, DateTimeOffset After)> Bind(Tenant tenant, WalletView wallet, UserView owner)
    {
        var contact = await tenant.Contact();
        var before = SharedClock.Now;
        var bound = await tenant.Include(contact, wallet, owner.Id);
        var after = SharedClock.Now;
        return (bound, bound.In(wallet).Deadline!.Value, before, after);
    }

    [Fact]
    public async Task The_deadline_is_the_bind_time_plus_the_wallets_time_limit_in_calendar_units()
    {
        var s = await Arrange("P1M");
        var sixMonths = await s.Tenant.NewWallet(new CreateWallet(
            "Seis meses", WalletType.Single, Teams: [new WalletTeam(s.Team.Id, [s.Ana.Id])], ExpirationDurationInMonths: 6));
        var indefinite = await s.Tenant.SingleWallet(s.Team, [s.Ana]);

        var (_, oneMonth, before, after) = await Bind(s.Tenant, s.Wallet, s.Ana);
        var (_, six, before6, after6) = await Bind(s.Tenant, sixMonths, s.Ana);
        var forever = await s.Tenant.Include(await s.Tenant.Contact(), indefinite, s.Ana.Id);

        Assert.InRange(oneMonth, TimeLimit.Parse("P1M").Value.AddTo(before), TimeLimit.Parse("P1M").Value.AddTo(after));
        Assert.InRange(six, TimeLimit.FromMonths(6).AddTo(before6), TimeLimit.FromMonths(6).AddTo(after6));
        Assert.Equal(s.Ana.Id, forever.In(indefinite).Owner);
        Assert.Null(forever.In(indefinite).Deadline);
    }

    [Fact]
    public async Task Binding_again_restarts_the_clock_and_the_old_deadline_no_longer_counts()
    {
        var s = await Arrange("PT2M");
        var (contact, firstDeadline, _, _) = await Bind(s.Tenant, s.Wallet, s.Ana);
        ClusterFixture.Clock.Advance(TimeSpan.FromMinutes(1));

        var before = SharedClock.Now;
        var transferred = Tenant.Value(await s.Tenant.ContactGrain(contact.Id).Transfer(s.Tenant.Admin, s.Wallet.Id, s.Bia.Id));
        var after = SharedClock.Now;
        var secondDeadline = transferred.In(s.Wallet).Deadline!.Value;
        SharedClock.AdvanceTo(firstDeadline + TimeSpan.FromSeconds(1));

        Assert.InRange(secondDeadline, before + TimeSpan.FromMinutes(2), after + TimeSpan.FromMinutes(2));
        Assert.True(secondDeadline >= firstDeadline + TimeSpan.FromMinutes(1), $"{secondDeadline:O} should be a minute after {firstDeadline:O}");
        var route = await s.Tenant.Route(contact.Id);
        Assert.Equal((RouteDecision.StickyOwner, (Guid?)s.Bia.Id), (route.Reason, route.UserId));
    }

    [Fact]
    public async Task An_active_contact_keeps_its_owner_until_the_limit_passes_and_then_its_timer_releases_it()
    {
        var s = await Arrange("PT2M");
        SharedClock.AlignEarlyInMinute();
        var (contact, deadline, _, _) = await Bind(s.Tenant, s.Wallet, s.Ana);

        ClusterFixture.Clock.Advance(TimeSpan.FromMinutes(1));
        var meanwhile = await s.Tenant.Route(contact.Id);
        Assert.Equal((RouteDecision.StickyOwner, (Guid?)s.Ana.Id), (meanwhile.Reason, meanwhile.UserId));

        SharedClock.AdvanceTo(deadline + TimeSpan.FromSeconds(1));

        // Nobody calls the contact: only its timer can update the wallet's member index and the owner's load.
        await ContactKit.Eventually(() => s.Tenant.OwnedInIndex(s.Wallet.Id, s.Ana.Id), owned => owned.Count == 0, "the timer released the owner");
        await ContactKit.Eventually(() => s.Tenant.Load(s.Ana.Id), load => load == 0, "Ana's load drops");
        var expired = (await s.Tenant.History(contact.Id))[0];
        Assert.Equal((HistoryKind.Expired, s.Wallet.Id, (Guid?)s.Ana.Id, (Guid?)null, "time-limit"), (expired.Kind, expired.WalletId, expired.UserId, expired.ActorUserId, expired.Reason));
        Assert.True(expired.At >= deadline, $"expired at {expired.At:O}, before the deadline {deadline:O}");
        var now = await s.Tenant.Read(contact.Id);
        Assert.True(now.IsIn(s.Wallet));
        Assert.Empty(now.Owners());
    }

    [Fact]
    public async Task After_the_deadline_no_call_honours_the_binding_even_when_no_timer_fired()
    {
        var s = await Arrange("PT1M");
        var biasOwn = await s.Tenant.SingleWallet(s.Team, [s.Bia], automatic: true);
        SharedClock.AlignEarlyInMinute();
        var routed = await Bind(s.Tenant, s.Wallet, s.Ana);
        var rebound = await Bind(s.Tenant, s.Wallet, s.Ana);
        var assumed = await Bind(s.Tenant, s.Wallet, s.Ana);

        // Deactivated, their timers are gone; the sweep has not reached their minute yet.
        foreach (var contact in new[] { routed, rebound, assumed })
        {
            await Grains.Deactivate(s.Tenant.ContactGrain(contact.Contact.Id));
        }

        SharedClock.AdvanceTo(new[] { routed, rebound, assumed }.Max(c => c.Deadline) + TimeSpan.FromSeconds(1));

        var route = await s.Tenant.Route(routed.Contact.Id);
        var include = Tenant.Value(await s.Tenant.ContactGrain(rebound.Contact.Id).Include(s.Tenant.Admin, s.Wallet.Id, MembershipSource.Manual, s.Bia.Id));
        var assume = Tenant.Value(await s.Tenant.ContactGrain(assumed.Contact.Id).Assume(s.Tenant.CallerOf(s.Bia), s.Bia.Id));

        Assert.Equal((RouteDecision.WalletQueue, (Guid?)null), (route.Reason, route.UserId));
        Assert.Equal([s.Bia.Id], include.Owners());
        Assert.Equal(s.Bia.Id, include.In(s.Wallet).Owner);
        Assert.Equal([s.Bia.Id], assume.Owners());
        Assert.Equal(s.Bia.Id, assume.In(biasOwn).Owner);
        foreach (var contact in new[] { routed, rebound, assumed })
        {
            var expired = Assert.Single(await s.Tenant.History(contact.Contact.Id), h => h.Kind == HistoryKind.Expired);
            Assert.Equal((s.Ana.Id, "time-limit"), (expired.UserId!.Value, expired.Reason));
        }
    }

    [Fact]
    public async Task A_deactivated_contact_is_released_by_the_sweep_once_its_deadline_passes()
    {
        var s = await Arrange("PT1M");
        var (contact, deadline, _, _) = await Bind(s.Tenant, s.Wallet, s.Ana);
        await Grains.Deactivate(s.Tenant.ContactGrain(contact.Id));

        // Past the deadline's bucket slot; the sweepers' reminders tick with the fake clock.
        SharedClock.AdvanceTo(deadline + TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));

        // A reminder tick still being delivered when the clock jumped makes the service skip the jump's tick; the next
        // period's tick then does the sweep, so while waiting the clock keeps moving one sweep period at a time.
        await ContactKit.Eventually(
            () => s.Tenant.OwnedInIndex(s.Wallet.Id, s.Ana.Id),
            owned => owned.Count == 0,
            "the sweep released the owner",
            everySecond: () => ClusterFixture.Clock.Advance(TimeSpan.FromMinutes(1)));
        await ContactKit.Eventually(() => s.Tenant.Load(s.Ana.Id), load => load == 0, "Ana's load drops");
        var now = await s.Tenant.Read(contact.Id);
        Assert.True(now.IsIn(s.Wallet));
        Assert.Empty(now.Owners());
        var history = await s.Tenant.History(contact.Id);
        Assert.Equal((HistoryKind.Expired, (Guid?)s.Ana.Id, "time-limit"), (history[0].Kind, history[0].UserId, history[0].Reason));
        Assert.True(history[0].At >= deadline);

        // Expiry is idempotent.
        await s.Tenant.ContactGrain(contact.Id).ExpireIfDue();
        await s.Tenant.ContactGrain(contact.Id).ExpireIfDue();
        Assert.Equal(history.Count, (await s.Tenant.History(contact.Id)).Count);
    }

    [Fact]
    public async Task A_sweep_of_an_old_deadline_does_not_release_a_contact_bound_again_since()
    {
        var s = await Arrange("PT1M");
        var hourly = await s.Tenant.SingleWallet(s.Team, [s.Bia], timeLimit: "PT1H");
        var (contact, oldDeadline, _, _) = await Bind(s.Tenant, s.Wallet, s.Ana);
        var oldBucket = Grains.GetGrain<IExpiryBucketGrain>(IExpiryBucketGrain.Key(IExpiryBucketGrain.SlotOf(oldDeadline), IExpiryBucketGrain.ShardOf(contact.Id)));
        Tenant.Value(await s.Tenant.ContactGrain(contact.Id).Transfer(s.Tenant.Admin, hourly.Id, s.Bia.Id));

        // A stale entry in the old deadline's bucket (as a retried sweep or a webhook wake-up leaves) only wakes the contact.
        await oldBucket.Add(contact.Id);
        await Grains.Deactivate(s.Tenant.ContactGrain(contact.Id));

        SharedClock.AdvanceTo(oldDeadline + TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));

        // The sweep of the old deadline's bucket wakes the contact, which finds nothing due.
        await ContactKit.Eventually(
            () => Grains.IsActive(s.Tenant.ContactGrain(contact.Id)),
            active => active,
            "the sweep woke the contact",
            everySecond: () => ClusterFixture.Clock.Advance(TimeSpan.FromMinutes(1)));
        Assert.Equal([contact.Id], await s.Tenant.OwnedInIndex(hourly.Id, s.Bia.Id));
        var route = await s.Tenant.Route(contact.Id);
        Assert.Equal((RouteDecision.StickyOwner, (Guid?)s.Bia.Id, (Guid?)hourly.Id), (route.Reason, route.UserId, route.WalletId));
        Assert.DoesNotContain(await s.Tenant.History(contact.Id), h => h.Kind == HistoryKind.Expired);
    }
}

/// <summary>Spec §1 Team business hours: outside them the team's members count as unavailable for routing.</summary>
[Collection(SharedClock.Name)]
public sealed class BusinessHoursRoutingTests(ClusterFixture fixture)
{
    private const string Zone = "America/Sao_Paulo";

    private IGrainFactory Grains => fixture.Grains;

    /// <summary>Hours open only from <paramref name="from"/> to <paramref name="to"/> (under a day apart), written in the team's zone.</summary>
    private static BusinessHours OpenBetween(DateTimeOffset from, DateTimeOffset to)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Zone);
        var (start, end) = (TimeZoneInfo.ConvertTime(from, zone), TimeZoneInfo.ConvertTime(to, zone));
        if (start.Date == end.Date)
        {
            return new BusinessHours(Zone, [new BusinessPeriod(start.DayOfWeek, TimeOnly.FromTimeSpan(start.TimeOfDay), TimeOnly.FromTimeSpan(end.TimeOfDay))]);
        }

        List<BusinessPeriod> periods = [new BusinessPeriod(start.DayOfWeek, TimeOnly.FromTimeSpan(start.TimeOfDay), TimeOnly.MaxValue)];
        if (end.TimeOfDay > TimeSpan.Zero)
        {
            periods.Add(new BusinessPeriod(end.DayOfWeek, TimeOnly.MinValue, TimeOnly.FromTimeSpan(end.TimeOfDay)));
        }

        return new BusinessHours(Zone, periods);
    }

    [Fact]
    public async Task Outside_the_teams_business_hours_the_owner_counts_as_unavailable_and_nobody_is_picked()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var opensAt = SharedClock.Now + TimeSpan.FromMinutes(5);
        var team = Tenant.Value(await tenant.CreateTeam([new TeamMember(ana.Id)], OpenBetween(opensAt, opensAt + TimeSpan.FromHours(1))));
        var manual = await tenant.SingleWallet(team, [ana]);
        var automatic = await tenant.SingleWallet(team, [ana], automatic: true);
        var owned = await tenant.Include(await tenant.Contact(), manual, ana.Id);
        var unowned = await tenant.Include(await tenant.Contact(), automatic);

        var closedOwned = await tenant.Route(owned.Id);
        var closedUnowned = await tenant.Route(unowned.Id);

        Assert.Equal((RouteDecision.OwnerUnavailable, (Guid?)null, (Guid?)team.Id), (closedOwned.Reason, closedOwned.UserId, closedOwned.TeamId));
        Assert.Equal([ana.Id], (await tenant.Read(owned.Id)).Owners());
        Assert.Equal((RouteDecision.WalletQueue, (Guid?)null), (closedUnowned.Reason, closedUnowned.UserId));
        Assert.Empty((await tenant.Read(unowned.Id)).Owners());

        SharedClock.AdvanceTo(opensAt + TimeSpan.FromMinutes(1));
        var openOwned = await tenant.Route(owned.Id);
        var openUnowned = await tenant.Route(unowned.Id);

        Assert.Equal((RouteDecision.StickyOwner, (Guid?)ana.Id), (openOwned.Reason, openOwned.UserId));
        Assert.Equal((RouteDecision.AutoAssigned, (Guid?)ana.Id), (openUnowned.Reason, openUnowned.UserId));
    }
}
