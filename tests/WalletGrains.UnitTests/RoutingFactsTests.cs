using Microsoft.Extensions.Time.Testing;
using WalletGrains.Abstractions.Contacts;
using WalletGrains.Abstractions.Routing;
using WalletGrains.Grains.Routing;

namespace WalletGrains.UnitTests;

/// <summary>
/// Spec §2 routing reads owners' availability and teams' hours "at once": each silo keeps them in memory, and the
/// grain that owns a fact pushes every change to every silo before the change completes.
/// </summary>
public sealed class RoutingFactsTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task Each_silo_has_its_own_routing_facts_activated_on_itself()
    {
        foreach (var silo in fixture.Cluster.Silos)
        {
            var door = Grains.GetGrain<IRoutingFactsGrain>(silo.SiloAddress.ToParsableString());
            await door.PutUser(new UserFact(Guid.NewGuid(), 1, Exists: true, CanServe: true, Blocked: false));

            Assert.Equal(silo.SiloAddress, await Grains.ActivationOf(door));
        }
    }

    [Fact]
    public async Task An_availability_change_reaches_routes_decided_on_every_silo_at_once()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var team = await tenant.Team(ana);
        var wallet = await tenant.SingleWallet(team, [ana]);

        // Contacts on both silos (placement is the cluster's choice), each routed once so its silo holds Ana's fact.
        var silos = new HashSet<SiloAddress>();
        var contacts = new List<Guid>();
        for (var i = 0; i < 200 && silos.Count < 2; i++)
        {
            var contact = await tenant.Include(await tenant.Contact(), wallet, ana.Id);
            contacts.Add(contact.Id);
            Assert.Equal(RouteDecision.StickyOwner, (await tenant.Route(contact.Id)).Reason);
            silos.Add((await Grains.ActivationOf(tenant.ContactGrain(contact.Id)))!);
        }

        Assert.Equal(2, silos.Count);

        Tenant.Value(await tenant.SetAvailability(ana, Availability.Unavailable));
        foreach (var id in contacts)
        {
            Assert.Equal((RouteDecision.OwnerUnavailable, (Guid?)null), ((await tenant.Route(id)).Reason, (await tenant.Route(id)).UserId));
        }

        Tenant.Value(await tenant.SetAvailability(ana, Availability.Available));
        foreach (var id in contacts)
        {
            Assert.Equal((RouteDecision.StickyOwner, (Guid?)ana.Id), ((await tenant.Route(id)).Reason, (await tenant.Route(id)).UserId));
        }
    }

    [Fact]
    public async Task A_silo_keeps_the_newest_fact_whatever_order_they_arrive_in()
    {
        var facts = new RoutingFacts(new FakeTimeProvider());
        var userId = Guid.NewGuid();

        facts.Put(new UserFact(userId, 2, Exists: true, CanServe: false, Blocked: false));
        facts.Put(new UserFact(userId, 1, Exists: true, CanServe: true, Blocked: false));

        // Fresh facts are answered from memory: no grain is asked (there is no grain factory to ask).
        Assert.Equal((2L, false), await Held(facts, userId));

        facts.Put(new UserFact(userId, 3, Exists: true, CanServe: true, Blocked: false));
        Assert.Equal((3L, true), await Held(facts, userId));
    }

    private static async Task<(long, bool)> Held(RoutingFacts facts, Guid userId)
    {
        var fact = await facts.User(null!, userId);
        return (fact.Version, fact.CanServe);
    }
}
