namespace WalletGrains.FunctionalTests.Contacts;

/// <summary>§2 routing, assumed and completed conversations over HTTP: each of the five reasons and sticky ownership.</summary>
public sealed class ConversationTests(GatewayFixture gateway)
{
    private Api Api => gateway.Api;

    [Fact]
    public async Task A_contact_in_an_automatic_Single_wallet_is_auto_assigned_then_sticks_to_its_owner()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana], automatic: true);
        var contact = await account.CreateContact();
        Expect.Status(HttpStatusCode.OK, await account.Include(wallet, new { contactId = contact }));

        var first = Expect.Status(HttpStatusCode.OK, await account.Route(contact));
        Assert.Equal("auto-assigned", first["reason"]);
        Assert.Equal(wallet, first.Json.GuidOf("walletId"));
        Assert.Equal(ana, first.Json.GuidOf("userId"));
        Assert.Equal(team, first.Json.GuidOf("teamId"));
        Assert.Equal(ana, (await account.ReadContact(contact)).OwnerIn(wallet));

        var second = Expect.Status(HttpStatusCode.OK, await account.Route(contact));
        Assert.Equal("sticky-owner", second["reason"]);
        Assert.Equal(wallet, second.Json.GuidOf("walletId"));
        Assert.Equal(ana, second.Json.GuidOf("userId"));
        Assert.Empty(second.Json!["candidates"]!.AsArray());
    }

    [Fact]
    public async Task An_agent_may_route_conversations()
    {
        var account = await Api.CreateAccount();
        var (ana, anaToken) = await account.CreateUser();
        var team = await account.CreateTeam(ana);
        var wallet = await account.CreateWalletId(team, [ana], automatic: true);
        var contact = await account.CreateContact();
        Expect.Status(HttpStatusCode.OK, await account.Include(wallet, new { contactId = contact, ownerUserId = ana }));

        var routed = Expect.Status(HttpStatusCode.OK, await Api.Post("/api/v1/conversations/route", new { contactId = contact }, anaToken));
        Assert.Equal("sticky-owner", routed["reason"]);
    }

    [Fact]
    public async Task An_unavailable_owner_overflows_to_the_team_and_keeps_the_contact()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana], automatic: true);
        var contact = await account.CreateContact();
        Expect.Status(HttpStatusCode.OK, await account.Include(wallet, new { contactId = contact, ownerUserId = ana }));

        Expect.Status(HttpStatusCode.OK, await account.SetAvailability(ana, "Unavailable"));
        var overflow = Expect.Status(HttpStatusCode.OK, await account.Route(contact));
        Assert.Equal("owner-unavailable", overflow["reason"]);
        Assert.Equal(wallet, overflow.Json.GuidOf("walletId"));
        Assert.Equal(team, overflow.Json.GuidOf("teamId"));
        Assert.Null(overflow.Json.GuidOf("userId"));
        Assert.Equal(ana, (await account.ReadContact(contact)).OwnerIn(wallet));

        Expect.Status(HttpStatusCode.OK, await account.SetAvailability(ana, "Available"));
        var back = Expect.Status(HttpStatusCode.OK, await account.Route(contact));
        Assert.Equal("sticky-owner", back["reason"]);
        Assert.Equal(ana, back.Json.GuidOf("userId"));
    }

    [Fact]
    public async Task A_contact_in_a_manual_Single_wallet_without_owner_goes_to_the_wallet_queue()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana], automatic: false);
        var contact = await account.CreateContact();
        Expect.Status(HttpStatusCode.OK, await account.Include(wallet, new { contactId = contact }));

        var routed = Expect.Status(HttpStatusCode.OK, await account.Route(contact));

        Assert.Equal("wallet-queue", routed["reason"]);
        Assert.Equal(wallet, routed.Json.GuidOf("walletId"));
        Assert.Equal(team, routed.Json.GuidOf("teamId"));
        Assert.Null(routed.Json.GuidOf("userId"));
        Assert.Empty((await account.ReadContact(contact)).Owners());
    }

    [Fact]
    public async Task A_contact_only_in_a_Multiple_wallet_is_suggested_to_a_user_and_nobody_becomes_owner()
    {
        var account = await Api.CreateAccount();
        var (ana, _) = await account.CreateUser();
        var (bia, _) = await account.CreateUser("Bia");
        var team = await account.CreateTeam(ana, bia);
        var wallet = await account.CreateWalletId(team, [ana, bia], type: "Multiple");
        var contact = await account.CreateContact();
        Expect.Status(HttpStatusCode.OK, await account.Include(wallet, new { contactId = contact }));

        var routed = Expect.Status(HttpStatusCode.OK, await account.Route(contact));

        Assert.Equal("shared-wallet", routed["reason"]);
        Assert.Equal(wallet, routed.Json.GuidOf("walletId"));
        Assert.Equal(team, routed.Json.GuidOf("teamId"));
        Assert.Contains(routed.Json.GuidOf("userId")!.Value, new[] { ana, bia });
        var candidates = routed.Json!["candidates"]!.AsArray().Select(c => c!.GetValue<Guid>()).ToList();
        Assert.Subset(new HashSet<Guid> { ana, bia }, candidates.ToHashSet());
        Assert.Empty((await account.ReadContact(contact)).Owners());

        var again = Expect.Status(HttpStatusCode.OK, await account.Route(contact));
        Assert.Equal("shared-wallet", again["reason"]);
    }

    [Fact]
    public async Task A_contact_in_no_wallet_goes_to_the_accounts_default_team()
    {
        var account = await Api.CreateAccount();
        var contact = await account.CreateContact();

        var routed = Expect.Status(HttpStatusCode.OK, await account.Route(contact));

        Assert.Equal("no-wallet", routed["reason"]);
        Assert.Null(routed.Json.GuidOf("walletId"));
        Assert.Null(routed.Json.GuidOf("userId"));
    }

    [Fact]
    public async Task Routing_an_unknown_contact_answers_404()
    {
        var account = await Api.CreateAccount();

        Expect.Problem(HttpStatusCode.NotFound, "contact.not_found", await account.Route(Guid.NewGuid()));
    }

    [Fact]
    public async Task Assuming_a_conversation_puts_the_contact_in_the_users_automatic_Single_wallet_as_owner()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var manual = await account.CreateWalletId(team, [ana], automatic: false, name: "Manual da Ana");
        var automatic = await account.CreateWalletId(team, [ana], automatic: true, name: "Automática da Ana");
        var contact = await account.CreateContact();

        var assumed = Expect.Status(HttpStatusCode.OK, await account.Assumed(contact, ana));

        var membership = assumed.Json!.MembershipOf(automatic);
        Assert.NotNull(membership);
        Assert.Equal(ana, membership.GuidOf("owner"));
        Assert.Equal("automatic", membership["source"]!.GetValue<string>());
        Assert.Null(assumed.Json.MembershipOf(manual));
        Assert.Equal(1, await account.ContactsCount(automatic));

        var routed = Expect.Status(HttpStatusCode.OK, await account.Route(contact));
        Assert.Equal("sticky-owner", routed["reason"]);
        Assert.Equal(ana, routed.Json.GuidOf("userId"));
    }

    [Fact]
    public async Task Assuming_an_owned_contact_keeps_its_owner()
    {
        var account = await Api.CreateAccount();
        var (ana, anaTeam) = await account.CreateCrew();
        var (bia, biaTeam) = await account.CreateCrew("Bia");
        var anaWallet = await account.CreateWalletId(anaTeam, [ana], automatic: true);
        var biaWallet = await account.CreateWalletId(biaTeam, [bia], automatic: true);
        var contact = await account.CreateContact();
        Expect.Status(HttpStatusCode.OK, await account.Assumed(contact, ana));

        var second = Expect.Status(HttpStatusCode.OK, await account.Assumed(contact, bia));

        Assert.Equal([ana], second.Json!.Owners());
        Assert.Null(second.Json.MembershipOf(biaWallet));
        Assert.Equal(ana, second.Json.OwnerIn(anaWallet));
    }

    [Fact]
    public async Task Assuming_by_a_user_without_an_automatic_Single_wallet_changes_nothing()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        await account.CreateWalletId(team, [ana], automatic: false);
        var contact = await account.CreateContact();

        var assumed = Expect.Status(HttpStatusCode.OK, await account.Assumed(contact, ana));

        Assert.Empty(assumed.Json!.Memberships());
        Expect.Problem(HttpStatusCode.NotFound, "user.not_found", await account.Assumed(contact, Guid.NewGuid()));
    }

    [Fact]
    public async Task A_conversation_completed_as_WON_releases_the_owner_and_keeps_the_membership()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana], automatic: true);
        var contact = await account.CreateContact();
        Expect.Status(HttpStatusCode.OK, await account.Assumed(contact, ana));

        var won = Expect.Status(HttpStatusCode.OK, await account.Completed(contact, ana, "WON"));

        var membership = won.Json!.MembershipOf(wallet);
        Assert.NotNull(membership);
        Assert.Null(membership["owner"]);
        Assert.Null(membership["deadline"]);
        Assert.Empty((await account.ReadContact(contact)).Owners());
        Assert.Equal(1, await account.ContactsCount(wallet));

        var history = Expect.Status(HttpStatusCode.OK, await account.Get($"/api/v1/contacts/{contact}/history")).Json!.AsArray();
        Assert.Equal("released", history[0]!["kind"]!.GetValue<string>());
        Assert.Equal("sale", history[0]!["reason"]!.GetValue<string>());
        Assert.Equal(ana, history[0].GuidOf("userId"));
    }

    [Theory]
    [InlineData("LOST")]
    [InlineData("INFO")]
    [InlineData("OTHER")]
    public async Task A_conversation_completed_without_a_sale_keeps_the_owner(string classification)
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana], automatic: true);
        var contact = await account.CreateContact();
        Expect.Status(HttpStatusCode.OK, await account.Assumed(contact, ana));

        var completed = Expect.Status(HttpStatusCode.OK, await account.Completed(contact, ana, classification));

        Assert.Equal(ana, completed.Json!.OwnerIn(wallet));
        Assert.Equal(ana, (await account.ReadContact(contact)).OwnerIn(wallet));
    }

    [Theory]
    [InlineData("\"MAYBE\"")]
    [InlineData("0")]
    [InlineData("null")]
    public async Task A_bad_classification_answers_400_and_keeps_the_owner(string classification)
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana], automatic: true);
        var contact = await account.CreateContact();
        Expect.Status(HttpStatusCode.OK, await account.Assumed(contact, ana));

        var reply = await account.SendRaw(HttpMethod.Post, "/api/v1/conversations/completed",
            $$"""{"contactId":"{{contact}}","userId":"{{ana}}","classification":{{classification}}}""");

        Expect.Status(HttpStatusCode.BadRequest, Expect.ClientProblem(reply));
        Assert.Equal(ana, (await account.ReadContact(contact)).OwnerIn(wallet));
    }

    [Fact]
    public async Task A_blocked_owner_is_released_and_the_contact_stays_in_the_wallet()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana], automatic: false);
        var contact = await account.CreateContact();
        Expect.Status(HttpStatusCode.OK, await account.Include(wallet, new { contactId = contact, ownerUserId = ana }));

        Expect.Status(HttpStatusCode.OK, await account.Patch($"/api/v1/users/{ana}", new { status = "Blocked" }));

        var read = await account.ReadContact(contact);
        Assert.NotNull(read.MembershipOf(wallet));
        Assert.Empty(read.Owners());
        Assert.Equal("wallet-queue", (await account.Route(contact))["reason"]);
    }

    [Fact]
    public async Task Assuming_with_another_accounts_user_answers_404_and_changes_nothing()
    {
        var account = await Api.CreateAccount();
        var stranger = await Api.CreateAccount();
        var (zeca, team) = await stranger.CreateCrew("Zeca");
        await stranger.CreateWalletId(team, [zeca], automatic: true);
        var contact = await account.CreateContact();

        Expect.Problem(HttpStatusCode.NotFound, "user.not_found", await account.Assumed(contact, zeca));

        Assert.Empty((await account.ReadContact(contact)).Memberships());
    }
}
