using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using WalletGrains.Abstractions.Contacts;
using WalletGrains.Grains.Routing;

namespace WalletGrains.UnitTests;

/// <summary>
/// Sticky routes a silo answers without calling the contact (<see cref="StickyRoutes"/>, what its gateway asks first):
/// the contact's own answer, or none when only the contact may answer — never an owner the contact no longer has.
/// </summary>
public sealed class StickyRouteTests(ClusterFixture fixture)
{
    private sealed record Setup(Tenant Tenant, UserView Ana, UserView Bia, TeamView Team, WalletView Wallet, Guid Contact);

    private async Task<Setup> Arrange(string? timeLimit = null)
    {
        var tenant = await Tenant.Create(fixture.Grains);
        var ana = await tenant.User("Ana");
        var bia = await tenant.User("Bia");
        var team = await tenant.Team(ana, bia);
        var wallet = await tenant.SingleWallet(team, [ana, bia], timeLimit: timeLimit);
        var contact = await tenant.Include(await tenant.Contact(), wallet, ana.Id);
        return new Setup(tenant, ana, bia, team, wallet, contact.Id);
    }

    /// <summary>The answer of whichever silo can answer the route without a grain call (null when none can).</summary>
    internal static async Task<RouteDecision?> Local(ClusterFixture fixture, Guid contactId, Caller caller)
    {
        RouteDecision? answer = null;
        foreach (var silo in fixture.Cluster.Silos.Cast<InProcessSiloHandle>())
        {
            answer ??= await silo.SiloHost.Services.GetRequiredService<StickyRoutes>().TryRoute(contactId, caller);
        }

        return answer;
    }

    private static (string, Guid?, Guid?, Guid?, int) Shape(RouteDecision? route) =>
        route is null ? ("none", null, null, null, 0) : (route.Reason, route.WalletId, route.UserId, route.TeamId, route.Candidates.Count);

    [Fact]
    public async Task After_the_contact_answers_a_sticky_route_its_silo_gives_the_same_answer_to_admins_and_agents_of_the_account()
    {
        var s = await Arrange();
        var agent = s.Tenant.CallerOf(s.Ana);
        var stranger = (await Tenant.Create(fixture.Grains)).Admin;
        Assert.Null(await Local(fixture, s.Contact, s.Tenant.Admin));

        var byContact = await s.Tenant.Route(s.Contact, agent);

        Assert.Equal((RouteDecision.StickyOwner, (Guid?)s.Wallet.Id, (Guid?)s.Ana.Id, (Guid?)s.Team.Id, 0), Shape(byContact));
        Assert.Equal(Shape(byContact), Shape(await Local(fixture, s.Contact, agent)));
        Assert.Equal(Shape(byContact), Shape(await Local(fixture, s.Contact, s.Tenant.Admin)));
        Assert.Null(await Local(fixture, s.Contact, stranger));
    }

    [Fact]
    public async Task An_owner_who_turns_unavailable_is_answered_as_the_contact_answers_and_the_ownership_stays()
    {
        var s = await Arrange();
        await s.Tenant.Route(s.Contact);

        Tenant.Value(await s.Tenant.SetAvailability(s.Ana, Availability.Unavailable));
        var local = await Local(fixture, s.Contact, s.Tenant.Admin);

        Assert.Equal((RouteDecision.OwnerUnavailable, (Guid?)s.Wallet.Id, (Guid?)null, (Guid?)s.Team.Id, 0), Shape(local));
        Assert.Equal(Shape(await s.Tenant.Route(s.Contact)), Shape(local));
        Assert.Equal([s.Ana.Id], (await s.Tenant.Read(s.Contact)).Owners());
    }

    [Fact]
    public async Task A_transfer_is_never_answered_with_the_previous_owner()
    {
        var s = await Arrange();
        await s.Tenant.Route(s.Contact);

        Tenant.Value(await s.Tenant.ContactGrain(s.Contact).Transfer(s.Tenant.Admin, s.Wallet.Id, s.Bia.Id));

        Assert.Null(await Local(fixture, s.Contact, s.Tenant.Admin));
        Assert.Equal(s.Bia.Id, (await s.Tenant.Route(s.Contact)).UserId);
        Assert.Equal((RouteDecision.StickyOwner, (Guid?)s.Bia.Id), (await Local(fixture, s.Contact, s.Tenant.Admin)) is { } d ? (d.Reason, d.UserId) : default);
    }

    [Fact]
    public async Task A_blocked_owner_goes_to_the_contact_which_releases_it()
    {
        var s = await Arrange();
        await s.Tenant.Route(s.Contact);

        Tenant.Value(await s.Tenant.UserGrain(s.Ana.Id).Update(s.Tenant.Admin, new UpdateUser(Status: UserStatus.Blocked)));

        Assert.Null(await Local(fixture, s.Contact, s.Tenant.Admin));
        Assert.Equal(RouteDecision.WalletQueue, (await s.Tenant.Route(s.Contact)).Reason);
        Assert.Empty((await s.Tenant.Read(s.Contact)).Owners());
        Assert.Null(await Local(fixture, s.Contact, s.Tenant.Admin));
    }

    [Fact]
    public async Task In_an_account_that_restricts_contact_access_agents_routes_go_to_the_contact()
    {
        var s = await Arrange();
        Tenant.Value(await s.Tenant.AccountGrain.ConfigureWallets(s.Tenant.Admin, new WalletSettings(true, true)));
        var agent = s.Tenant.CallerOf(s.Ana);

        var byContact = await s.Tenant.Route(s.Contact, agent);

        Assert.Equal(RouteDecision.StickyOwner, byContact.Reason);
        Assert.Null(await Local(fixture, s.Contact, agent));
        Assert.Equal(Shape(byContact), Shape(await Local(fixture, s.Contact, s.Tenant.Admin)));
    }

    [Fact]
    public async Task A_deactivated_contact_leaves_nothing_to_answer_from()
    {
        var s = await Arrange();
        await s.Tenant.Route(s.Contact);
        Assert.NotNull(await Local(fixture, s.Contact, s.Tenant.Admin));

        await fixture.Grains.Deactivate(s.Tenant.ContactGrain(s.Contact));

        Assert.Null(await Local(fixture, s.Contact, s.Tenant.Admin));
    }
}

/// <summary>A deadline reached is never answered from a silo's sticky routes: the contact releases the owner.</summary>
[Collection(SharedClock.Name)]
public sealed class StickyRouteExpiryTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Once_the_deadline_is_reached_no_silo_answers_with_the_owner()
    {
        SharedClock.AlignEarlyInMinute();
        var tenant = await Tenant.Create(fixture.Grains);
        var ana = await tenant.User("Ana");
        var team = await tenant.Team(ana);
        var wallet = await tenant.SingleWallet(team, [ana], timeLimit: "PT2M");
        var contact = await tenant.Include(await tenant.Contact(), wallet, ana.Id);
        await tenant.Route(contact.Id);
        Assert.Equal(ana.Id, (await StickyRouteTests.Local(fixture, contact.Id, tenant.Admin))?.UserId);

        SharedClock.AdvanceTo(contact.In(wallet).Deadline!.Value);

        Assert.Null(await StickyRouteTests.Local(fixture, contact.Id, tenant.Admin));
        Assert.Equal(RouteDecision.WalletQueue, (await tenant.Route(contact.Id)).Reason);
        Assert.Empty((await tenant.Read(contact.Id)).Owners());
    }
}
