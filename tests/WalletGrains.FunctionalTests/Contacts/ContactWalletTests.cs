namespace WalletGrains.FunctionalTests.Contacts;

/// <summary>§2 include/remove from the contact side: POST and DELETE /api/v1/contacts/{id}/wallets.</summary>
public sealed class ContactWalletTests(GatewayFixture gateway)
{
    private Api Api => gateway.Api;

    [Fact]
    public async Task An_admin_includes_a_contact_in_a_wallet_from_the_contact_with_an_owner()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana]);
        var contact = await account.CreateContact();

        var included = Expect.Status(HttpStatusCode.OK, await account.Post($"/api/v1/contacts/{contact}/wallets", new { walletId = wallet, ownerUserId = ana }));

        var membership = included.Json!.MembershipOf(wallet)!;
        Assert.Equal(ana, membership.GuidOf("owner"));
        Assert.Equal("manual", membership["source"]!.GetValue<string>());
        Assert.Equal(1, await account.ContactsCount(wallet));
        var listed = Expect.Status(HttpStatusCode.OK, await account.Get($"/api/v1/wallets/{wallet}/contacts"));
        Assert.Equal([contact], listed.Json!.Ids());
    }

    [Fact]
    public async Task A_contact_joins_several_wallets_but_has_one_owner()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var single = await account.CreateWalletId(team, [ana]);
        var shared = await account.CreateWalletId(team, [ana], type: "Multiple");
        var contact = await account.CreateContact();

        Expect.Status(HttpStatusCode.OK, await account.Post($"/api/v1/contacts/{contact}/wallets", new { walletId = single, ownerUserId = ana }));
        var both = Expect.Status(HttpStatusCode.OK, await account.Post($"/api/v1/contacts/{contact}/wallets", new { walletId = shared }));

        Assert.Equal(2, both.Json!.Memberships().Count);
        Assert.Equal([ana], both.Json.Owners());
        Assert.Null(both.Json.OwnerIn(shared));
        Assert.Equal("Multiple", both.Json.MembershipOf(shared)!["walletType"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_owner_not_responsible_for_the_wallet_is_refused_from_the_contact_side_too()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var (bia, _) = await account.CreateUser("Bia");
        var wallet = await account.CreateWalletId(team, [ana]);
        var contact = await account.CreateContact();

        Expect.Problem(HttpStatusCode.BadRequest, "contact.owner_not_in_wallet", await account.Post($"/api/v1/contacts/{contact}/wallets", new { walletId = wallet, ownerUserId = bia }));
        Expect.Problem(HttpStatusCode.NotFound, "wallet.not_found", await account.Post($"/api/v1/contacts/{contact}/wallets", new { walletId = Guid.NewGuid() }));

        Assert.Empty((await account.ReadContact(contact)).Memberships());
        Assert.Equal(0, await account.ContactsCount(wallet));
    }

    [Fact]
    public async Task An_admin_removes_a_contact_from_a_wallet_from_the_contact_and_its_owner_is_released()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var single = await account.CreateWalletId(team, [ana]);
        var shared = await account.CreateWalletId(team, [ana], type: "Multiple");
        var contact = await account.CreateContact();
        Expect.Status(HttpStatusCode.OK, await account.Post($"/api/v1/contacts/{contact}/wallets", new { walletId = single, ownerUserId = ana }));
        Expect.Status(HttpStatusCode.OK, await account.Post($"/api/v1/contacts/{contact}/wallets", new { walletId = shared }));

        var removed = Expect.Status(HttpStatusCode.OK, await account.Delete($"/api/v1/contacts/{contact}/wallets/{single}"));

        Assert.Null(removed.Json!.MembershipOf(single));
        Assert.NotNull(removed.Json.MembershipOf(shared));
        Assert.Empty(removed.Json.Owners());
        Assert.Equal(0, await account.ContactsCount(single));
        Assert.Equal(1, await account.ContactsCount(shared));

        Expect.Problem(HttpStatusCode.NotFound, "contact.not_member", await account.Delete($"/api/v1/contacts/{contact}/wallets/{single}"));

        var history = Expect.Status(HttpStatusCode.OK, await account.Get($"/api/v1/contacts/{contact}/history")).Json!.AsArray();
        Assert.Equal(["left", "released"], history.Take(2).Select(h => h!["kind"]!.GetValue<string>()));
        Assert.All(history.Take(2), h => Assert.Equal(single, h.GuidOf("walletId")));
    }

    [Fact]
    public async Task Agents_cannot_include_or_remove_from_the_contact_side()
    {
        var account = await Api.CreateAccount();
        var (ana, anaToken) = await account.CreateUser();
        var team = await account.CreateTeam(ana);
        var wallet = await account.CreateWalletId(team, [ana]);
        var contact = await account.CreateContact();
        Expect.Status(HttpStatusCode.OK, await account.Post($"/api/v1/contacts/{contact}/wallets", new { walletId = wallet }));

        Expect.Problem(HttpStatusCode.Forbidden, "auth.forbidden", await Api.Post($"/api/v1/contacts/{contact}/wallets", new { walletId = wallet, ownerUserId = ana }, anaToken));
        Expect.Problem(HttpStatusCode.Forbidden, "auth.forbidden", await Api.Delete($"/api/v1/contacts/{contact}/wallets/{wallet}", anaToken));

        var read = await account.ReadContact(contact);
        Assert.NotNull(read.MembershipOf(wallet));
        Assert.Empty(read.Owners());
    }
}
