namespace WalletGrains.FunctionalTests.Contacts;

/// <summary>§5 for conversations: incomplete bodies and restricted agents change nothing.</summary>
public sealed class ConversationGuardTests(GatewayFixture gateway)
{
    private Api Api => gateway.Api;

    [Fact]
    public async Task A_completed_conversation_without_a_classification_answers_400_and_keeps_the_owner()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana], automatic: true);
        var contact = await account.CreateContact();
        Expect.Status(HttpStatusCode.OK, await account.Assumed(contact, ana));

        var reply = await account.Post("/api/v1/conversations/completed", new { contactId = contact, userId = ana });

        Expect.Problem(HttpStatusCode.BadRequest, "conversation.classification_invalid", reply);
        Assert.Equal(ana, (await account.ReadContact(contact)).OwnerIn(wallet));
    }

    [Fact]
    public async Task A_completed_conversation_by_an_unknown_user_answers_404_and_keeps_the_owner()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana], automatic: true);
        var contact = await account.CreateContact();
        Expect.Status(HttpStatusCode.OK, await account.Assumed(contact, ana));

        var reply = await account.Post("/api/v1/conversations/completed", new { contactId = contact, userId = Guid.NewGuid(), classification = "WON" });

        Expect.Status(HttpStatusCode.NotFound, reply);
        Assert.Equal(ana, (await account.ReadContact(contact)).OwnerIn(wallet));
    }

    [Fact]
    public async Task A_restricted_agent_cannot_complete_or_route_a_conversation_of_a_contact_it_cannot_see()
    {
        var account = await Api.CreateAccount();
        Expect.Status(HttpStatusCode.OK, await account.Put("/api/v1/settings/wallets", new { enabled = true, restrictContactAccess = true }));
        var (ana, anaToken) = await account.CreateUser();
        var (bia, _) = await account.CreateUser("Bia");
        await account.CreateWalletId(await account.CreateTeam(ana), [ana]);
        var biaWallet = await account.CreateWalletId(await account.CreateTeam(bia), [bia]);
        var other = await account.CreateContact();
        Expect.Status(HttpStatusCode.OK, await account.Include(biaWallet, new { contactId = other, ownerUserId = bia }));
        Expect.Status(HttpStatusCode.NotFound, await Api.Get($"/api/v1/contacts/{other}", anaToken));

        var done = await Api.Post("/api/v1/conversations/completed", new { contactId = other, userId = bia, classification = "WON" }, anaToken);
        var routed = await Api.Post("/api/v1/conversations/route", new { contactId = other }, anaToken);

        Expect.Status(HttpStatusCode.NotFound, done);
        Expect.Status(HttpStatusCode.NotFound, routed);
        Assert.Equal(bia, (await account.ReadContact(other)).OwnerIn(biaWallet));
    }
}
