using WalletGrains.Abstractions.Contacts;

namespace WalletGrains.UnitTests;

/// <summary>
/// Spec §2 automatic attribution: (a) assuming a conversation of an unowned contact binds it in the user's automatic
/// Single wallet; (b) creating or changing a contact joins the automatic Multiple wallets whose criteria it matches and
/// leaves the automatic memberships it no longer matches, while manual memberships stay.
/// </summary>
public sealed class AutomaticAttributionTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task Assuming_an_unowned_contact_joins_the_users_automatic_single_wallet_with_that_user_as_owner()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var team = await tenant.Team(ana);
        var manual = await tenant.SingleWallet(team, [ana], name: "Manual da Ana");
        var automatic = await tenant.SingleWallet(team, [ana], automatic: true, name: "Automática da Ana");
        var contact = await tenant.Contact();

        var assumed = Tenant.Value(await tenant.ContactGrain(contact.Id).Assume(tenant.CallerOf(ana), ana.Id));

        var membership = assumed.In(automatic);
        Assert.Equal((MembershipSource.Automatic, ana.Id), (membership.Source, membership.Owner));
        Assert.False(assumed.IsIn(manual));
        Assert.Equal([contact.Id], await tenant.OwnedInIndex(automatic.Id, ana.Id));
        var history = await tenant.History(contact.Id);
        Assert.Equal(
            [(HistoryKind.Bound, (Guid?)ana.Id, "assumed"), (HistoryKind.Joined, null, "automatic")],
            history.Take(2).Select(h => (h.Kind, h.UserId, h.Reason)));
        Assert.All(history.Take(2), h => Assert.Equal(ana.Id, h.ActorUserId));
        Assert.Equal((RouteDecision.StickyOwner, ana.Id), ((await tenant.Route(contact.Id)).Reason, (await tenant.Route(contact.Id)).UserId));
    }

    [Fact]
    public async Task Assuming_a_contact_that_already_has_an_owner_changes_nothing()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var bia = await tenant.User("Bia");
        var team = await tenant.Team(ana, bia);
        var anas = await tenant.SingleWallet(team, [ana], automatic: true);
        var bias = await tenant.SingleWallet(team, [bia], automatic: true);
        var contact = await tenant.Include(await tenant.Contact(), bias, bia.Id);
        var before = await tenant.History(contact.Id);

        var assumed = Tenant.Value(await tenant.ContactGrain(contact.Id).Assume(tenant.CallerOf(ana), ana.Id));

        Assert.Equal([bia.Id], assumed.Owners());
        Assert.False(assumed.IsIn(anas));
        Assert.Equal(before.Count, (await tenant.History(contact.Id)).Count);
        Assert.Empty(await tenant.OwnedInIndex(anas.Id, ana.Id));
    }

    [Fact]
    public async Task A_manual_single_wallet_is_not_used_by_automatic_attribution()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var team = await tenant.Team(ana);
        var manual = await tenant.SingleWallet(team, [ana]);
        var contact = await tenant.Contact();

        var assumed = Tenant.Value(await tenant.ContactGrain(contact.Id).Assume(tenant.CallerOf(ana), ana.Id));

        Assert.Empty(assumed.Memberships);
        Assert.Equal(0, await tenant.WalletGrain(manual.Id).CountContacts());
        Assert.Empty(await tenant.History(contact.Id));
    }

    [Fact]
    public async Task Assuming_a_member_of_the_automatic_wallet_that_has_no_owner_binds_it_without_a_second_membership()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var team = await tenant.Team(ana);
        var automatic = await tenant.SingleWallet(team, [ana], automatic: true);
        var contact = await tenant.Include(await tenant.Contact(), automatic);

        var assumed = Tenant.Value(await tenant.ContactGrain(contact.Id).Assume(tenant.CallerOf(ana), ana.Id));

        var membership = Assert.Single(assumed.Memberships);
        Assert.Equal((automatic.Id, MembershipSource.Manual, ana.Id), (membership.WalletId, membership.Source, membership.Owner));
    }

    [Fact]
    public async Task A_user_of_another_account_cannot_assume_the_contact()
    {
        var tenant = await Tenant.Create(Grains);
        var stranger = await Tenant.Create(Grains);
        var ze = await stranger.User("Zé");
        await stranger.SingleWallet(await stranger.Team(ze), [ze], automatic: true);
        var contact = await tenant.Contact();

        Tenant.Refused(await tenant.ContactGrain(contact.Id).Assume(tenant.Admin, ze.Id), ErrorCodes.UserNotFound);
        Tenant.Refused(await tenant.ContactGrain(contact.Id).Assume(stranger.CallerOf(ze), ze.Id), ErrorCodes.ContactNotFound);
        Tenant.Refused(await tenant.ContactGrain(contact.Id).Assume(tenant.Admin, Guid.NewGuid()), ErrorCodes.UserNotFound);

        Assert.Empty((await tenant.Read(contact.Id)).Memberships);
    }

    [Fact]
    public async Task A_new_contact_joins_every_automatic_multiple_wallet_whose_criteria_it_matches()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var team = await tenant.Team(ana);
        var saoPaulo = await tenant.MultipleWallet(team, [ana], automatic: true, new WalletCriteria(Regions: ["SP", "MG"]));
        var vip = await tenant.MultipleWallet(team, [ana], automatic: true, new WalletCriteria(
            Importances: ["VIP"], Revenue: new NumericRange(100m, 1000m), Custom: new Dictionary<string, string> { ["plano"] = "ouro" }));
        var bigRevenue = await tenant.MultipleWallet(team, [ana], automatic: true, new WalletCriteria(Revenue: new NumericRange(1000.01m, null)));
        var manualSaoPaulo = await tenant.MultipleWallet(team, [ana], automatic: false, new WalletCriteria(Regions: ["SP"]));
        var unavailable = await tenant.MultipleWallet(team, [], automatic: true, new WalletCriteria(Regions: ["SP"]));
        var attributes = new ContactAttributes("sp", 1000m, "Varejo", "vip", new Dictionary<string, string> { ["plano"] = "Ouro", ["origem"] = "site" });

        var contact = await tenant.Contact(attributes: attributes);

        Assert.Equal(new[] { saoPaulo.Id, vip.Id }.Order(), contact.Memberships.Select(m => m.WalletId).Order());
        Assert.All(contact.Memberships, m => Assert.Equal((MembershipSource.Automatic, WalletType.Multiple, (Guid?)null), (m.Source, m.WalletType, m.Owner)));
        Assert.False(contact.IsIn(bigRevenue) || contact.IsIn(manualSaoPaulo) || contact.IsIn(unavailable));
        Assert.Equal((1, 1, 0, 0), (
            await tenant.WalletGrain(saoPaulo.Id).CountContacts(), await tenant.WalletGrain(vip.Id).CountContacts(),
            await tenant.WalletGrain(bigRevenue.Id).CountContacts(), await tenant.WalletGrain(manualSaoPaulo.Id).CountContacts()));
        Assert.Equal(2, (await tenant.History(contact.Id)).Count(h => h is { Kind: HistoryKind.Joined, Reason: "automatic" }));
    }

    [Fact]
    public async Task Changing_attributes_moves_automatic_memberships_and_keeps_manual_ones()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var team = await tenant.Team(ana);
        var saoPaulo = await tenant.MultipleWallet(team, [ana], automatic: true, new WalletCriteria(Regions: ["SP"]));
        var rio = await tenant.MultipleWallet(team, [ana], automatic: true, new WalletCriteria(Regions: ["RJ"]));
        var bigRevenue = await tenant.MultipleWallet(team, [ana], automatic: true, new WalletCriteria(Revenue: new NumericRange(5000m, null)));
        var handPicked = await tenant.MultipleWallet(team, [ana], automatic: false, new WalletCriteria(Regions: ["SP"]));
        var contact = await tenant.Contact(attributes: new ContactAttributes("SP", 100m));
        Assert.Equal([saoPaulo.Id], contact.Memberships.Select(m => m.WalletId));

        // By hand into an automatic wallet whose criteria it does not match, and into a manual one.
        await tenant.Include(contact, bigRevenue);
        await tenant.Include(contact, handPicked);

        var moved = Tenant.Value(await tenant.ContactGrain(contact.Id).Update(tenant.Admin, new UpdateContact(Attributes: new ContactAttributes("RJ", 100m))));

        Assert.False(moved.IsIn(saoPaulo));
        Assert.Equal(MembershipSource.Automatic, moved.In(rio).Source);
        Assert.Equal(MembershipSource.Manual, moved.In(bigRevenue).Source);
        Assert.Equal(MembershipSource.Manual, moved.In(handPicked).Source);
        Assert.Equal((0, 1, 1, 1), (
            await tenant.WalletGrain(saoPaulo.Id).CountContacts(), await tenant.WalletGrain(rio.Id).CountContacts(),
            await tenant.WalletGrain(bigRevenue.Id).CountContacts(), await tenant.WalletGrain(handPicked.Id).CountContacts()));
        var left = Assert.Single(await tenant.History(contact.Id), h => h.Kind == HistoryKind.Left);
        Assert.Equal((saoPaulo.Id, "criteria"), (left.WalletId, left.Reason));

        // A change that touches no attribute moves nothing.
        var renamed = Tenant.Value(await tenant.ContactGrain(contact.Id).Update(tenant.Admin, new UpdateContact(Name: "Outro nome")));
        Assert.Equal(moved.Memberships.Select(m => m.WalletId).Order(), renamed.Memberships.Select(m => m.WalletId).Order());
    }

    [Fact]
    public async Task An_unavailable_automatic_wallet_keeps_a_contact_that_still_matches_its_criteria()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var saoPaulo = await tenant.MultipleWallet(await tenant.Team(ana), [ana], automatic: true, new WalletCriteria(Regions: ["SP"]));
        var contact = await tenant.Contact(attributes: new ContactAttributes("SP", 100m));
        Tenant.Value(await tenant.UserGrain(ana.Id).Delete(tenant.Admin));
        Assert.False((await tenant.Reload(saoPaulo)).Available);

        var updated = Tenant.Value(await tenant.ContactGrain(contact.Id).Update(tenant.Admin, new UpdateContact(Attributes: new ContactAttributes("SP", 200m))));

        Assert.True(updated.IsIn(saoPaulo));
        Assert.Equal(1, await tenant.WalletGrain(saoPaulo.Id).CountContacts());
    }

    [Fact]
    public async Task An_automatic_multiple_wallet_without_criteria_takes_every_new_contact_of_its_account()
    {
        var tenant = await Tenant.Create(Grains);
        var stranger = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var everyone = await tenant.MultipleWallet(await tenant.Team(ana), [ana], automatic: true);

        var ours = await tenant.Contact(attributes: new ContactAttributes("AM"));
        var theirs = await stranger.Contact();

        Assert.Equal([everyone.Id], ours.Memberships.Select(m => m.WalletId));
        Assert.Empty(theirs.Memberships);
        Assert.Equal(1, await tenant.WalletGrain(everyone.Id).CountContacts());
    }
}
