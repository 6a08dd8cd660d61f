using WalletGrains.Abstractions.Contacts;

namespace WalletGrains.UnitTests;

/// <summary>Spec §2 Include / remove: from the wallet or the contact, one or in batches, by id or phone; counts stay exact.</summary>
public sealed class MembershipTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    private sealed record Setup(Tenant Tenant, UserView Ana, UserView Bia, UserView Caio, TeamView Team, WalletView Single, WalletView Multiple);

    /// <summary>Ana, Bia and Caio in one team; a manual Single wallet for Ana and Bia; a manual Multiple wallet for all three.</summary>
    private async Task<Setup> Arrange()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var bia = await tenant.User("Bia");
        var caio = await tenant.User("Caio");
        var team = await tenant.Team(ana, bia, caio);
        var single = await tenant.SingleWallet(team, [ana, bia], name: "Vendas");
        var multiple = await tenant.MultipleWallet(team, [ana, bia, caio], name: "Pós-venda");
        return new Setup(tenant, ana, bia, caio, team, single, multiple);
    }

    [Fact]
    public async Task An_admin_includes_a_contact_from_the_wallet_side_by_id_or_by_phone()
    {
        var s = await Arrange();
        var contact = await s.Tenant.Contact();

        var byId = Tenant.Value(await s.Tenant.Batch().IncludeOne(s.Tenant.Admin, s.Single.Id, new ContactRef(contact.Id), MembershipSource.Api, null));
        var byPhone = Tenant.Value(await s.Tenant.Batch().IncludeOne(s.Tenant.Admin, s.Multiple.Id, new ContactRef(PhoneNumber: contact.PhoneNumber), MembershipSource.Api, null));

        var single = byId.In(s.Single);
        Assert.Equal((WalletType.Single, MembershipSource.Api, (Guid?)null, (DateTimeOffset?)null), (single.WalletType, single.Source, single.Owner, single.Deadline));
        Assert.Equal((WalletType.Multiple, MembershipSource.Api), (byPhone.In(s.Multiple).WalletType, byPhone.In(s.Multiple).Source));
        Assert.Equal([s.Single.Id, s.Multiple.Id], (await s.Tenant.Read(contact.Id)).Memberships.Select(m => m.WalletId));
        Assert.Equal(1, await s.Tenant.WalletGrain(s.Single.Id).CountContacts());
        Assert.Equal(1, (await s.Tenant.Reload(s.Multiple)).ContactsCount);
    }

    [Fact]
    public async Task Including_a_member_again_keeps_its_one_membership()
    {
        var s = await Arrange();
        var contact = await s.Tenant.Include(await s.Tenant.Contact(), s.Single);

        var again = Tenant.Value(await s.Tenant.Batch().IncludeOne(s.Tenant.Admin, s.Single.Id, new ContactRef(contact.Id), MembershipSource.Import, null));

        var membership = Assert.Single(again.Memberships);
        Assert.Equal((MembershipSource.Manual, contact.In(s.Single).JoinedAt), (membership.Source, membership.JoinedAt));
        Assert.Equal(1, await s.Tenant.WalletGrain(s.Single.Id).CountContacts());
    }

    [Fact]
    public async Task An_admin_removes_a_contact_from_the_wallet_side_by_id_or_by_phone()
    {
        var s = await Arrange();
        var first = await s.Tenant.Include(await s.Tenant.Contact(), s.Single);
        var second = await s.Tenant.Include(await s.Tenant.Contact(), s.Single);

        var removedById = Tenant.Value(await s.Tenant.Batch().RemoveOne(s.Tenant.Admin, s.Single.Id, new ContactRef(first.Id)));
        var removedByPhone = Tenant.Value(await s.Tenant.Batch().RemoveOne(s.Tenant.Admin, s.Single.Id, new ContactRef(PhoneNumber: second.PhoneNumber)));

        Assert.Empty(removedById.Memberships);
        Assert.Empty(removedByPhone.Memberships);
        Assert.Equal(0, await s.Tenant.WalletGrain(s.Single.Id).CountContacts());
        var error = Tenant.Refused(await s.Tenant.Batch().RemoveOne(s.Tenant.Admin, s.Single.Id, new ContactRef(first.Id)), ErrorCodes.ContactNotMember);
        Assert.Equal(ErrorKind.NotFound, error.Kind);
    }

    [Fact]
    public async Task A_contact_is_named_by_id_or_by_phone_never_both_nor_neither()
    {
        var s = await Arrange();
        var contact = await s.Tenant.Contact();
        var batch = s.Tenant.Batch();

        Tenant.Refused(await batch.IncludeOne(s.Tenant.Admin, s.Single.Id, new ContactRef(contact.Id, contact.PhoneNumber), MembershipSource.Api, null), ErrorCodes.ContactRefInvalid);
        Tenant.Refused(await batch.IncludeOne(s.Tenant.Admin, s.Single.Id, new ContactRef(), MembershipSource.Api, null), ErrorCodes.ContactRefInvalid);
        Tenant.Refused(await batch.IncludeOne(s.Tenant.Admin, s.Single.Id, new ContactRef(PhoneNumber: "11 98765-4321"), MembershipSource.Api, null), ErrorCodes.ContactPhoneInvalid);
        Tenant.Refused(await batch.IncludeOne(s.Tenant.Admin, s.Single.Id, new ContactRef(PhoneNumber: ContactKit.Phone()), MembershipSource.Api, null), ErrorCodes.ContactNotFound);
        Tenant.Refused(await batch.IncludeOne(s.Tenant.Admin, s.Single.Id, new ContactRef(Guid.NewGuid()), MembershipSource.Api, null), ErrorCodes.ContactNotFound);
        Tenant.Refused(await batch.RemoveOne(s.Tenant.Admin, s.Single.Id, new ContactRef(contact.Id, contact.PhoneNumber)), ErrorCodes.ContactRefInvalid);

        Assert.Empty((await s.Tenant.Read(contact.Id)).Memberships);
        Assert.Equal(0, await s.Tenant.WalletGrain(s.Single.Id).CountContacts());
    }

    [Fact]
    public async Task A_batch_answers_one_result_per_contact_in_request_order()
    {
        var s = await Arrange();
        var stranger = await Tenant.Create(Grains);
        var byId = await s.Tenant.Contact();
        var byPhone = await s.Tenant.Contact();
        var last = await s.Tenant.Contact();
        var theirs = await stranger.Contact();
        var outsider = await s.Tenant.Contact();
        var unknownPhone = ContactKit.Phone();
        ContactRef[] refs =
        [
            new(byId.Id),
            new(PhoneNumber: byPhone.PhoneNumber),
            new(PhoneNumber: unknownPhone),
            new(theirs.Id),
            new(byId.Id, byId.PhoneNumber),
            new(PhoneNumber: "not a phone"),
            new(last.Id),
        ];

        var results = Tenant.Value(await s.Tenant.Batch().Include(s.Tenant.Admin, s.Multiple.Id, refs, MembershipSource.Api, null));

        Assert.Equal(Enumerable.Range(0, refs.Length), results.Select(r => r.Index));
        Assert.Equal([true, true, false, false, false, false, true], results.Select(r => r.Succeeded));
        Assert.Equal(
            [null, null, ErrorCodes.ContactNotFound, ErrorCodes.ContactNotFound, ErrorCodes.ContactRefInvalid, ErrorCodes.ContactPhoneInvalid, null],
            results.Select(r => r.Error?.Code));
        Assert.Equal((byId.Id, byPhone.Id, byPhone.PhoneNumber), (results[0].ContactId, results[1].ContactId, results[1].PhoneNumber));
        Assert.Equal(3, await s.Tenant.WalletGrain(s.Multiple.Id).CountContacts());
        Assert.Empty((await stranger.Read(theirs.Id)).Memberships);

        var removed = Tenant.Value(await s.Tenant.Batch().Remove(
            s.Tenant.Admin, s.Multiple.Id, [new(PhoneNumber: byPhone.PhoneNumber), new(theirs.Id), new(last.Id), new(outsider.Id)]));

        Assert.Equal([true, false, true, false], removed.Select(r => r.Succeeded));
        Assert.Equal([null, ErrorCodes.ContactNotFound, null, ErrorCodes.ContactNotMember], removed.Select(r => r.Error?.Code));
        Assert.Equal(1, await s.Tenant.WalletGrain(s.Multiple.Id).CountContacts());
        Assert.Equal([s.Multiple.Id], (await s.Tenant.Read(byId.Id)).Memberships.Select(m => m.WalletId));
    }

    [Fact]
    public async Task A_batch_of_1000_contacts_is_accepted_and_one_of_more_than_1000_or_none_is_refused()
    {
        var s = await Arrange();
        var contacts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => s.Tenant.Contact()));
        var thousand = Enumerable.Range(0, IContactBatchGrain.MaxItems).Select(i => new ContactRef(contacts[i % contacts.Length].Id)).ToList();

        var tooMany = await s.Tenant.Batch().Include(s.Tenant.Admin, s.Multiple.Id, [.. thousand, new ContactRef(contacts[0].Id)], MembershipSource.Api, null);
        var none = await s.Tenant.Batch().Include(s.Tenant.Admin, s.Multiple.Id, [], MembershipSource.Api, null);
        var tooManyRemoves = await s.Tenant.Batch().Remove(s.Tenant.Admin, s.Multiple.Id, [.. thousand, new ContactRef(contacts[0].Id)]);

        Assert.Equal(ErrorKind.Invalid, Tenant.Refused(tooMany, ErrorCodes.BatchTooLarge).Kind);
        Tenant.Refused(none, ErrorCodes.BatchTooLarge);
        Tenant.Refused(tooManyRemoves, ErrorCodes.BatchTooLarge);
        Assert.Equal(0, await s.Tenant.WalletGrain(s.Multiple.Id).CountContacts());

        var results = Tenant.Value(await s.Tenant.Batch().Include(s.Tenant.Admin, s.Multiple.Id, thousand, MembershipSource.Import, null));

        Assert.Equal(IContactBatchGrain.MaxItems, results.Count);
        Assert.All(results, r => Assert.True(r.Succeeded, r.Error?.ToString()));
        Assert.Equal(contacts.Length, await s.Tenant.WalletGrain(s.Multiple.Id).CountContacts());
    }

    [Fact]
    public async Task Only_admins_change_memberships()
    {
        var s = await Arrange();
        var contact = await s.Tenant.Include(await s.Tenant.Contact(), s.Multiple);
        var agent = s.Tenant.CallerOf(s.Ana);
        var batch = s.Tenant.Batch();
        var grain = s.Tenant.ContactGrain(contact.Id);

        Tenant.Refused(await batch.IncludeOne(agent, s.Single.Id, new ContactRef(contact.Id), MembershipSource.Api, null), ErrorCodes.Forbidden);
        Tenant.Refused(await batch.RemoveOne(agent, s.Multiple.Id, new ContactRef(contact.Id)), ErrorCodes.Forbidden);
        Tenant.Refused(await batch.Include(agent, s.Single.Id, [new ContactRef(contact.Id)], MembershipSource.Api, null), ErrorCodes.Forbidden);
        Tenant.Refused(await batch.Remove(agent, s.Multiple.Id, [new ContactRef(contact.Id)]), ErrorCodes.Forbidden);
        Tenant.Refused(await grain.Include(agent, s.Single.Id, MembershipSource.Manual, s.Ana.Id), ErrorCodes.Forbidden);
        Tenant.Refused(await grain.Remove(agent, s.Multiple.Id), ErrorCodes.Forbidden);

        Assert.Equal([s.Multiple.Id], (await s.Tenant.Read(contact.Id)).Memberships.Select(m => m.WalletId));
    }

    [Fact]
    public async Task An_admin_includes_and_removes_a_contact_from_the_contact_side()
    {
        var s = await Arrange();
        var contact = await s.Tenant.Contact();
        var grain = s.Tenant.ContactGrain(contact.Id);

        var included = Tenant.Value(await grain.Include(s.Tenant.Admin, s.Multiple.Id, MembershipSource.Manual, null));
        Assert.Equal(MembershipSource.Manual, included.In(s.Multiple).Source);
        Assert.Equal(1, await s.Tenant.WalletGrain(s.Multiple.Id).CountContacts());

        var removed = Tenant.Value(await grain.Remove(s.Tenant.Admin, s.Multiple.Id));

        Assert.Empty(removed.Memberships);
        Assert.Equal(0, await s.Tenant.WalletGrain(s.Multiple.Id).CountContacts());
        Tenant.Refused(await grain.Remove(s.Tenant.Admin, s.Multiple.Id), ErrorCodes.ContactNotMember);
    }

    [Fact]
    public async Task A_single_wallet_may_bind_an_initial_owner_who_is_responsible_for_it()
    {
        var s = await Arrange();
        var contact = await s.Tenant.Contact();

        var fromContact = await s.Tenant.Include(contact, s.Single, s.Bia.Id);
        var other = Tenant.Value(await s.Tenant.Batch().IncludeOne(
            s.Tenant.Admin, s.Single.Id, new ContactRef(PhoneNumber: (await s.Tenant.Contact()).PhoneNumber), MembershipSource.Api, s.Ana.Id));

        Assert.Equal((s.Bia.Id, (DateTimeOffset?)null), (fromContact.In(s.Single).Owner, fromContact.In(s.Single).Deadline));
        Assert.Equal(s.Ana.Id, other.In(s.Single).Owner);
        Assert.Equal([contact.Id], await s.Tenant.OwnedInIndex(s.Single.Id, s.Bia.Id));
        Assert.Equal([other.Id], await s.Tenant.OwnedInIndex(s.Single.Id, s.Ana.Id));
        await ContactKit.Eventually(() => s.Tenant.Load(s.Bia.Id), load => load == 1, "Bia owns one contact");
    }

    [Fact]
    public async Task The_initial_owner_must_be_a_responsible_user_of_the_wallet()
    {
        var s = await Arrange();
        var stranger = await Tenant.Create(Grains);
        var outsider = await stranger.User("Zé");
        var contact = await s.Tenant.Contact();
        var grain = s.Tenant.ContactGrain(contact.Id);

        // Caio is in the team but not responsible for the Single wallet; the others are no users of it at all.
        foreach (var owner in new[] { s.Caio.Id, Guid.NewGuid(), outsider.Id, s.Tenant.Account.AdminUserId })
        {
            var error = Tenant.Refused(await grain.Include(s.Tenant.Admin, s.Single.Id, MembershipSource.Manual, owner), ErrorCodes.OwnerNotInWallet);
            Assert.Equal(ErrorKind.Invalid, error.Kind);
        }

        Tenant.Refused(await s.Tenant.Batch().IncludeOne(s.Tenant.Admin, s.Single.Id, new ContactRef(contact.Id), MembershipSource.Api, s.Caio.Id), ErrorCodes.OwnerNotInWallet);
        Assert.Empty((await s.Tenant.Read(contact.Id)).Memberships);
        Assert.Equal(0, await s.Tenant.WalletGrain(s.Single.Id).CountContacts());
    }

    [Fact]
    public async Task A_multiple_wallet_refuses_an_owner()
    {
        var s = await Arrange();
        var contact = await s.Tenant.Contact();

        var error = Tenant.Refused(
            await s.Tenant.ContactGrain(contact.Id).Include(s.Tenant.Admin, s.Multiple.Id, MembershipSource.Manual, s.Ana.Id), ErrorCodes.OwnerNotAllowed);

        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.Empty((await s.Tenant.Read(contact.Id)).Memberships);
        Assert.Equal(0, await s.Tenant.WalletGrain(s.Multiple.Id).CountContacts());
    }

    [Fact]
    public async Task A_wallet_with_no_responsible_user_and_no_manager_accepts_no_new_contacts()
    {
        var s = await Arrange();
        var empty = await s.Tenant.MultipleWallet(s.Team, []);
        var contact = await s.Tenant.Contact();
        Assert.False(empty.Available);

        var error = Tenant.Refused(await s.Tenant.ContactGrain(contact.Id).Include(s.Tenant.Admin, empty.Id, MembershipSource.Manual, null), ErrorCodes.WalletUnavailable);
        var batch = Tenant.Value(await s.Tenant.Batch().Include(s.Tenant.Admin, empty.Id, [new ContactRef(contact.Id)], MembershipSource.Api, null));

        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.Equal(ErrorCodes.WalletUnavailable, Assert.Single(batch).Error?.Code);
        Assert.Empty((await s.Tenant.Read(contact.Id)).Memberships);
    }

    [Fact]
    public async Task A_wallet_that_becomes_unavailable_keeps_its_contacts_but_accepts_no_new_ones()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var team = await tenant.Team(ana);
        var wallet = await tenant.SingleWallet(team, [ana]);
        var kept = await tenant.Include(await tenant.Contact(), wallet, ana.Id);

        Tenant.Value(await tenant.UserGrain(ana.Id).Delete(tenant.Admin));

        Assert.False((await tenant.Reload(wallet)).Available);
        Assert.True((await tenant.Read(kept.Id)).IsIn(wallet));
        Assert.Equal(1, (await tenant.Reload(wallet)).ContactsCount);
        var newcomer = await tenant.Contact();
        Tenant.Refused(await tenant.ContactGrain(newcomer.Id).Include(tenant.Admin, wallet.Id, MembershipSource.Manual, null), ErrorCodes.WalletUnavailable);
        Tenant.Refused(await tenant.Batch().IncludeOne(tenant.Admin, wallet.Id, new ContactRef(PhoneNumber: newcomer.PhoneNumber), MembershipSource.Api, null), ErrorCodes.WalletUnavailable);

        // Its members can still be included again (they are not new) and removed.
        Tenant.Value(await tenant.ContactGrain(kept.Id).Include(tenant.Admin, wallet.Id, MembershipSource.Manual, null));
        Tenant.Value(await tenant.ContactGrain(kept.Id).Remove(tenant.Admin, wallet.Id));
        Assert.Equal(0, await tenant.WalletGrain(wallet.Id).CountContacts());
    }

    [Fact]
    public async Task Including_into_an_unknown_wallet_or_another_accounts_wallet_is_refused()
    {
        var s = await Arrange();
        var stranger = await Tenant.Create(Grains);
        var ze = await stranger.User("Zé");
        var theirWallet = await stranger.SingleWallet(await stranger.Team(ze), [ze]);
        var contact = await s.Tenant.Contact();

        Tenant.Refused(await s.Tenant.ContactGrain(contact.Id).Include(s.Tenant.Admin, Guid.NewGuid(), MembershipSource.Manual, null), ErrorCodes.WalletNotFound);
        Tenant.Refused(await s.Tenant.ContactGrain(contact.Id).Include(s.Tenant.Admin, theirWallet.Id, MembershipSource.Manual, null), ErrorCodes.WalletNotFound);
        Tenant.Refused(await s.Tenant.Batch().IncludeOne(s.Tenant.Admin, theirWallet.Id, new ContactRef(contact.Id), MembershipSource.Api, null), ErrorCodes.WalletNotFound);

        Assert.Empty((await s.Tenant.Read(contact.Id)).Memberships);
        Assert.Equal(0, await stranger.WalletGrain(theirWallet.Id).CountContacts());
    }

    [Fact]
    public async Task The_wallet_count_and_its_pages_stay_exact_through_includes_and_removes()
    {
        var s = await Arrange();
        var contacts = await Task.WhenAll(Enumerable.Range(0, 23).Select(_ => s.Tenant.Contact()));
        foreach (var (contact, i) in contacts.Select((c, i) => (c, i)))
        {
            if (i % 2 == 0)
            {
                await s.Tenant.Include(contact, s.Multiple);
            }
            else
            {
                Tenant.Value(await s.Tenant.Batch().IncludeOne(s.Tenant.Admin, s.Multiple.Id, new ContactRef(PhoneNumber: contact.PhoneNumber), MembershipSource.Api, null));
            }
        }

        var removed = contacts.Where((_, i) => i % 4 == 1).ToList();
        foreach (var contact in removed)
        {
            Tenant.Value(await s.Tenant.ContactGrain(contact.Id).Remove(s.Tenant.Admin, s.Multiple.Id));
        }

        var expected = contacts.Except(removed).Select(c => c.Id).ToHashSet();
        Assert.Equal(expected.Count, await s.Tenant.WalletGrain(s.Multiple.Id).CountContacts());
        Assert.Equal(expected.Count, (await s.Tenant.Reload(s.Multiple)).ContactsCount);
        var pages = new List<Page<ContactView>>();
        for (var number = 1; number <= 4; number++)
        {
            pages.Add(Tenant.Value(await s.Tenant.Batch().List(s.Tenant.Admin, s.Multiple.Id, new PageRequest(number, 5))));
        }

        Assert.All(pages, p => Assert.Equal(expected.Count, p.TotalItems));
        Assert.Equal([5, 5, 5, 2], pages.Select(p => p.Items.Count));
        Assert.Equal([true, true, true, false], pages.Select(p => p.HasMorePages));
        var listed = pages.SelectMany(p => p.Items).Select(c => c.Id).ToList();
        Assert.Equal(expected.Count, listed.Distinct().Count());
        Assert.True(expected.SetEquals(listed));
        Assert.All(pages.SelectMany(p => p.Items), c => Assert.True(c.IsIn(s.Multiple)));
        Assert.Empty(Tenant.Value(await s.Tenant.Batch().List(s.Tenant.Admin, s.Multiple.Id, new PageRequest(5, 5))).Items);
        Tenant.Refused(await s.Tenant.Batch().List(s.Tenant.Admin, s.Multiple.Id, new PageRequest(1, 101)), ErrorCodes.PageInvalid);
    }

    [Fact]
    public async Task Of_200_simultaneous_includes_into_one_wallet_every_one_counts()
    {
        var s = await Arrange();
        var contacts = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => s.Tenant.Contact()));
        var wallet = s.Tenant.WalletGrain(s.Multiple.Id);

        var includes = contacts.Select((c, i) => i % 2 == 0
            ? s.Tenant.ContactGrain(c.Id).Include(s.Tenant.Admin, s.Multiple.Id, MembershipSource.Manual, null)
            : s.Tenant.Batch().IncludeOne(s.Tenant.Admin, s.Multiple.Id, new ContactRef(PhoneNumber: c.PhoneNumber), MembershipSource.Api, null)).ToList();
        var countsMeanwhile = Enumerable.Range(0, 20).Select(_ => wallet.CountContacts()).ToList();
        var results = await Task.WhenAll(includes);

        Assert.All(results, r => Assert.True(r.IsSuccess, r.Error?.ToString()));
        Assert.All(await Task.WhenAll(countsMeanwhile), count => Assert.InRange(count, 0, 200));
        Assert.Equal(200, await wallet.CountContacts());
        Assert.Equal(200, (await s.Tenant.Reload(s.Multiple)).ContactsCount);
        var first = Tenant.Value(await s.Tenant.Batch().List(s.Tenant.Admin, s.Multiple.Id, new PageRequest(1, 100)));
        var second = Tenant.Value(await s.Tenant.Batch().List(s.Tenant.Admin, s.Multiple.Id, new PageRequest(2, 100)));
        Assert.Equal((200, 200), (first.TotalItems, second.TotalItems));
        Assert.True(contacts.Select(c => c.Id).ToHashSet().SetEquals(first.Items.Concat(second.Items).Select(c => c.Id)));
        Assert.Equal(200, first.Items.Concat(second.Items).Select(c => c.Id).Distinct().Count());

        var removals = await Task.WhenAll(contacts.Take(50).Select(c => s.Tenant.Batch().RemoveOne(s.Tenant.Admin, s.Multiple.Id, new ContactRef(c.Id))));

        Assert.All(removals, r => Assert.True(r.IsSuccess, r.Error?.ToString()));
        Assert.Equal(150, await wallet.CountContacts());
        Assert.Equal(150, Tenant.Value(await s.Tenant.Batch().List(s.Tenant.Admin, s.Multiple.Id, new PageRequest(1, 100))).TotalItems);
    }
}
