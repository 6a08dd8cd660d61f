using WalletGrains.Abstractions.Contacts;

namespace WalletGrains.UnitTests;

/// <summary>Spec §2 routing a conversation: the five cases and their reasons, and the team's distribution.</summary>
public sealed class RoutingTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    private async Task<TeamView> Team(Tenant tenant, DistributionStrategy strategy, params TeamMember[] members) =>
        Tenant.Value(await Grains.GetGrain<ITeamGrain>(Guid.NewGuid()).Create(
            tenant.Admin, new CreateTeam("Vendas", members, new Distribution(strategy), null)));

    [Fact]
    public async Task A_bound_and_available_owner_gets_the_conversation()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var team = await tenant.Team(ana);
        var wallet = await tenant.SingleWallet(team, [ana]);
        var contact = await tenant.Include(await tenant.Contact(), wallet, ana.Id);

        var route = await tenant.Route(contact.Id, tenant.CallerOf(ana));

        Assert.Equal((RouteDecision.StickyOwner, (Guid?)wallet.Id, (Guid?)ana.Id, (Guid?)team.Id), (route.Reason, route.WalletId, route.UserId, route.TeamId));
        Assert.Empty(route.Candidates);
    }

    [Fact]
    public async Task An_unavailable_owner_overflows_to_the_wallets_team_and_keeps_the_ownership()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var bia = await tenant.User("Bia");
        var team = await tenant.Team(ana, bia);
        var wallet = await tenant.SingleWallet(team, [ana, bia]);
        var contact = await tenant.Include(await tenant.Contact(), wallet, ana.Id);
        var historyBefore = (await tenant.History(contact.Id)).Count;

        Tenant.Value(await tenant.SetAvailability(ana, Availability.Unavailable));
        var overflow = await tenant.Route(contact.Id);
        var during = await tenant.Read(contact.Id);
        Tenant.Value(await tenant.SetAvailability(ana, Availability.Available));
        var back = await tenant.Route(contact.Id);

        Assert.Equal((RouteDecision.OwnerUnavailable, (Guid?)wallet.Id, (Guid?)null, (Guid?)team.Id), (overflow.Reason, overflow.WalletId, overflow.UserId, overflow.TeamId));
        Assert.Equal([ana.Id], during.Owners());
        Assert.Equal((RouteDecision.StickyOwner, (Guid?)ana.Id), (back.Reason, back.UserId));
        Assert.Equal([ana.Id], (await tenant.Read(contact.Id)).Owners());
        Assert.Equal(historyBefore, (await tenant.History(contact.Id)).Count);
    }

    [Fact]
    public async Task An_agent_flipping_their_own_availability_moves_their_contacts_between_sticky_and_overflow()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var team = await tenant.Team(ana);
        var wallet = await tenant.SingleWallet(team, [ana]);
        var contact = await tenant.Include(await tenant.Contact(), wallet, ana.Id);

        Tenant.Value(await tenant.UserGrain(ana.Id).Update(tenant.CallerOf(ana), new UpdateUser(Availability: Availability.Unavailable)));

        Assert.Equal(RouteDecision.OwnerUnavailable, (await tenant.Route(contact.Id, tenant.CallerOf(ana))).Reason);
        Assert.Equal([ana.Id], (await tenant.Read(contact.Id)).Owners());
    }

    [Fact]
    public async Task An_unowned_contact_of_an_automatic_single_wallet_is_auto_assigned_and_stays_bound()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var team = await tenant.Team(ana);
        var wallet = await tenant.SingleWallet(team, [ana], automatic: true, timeLimit: "P3M");
        var contact = await tenant.Include(await tenant.Contact(), wallet);
        var before = ClusterFixture.Clock.GetUtcNow();

        var first = await tenant.Route(contact.Id);
        var after = ClusterFixture.Clock.GetUtcNow();
        var second = await tenant.Route(contact.Id);

        Assert.Equal((RouteDecision.AutoAssigned, (Guid?)wallet.Id, (Guid?)ana.Id, (Guid?)team.Id), (first.Reason, first.WalletId, first.UserId, first.TeamId));
        Assert.Equal([ana.Id], first.Candidates);
        Assert.Equal((RouteDecision.StickyOwner, (Guid?)ana.Id), (second.Reason, second.UserId));
        var membership = (await tenant.Read(contact.Id)).In(wallet);
        Assert.Equal(ana.Id, membership.Owner);
        Assert.InRange(membership.Deadline!.Value, TimeLimit.FromMonths(3).AddTo(before), TimeLimit.FromMonths(3).AddTo(after));
        Assert.Equal([contact.Id], await tenant.OwnedInIndex(wallet.Id, ana.Id));
        var bound = (await tenant.History(contact.Id))[0];
        Assert.Equal((HistoryKind.Bound, (Guid?)ana.Id, (Guid?)null, "auto-assigned"), (bound.Kind, bound.UserId, bound.ActorUserId, bound.Reason));
    }

    [Fact]
    public async Task Round_robin_hands_new_contacts_to_available_agents_in_member_order()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var supervisor = await tenant.User("Sara");
        var bia = await tenant.User("Bia");
        var caio = await tenant.User("Caio");
        var duda = await tenant.User("Duda");
        var team = await Team(
            tenant, DistributionStrategy.RoundRobin,
            new TeamMember(ana.Id), new TeamMember(supervisor.Id, IsAgent: false, IsSupervisor: true), new TeamMember(bia.Id),
            new TeamMember(caio.Id), new TeamMember(duda.Id, IsAgent: true, IsSupervisor: true));
        var wallet = await tenant.SingleWallet(team, [ana, supervisor, bia, caio, duda], automatic: true);
        Tenant.Value(await tenant.SetAvailability(bia, Availability.Unavailable));
        var contacts = new List<ContactView>();
        for (var i = 0; i < 7; i++)
        {
            contacts.Add(await tenant.Include(await tenant.Contact(), wallet));
        }

        var routes = new List<RouteDecision>();
        foreach (var contact in contacts)
        {
            routes.Add(await tenant.Route(contact.Id));
        }

        Assert.All(routes, r => Assert.Equal(RouteDecision.AutoAssigned, r.Reason));
        Assert.Equal([ana.Id, caio.Id, duda.Id, ana.Id, caio.Id, duda.Id, ana.Id], routes.Select(r => r.UserId!.Value));
        Assert.All(routes, r => Assert.Equal([ana.Id, caio.Id, duda.Id, bia.Id], r.Candidates));
        Assert.Equal(3, (await tenant.OwnedInIndex(wallet.Id, ana.Id)).Count);
        Assert.Empty(await tenant.OwnedInIndex(wallet.Id, supervisor.Id));
        Assert.Empty(await tenant.OwnedInIndex(wallet.Id, bia.Id));
    }

    [Fact]
    public async Task Least_loaded_hands_a_new_contact_to_the_agent_who_owns_the_fewest()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var bia = await tenant.User("Bia");
        var caio = await tenant.User("Caio");
        var team = await Team(tenant, DistributionStrategy.LeastLoaded, new TeamMember(ana.Id), new TeamMember(bia.Id), new TeamMember(caio.Id));
        var byHand = await tenant.SingleWallet(team, [ana, bia, caio]);
        var automatic = await tenant.SingleWallet(team, [ana, bia, caio], automatic: true);
        foreach (var owner in new[] { ana, ana, ana, bia, bia })
        {
            await tenant.Include(await tenant.Contact(), byHand, owner.Id);
        }

        await WaitForLoads(tenant, (ana, 3), (bia, 2), (caio, 0));
        var picks = new List<Guid>();
        var loads = new Dictionary<Guid, long> { [ana.Id] = 3, [bia.Id] = 2, [caio.Id] = 0 };
        for (var i = 0; i < 4; i++)
        {
            var route = await tenant.Route((await tenant.Include(await tenant.Contact(), automatic)).Id);
            Assert.Equal(RouteDecision.AutoAssigned, route.Reason);
            picks.Add(route.UserId!.Value);
            loads[route.UserId!.Value]++;
            await WaitForLoads(tenant, (ana, loads[ana.Id]), (bia, loads[bia.Id]), (caio, loads[caio.Id]));
        }

        // Caio (0), Caio (1), then Bia and Caio tie at 2 and the earlier member wins, then Caio (2 < 3).
        Assert.Equal([caio.Id, caio.Id, bia.Id, caio.Id], picks);
    }

    [Fact]
    public async Task An_automatic_single_wallet_with_nobody_available_queues_the_contact_without_an_owner()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var team = await tenant.Team(ana);
        var wallet = await tenant.SingleWallet(team, [ana], automatic: true);
        var contact = await tenant.Include(await tenant.Contact(), wallet);
        Tenant.Value(await tenant.SetAvailability(ana, Availability.Unavailable));

        var route = await tenant.Route(contact.Id);

        Assert.Equal((RouteDecision.WalletQueue, (Guid?)wallet.Id, (Guid?)null, (Guid?)team.Id), (route.Reason, route.WalletId, route.UserId, route.TeamId));
        Assert.Empty((await tenant.Read(contact.Id)).Owners());
    }

    [Fact]
    public async Task An_unowned_contact_of_a_manual_single_wallet_waits_in_the_wallets_queue()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var team = await tenant.Team(ana);
        var wallet = await tenant.SingleWallet(team, [ana]);
        var contact = await tenant.Include(await tenant.Contact(), wallet);

        var first = await tenant.Route(contact.Id);
        var second = await tenant.Route(contact.Id);

        Assert.All([first, second], route =>
            Assert.Equal((RouteDecision.WalletQueue, (Guid?)wallet.Id, (Guid?)null, (Guid?)team.Id), (route.Reason, route.WalletId, route.UserId, route.TeamId)));
        Assert.Empty((await tenant.Read(contact.Id)).Owners());
        Assert.DoesNotContain(await tenant.History(contact.Id), h => h.Kind == HistoryKind.Bound);
    }

    [Fact]
    public async Task A_contact_only_in_multiple_wallets_gets_a_suggestion_with_available_candidates_first_and_no_owner()
    {
        var tenant = await Tenant.Create(Grains);
        var bia = await tenant.User("Bia");
        var ana = await tenant.User("Ana");
        var team = await tenant.Team(bia, ana);
        var shared = await tenant.MultipleWallet(team, [bia, ana]);
        var contact = await tenant.Include(await tenant.Contact(), shared);
        Tenant.Value(await tenant.SetAvailability(bia, Availability.Unavailable));

        var first = await tenant.Route(contact.Id);
        var second = await tenant.Route(contact.Id);

        Assert.All([first, second], route =>
        {
            Assert.Equal((RouteDecision.SharedWallet, (Guid?)shared.Id, (Guid?)ana.Id, (Guid?)team.Id), (route.Reason, route.WalletId, route.UserId, route.TeamId));
            Assert.Equal([ana.Id, bia.Id], route.Candidates);
        });
        Assert.Empty((await tenant.Read(contact.Id)).Owners());
        Assert.DoesNotContain(await tenant.History(contact.Id), h => h.Kind == HistoryKind.Bound);
    }

    [Fact]
    public async Task Among_multiple_wallets_the_one_with_more_matching_rules_routes()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var bia = await tenant.User("Bia");
        var anasTeam = await tenant.Team(ana);
        var biasTeam = await tenant.Team(bia);
        var plain = await tenant.MultipleWallet(anasTeam, [ana]);
        var specific = await tenant.MultipleWallet(biasTeam, [bia], criteria: new WalletCriteria(Regions: ["SP"], Segments: ["Varejo"]));
        var contact = await tenant.Include(await tenant.Include(await tenant.Contact(attributes: new ContactAttributes("SP", Segment: "Varejo")), plain), specific);

        var route = await tenant.Route(contact.Id);

        Assert.Equal((RouteDecision.SharedWallet, (Guid?)specific.Id, (Guid?)bia.Id, (Guid?)biasTeam.Id), (route.Reason, route.WalletId, route.UserId, route.TeamId));
    }

    [Fact]
    public async Task A_single_wallet_routes_before_multiple_wallets()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var team = await tenant.Team(ana);
        var shared = await tenant.MultipleWallet(team, [ana]);
        var single = await tenant.SingleWallet(team, [ana]);
        var contact = await tenant.Include(await tenant.Include(await tenant.Contact(), shared), single);

        var route = await tenant.Route(contact.Id);

        Assert.Equal((RouteDecision.WalletQueue, (Guid?)single.Id), (route.Reason, route.WalletId));
    }

    [Fact]
    public async Task A_contact_in_no_wallet_goes_to_the_accounts_default_team()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var team = await tenant.Team(ana);
        var contact = await tenant.Contact();

        var withoutDefault = await tenant.Route(contact.Id);
        Tenant.Value(await tenant.AccountGrain.ConfigureWallets(tenant.Admin, new WalletSettings(true, false, team.Id)));
        var withDefault = await tenant.Route(contact.Id, tenant.CallerOf(ana));

        Assert.Equal((RouteDecision.NoWallet, (Guid?)null, (Guid?)null, (Guid?)null), (withoutDefault.Reason, withoutDefault.WalletId, withoutDefault.UserId, withoutDefault.TeamId));
        Assert.Equal((RouteDecision.NoWallet, (Guid?)null, (Guid?)null, (Guid?)team.Id), (withDefault.Reason, withDefault.WalletId, withDefault.UserId, withDefault.TeamId));
        Assert.Empty(withDefault.Candidates);
    }

    private static async Task WaitForLoads(Tenant tenant, params (UserView User, long Load)[] expected)
    {
        foreach (var (user, load) in expected)
        {
            await ContactKit.Eventually(() => tenant.Load(user.Id), actual => actual == load, $"{user.Name} owns {load} contacts");
        }
    }
}
