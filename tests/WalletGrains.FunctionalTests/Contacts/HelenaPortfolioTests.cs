namespace WalletGrains.FunctionalTests.Contacts;

/// <summary>§3 Helena-compatible portfolio API: the same rules as the native API in Helena's shapes and paging.</summary>
public sealed class HelenaPortfolioTests(GatewayFixture gateway)
{
    private Api Api => gateway.Api;

    [Fact]
    public async Task The_portfolio_list_has_Helenas_fields_with_departments_and_contact_count()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var single = await account.CreateWalletId(team, [ana], automatic: true, timeLimit: "P6M", name: "A Vendas");
        var multiple = await account.CreateWalletId(team, [ana], type: "Multiple", name: "B Suporte");
        var contacts = await account.CreateContacts(2);
        Expect.Status(HttpStatusCode.OK, await account.Post($"/api/v1/wallets/{multiple}/contacts/batch", new { contactIds = contacts }));

        var page = Expect.Status(HttpStatusCode.OK, await account.Get("/core/v1/portfolio?IncludeDetails=Departments,ContactCount&PageNumber=1&PageSize=15")).Json!;

        Assert.Equal(1, page["pageNumber"]!.GetValue<int>());
        Assert.Equal(15, page["pageSize"]!.GetValue<int>());
        Assert.Equal(2, page["totalItems"]!.GetValue<int>());
        Assert.Equal(1, page["totalPages"]!.GetValue<int>());
        Assert.False(page["hasMorePages"]!.GetValue<bool>());
        var items = page["items"]!.AsArray();
        Assert.Equal([single, multiple], items.Select(i => i.GuidOf("id")!.Value));

        var sales = items[0]!;
        Assert.Equal(
            ["active", "automaticAttribution", "companyId", "contactsCount", "createdAt", "departments", "expirationDurationInMonths", "id", "name", "type", "updatedAt"],
            sales.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("A Vendas", sales["name"]!.GetValue<string>());
        Assert.Equal("SINGLE", sales["type"]!.GetValue<string>());
        Assert.True(sales["active"]!.GetValue<bool>());
        Assert.True(sales["automaticAttribution"]!.GetValue<bool>());
        Assert.Equal(account.Id, sales.GuidOf("companyId"));
        Assert.Equal(6, sales["expirationDurationInMonths"]!.GetValue<int>());
        Assert.Equal(0, sales["contactsCount"]!.GetValue<long>());
        Assert.True(sales["updatedAt"]!.GetValue<DateTimeOffset>() >= sales["createdAt"]!.GetValue<DateTimeOffset>());
        var department = Assert.Single(sales["departments"]!.AsArray())!;
        Assert.Equal(team, department.GuidOf("departmentId"));
        Assert.Equal([ana], department["userIds"]!.AsArray().Select(u => u!.GetValue<Guid>()));

        var support = items[1]!;
        Assert.Equal("MULTIPLE", support["type"]!.GetValue<string>());
        Assert.False(support["automaticAttribution"]!.GetValue<bool>());
        Assert.Null(support["expirationDurationInMonths"]);
        Assert.Equal(2, support["contactsCount"]!.GetValue<long>());
        Assert.Equal(await account.ContactsCount(multiple), support["contactsCount"]!.GetValue<long>());
    }

    [Fact]
    public async Task Without_IncludeDetails_the_list_leaves_out_departments_and_the_count()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        await account.CreateWalletId(team, [ana]);

        var item = Expect.Status(HttpStatusCode.OK, await account.Get("/core/v1/portfolio")).Json!["items"]![0]!;

