using WalletGrains.Abstractions.Contacts;

namespace WalletGrains.UnitTests;

/// <summary>
/// Spec §1–§2 exclusive sticky ownership: at most one Single-wallet owner per contact, whatever the interleaving;
/// transfer, removal, wallet deletion, a blocked or deleted owner and a won sale end it.
/// </summary>
public sealed class OwnershipTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    private sealed record Setup(Tenant Tenant, UserView Ana, UserView Bia, UserView Caio, TeamView Team, WalletView Vendas, WalletView Outra, WalletView Shared);

    /// <summary>Ana, Bia and Caio in one team; Single wallets "Vendas" (Ana, Bia) and "Outra" (Caio); a Multiple wallet for all.</summary>
    private async Task<Setup> Arrange()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var bia = await tenant.User("Bia");
        var caio = await tenant.User("Caio");
        var team = await tenant.Team(ana, bia, caio);
        var vendas = await tenant.SingleWallet(team, [ana, bia], name: "Vendas");
        var outra = await tenant.SingleWallet(team, [caio], name: "Outra");
        var shared = await tenant.MultipleWallet(team, [ana, bia, caio], name: "Suporte");
        return new Setup(tenant, ana, bia, caio, team, vendas, outra, shared);
    }

    [Fact]
    public async Task A_contact_in_two_single_wallets_has_only_one_owner()
    {
        var s = await Arrange();
        var contact = await s.Tenant.Include(await s.Tenant.Contact(), s.Vendas, s.Ana.Id);
        var grain = s.Tenant.ContactGrain(contact.Id);

        var error = Tenant.Refused(await grain.Include(s.Tenant.Admin, s.Outra.Id, MembershipSource.Manual, s.Caio.Id), ErrorCodes.ContactAlreadyOwned);
        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.False((await s.Tenant.Read(contact.Id)).IsIn(s.Outra));

        var inBoth = Tenant.Value(await grain.Include(s.Tenant.Admin, s.Outra.Id, MembershipSource.Manual, null));
        Tenant.Refused(await grain.Include(s.Tenant.Admin, s.Outra.Id, MembershipSource.Manual, s.Caio.Id), ErrorCodes.ContactAlreadyOwned);
        Tenant.Refused(await grain.Include(s.Tenant.Admin, s.Vendas.Id, MembershipSource.Manual, s.Bia.Id), ErrorCodes.ContactAlreadyOwned);

        Assert.Equal([s.Ana.Id], inBoth.Owners());
        Assert.Equal([s.Ana.Id], (await s.Tenant.Read(contact.Id)).Owners());
        Assert.Null((await s.Tenant.Read(contact.Id)).In(s.Outra).Owner);
        Assert.Empty(await s.Tenant.OwnedInIndex(s.Outra.Id, s.Caio.Id));
        var route = await s.Tenant.Route(contact.Id);
        Assert.Equal((RouteDecision.StickyOwner, s.Ana.Id, s.Vendas.Id), (route.Reason, route.UserId, route.WalletId));
    }

    [Fact]
    public async Task Of_two_users_assuming_the_same_contact_at_once_exactly_one_becomes_its_owner()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var bia = await tenant.User("Bia");
        var team = await tenant.Team(ana, bia);
        var anas = await tenant.SingleWallet(team, [ana], automatic: true, name: "Ana");
        var bias = await tenant.SingleWallet(team, [bia], automatic: true, name: "Bia");
        const int Iterations = 40;
        var winners = new List<Guid>();

        for (var i = 0; i < Iterations; i++)
        {
            var contact = await tenant.Contact();
            var grain = tenant.ContactGrain(contact.Id);
            var (first, second) = i % 2 == 0 ? (ana, bia) : (bia, ana);

            var answers = await Task.WhenAll(
                Task.Run(() => grain.Assume(tenant.CallerOf(first), first.Id), TestContext.Current.CancellationToken),
                Task.Run(() => grain.Assume(tenant.CallerOf(second), second.Id), TestContext.Current.CancellationToken));

            var now = await tenant.Read(contact.Id);
            var owner = Assert.Single(now.Owners());
            Assert.All(answers, a => Assert.Equal([owner], Tenant.Value(a).Owners()));
            Assert.Single(now.Memberships);
            Assert.Equal(owner == ana.Id ? anas.Id : bias.Id, now.Memberships[0].WalletId);
            winners.Add(owner);
        }

        var anaOwns = await tenant.OwnedInIndex(anas.Id, ana.Id);
        var biaOwns = await tenant.OwnedInIndex(bias.Id, bia.Id);
        Assert.Equal(winners.Count(w => w == ana.Id), anaOwns.Count);
        Assert.Equal(winners.Count(w => w == bia.Id), biaOwns.Count);
        Assert.Empty(anaOwns.Intersect(biaOwns));
        Assert.Equal(Iterations, await tenant.WalletGrain(anas.Id).CountContacts() + await tenant.WalletGrain(bias.Id).CountContacts());
        await ContactKit.Eventually(async () => await tenant.Load(ana.Id) + await tenant.Load(bia.Id), total => total == Iterations, "the loads add up to the contacts owned");
    }

    [Fact]
    public async Task An_admin_transfers_the_ownership_to_another_responsible_user_of_the_wallet()
    {
        var s = await Arrange();
        var contact = await s.Tenant.Include(await s.Tenant.Contact(), s.Vendas, s.Ana.Id);

        var moved = Tenant.Value(await s.Tenant.ContactGrain(contact.Id).Transfer(s.Tenant.Admin, s.Vendas.Id, s.Bia.Id));

        Assert.Equal([s.Bia.Id], moved.Owners());
        Assert.Equal(s.Bia.Id, moved.In(s.Vendas).Owner);
        Assert.Empty(await s.Tenant.OwnedInIndex(s.Vendas.Id, s.Ana.Id));
        Assert.Equal([contact.Id], await s.Tenant.OwnedInIndex(s.Vendas.Id, s.Bia.Id));
        var history = await s.Tenant.History(contact.Id);
        Assert.Equal(
            [(HistoryKind.Transferred, s.Bia.Id, "transfer"), (HistoryKind.Released, s.Ana.Id, "transfer")],
            history.Take(2).Select(h => (h.Kind, h.UserId!.Value, h.Reason)));
        Assert.All(history.Take(2), h => Assert.Equal(s.Tenant.Admin.UserId, h.ActorUserId));
        Assert.Equal(RouteDecision.StickyOwner, (await s.Tenant.Route(contact.Id)).Reason);
        Assert.Equal(s.Bia.Id, (await s.Tenant.Route(contact.Id)).UserId);
        await ContactKit.Eventually(async () => (await s.Tenant.Load(s.Ana.Id), await s.Tenant.Load(s.Bia.Id)), loads => loads == (0, 1), "the load follows the owner");
    }

    [Fact]
    public async Task The_owned_count_least_loaded_picks_read_is_kept_when_the_users_grain_deactivates()
    {
        var s = await Arrange();
        foreach (var _ in Enumerable.Range(0, 3))
        {
            await s.Tenant.Include(await s.Tenant.Contact(), s.Vendas, s.Ana.Id);
        }

        await ContactKit.Eventually(() => s.Tenant.Load(s.Ana.Id), load => load == 3, "Ana owns three contacts");

        // The count is stored some seconds after it changes, or when the grain deactivates first, as here.
        await Grains.Deactivate(s.Tenant.UserGrain(s.Ana.Id));
        Assert.Equal(3, await s.Tenant.Load(s.Ana.Id));
    }

    [Fact]
    public async Task A_transfer_needs_an_admin_and_a_responsible_user_of_a_single_wallet_of_the_account()
    {
        var s = await Arrange();
        var stranger = await Tenant.Create(Grains);
        var ze = await stranger.User("Zé");
        var theirs = await stranger.SingleWallet(await stranger.Team(ze), [ze]);
        var contact = await s.Tenant.Include(await s.Tenant.Contact(), s.Vendas, s.Ana.Id);
        var grain = s.Tenant.ContactGrain(contact.Id);

        Tenant.Refused(await grain.Transfer(s.Tenant.CallerOf(s.Ana), s.Vendas.Id, s.Bia.Id), ErrorCodes.Forbidden);
        Tenant.Refused(await grain.Transfer(s.Tenant.Admin, s.Vendas.Id, s.Caio.Id), ErrorCodes.OwnerNotInWallet);
        Tenant.Refused(await grain.Transfer(s.Tenant.Admin, s.Vendas.Id, Guid.NewGuid()), ErrorCodes.OwnerNotInWallet);
        Tenant.Refused(await grain.Transfer(s.Tenant.Admin, s.Shared.Id, s.Bia.Id), ErrorCodes.OwnerNotAllowed);
        Tenant.Refused(await grain.Transfer(s.Tenant.Admin, Guid.NewGuid(), s.Bia.Id), ErrorCodes.WalletNotFound);
        Tenant.Refused(await grain.Transfer(s.Tenant.Admin, theirs.Id, ze.Id), ErrorCodes.WalletNotFound);

        var now = await s.Tenant.Read(contact.Id);
        Assert.Equal([s.Ana.Id], now.Owners());
        Assert.Equal([s.Vendas.Id], now.Memberships.Select(m => m.WalletId));
    }

    [Fact]
    public async Task An_admin_transfers_a_contact_into_another_single_wallet()
    {
        var s = await Arrange();
        var contact = await s.Tenant.Include(await s.Tenant.Contact(), s.Vendas, s.Ana.Id);

        var moved = Tenant.Value(await s.Tenant.ContactGrain(contact.Id).Transfer(s.Tenant.Admin, s.Outra.Id, s.Caio.Id));

        Assert.Equal([s.Caio.Id], moved.Owners());
        Assert.Equal((s.Caio.Id, MembershipSource.Manual), (moved.In(s.Outra).Owner, moved.In(s.Outra).Source));
        Assert.Null(moved.In(s.Vendas).Owner);
        Assert.Empty(await s.Tenant.OwnedInIndex(s.Vendas.Id, s.Ana.Id));
        Assert.Equal([contact.Id], await s.Tenant.OwnedInIndex(s.Outra.Id, s.Caio.Id));
        Assert.Equal((1, 1), (await s.Tenant.WalletGrain(s.Vendas.Id).CountContacts(), await s.Tenant.WalletGrain(s.Outra.Id).CountContacts()));
        var route = await s.Tenant.Route(contact.Id);
        Assert.Equal((RouteDecision.StickyOwner, s.Caio.Id, s.Outra.Id), (route.Reason, route.UserId, route.WalletId));
    }

    [Fact]
    public async Task Removing_a_contact_from_its_wallet_releases_its_owner()
    {
        var s = await Arrange();
        var contact = await s.Tenant.Include(await s.Tenant.Contact(), s.Vendas, s.Ana.Id);

        var removed = Tenant.Value(await s.Tenant.ContactGrain(contact.Id).Remove(s.Tenant.Admin, s.Vendas.Id));

        Assert.Empty(removed.Memberships);
        Assert.Empty(await s.Tenant.OwnedInIndex(s.Vendas.Id, s.Ana.Id));
        var history = await s.Tenant.History(contact.Id);
        Assert.Equal(
            [(HistoryKind.Left, (Guid?)null, "removed"), (HistoryKind.Released, s.Ana.Id, "removed")],
            history.Take(2).Select(h => (h.Kind, h.UserId, h.Reason)));
        await ContactKit.Eventually(() => s.Tenant.Load(s.Ana.Id), load => load == 0, "Ana owns nothing");

        // Released for good: another Single wallet may now bind it.
        Assert.Equal([s.Caio.Id], (await s.Tenant.Include(contact, s.Outra, s.Caio.Id)).Owners());
    }

    [Fact]
    public async Task Deleting_a_wallet_ends_its_memberships_and_releases_its_owners_with_history()
    {
        var s = await Arrange();
        var owned = await s.Tenant.Include(await s.Tenant.Include(await s.Tenant.Contact(), s.Vendas, s.Ana.Id), s.Shared);
        var unowned = await s.Tenant.Include(await s.Tenant.Contact(), s.Vendas);

        Tenant.Value(await s.Tenant.WalletGrain(s.Vendas.Id).Delete(s.Tenant.Admin));

        var ownedNow = await s.Tenant.Read(owned.Id);
        Assert.Equal([s.Shared.Id], ownedNow.Memberships.Select(m => m.WalletId));
        Assert.Empty(ownedNow.Owners());
        Assert.Empty((await s.Tenant.Read(unowned.Id)).Memberships);
        var history = await s.Tenant.History(owned.Id);
        Assert.Equal(
            [(HistoryKind.Left, s.Vendas.Id, (Guid?)null, "wallet-deleted"), (HistoryKind.Released, s.Vendas.Id, s.Ana.Id, "wallet-deleted")],
            history.Take(2).Select(h => (h.Kind, h.WalletId, h.UserId, h.Reason)));
        Assert.Equal((HistoryKind.Left, "wallet-deleted"), ((await s.Tenant.History(unowned.Id))[0].Kind, (await s.Tenant.History(unowned.Id))[0].Reason));
        Assert.Equal(RouteDecision.SharedWallet, (await s.Tenant.Route(owned.Id)).Reason);
        Assert.Equal(RouteDecision.NoWallet, (await s.Tenant.Route(unowned.Id)).Reason);
        Assert.Equal(0, await s.Tenant.WalletGrain(s.Vendas.Id).CountContacts());
        await ContactKit.Eventually(() => s.Tenant.Load(s.Ana.Id), load => load == 0, "Ana owns nothing");
    }

    [Fact]
    public async Task A_blocked_owner_loses_the_ownership_and_the_contact_stays_in_the_wallet()
    {
        var s = await Arrange();
        var contact = await s.Tenant.Include(await s.Tenant.Contact(), s.Vendas, s.Ana.Id);

        Tenant.Value(await s.Tenant.UserGrain(s.Ana.Id).Update(s.Tenant.Admin, new UpdateUser(Status: UserStatus.Blocked)));

        var now = await s.Tenant.Read(contact.Id);
        Assert.True(now.IsIn(s.Vendas));
        Assert.Null(now.In(s.Vendas).Owner);
        Assert.Empty(await s.Tenant.OwnedInIndex(s.Vendas.Id, s.Ana.Id));
        Assert.Equal(1, await s.Tenant.WalletGrain(s.Vendas.Id).CountContacts());
        var released = (await s.Tenant.History(contact.Id))[0];
        Assert.Equal((HistoryKind.Released, s.Ana.Id, (Guid?)null, "owner-blocked"), (released.Kind, released.UserId, released.ActorUserId, released.Reason));
        Assert.Equal(RouteDecision.WalletQueue, (await s.Tenant.Route(contact.Id)).Reason);

        // Unblocking does not give the contact back.
        Tenant.Value(await s.Tenant.UserGrain(s.Ana.Id).Update(s.Tenant.Admin, new UpdateUser(Status: UserStatus.Active)));
        Assert.Empty((await s.Tenant.Read(contact.Id)).Owners());
    }

    [Fact]
    public async Task A_blocked_owner_that_is_unblocked_counts_no_contacts_it_lost()
    {
        var s = await Arrange();
        await s.Tenant.Include(await s.Tenant.Contact(), s.Vendas, s.Ana.Id);
        await ContactKit.Eventually(() => s.Tenant.Load(s.Ana.Id), load => load == 1, "Ana owns one contact");

        Tenant.Value(await s.Tenant.UserGrain(s.Ana.Id).Update(s.Tenant.Admin, new UpdateUser(Status: UserStatus.Blocked)));
        Tenant.Value(await s.Tenant.UserGrain(s.Ana.Id).Update(s.Tenant.Admin, new UpdateUser(Status: UserStatus.Active)));

        Assert.Empty(await s.Tenant.OwnedInIndex(s.Vendas.Id, s.Ana.Id));
        await ContactKit.Eventually(() => s.Tenant.Load(s.Ana.Id), load => load == 0, "Ana's load counts no contact she lost");
    }

    [Fact]
    public async Task An_owner_removed_from_the_wallets_responsible_users_loses_the_contact_when_blocked()
    {
        var s = await Arrange();
        var contact = await s.Tenant.Include(await s.Tenant.Contact(), s.Vendas, s.Ana.Id);
        Tenant.Value(await s.Tenant.WalletGrain(s.Vendas.Id).Update(s.Tenant.Admin, new UpdateWallet(Teams: [new WalletTeam(s.Team.Id, [s.Bia.Id])])));

        Tenant.Value(await s.Tenant.UserGrain(s.Ana.Id).Update(s.Tenant.Admin, new UpdateUser(Status: UserStatus.Blocked)));

        var now = await s.Tenant.Read(contact.Id);
        Assert.True(now.IsIn(s.Vendas));
        Assert.Empty(now.Owners());
        Assert.Equal(RouteDecision.WalletQueue, (await s.Tenant.Route(contact.Id)).Reason);
    }

    [Fact]
    public async Task A_blocked_user_cannot_become_an_owner()
    {
        var s = await Arrange();
        var anasOwn = await s.Tenant.SingleWallet(s.Team, [s.Ana], automatic: true);
        Tenant.Value(await s.Tenant.UserGrain(s.Ana.Id).Update(s.Tenant.Admin, new UpdateUser(Status: UserStatus.Blocked)));
        var included = await s.Tenant.Contact();
        var transferred = await s.Tenant.Include(await s.Tenant.Contact(), s.Vendas, s.Bia.Id);
        var assumed = await s.Tenant.Contact();

        Assert.False((await s.Tenant.ContactGrain(included.Id).Include(s.Tenant.Admin, s.Vendas.Id, MembershipSource.Manual, s.Ana.Id)).IsSuccess);
        Assert.False((await s.Tenant.ContactGrain(transferred.Id).Transfer(s.Tenant.Admin, s.Vendas.Id, s.Ana.Id)).IsSuccess);
        await s.Tenant.ContactGrain(assumed.Id).Assume(s.Tenant.Admin, s.Ana.Id);

        Assert.Empty((await s.Tenant.Read(included.Id)).Owners());
        Assert.Equal([s.Bia.Id], (await s.Tenant.Read(transferred.Id)).Owners());
        Assert.Empty((await s.Tenant.Read(assumed.Id)).Owners());
        Assert.Empty(await s.Tenant.OwnedInIndex(anasOwn.Id, s.Ana.Id));
    }

    [Fact]
    public async Task A_wallet_changed_from_single_to_multiple_keeps_its_contacts_without_owners()
    {
        var s = await Arrange();
        var contact = await s.Tenant.Include(await s.Tenant.Contact(), s.Vendas, s.Ana.Id);

        Tenant.Value(await s.Tenant.WalletGrain(s.Vendas.Id).Update(s.Tenant.Admin, new UpdateWallet(Type: WalletType.Multiple)));

        var membership = (await s.Tenant.Read(contact.Id)).In(s.Vendas);
        Assert.Equal((WalletType.Multiple, (Guid?)null), (membership.WalletType, membership.Owner));
        Assert.Equal(RouteDecision.SharedWallet, (await s.Tenant.Route(contact.Id)).Reason);
    }

    [Fact]
    public async Task A_deleted_owner_loses_the_ownership_and_the_contact_stays_in_the_wallet()
    {
        var s = await Arrange();
        var contact = await s.Tenant.Include(await s.Tenant.Contact(), s.Vendas, s.Ana.Id);

        Tenant.Value(await s.Tenant.UserGrain(s.Ana.Id).Delete(s.Tenant.Admin));

        var now = await s.Tenant.Read(contact.Id);
        Assert.True(now.IsIn(s.Vendas));
        Assert.Empty(now.Owners());
        Assert.Empty(await s.Tenant.OwnedInIndex(s.Vendas.Id, s.Ana.Id));
        var released = (await s.Tenant.History(contact.Id))[0];
        Assert.Equal((HistoryKind.Released, s.Ana.Id, "owner-deleted"), (released.Kind, released.UserId, released.Reason));
        var route = await s.Tenant.Route(contact.Id);
        Assert.Equal((RouteDecision.WalletQueue, s.Vendas.Id, (Guid?)null), (route.Reason, route.WalletId, route.UserId));
    }

    [Fact]
    public async Task Completing_a_won_conversation_concludes_the_sale_and_releases_the_owner()
    {
        var s = await Arrange();
        var contact = await s.Tenant.Include(await s.Tenant.Contact(), s.Vendas, s.Ana.Id);

        var won = Tenant.Value(await s.Tenant.ContactGrain(contact.Id).Complete(s.Tenant.CallerOf(s.Ana), s.Ana.Id, Classification.Won));

        Assert.True(won.IsIn(s.Vendas));
        Assert.Empty(won.Owners());
        Assert.Empty(await s.Tenant.OwnedInIndex(s.Vendas.Id, s.Ana.Id));
        var released = (await s.Tenant.History(contact.Id))[0];
        Assert.Equal((HistoryKind.Released, s.Ana.Id, s.Ana.Id, "sale"), (released.Kind, released.UserId, released.ActorUserId, released.Reason));
        Assert.Equal(RouteDecision.WalletQueue, (await s.Tenant.Route(contact.Id)).Reason);
        await ContactKit.Eventually(() => s.Tenant.Load(s.Ana.Id), load => load == 0, "Ana owns nothing");
    }

    [Theory]
    [InlineData(Classification.Lost)]
    [InlineData(Classification.Info)]
    [InlineData(Classification.Other)]
    public async Task Completing_a_conversation_that_is_not_won_keeps_the_owner(Classification classification)
    {
        var s = await Arrange();
        var contact = await s.Tenant.Include(await s.Tenant.Contact(), s.Vendas, s.Ana.Id);
        var before = await s.Tenant.History(contact.Id);

        var after = Tenant.Value(await s.Tenant.ContactGrain(contact.Id).Complete(s.Tenant.CallerOf(s.Ana), s.Ana.Id, classification));

        Assert.Equal([s.Ana.Id], after.Owners());
        Assert.Equal(before.Count, (await s.Tenant.History(contact.Id)).Count);
        Assert.Equal(RouteDecision.StickyOwner, (await s.Tenant.Route(contact.Id)).Reason);
    }

    [Fact]
    public async Task A_missing_or_unknown_classification_is_refused()
    {
        var s = await Arrange();
        var contact = await s.Tenant.Include(await s.Tenant.Contact(), s.Vendas, s.Ana.Id);

        Tenant.Refused(await s.Tenant.ContactGrain(contact.Id).Complete(s.Tenant.CallerOf(s.Ana), s.Ana.Id, (Classification)42), ErrorCodes.ClassificationInvalid);
        Tenant.Refused(await s.Tenant.ContactGrain(contact.Id).Complete(s.Tenant.CallerOf(s.Ana), s.Ana.Id, null), ErrorCodes.ClassificationInvalid);

        Assert.Equal([s.Ana.Id], (await s.Tenant.Read(contact.Id)).Owners());
    }
}
