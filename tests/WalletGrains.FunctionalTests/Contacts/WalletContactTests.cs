namespace WalletGrains.FunctionalTests.Contacts;

/// <summary>§2 include/remove from the wallet side: one at a time and in batches, by id or phone, with an optional owner.</summary>
public sealed class WalletContactTests(GatewayFixture gateway)
{
    private Api Api => gateway.Api;

    [Fact]
    public async Task An_admin_includes_a_contact_by_id_and_the_wallet_counts_it()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana]);
        var contact = await account.CreateContact();

        var included = Expect.Status(HttpStatusCode.OK, await account.Include(wallet, new { contactId = contact }));

        Assert.Equal(contact, included.Id);
        var membership = included.Json!.MembershipOf(wallet);
        Assert.NotNull(membership);
        Assert.Equal("manual", membership["source"]!.GetValue<string>());
        Assert.Equal("Single", membership["walletType"]!.GetValue<string>());
        Assert.Null(membership["owner"]);
        Assert.Equal(1, await account.ContactsCount(wallet));
        Assert.Equal(included.Json!.ToJsonString(), (await account.ReadContact(contact)).ToJsonString());
    }

    [Fact]
    public async Task Including_a_contact_twice_keeps_one_membership()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana]);
        var contact = await account.CreateContact();

        Expect.Status(HttpStatusCode.OK, await account.Include(wallet, new { contactId = contact }));
        var again = Expect.Status(HttpStatusCode.OK, await account.Include(wallet, new { contactId = contact }));

        Assert.Single(again.Json!.Memberships());
        Assert.Equal(1, await account.ContactsCount(wallet));
    }

    [Fact]
    public async Task An_admin_includes_a_contact_by_phone_number()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana], type: "Multiple");
        var phone = ContactSteps.NewPhone();
        var contact = await account.CreateContact(phone);

        var included = Expect.Status(HttpStatusCode.OK, await account.Include(wallet, new { phoneNumber = phone }));

        Assert.Equal(contact, included.Id);
        Assert.NotNull(included.Json!.MembershipOf(wallet));
        Assert.Equal(1, await account.ContactsCount(wallet));
    }

    [Fact]
    public async Task Including_by_a_phone_nobody_has_answers_404_and_by_a_bad_phone_answers_400()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana]);

        Expect.Problem(HttpStatusCode.NotFound, "contact.not_found", await account.Include(wallet, new { phoneNumber = ContactSteps.NewPhone() }));
        Expect.Problem(HttpStatusCode.BadRequest, "contact.phone_invalid", await account.Include(wallet, new { phoneNumber = "11 99999-0000" }));
        Expect.Problem(HttpStatusCode.NotFound, "contact.not_found", await account.Include(wallet, new { contactId = Guid.NewGuid() }));
        Assert.Equal(0, await account.ContactsCount(wallet));
    }

    [Fact]
    public async Task Naming_a_contact_by_both_id_and_phone_or_by_neither_answers_400()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana]);
        var phone = ContactSteps.NewPhone();
        var contact = await account.CreateContact(phone);

        Expect.Problem(HttpStatusCode.BadRequest, "contact.reference_invalid", await account.Include(wallet, new { contactId = contact, phoneNumber = phone }));
        Expect.Problem(HttpStatusCode.BadRequest, "contact.reference_invalid", await account.Include(wallet, new { }));
        Assert.Equal(0, await account.ContactsCount(wallet));
    }

    [Fact]
    public async Task Including_into_an_unknown_wallet_answers_404()
    {
        var account = await Api.CreateAccount();
        var contact = await account.CreateContact();

        Expect.Problem(HttpStatusCode.NotFound, "wallet.not_found", await account.Include(Guid.NewGuid(), new { contactId = contact }));
        Assert.Empty((await account.ReadContact(contact)).Memberships());
    }

    [Fact]
    public async Task Including_into_a_Single_wallet_with_an_owner_binds_that_owner_with_a_deadline()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana], timeLimit: "P3M");
        var contact = await account.CreateContact();

        var before = DateTimeOffset.UtcNow;
        var included = Expect.Status(HttpStatusCode.OK, await account.Include(wallet, new { contactId = contact, ownerUserId = ana }));
        var after = DateTimeOffset.UtcNow;

        var membership = included.Json!.MembershipOf(wallet)!;
        Assert.Equal(ana, membership.GuidOf("owner"));
        var deadline = membership["deadline"]!.GetValue<DateTimeOffset>();
        Assert.InRange(deadline, before.AddMonths(3), after.AddMonths(3));
        Assert.Equal(ana, (await account.ReadContact(contact)).OwnerIn(wallet));
    }

    [Fact]
    public async Task An_owner_who_is_not_responsible_for_the_Single_wallet_answers_400_and_nothing_is_included()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var (bia, _) = await account.CreateUser("Bia");
        var wallet = await account.CreateWalletId(team, [ana]);
        var contact = await account.CreateContact();

        Expect.Problem(HttpStatusCode.BadRequest, "contact.owner_not_in_wallet", await account.Include(wallet, new { contactId = contact, ownerUserId = bia }));
        Expect.Problem(HttpStatusCode.BadRequest, "contact.owner_not_in_wallet", await account.Include(wallet, new { contactId = contact, ownerUserId = Guid.NewGuid() }));

        Assert.Empty((await account.ReadContact(contact)).Memberships());
        Assert.Equal(0, await account.ContactsCount(wallet));
    }

    [Fact]
    public async Task An_owner_on_a_Multiple_wallet_answers_400_contact_owner_not_allowed()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana], type: "Multiple");
        var contact = await account.CreateContact();

        Expect.Problem(HttpStatusCode.BadRequest, "contact.owner_not_allowed", await account.Include(wallet, new { contactId = contact, ownerUserId = ana }));
        Assert.Empty((await account.ReadContact(contact)).Memberships());
    }

    [Fact]
    public async Task A_contact_owned_in_one_Single_wallet_cannot_get_a_second_owner_elsewhere()
    {
        var account = await Api.CreateAccount();
        var (ana, anaTeam) = await account.CreateCrew();
        var (bia, biaTeam) = await account.CreateCrew("Bia");
        var anaWallet = await account.CreateWalletId(anaTeam, [ana]);
        var biaWallet = await account.CreateWalletId(biaTeam, [bia]);
        var contact = await account.CreateContact();
        Expect.Status(HttpStatusCode.OK, await account.Include(anaWallet, new { contactId = contact, ownerUserId = ana }));

        Expect.Problem(HttpStatusCode.Conflict, "contact.already_owned", await account.Include(biaWallet, new { contactId = contact, ownerUserId = bia }));

        var read = await account.ReadContact(contact);
        Assert.Equal([ana], read.Owners());
        Assert.Null(read.MembershipOf(biaWallet));
    }

    [Fact]
    public async Task Removing_a_contact_answers_204_and_releases_its_owner()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana]);
        var contact = await account.CreateContact();
        Expect.Status(HttpStatusCode.OK, await account.Include(wallet, new { contactId = contact, ownerUserId = ana }));

        Expect.Status(HttpStatusCode.NoContent, await account.Delete($"/api/v1/wallets/{wallet}/contacts/{contact}"));

        var read = await account.ReadContact(contact);
        Assert.Empty(read.Memberships());
        Assert.Empty(read.Owners());
        Assert.Equal(0, await account.ContactsCount(wallet));
        Expect.Problem(HttpStatusCode.NotFound, "contact.not_member", await account.Delete($"/api/v1/wallets/{wallet}/contacts/{contact}"));
        Expect.Problem(HttpStatusCode.NotFound, "contact.not_found", await account.Delete($"/api/v1/wallets/{wallet}/contacts/{Guid.NewGuid()}"));
    }

    [Fact]
    public async Task The_wallet_contact_list_pages_through_every_member_once()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana], type: "Multiple");
        var contacts = await account.CreateContacts(5);
        var outsider = await account.CreateContact();
        foreach (var contact in contacts)
        {
            Expect.Status(HttpStatusCode.OK, await account.Include(wallet, new { contactId = contact }));
        }

        var seen = new List<Guid>();
        for (var page = 1; page <= 3; page++)
        {
            var reply = Expect.Status(HttpStatusCode.OK, await account.Get($"/api/v1/wallets/{wallet}/contacts?pageNumber={page}&pageSize=2"));
            Assert.Equal(5, reply.Json!["totalItems"]!.GetValue<int>());
            Assert.Equal(3, reply.Json["totalPages"]!.GetValue<int>());
            Assert.Equal(page < 3, reply.Json["hasMorePages"]!.GetValue<bool>());
            Assert.Equal(page < 3 ? 2 : 1, reply.Json["items"]!.AsArray().Count);
            Assert.All(reply.Json["items"]!.AsArray(), item => Assert.NotNull(item!.MembershipOf(wallet)));
            seen.AddRange(reply.Json.Ids());
        }

        Assert.Equal(contacts.Order(), seen.Order());
        Assert.DoesNotContain(outsider, seen);

        var beyond = Expect.Status(HttpStatusCode.OK, await account.Get($"/api/v1/wallets/{wallet}/contacts?pageNumber=4&pageSize=2"));
        Assert.Empty(beyond.Json!["items"]!.AsArray());
        Assert.False(beyond.Json["hasMorePages"]!.GetValue<bool>());

        var whole = Expect.Status(HttpStatusCode.OK, await account.Get($"/api/v1/wallets/{wallet}/contacts"));
        Assert.Equal(5, whole.Json!["items"]!.AsArray().Count);
        Assert.Equal(5, await account.ContactsCount(wallet));
    }

    [Theory]
    [InlineData("pageSize=101")]
    [InlineData("pageSize=0")]
    [InlineData("pageNumber=0")]
    public async Task A_bad_page_of_wallet_contacts_answers_400(string query)
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana]);

        Expect.Problem(HttpStatusCode.BadRequest, "request.page_invalid", await account.Get($"/api/v1/wallets/{wallet}/contacts?{query}"));
    }

    [Fact]
    public async Task A_batch_include_answers_a_result_per_item_and_applies_only_the_good_ones()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana], type: "Multiple");
        var byId = await account.CreateContacts(2);
        var phone = ContactSteps.NewPhone();
        var byPhone = await account.CreateContact(phone);
        var unknownId = Guid.NewGuid();
        var unknownPhone = ContactSteps.NewPhone();

        var batch = Expect.Status(HttpStatusCode.OK, await account.Post($"/api/v1/wallets/{wallet}/contacts/batch", new
        {
            contactIds = new[] { byId[0], unknownId, byId[1] },
            phoneNumbers = new[] { phone, "not-a-phone", unknownPhone },
        }));

        var results = batch.Json!.AsArray();
        Assert.Equal(6, results.Count);
        Assert.Equal([0, 1, 2, 3, 4, 5], results.Select(r => r!["index"]!.GetValue<int>()));
        Assert.Equal([true, false, true, true, false, false], results.Select(r => r!["succeeded"]!.GetValue<bool>()));
        Assert.Equal(byId[0], results[0].GuidOf("contactId"));
        Assert.Equal("contact.not_found", results[1]!["error"]!["code"]!.GetValue<string>());
        Assert.Equal(byPhone, results[3].GuidOf("contactId"));
        Assert.Equal(phone, results[3]!["phoneNumber"]!.GetValue<string>());
        Assert.Equal("contact.phone_invalid", results[4]!["error"]!["code"]!.GetValue<string>());
        Assert.Equal("not-a-phone", results[4]!["phoneNumber"]!.GetValue<string>());
        Assert.Equal("contact.not_found", results[5]!["error"]!["code"]!.GetValue<string>());
        Assert.All(results.Where(r => r!["succeeded"]!.GetValue<bool>()), r => Assert.Null(r!["error"]));

        Assert.Equal(3, await account.ContactsCount(wallet));
        foreach (var contact in new[] { byId[0], byId[1], byPhone })
        {
            Assert.Equal("api", (await account.ReadContact(contact)).MembershipOf(wallet)!["source"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_batch_include_with_an_owner_binds_every_contact_to_it()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana]);
        var contacts = await account.CreateContacts(3);

        var batch = Expect.Status(HttpStatusCode.OK, await account.Post($"/api/v1/wallets/{wallet}/contacts/batch", new { contactIds = contacts, ownerUserId = ana }));

        Assert.All(batch.Json!.AsArray(), r => Assert.True(r!["succeeded"]!.GetValue<bool>(), r.ToJsonString()));
        foreach (var contact in contacts)
        {
            Assert.Equal(ana, (await account.ReadContact(contact)).OwnerIn(wallet));
        }
    }

    [Fact]
    public async Task A_batch_remove_answers_a_result_per_item_and_removes_only_members()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana]);
        var members = await account.CreateContacts(3);
        var phone = ContactSteps.NewPhone();
        var byPhone = await account.CreateContact(phone);
        var outsider = await account.CreateContact();
        Expect.Status(HttpStatusCode.OK, await account.Post($"/api/v1/wallets/{wallet}/contacts/batch", new { contactIds = members, phoneNumbers = new[] { phone } }));
        Assert.Equal(4, await account.ContactsCount(wallet));

        var batch = Expect.Status(HttpStatusCode.OK, await account.DeleteWithBody($"/api/v1/wallets/{wallet}/contacts/batch", new
        {
            contactIds = new[] { members[0], outsider, Guid.NewGuid(), members[2] },
            phoneNumbers = new[] { phone, "+1" },
        }));

        var results = batch.Json!.AsArray();
        Assert.Equal([true, false, false, true, true, false], results.Select(r => r!["succeeded"]!.GetValue<bool>()));
        Assert.Equal("contact.not_member", results[1]!["error"]!["code"]!.GetValue<string>());
        Assert.Equal("contact.not_found", results[2]!["error"]!["code"]!.GetValue<string>());
        Assert.Equal("contact.phone_invalid", results[5]!["error"]!["code"]!.GetValue<string>());

        Assert.Equal(1, await account.ContactsCount(wallet));
        var remaining = Expect.Status(HttpStatusCode.OK, await account.Get($"/api/v1/wallets/{wallet}/contacts"));
        Assert.Equal([members[1]], remaining.Json!.Ids());
    }

    [Fact]
    public async Task A_batch_of_more_than_1000_contacts_answers_400_and_changes_nothing()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana], type: "Multiple");
        var real = await account.CreateContact();
        Guid[] ids = [real, .. Enumerable.Range(0, 1000).Select(_ => Guid.NewGuid())];

        Expect.Problem(HttpStatusCode.BadRequest, "request.batch_too_large", await account.Post($"/api/v1/wallets/{wallet}/contacts/batch", new { contactIds = ids }));
        Expect.Problem(HttpStatusCode.BadRequest, "request.batch_too_large", await account.Post($"/api/v1/wallets/{wallet}/contacts/batch", new
        {
            contactIds = new[] { real },
            phoneNumbers = Enumerable.Range(0, 1000).Select(_ => ContactSteps.NewPhone()),
        }));
        Expect.Problem(HttpStatusCode.BadRequest, "request.batch_too_large", await account.DeleteWithBody($"/api/v1/wallets/{wallet}/contacts/batch", new { contactIds = ids }));

        Assert.Empty((await account.ReadContact(real)).Memberships());
        Assert.Equal(0, await account.ContactsCount(wallet));
    }

    [Fact]
    public async Task A_batch_of_exactly_1000_contacts_is_accepted()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana], type: "Multiple");
        var real = await account.CreateContact();
        Guid[] ids = [real, .. Enumerable.Range(0, 999).Select(_ => Guid.NewGuid())];

        var batch = Expect.Status(HttpStatusCode.OK, await account.Post($"/api/v1/wallets/{wallet}/contacts/batch", new { contactIds = ids }));

        var results = batch.Json!.AsArray();
        Assert.Equal(1000, results.Count);
        Assert.Equal(1, results.Count(r => r!["succeeded"]!.GetValue<bool>()));
        Assert.True(results[0]!["succeeded"]!.GetValue<bool>());
        Assert.Equal(1, await account.ContactsCount(wallet));
    }

    [Fact]
    public async Task An_empty_batch_answers_400()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana]);

        Expect.Problem(HttpStatusCode.BadRequest, "request.batch_too_large", await account.Post($"/api/v1/wallets/{wallet}/contacts/batch", new { contactIds = Array.Empty<Guid>() }));
    }

    [Fact]
    public async Task Agents_cannot_change_or_list_wallet_contacts()
    {
        var account = await Api.CreateAccount();
        var (ana, anaToken) = await account.CreateUser();
        var team = await account.CreateTeam(ana);
        var wallet = await account.CreateWalletId(team, [ana]);
        var contact = await account.CreateContact();

        Expect.Status(HttpStatusCode.Forbidden, await Api.Post($"/api/v1/wallets/{wallet}/contacts", new { contactId = contact }, anaToken));
        Expect.Status(HttpStatusCode.Forbidden, await Api.Post($"/api/v1/wallets/{wallet}/contacts/batch", new { contactIds = new[] { contact } }, anaToken));
        Expect.Status(HttpStatusCode.Forbidden, await Api.Get($"/api/v1/wallets/{wallet}/contacts", anaToken));
        Expect.Status(HttpStatusCode.Forbidden, await Api.Delete($"/api/v1/wallets/{wallet}/contacts/{contact}", anaToken));

        Assert.Equal(0, await account.ContactsCount(wallet));
    }

    [Fact]
    public async Task Another_accounts_wallet_answers_404_to_its_contact_list()
    {
        var owner = await Api.CreateAccount();
        var stranger = await Api.CreateAccount();
        var (ana, team) = await owner.CreateCrew();
        var wallet = await owner.CreateWalletId(team, [ana]);
        var mine = await stranger.CreateContact();

        Expect.Problem(HttpStatusCode.NotFound, "wallet.not_found", await stranger.Get($"/api/v1/wallets/{wallet}/contacts"));
        Expect.Problem(HttpStatusCode.NotFound, "wallet.not_found", await stranger.Include(wallet, new { contactId = mine }));
        var batch = Expect.Status(HttpStatusCode.OK, await stranger.Post($"/api/v1/wallets/{wallet}/contacts/batch", new { contactIds = new[] { mine } }));
        Assert.Equal("wallet.not_found", batch.Json![0]!["error"]!["code"]!.GetValue<string>());

        Assert.Equal(0, await owner.ContactsCount(wallet));
        Assert.Empty((await stranger.ReadContact(mine)).Memberships());
    }

    [Fact]
    public async Task A_wallet_with_no_responsible_user_and_no_manager_refuses_new_contacts_with_409()
    {
        var account = await Api.CreateAccount();
        var (_, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [], type: "Multiple");
        var contact = await account.CreateContact();

        Expect.Problem(HttpStatusCode.Conflict, "wallet.unavailable", await account.Include(wallet, new { contactId = contact }));
        Expect.Problem(HttpStatusCode.Conflict, "wallet.unavailable", await account.Post($"/api/v1/contacts/{contact}/wallets", new { walletId = wallet }));

        Assert.Empty((await account.ReadContact(contact)).Memberships());
        Assert.Equal(0, await account.ContactsCount(wallet));
    }

    [Fact]
    public async Task Deleting_a_wallet_ends_its_memberships_and_releases_their_owners()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana]);
        var contact = await account.CreateContact();
        Expect.Status(HttpStatusCode.OK, await account.Include(wallet, new { contactId = contact, ownerUserId = ana }));

        Expect.Status(HttpStatusCode.NoContent, await account.Delete($"/api/v1/wallets/{wallet}"));

        Assert.Empty((await account.ReadContact(contact)).Memberships());
        Assert.Equal("no-wallet", (await account.Route(contact))["reason"]);
        var history = Expect.Status(HttpStatusCode.OK, await account.Get($"/api/v1/contacts/{contact}/history")).Json!.AsArray();
        Assert.Equal(["left", "released"], history.Take(2).Select(h => h!["kind"]!.GetValue<string>()));
        Assert.Equal("wallet-deleted", history[0]!["reason"]!.GetValue<string>());
    }
}