        Assert.Null(item["departments"]);
        Assert.Null(item["contactsCount"]);
    }

    [Fact]
    public async Task The_portfolio_list_pages_15_at_a_time_by_default()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        for (var i = 0; i < 16; i++)
        {
            await account.CreateWalletId(team, [ana], type: "Multiple", name: $"Carteira {i:D2}");
        }

        var first = Expect.Status(HttpStatusCode.OK, await account.Get("/core/v1/portfolio")).Json!;
        Assert.Equal(15, first["pageSize"]!.GetValue<int>());
        Assert.Equal(15, first["items"]!.AsArray().Count);
        Assert.Equal(16, first["totalItems"]!.GetValue<int>());
        Assert.Equal(2, first["totalPages"]!.GetValue<int>());
        Assert.True(first["hasMorePages"]!.GetValue<bool>());

        var second = Expect.Status(HttpStatusCode.OK, await account.Get("/core/v1/portfolio?PageNumber=2")).Json!;
        Assert.Equal("Carteira 15", Assert.Single(second["items"]!.AsArray())!["name"]!.GetValue<string>());
        Assert.False(second["hasMorePages"]!.GetValue<bool>());

        var descending = Expect.Status(HttpStatusCode.OK, await account.Get("/core/v1/portfolio?OrderBy=name&OrderDirection=DESCENDING&PageSize=3")).Json!;
        Assert.Equal(["Carteira 15", "Carteira 14", "Carteira 13"], descending["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("PageSize=101")]
    [InlineData("PageSize=0")]
    [InlineData("PageNumber=0")]
    public async Task A_bad_portfolio_page_answers_400(string query)
    {
        var account = await Api.CreateAccount();

        Expect.Problem(HttpStatusCode.BadRequest, "request.page_invalid", await account.Get($"/core/v1/portfolio?{query}"));
    }

    [Fact]
    public async Task A_page_size_of_100_is_accepted()
    {
        var account = await Api.CreateAccount();

        var page = Expect.Status(HttpStatusCode.OK, await account.Get("/core/v1/portfolio?PageSize=100")).Json!;
        Assert.Equal(100, page["pageSize"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_agent_lists_portfolios_but_cannot_change_their_contacts()
    {
        var account = await Api.CreateAccount();
        var (ana, anaToken) = await account.CreateUser();
        var team = await account.CreateTeam(ana);
        var wallet = await account.CreateWalletId(team, [ana]);
        var contact = await account.CreateContact();

        var listed = Expect.Status(HttpStatusCode.OK, await Api.Get("/core/v1/portfolio", anaToken));
        Assert.Equal([wallet], listed.Json!.Ids());

        Expect.Status(HttpStatusCode.Forbidden, await Api.Post($"/core/v1/portfolio/{wallet}/contact", new { contactId = contact }, anaToken));
        Expect.Status(HttpStatusCode.Forbidden, await Api.Post($"/core/v1/portfolio/{wallet}/contact/batch", new { contactIds = new[] { contact } }, anaToken));
        Expect.Status(HttpStatusCode.Forbidden, await Api.Get($"/core/v1/portfolio/{wallet}/contact", anaToken));
        Assert.Equal(0, await account.ContactsCount(wallet));
    }

    [Fact]
    public async Task The_portfolio_endpoints_need_a_token()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana]);
        var contact = await account.CreateContact();

        Expect.Status(HttpStatusCode.Unauthorized, await Api.Get("/core/v1/portfolio", token: null));
        Expect.Status(HttpStatusCode.Unauthorized, await Api.Get("/core/v1/portfolio", token: "wrong-token"));
        Expect.Status(HttpStatusCode.Unauthorized, await Api.Get($"/core/v1/portfolio/{wallet}/contact", token: null));
        Expect.Status(HttpStatusCode.Unauthorized, await Api.Post($"/core/v1/portfolio/{wallet}/contact", new { contactId = contact }, token: null));
        Expect.Status(HttpStatusCode.Unauthorized, await Api.Send(HttpMethod.Delete, $"/core/v1/portfolio/{wallet}/contact", new { contactId = contact }, token: null));
        Expect.Status(HttpStatusCode.Unauthorized, await Api.Post($"/core/v1/portfolio/{wallet}/contact/batch", new { contactIds = new[] { contact } }, token: null));
        Expect.Status(HttpStatusCode.Unauthorized, await Api.Send(HttpMethod.Delete, $"/core/v1/portfolio/{wallet}/contact/batch", new { contactIds = new[] { contact } }, token: null));
        Assert.Equal(0, await account.ContactsCount(wallet));
    }

    [Fact]
    public async Task A_contact_is_included_in_a_portfolio_by_id_and_answers_the_contact_portfolio_DTO()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana]);
        var phone = ContactSteps.NewPhone();
        var contact = await account.CreateContact(phone, "Maria");

        var included = Expect.Status(HttpStatusCode.OK, await account.Post($"/core/v1/portfolio/{wallet}/contact", new { contactId = contact })).Json!;

        Assert.Equal(["active", "contactDetails", "contactId", "id", "portfolioId"], included.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(contact, included.GuidOf("id"));
        Assert.True(included["active"]!.GetValue<bool>());
        Assert.Equal(wallet, included.GuidOf("portfolioId"));
        Assert.Equal(contact, included.GuidOf("contactId"));
        Assert.Equal(phone, included["contactDetails"]!["phoneNumber"]!.GetValue<string>());
        Assert.Equal("Maria", included["contactDetails"]!["name"]!.GetValue<string>());
        Assert.Equal("api", included["contactDetails"]!.MembershipOf(wallet)!["source"]!.GetValue<string>());
        Assert.Equal(1, await account.ContactsCount(wallet));
    }

    [Fact]
    public async Task A_contact_is_included_in_and_removed_from_a_portfolio_by_phone_number()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana], type: "Multiple");
        var phone = ContactSteps.NewPhone();
        var contact = await account.CreateContact(phone);

        var included = Expect.Status(HttpStatusCode.OK, await account.Post($"/core/v1/portfolio/{wallet}/contact", new { phoneNumber = phone })).Json!;
        Assert.Equal(contact, included.GuidOf("contactId"));

        var listed = Expect.Status(HttpStatusCode.OK, await account.Get($"/core/v1/portfolio/{wallet}/contact")).Json!;
        Assert.Equal(15, listed["pageSize"]!.GetValue<int>());
        Assert.Equal(1, listed["totalItems"]!.GetValue<int>());
        var item = Assert.Single(listed["items"]!.AsArray())!;
        Assert.Equal(contact, item.GuidOf("contactId"));
        Assert.Equal(wallet, item.GuidOf("portfolioId"));

        Expect.Status(HttpStatusCode.NoContent, await account.DeleteWithBody($"/core/v1/portfolio/{wallet}/contact", new { phoneNumber = phone }));

        Assert.Equal(0, await account.ContactsCount(wallet));
        Assert.Empty((await account.ReadContact(contact)).Memberships());
        Expect.Problem(HttpStatusCode.NotFound, "contact.not_member", await account.DeleteWithBody($"/core/v1/portfolio/{wallet}/contact", new { contactId = contact }));
    }

    [Fact]
    public async Task A_contact_is_removed_from_a_portfolio_by_id()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana]);
        var contact = await account.CreateContact();
        Expect.Status(HttpStatusCode.OK, await account.Post($"/core/v1/portfolio/{wallet}/contact", new { contactId = contact }));

        Expect.Status(HttpStatusCode.NoContent, await account.DeleteWithBody($"/core/v1/portfolio/{wallet}/contact", new { contactId = contact }));

        Assert.Equal(0, await account.ContactsCount(wallet));
    }

    [Fact]
    public async Task Bad_portfolio_contact_references_answer_problems_and_change_nothing()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana]);
        var phone = ContactSteps.NewPhone();
        var contact = await account.CreateContact(phone);

        Expect.Problem(HttpStatusCode.BadRequest, "contact.phone_invalid", await account.Post($"/core/v1/portfolio/{wallet}/contact", new { phoneNumber = "123" }));
        Expect.Problem(HttpStatusCode.NotFound, "contact.not_found", await account.Post($"/core/v1/portfolio/{wallet}/contact", new { phoneNumber = ContactSteps.NewPhone() }));
        Expect.Problem(HttpStatusCode.NotFound, "contact.not_found", await account.Post($"/core/v1/portfolio/{wallet}/contact", new { contactId = Guid.NewGuid() }));
        Expect.Problem(HttpStatusCode.BadRequest, "contact.reference_invalid", await account.Post($"/core/v1/portfolio/{wallet}/contact", new { contactId = contact, phoneNumber = phone }));
        Expect.Problem(HttpStatusCode.NotFound, "wallet.not_found", await account.Post($"/core/v1/portfolio/{Guid.NewGuid()}/contact", new { contactId = contact }));

        Assert.Equal(0, await account.ContactsCount(wallet));
        Assert.Empty((await account.ReadContact(contact)).Memberships());
    }

    [Fact]
    public async Task A_portfolio_batch_includes_and_removes_by_ids_and_phone_numbers_with_a_result_per_item()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana], type: "Multiple");
        var byId = await account.CreateContacts(2);
        var phone = ContactSteps.NewPhone();
        var byPhone = await account.CreateContact(phone);

        var included = Expect.Status(HttpStatusCode.OK, await account.Post($"/core/v1/portfolio/{wallet}/contact/batch", new
        {
            contactIds = new[] { byId[0], Guid.NewGuid(), byId[1] },
            phoneNumbers = new[] { phone, "0000" },
        })).Json!.AsArray();

        Assert.Equal([true, false, true, true, false], included.Select(r => r!["succeeded"]!.GetValue<bool>()));
        Assert.Equal("contact.not_found", included[1]!["error"]!["code"]!.GetValue<string>());
        Assert.Equal("contact.phone_invalid", included[4]!["error"]!["code"]!.GetValue<string>());
        Assert.Equal(byPhone, included[3].GuidOf("contactId"));
        Assert.Equal(3, await account.ContactsCount(wallet));

        var listed = Expect.Status(HttpStatusCode.OK, await account.Get($"/core/v1/portfolio/{wallet}/contact")).Json!;
        Assert.Equal(new[] { byId[0], byId[1], byPhone }.Order(), listed.Ids("contactId").Order());

        var removed = Expect.Status(HttpStatusCode.OK, await account.DeleteWithBody($"/core/v1/portfolio/{wallet}/contact/batch", new
        {
            contactIds = new[] { byId[0] },
            phoneNumbers = new[] { phone },
        })).Json!.AsArray();

        Assert.All(removed, r => Assert.True(r!["succeeded"]!.GetValue<bool>(), r.ToJsonString()));
        Assert.Equal(1, await account.ContactsCount(wallet));
        var remaining = Expect.Status(HttpStatusCode.OK, await account.Get("/core/v1/portfolio?IncludeDetails=ContactCount")).Json!["items"]![0]!;
        Assert.Equal(1, remaining["contactsCount"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_portfolio_batch_of_more_than_1000_answers_400()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana], type: "Multiple");
        var contact = await account.CreateContact();

        Expect.Problem(HttpStatusCode.BadRequest, "request.batch_too_large", await account.Post($"/core/v1/portfolio/{wallet}/contact/batch", new
        {
            contactIds = new[] { contact },
            phoneNumbers = Enumerable.Range(0, 1000).Select(_ => ContactSteps.NewPhone()),
        }));

        Assert.Equal(0, await account.ContactsCount(wallet));
    }

    [Fact]
    public async Task Another_accounts_portfolio_answers_404()
    {
        var owner = await Api.CreateAccount();
        var stranger = await Api.CreateAccount();
        var (ana, team) = await owner.CreateCrew();
        var wallet = await owner.CreateWalletId(team, [ana]);
        var mine = await stranger.CreateContact();

        Expect.Problem(HttpStatusCode.NotFound, "wallet.not_found", await stranger.Get($"/core/v1/portfolio/{wallet}/contact"));
        Expect.Problem(HttpStatusCode.NotFound, "wallet.not_found", await stranger.Post($"/core/v1/portfolio/{wallet}/contact", new { contactId = mine }));
        Assert.Empty(Expect.Status(HttpStatusCode.OK, await stranger.Get("/core/v1/portfolio")).Json!["items"]!.AsArray());
        Assert.Equal(0, await owner.ContactsCount(wallet));
    }

    [Fact]
    public async Task The_portfolio_list_orders_by_creation_in_either_direction()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var older = await account.CreateWalletId(team, [ana], name: "B");
        var newer = await account.CreateWalletId(team, [ana], name: "A");

        var ascending = Expect.Status(HttpStatusCode.OK, await account.Get("/core/v1/portfolio?OrderBy=createdAt&OrderDirection=ASCENDING")).Json!;
        Assert.Equal([older, newer], ascending.Ids());
        var descending = Expect.Status(HttpStatusCode.OK, await account.Get("/core/v1/portfolio?orderBy=createdAt&orderDirection=DESCENDING")).Json!;
        Assert.Equal([newer, older], descending.Ids());
        var byName = Expect.Status(HttpStatusCode.OK, await account.Get("/core/v1/portfolio")).Json!;
        Assert.Equal([newer, older], byName.Ids());
    }

    [Fact]
    public async Task An_archived_contact_is_not_active_in_its_contact_portfolio()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana]);
        var contact = await account.CreateContact();
        Expect.Status(HttpStatusCode.OK, await account.Patch($"/api/v1/contacts/{contact}", new { status = "Archived" }));

        var included = Expect.Status(HttpStatusCode.OK, await account.Post($"/core/v1/portfolio/{wallet}/contact", new { contactId = contact })).Json!;

        Assert.False(included["active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_portfolio_call_naming_no_contact_answers_a_problem()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana]);

        Expect.Problem(HttpStatusCode.BadRequest, "contact.reference_invalid", await account.Post($"/core/v1/portfolio/{wallet}/contact", new { }));
        Expect.Problem(HttpStatusCode.BadRequest, "contact.reference_invalid", await account.DeleteWithBody($"/core/v1/portfolio/{wallet}/contact", new { }));
        Expect.ClientProblem(await account.Delete($"/core/v1/portfolio/{wallet}/contact"));
        Expect.Problem(HttpStatusCode.BadRequest, "request.batch_too_large", await account.Post($"/core/v1/portfolio/{wallet}/contact/batch", new { }));
        Assert.Equal(0, await account.ContactsCount(wallet));
    }
}
