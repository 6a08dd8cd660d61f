namespace WalletGrains.FunctionalTests.Contacts;

/// <summary>§1/§3: contacts — one per E.164 phone per account, read and edited by admins and agents, invisible to other accounts.</summary>
public sealed class ContactTests(GatewayFixture gateway)
{
    private static readonly string[] SouthOnly = ["Sul"];

    private Api Api => gateway.Api;

    [Fact]
    public async Task An_admin_creates_a_contact_and_gets_201_with_the_contact()
    {
        var account = await Api.CreateAccount();
        var phone = ContactSteps.NewPhone();

        var created = Expect.Status(HttpStatusCode.Created, await account.Post("/api/v1/contacts", new
        {
            phoneNumber = phone,
            name = "Maria Souza",
            attributes = new { region = "Sul", revenue = 1500.5m, segment = "Varejo" },
        }));

        Assert.Equal($"/api/v1/contacts/{created.Id}", created.Location?.OriginalString);
        Assert.Equal(phone, created["phoneNumber"]);
        Assert.Equal("Maria Souza", created["name"]);
        Assert.Equal("Active", created["status"]);
        Assert.Equal("Sul", created.Json!["attributes"]!["region"]!.GetValue<string>());
        Assert.Equal(1500.5m, created.Json["attributes"]!["revenue"]!.GetValue<decimal>());
        Assert.Empty(created.Json.Memberships());

        var read = await account.ReadContact(created.Id);
        Assert.Equal(created.Json.ToJsonString(), read.ToJsonString());
    }

    [Fact]
    public async Task An_agent_creates_and_reads_contacts_too()
    {
        var account = await Api.CreateAccount();
        var (_, agentToken) = await account.CreateUser("Bia");

        var created = Expect.Status(HttpStatusCode.Created, await Api.Post("/api/v1/contacts", new { phoneNumber = ContactSteps.NewPhone() }, agentToken));
        Expect.Status(HttpStatusCode.OK, await Api.Get($"/api/v1/contacts/{created.Id}", agentToken));
    }

    [Theory]
    [InlineData("5511999990000")] // no '+'
    [InlineData("+0511999990000")] // country code cannot start with 0
    [InlineData("+5511")] // too short
    [InlineData("+5511999990000123")] // more than 15 digits
    [InlineData("+55 11 99999-0000")] // formatting characters
    [InlineData("tel:+5511999990000")]
    [InlineData("")]
    public async Task A_phone_that_is_not_E164_answers_400_contact_phone_invalid(string phone)
    {
        var account = await Api.CreateAccount();

        Expect.Problem(HttpStatusCode.BadRequest, "contact.phone_invalid", await account.Post("/api/v1/contacts", new { phoneNumber = phone, name = "X" }));
    }

    [Fact]
    public async Task A_contact_without_a_phone_answers_400_contact_phone_invalid()
    {
        var account = await Api.CreateAccount();

        Expect.Problem(HttpStatusCode.BadRequest, "contact.phone_invalid", await account.Post("/api/v1/contacts", new { name = "Sem telefone" }));
    }

    [Fact]
    public async Task A_phone_is_trimmed_before_it_is_checked_and_stored()
    {
        var account = await Api.CreateAccount();
        var phone = ContactSteps.NewPhone();

        var created = Expect.Status(HttpStatusCode.Created, await account.Post("/api/v1/contacts", new { phoneNumber = $"  {phone} " }));
        Assert.Equal(phone, created["phoneNumber"]);
    }

