namespace WalletGrains.FunctionalTests.Contacts;

/// <summary>§2 transfer by an admin and the contact's history of ownership changes, newest first.</summary>
public sealed class TransferAndHistoryTests(GatewayFixture gateway)
{
    private Api Api => gateway.Api;

    [Fact]
    public async Task An_admin_transfers_a_contact_to_another_user_of_the_wallet()
    {
        var account = await Api.CreateAccount();
        var (ana, _) = await account.CreateUser();
        var (bia, _) = await account.CreateUser("Bia");
        var team = await account.CreateTeam(ana, bia);
        var wallet = await account.CreateWalletId(team, [ana, bia]);
        var contact = await account.CreateContact();
        Expect.Status(HttpStatusCode.OK, await account.Include(wallet, new { contactId = contact, ownerUserId = ana }));

        var moved = Expect.Status(HttpStatusCode.OK, await account.Post($"/api/v1/contacts/{contact}/transfer", new { walletId = wallet, toUserId = bia }));

        Assert.Equal([bia], moved.Json!.Owners());
        Assert.Equal(bia, moved.Json.OwnerIn(wallet));
        var routed = Expect.Status(HttpStatusCode.OK, await account.Route(contact));
        Assert.Equal("sticky-owner", routed["reason"]);
        Assert.Equal(bia, routed.Json.GuidOf("userId"));
    }

    [Fact]
    public async Task An_admin_transfers_a_contact_into_another_Single_wallet()
    {
        var account = await Api.CreateAccount();
        var (ana, anaTeam) = await account.CreateCrew();
        var (bia, biaTeam) = await account.CreateCrew("Bia");
        var anaWallet = await account.CreateWalletId(anaTeam, [ana]);
        var biaWallet = await account.CreateWalletId(biaTeam, [bia]);
        var contact = await account.CreateContact();
        Expect.Status(HttpStatusCode.OK, await account.Include(anaWallet, new { contactId = contact, ownerUserId = ana }));

        var moved = Expect.Status(HttpStatusCode.OK, await account.Post($"/api/v1/contacts/{contact}/transfer", new { walletId = biaWallet, toUserId = bia }));

        Assert.Equal([bia], moved.Json!.Owners());
        Assert.Equal(bia, moved.Json.OwnerIn(biaWallet));
        Assert.NotNull(moved.Json.MembershipOf(anaWallet));
        Assert.Null(moved.Json.OwnerIn(anaWallet));
        Assert.Equal(1, await account.ContactsCount(biaWallet));
    }

    [Fact]
    public async Task An_agent_cannot_transfer_or_read_history_and_nothing_changes()
    {
        var account = await Api.CreateAccount();
        var (ana, anaToken) = await account.CreateUser();
        var (bia, _) = await account.CreateUser("Bia");
        var team = await account.CreateTeam(ana, bia);
        var wallet = await account.CreateWalletId(team, [ana, bia]);
        var contact = await account.CreateContact();
        Expect.Status(HttpStatusCode.OK, await account.Include(wallet, new { contactId = contact, ownerUserId = bia }));

        Expect.Problem(HttpStatusCode.Forbidden, "auth.forbidden", await Api.Post($"/api/v1/contacts/{contact}/transfer", new { walletId = wallet, toUserId = ana }, anaToken));
        Expect.Problem(HttpStatusCode.Forbidden, "auth.forbidden", await Api.Get($"/api/v1/contacts/{contact}/history", anaToken));

        Assert.Equal([bia], (await account.ReadContact(contact)).Owners());
    }

    [Fact]
    public async Task A_transfer_to_a_user_not_responsible_for_the_wallet_answers_400()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var (bia, _) = await account.CreateUser("Bia");
        var wallet = await account.CreateWalletId(team, [ana]);
        var shared = await account.CreateWalletId(team, [ana], type: "Multiple");
        var contact = await account.CreateContact();
        Expect.Status(HttpStatusCode.OK, await account.Include(wallet, new { contactId = contact, ownerUserId = ana }));

