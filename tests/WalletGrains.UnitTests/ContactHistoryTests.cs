using WalletGrains.Abstractions.Contacts;

namespace WalletGrains.UnitTests;

/// <summary>Spec §2 History (every change with time, actor and reason, newest first) and §1 nothing crosses accounts.</summary>
public sealed class ContactHistoryTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task History_lists_every_membership_and_ownership_change_newest_first_with_actor_and_reason()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var bia = await tenant.User("Bia");
        var team = await tenant.Team(ana, bia);
        var wallet = await tenant.SingleWallet(team, [ana, bia]);
        var contact = await tenant.Include(await tenant.Contact(), wallet, ana.Id);
        var admin = tenant.Admin.UserId;
        Tenant.Value(await tenant.ContactGrain(contact.Id).Transfer(tenant.Admin, wallet.Id, bia.Id));
        Tenant.Value(await tenant.ContactGrain(contact.Id).Complete(tenant.CallerOf(bia), bia.Id, Classification.Won));
        Tenant.Value(await tenant.ContactGrain(contact.Id).Remove(tenant.Admin, wallet.Id));

        var history = await tenant.History(contact.Id);

        Assert.Equal(
            [
                (HistoryKind.Left, (Guid?)null, (Guid?)admin, "removed"),
                (HistoryKind.Released, bia.Id, bia.Id, "sale"),
                (HistoryKind.Transferred, bia.Id, admin, "transfer"),
                (HistoryKind.Released, ana.Id, admin, "transfer"),
                (HistoryKind.Bound, ana.Id, admin, "included"),
                (HistoryKind.Joined, null, admin, "manual"),
            ],
            history.Select(h => (h.Kind, h.UserId, h.ActorUserId, h.Reason)));
        Assert.All(history, h => Assert.Equal(wallet.Id, h.WalletId));
        Assert.Equal(history.Select(h => h.Sequence).OrderDescending(), history.Select(h => h.Sequence));
        Assert.Equal(history.Count, history.Select(h => h.Sequence).Distinct().Count());
        Assert.Equal(history.Select(h => h.At).OrderDescending(), history.Select(h => h.At));
    }

    [Fact]
    public async Task History_keeps_the_200_newest_changes()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var wallet = await tenant.MultipleWallet(await tenant.Team(ana), [ana]);
        var contact = await tenant.Contact();
        for (var i = 0; i < 101; i++)
        {
            await tenant.Include(contact, wallet);
            Tenant.Value(await tenant.ContactGrain(contact.Id).Remove(tenant.Admin, wallet.Id));
        }

        var history = await tenant.History(contact.Id);

        Assert.Equal(200, history.Count);
        Assert.Equal(Enumerable.Range(3, 200).Reverse().Select(i => (long)i), history.Select(h => h.Sequence));
        Assert.Equal((HistoryKind.Left, HistoryKind.Joined), (history[0].Kind, history[^1].Kind));
    }

    [Fact]
    public async Task A_contact_that_never_changed_has_an_empty_history()
    {
        var tenant = await Tenant.Create(Grains);

        Assert.Empty(await tenant.History((await tenant.Contact()).Id));
    }

    [Fact]
    public async Task Another_account_cannot_read_change_route_or_take_a_contact_and_nothing_changes()
    {
        var tenant = await Tenant.Create(Grains);
        var stranger = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var team = await tenant.Team(ana);
        var wallet = await tenant.SingleWallet(team, [ana]);
        var contact = await tenant.Include(await tenant.Contact("Maria"), wallet, ana.Id);
        var ze = await stranger.User("Zé");
        var theirWallet = await stranger.SingleWallet(await stranger.Team(ze), [ze], automatic: true);
        var grain = tenant.ContactGrain(contact.Id);
        var historyBefore = await tenant.History(contact.Id);

        foreach (var caller in new[] { stranger.Admin, stranger.CallerOf(ze) })
        {
            Assert.Equal(ErrorKind.NotFound, Tenant.Refused(await grain.Get(caller), ErrorCodes.ContactNotFound).Kind);
            Tenant.Refused(await grain.Update(caller, new UpdateContact(Name: "Roubado")), ErrorCodes.ContactNotFound);
            Tenant.Refused(await grain.Include(caller, theirWallet.Id, MembershipSource.Manual, ze.Id), ErrorCodes.ContactNotFound);
            Tenant.Refused(await grain.Remove(caller, wallet.Id), ErrorCodes.ContactNotFound);
            Tenant.Refused(await grain.Transfer(caller, theirWallet.Id, ze.Id), ErrorCodes.ContactNotFound);
            Tenant.Refused(await grain.History(caller), ErrorCodes.ContactNotFound);
            Tenant.Refused(await grain.Route(caller), ErrorCodes.ContactNotFound);
            Tenant.Refused(await grain.Assume(caller, ze.Id), ErrorCodes.ContactNotFound);
            Tenant.Refused(await grain.Complete(caller, ze.Id, Classification.Won), ErrorCodes.ContactNotFound);
            Assert.False((await grain.Create(caller, new CreateContact(ContactKit.Phone(), "Outra"))).IsSuccess);
        }

        Tenant.Refused(await stranger.Batch().IncludeOne(stranger.Admin, theirWallet.Id, new ContactRef(contact.Id), MembershipSource.Api, null), ErrorCodes.ContactNotFound);
        Tenant.Refused(await stranger.Batch().IncludeOne(stranger.Admin, theirWallet.Id, new ContactRef(PhoneNumber: contact.PhoneNumber), MembershipSource.Api, null), ErrorCodes.ContactNotFound);
        Tenant.Refused(await stranger.Batch().RemoveOne(stranger.Admin, wallet.Id, new ContactRef(contact.Id)), ErrorCodes.ContactNotFound);
        Tenant.Refused(await stranger.Batch().List(stranger.Admin, wallet.Id, new PageRequest(1, 10)), ErrorCodes.WalletNotFound);
        Tenant.Refused(await grain.Include(tenant.Admin, theirWallet.Id, MembershipSource.Manual, null), ErrorCodes.WalletNotFound);
        Tenant.Refused(await grain.Transfer(tenant.Admin, theirWallet.Id, ze.Id), ErrorCodes.WalletNotFound);

        var now = await tenant.Read(contact.Id);
        Assert.Equal(("Maria", tenant.Account.Id, contact.UpdatedAt), (now.Name, now.AccountId, now.UpdatedAt));
        Assert.Equal([wallet.Id], now.Memberships.Select(m => m.WalletId));
        Assert.Equal([ana.Id], now.Owners());
        Assert.Equal(historyBefore.Count, (await tenant.History(contact.Id)).Count);
        Assert.Equal(0, await stranger.WalletGrain(theirWallet.Id).CountContacts());
        Assert.Equal(1, await tenant.WalletGrain(wallet.Id).CountContacts());
        Assert.Equal(RouteDecision.StickyOwner, (await tenant.Route(contact.Id)).Reason);
    }
}