    [Fact]
    public async Task A_second_contact_with_the_same_phone_answers_409_contact_phone_taken()
    {
        var account = await Api.CreateAccount();
        var phone = ContactSteps.NewPhone();
        var first = await account.CreateContact(phone, "Primeiro");

        Expect.Problem(HttpStatusCode.Conflict, "contact.phone_taken", await account.Post("/api/v1/contacts", new { phoneNumber = phone, name = "Segundo" }));
        Expect.Problem(HttpStatusCode.Conflict, "contact.phone_taken", await account.Post("/api/v1/contacts", new { phoneNumber = $" {phone}  ", name = "Terceiro" }));

        Assert.Equal("Primeiro", (await account.ReadContact(first))["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_same_phone_may_exist_once_in_each_account()
    {
        var first = await Api.CreateAccount();
        var second = await Api.CreateAccount();
        var phone = ContactSteps.NewPhone();

        var a = await first.CreateContact(phone);
        var b = await second.CreateContact(phone);

        Assert.NotEqual(a, b);
    }

    [Fact]
    public async Task Patch_changes_the_fields_sent_and_keeps_the_others()
    {
        var account = await Api.CreateAccount();
        var phone = ContactSteps.NewPhone();
        var created = Expect.Status(HttpStatusCode.Created, await account.Post("/api/v1/contacts", new
        {
            phoneNumber = phone,
            name = "Maria",
            attributes = new { region = "Sul" },
        }));

        var renamed = Expect.Status(HttpStatusCode.OK, await account.Patch($"/api/v1/contacts/{created.Id}", new { name = "  Maria Souza " }));
        Assert.Equal("Maria Souza", renamed["name"]);
        Assert.Equal("Sul", renamed.Json!["attributes"]!["region"]!.GetValue<string>());
        Assert.Equal("Active", renamed["status"]);
        Assert.Equal(phone, renamed["phoneNumber"]);

        var archived = Expect.Status(HttpStatusCode.OK, await account.Patch($"/api/v1/contacts/{created.Id}", new
        {
            status = "Archived",
            attributes = new { segment = "Atacado" },
        }));
        Assert.Equal("Archived", archived["status"]);
        Assert.Equal("Maria Souza", archived["name"]);
        Assert.Equal("Atacado", archived.Json!["attributes"]!["segment"]!.GetValue<string>());
        Assert.Null(archived.Json["attributes"]!["region"]); // attributes replace the whole set

        Assert.Equal(archived.Json.ToJsonString(), (await account.ReadContact(created.Id)).ToJsonString());
    }

    [Fact]
    public async Task A_patch_with_a_bad_status_answers_400_and_changes_nothing()
    {
        var account = await Api.CreateAccount();
        var contact = await account.CreateContact(name: "Maria");
        var before = (await account.ReadContact(contact)).ToJsonString();

        Expect.ClientProblem(await account.Patch($"/api/v1/contacts/{contact}", new { status = "Vip", name = "Outra" }));
        Expect.Problem(HttpStatusCode.BadRequest, "contact.name_invalid", await account.Patch($"/api/v1/contacts/{contact}", new { name = new string('n', 129) }));

        Assert.Equal(before, (await account.ReadContact(contact)).ToJsonString());
    }

    [Fact]
    public async Task An_unknown_contact_id_answers_404()
    {
        var account = await Api.CreateAccount();

        Expect.Problem(HttpStatusCode.NotFound, "contact.not_found", await account.Get($"/api/v1/contacts/{Guid.NewGuid()}"));
        Expect.Problem(HttpStatusCode.NotFound, "contact.not_found", await account.Patch($"/api/v1/contacts/{Guid.NewGuid()}", new { name = "X" }));
    }

    [Fact]
    public async Task Another_accounts_contact_answers_404_everywhere_and_stays_unchanged()
    {
        var owner = await Api.CreateAccount();
        var stranger = await Api.CreateAccount();
        var (ana, team) = await owner.CreateCrew();
        var wallet = await owner.CreateWalletId(team, [ana]);
        var contact = await owner.CreateContact(name: "Maria");
        Expect.Status(HttpStatusCode.OK, await owner.Include(wallet, new { contactId = contact, ownerUserId = ana }));
        var before = (await owner.ReadContact(contact)).ToJsonString();

        var (bia, strangerTeam) = await stranger.CreateCrew("Bia");
        var strangerWallet = await stranger.CreateWalletId(strangerTeam, [bia]);

        Expect.Problem(HttpStatusCode.NotFound, "contact.not_found", await stranger.Get($"/api/v1/contacts/{contact}"));
        Expect.Problem(HttpStatusCode.NotFound, "contact.not_found", await stranger.Patch($"/api/v1/contacts/{contact}", new { name = "Roubada", status = "Blocked" }));
        Expect.Problem(HttpStatusCode.NotFound, "contact.not_found", await stranger.Get($"/api/v1/contacts/{contact}/history"));
        Expect.Problem(HttpStatusCode.NotFound, "contact.not_found", await stranger.Post($"/api/v1/contacts/{contact}/wallets", new { walletId = strangerWallet }));
        Expect.Problem(HttpStatusCode.NotFound, "contact.not_found", await stranger.Delete($"/api/v1/contacts/{contact}/wallets/{wallet}"));
        Expect.Problem(HttpStatusCode.NotFound, "contact.not_found", await stranger.Post($"/api/v1/contacts/{contact}/transfer", new { walletId = strangerWallet, toUserId = bia }));
        Expect.Problem(HttpStatusCode.NotFound, "contact.not_found", await stranger.Route(contact));
        Expect.Problem(HttpStatusCode.NotFound, "contact.not_found", await stranger.Assumed(contact, bia));
        Expect.Problem(HttpStatusCode.NotFound, "contact.not_found", await stranger.Completed(contact, bia, "WON"));
        Expect.Status(HttpStatusCode.NotFound, await stranger.Include(strangerWallet, new { contactId = contact }));
        Expect.Status(HttpStatusCode.NotFound, await stranger.Delete($"/api/v1/wallets/{strangerWallet}/contacts/{contact}"));

        Assert.Equal(before, (await owner.ReadContact(contact)).ToJsonString());
        Assert.Equal(0, await stranger.ContactsCount(strangerWallet));
    }

    [Fact]
    public async Task Contacts_need_a_token()
    {
        var account = await Api.CreateAccount();
        var contact = await account.CreateContact();

        Expect.Status(HttpStatusCode.Unauthorized, await Api.Post("/api/v1/contacts", new { phoneNumber = ContactSteps.NewPhone() }, token: null));
        Expect.Status(HttpStatusCode.Unauthorized, await Api.Get($"/api/v1/contacts/{contact}", token: null));
        Expect.Status(HttpStatusCode.Unauthorized, await Api.Get($"/api/v1/contacts/{contact}", token: "not-a-token"));
        Expect.Status(HttpStatusCode.Unauthorized, await Api.Post("/api/v1/conversations/route", new { contactId = contact }, token: null));
    }

    [Fact]
    public async Task A_contact_joins_the_automatic_Multiple_wallets_its_attributes_match_and_leaves_when_they_stop_matching()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var south = Expect.Status(HttpStatusCode.Created, await account.CreateWallet(new
        {
            name = "Sul",
            type = "Multiple",
            automaticAttribution = true,
            teams = new[] { new { teamId = team, userIds = new[] { ana } } },
            criteria = new { regions = SouthOnly },
        })).Id;
        var manual = await account.CreateWalletId(team, [ana], type: "Multiple");

        var created = Expect.Status(HttpStatusCode.Created, await account.Post("/api/v1/contacts", new { phoneNumber = ContactSteps.NewPhone(), attributes = new { region = "sul" } }));
        Assert.Equal("automatic", created.Json.MembershipOf(south)!["source"]!.GetValue<string>());
        Assert.Equal(1, await account.ContactsCount(south));
        Expect.Status(HttpStatusCode.OK, await account.Include(manual, new { contactId = created.Id }));

        var moved = Expect.Status(HttpStatusCode.OK, await account.Patch($"/api/v1/contacts/{created.Id}", new { attributes = new { region = "Norte" } }));

        Assert.Null(moved.Json.MembershipOf(south));
        Assert.NotNull(moved.Json.MembershipOf(manual)); // manual memberships stay
        Assert.Equal(0, await account.ContactsCount(south));

        var back = Expect.Status(HttpStatusCode.OK, await account.Patch($"/api/v1/contacts/{created.Id}", new { attributes = new { region = "Sul" } }));
        Assert.NotNull(back.Json.MembershipOf(south));
    }

    [Fact]
    public async Task With_restricted_contact_access_an_agent_in_a_wallet_sees_only_its_wallets_contacts()
    {
        var account = await Api.CreateAccount();
        Expect.Status(HttpStatusCode.OK, await account.Put("/api/v1/settings/wallets", new { enabled = true, restrictContactAccess = true }));
        var (ana, anaToken) = await account.CreateUser();
        var (_, walletlessToken) = await account.CreateUser("Livre");
        var wallet = await account.CreateWalletId(await account.CreateTeam(ana), [ana]);
        var mine = await account.CreateContact(name: "Minha");
        var other = await account.CreateContact(name: "Outra");
        Expect.Status(HttpStatusCode.OK, await account.Include(wallet, new { contactId = mine }));

        Expect.Status(HttpStatusCode.OK, await Api.Get($"/api/v1/contacts/{mine}", anaToken));
        Expect.Problem(HttpStatusCode.NotFound, "contact.not_found", await Api.Get($"/api/v1/contacts/{other}", anaToken));
        Expect.Problem(HttpStatusCode.NotFound, "contact.not_found", await Api.Patch($"/api/v1/contacts/{other}", new { name = "Mudada" }, anaToken));
        Expect.Status(HttpStatusCode.OK, await Api.Get($"/api/v1/contacts/{other}", walletlessToken)); // an agent in no wallet is not restricted
        Expect.Status(HttpStatusCode.OK, await account.Get($"/api/v1/contacts/{other}")); // nor is an admin

        Assert.Equal("Outra", (await account.ReadContact(other))["name"]!.GetValue<string>());
    }
}