        Expect.Problem(HttpStatusCode.BadRequest, "contact.owner_not_in_wallet", await account.Post($"/api/v1/contacts/{contact}/transfer", new { walletId = wallet, toUserId = bia }));
        Expect.Problem(HttpStatusCode.BadRequest, "contact.owner_not_allowed", await account.Post($"/api/v1/contacts/{contact}/transfer", new { walletId = shared, toUserId = ana }));
        Expect.Problem(HttpStatusCode.NotFound, "wallet.not_found", await account.Post($"/api/v1/contacts/{contact}/transfer", new { walletId = Guid.NewGuid(), toUserId = ana }));

        Assert.Equal([ana], (await account.ReadContact(contact)).Owners());
    }

    [Fact]
    public async Task History_lists_every_change_newest_first_with_actor_and_reason()
    {
        var account = await Api.CreateAccount();
        var (ana, _) = await account.CreateUser();
        var (bia, _) = await account.CreateUser("Bia");
        var team = await account.CreateTeam(ana, bia);
        var wallet = await account.CreateWalletId(team, [ana, bia], automatic: true);
        var contact = await account.CreateContact();

        Expect.Status(HttpStatusCode.OK, await account.Assumed(contact, ana)); // joined + bound (ana)
        Expect.Status(HttpStatusCode.OK, await account.Post($"/api/v1/contacts/{contact}/transfer", new { walletId = wallet, toUserId = bia })); // released (ana) + transferred (bia)
        Expect.Status(HttpStatusCode.OK, await account.Completed(contact, bia, "WON")); // released (bia)

        var history = Expect.Status(HttpStatusCode.OK, await account.Get($"/api/v1/contacts/{contact}/history")).Json!.AsArray();

        Assert.Equal(["released", "transferred", "released", "bound", "joined"], history.Select(h => h!["kind"]!.GetValue<string>()));
        Assert.Equal([bia, bia, ana, ana, null], history.Select(h => h.GuidOf("userId")));
        Assert.All(history, h => Assert.Equal(wallet, h.GuidOf("walletId")));
        Assert.Equal(["sale", "transfer", "transfer", "assumed", "automatic"], history.Select(h => h!["reason"]!.GetValue<string>()));
        Assert.Equal(account.AdminUserId, history[1].GuidOf("actorUserId"));

        var sequences = history.Select(h => h!["sequence"]!.GetValue<long>()).ToList();
        Assert.Equal(sequences.OrderDescending(), sequences);
        Assert.Equal(sequences.Count, sequences.Distinct().Count());
        var times = history.Select(h => h!["at"]!.GetValue<DateTimeOffset>()).ToList();
        Assert.Equal(times.OrderDescending(), times);
    }

    [Fact]
    public async Task History_records_the_binding_made_by_routing_and_the_removal()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana], automatic: true);
        var contact = await account.CreateContact();
        Expect.Status(HttpStatusCode.OK, await account.Include(wallet, new { contactId = contact }));
        Expect.Status(HttpStatusCode.OK, await account.Route(contact));
        Expect.Status(HttpStatusCode.NoContent, await account.Delete($"/api/v1/wallets/{wallet}/contacts/{contact}"));

        var history = Expect.Status(HttpStatusCode.OK, await account.Get($"/api/v1/contacts/{contact}/history")).Json!.AsArray();

        Assert.Equal(["left", "released", "bound", "joined"], history.Select(h => h!["kind"]!.GetValue<string>()));
        Assert.Equal("auto-assigned", history[2]!["reason"]!.GetValue<string>());
        Assert.Null(history[2].GuidOf("actorUserId"));
        Assert.Equal(ana, history[2].GuidOf("userId"));
        Assert.Equal("manual", history[3]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_new_contact_has_an_empty_history_and_an_unknown_one_answers_404()
    {
        var account = await Api.CreateAccount();
        var contact = await account.CreateContact();

        var history = Expect.Status(HttpStatusCode.OK, await account.Get($"/api/v1/contacts/{contact}/history"));
        Assert.Empty(history.Json!.AsArray());
        Expect.Problem(HttpStatusCode.NotFound, "contact.not_found", await account.Get($"/api/v1/contacts/{Guid.NewGuid()}/history"));
    }
}
