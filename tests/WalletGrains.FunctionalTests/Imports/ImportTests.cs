using WalletGrains.FunctionalTests.Contacts;

namespace WalletGrains.FunctionalTests.Imports;

/// <summary>§2 Import over HTTP: a CSV file upserts contacts by phone, joins wallets, reports every bad row by line.</summary>
public sealed class ImportTests(GatewayFixture gateway)
{
    private Api Api => gateway.Api;

    [Fact]
    public async Task An_import_creates_contacts_joins_wallets_binds_owners_and_answers_202_with_its_progress()
    {
        var account = await Api.CreateAccount();
        var ana = Expect.Status(HttpStatusCode.Created, await account.Post("/api/v1/users", new { name = "Ana", profile = "Agent", availability = "Available", email = "ana@acme.test" })).Id;
        var (bia, _) = await account.CreateUser("Bia");
        var team = await account.CreateTeam(ana, bia);
        var sales = await account.CreateWalletId(team, [ana, bia], name: "Vendas SP");
        var support = await account.CreateWalletId(team, [ana], type: "Multiple", name: "Suporte");

        // A BOM, ';' separators, quoted fields (with the separator and a doubled quote inside), a wallet named in other
        // case, two wallets in one cell, owners by e-mail and by id, attributes and a custom field.
        var csv = "\uFEFFphoneNumber;name;wallet;owner;region;revenue;segment;importance;custom.plan\n"
            + "+5511900000001;\"Silva; João\";vendas sp|Suporte;ANA@acme.test;SP;1250.50;retail;high;gold\n"
            + $"+5511900000002;\"Maria \"\"Mana\"\"\";Vendas SP;{bia};RJ;;;;\n"
            + "+5511900000003;Zé;;;;;;;\n";
        var accepted = Expect.Status(HttpStatusCode.Accepted, await account.Import(csv));
        Assert.Equal($"/api/v1/imports/{accepted.Id}", accepted.Location?.OriginalString);
        Assert.Equal(3, accepted.Json!.Count("rowsRead"));

        var done = await account.WaitForImport(accepted.Id);
        Assert.Equal(3, done.Count("rowsApplied"));
        Assert.Equal(0, done.Count("rowsFailed"));
        Assert.Equal(0, done.Count("rowsPending"));
        Assert.Empty(done.Errors());
        Assert.True(done["rowsPerSecond"]!.GetValue<double>() > 0);

        var inSales = await account.WalletContacts(sales);
        Assert.Equal(2, inSales.Count);
        var joao = inSales["+5511900000001"];
        Assert.Equal("Silva; João", joao["name"]!.GetValue<string>());
        Assert.Equal(ana, joao.OwnerIn(sales));
        Assert.Equal("import", joao.MembershipOf(sales)!["source"]!.GetValue<string>());
        Assert.Null(joao.OwnerIn(support));
        var attributes = joao["attributes"]!;
        Assert.Equal("SP", attributes["region"]!.GetValue<string>());
        Assert.Equal(1250.50m, attributes["revenue"]!.GetValue<decimal>());
        Assert.Equal("retail", attributes["segment"]!.GetValue<string>());
        Assert.Equal("high", attributes["importance"]!.GetValue<string>());
        Assert.Equal("gold", attributes["custom"]!["plan"]!.GetValue<string>());
        Assert.Equal("Maria \"Mana\"", inSales["+5511900000002"]["name"]!.GetValue<string>());
        Assert.Equal(bia, inSales["+5511900000002"].OwnerIn(sales));
        Assert.Equal(["+5511900000001"], (await account.WalletContacts(support)).Keys);

        // The route follows the imported owner at once.
        var route = Expect.Status(HttpStatusCode.OK, await account.Route(joao.GuidOf("id")!.Value)).Json!;
        Assert.Equal(ana, route.GuidOf("userId"));
    }

    [Fact]
    public async Task Importing_known_phones_updates_those_contacts_and_never_duplicates_one()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana], type: "Multiple", name: "Base");
        var existing = await account.CreateContact("+5511911110001", "Old name");

        var first = await account.ImportAndWait("phoneNumber,name,wallet,region\n+5511911110001,New name,Base,SP\n+5511911110002,Other,Base,RJ\n");
        Assert.Equal(2, first.Count("rowsApplied"));

        // The same file again, then one that only changes a name: still two contacts, the names and regions merged.
        await account.ImportAndWait("phoneNumber,name,wallet,region\n+5511911110001,New name,Base,SP\n+5511911110002,Other,Base,RJ\n");
        var last = await account.ImportAndWait("phoneNumber,name\n+5511911110002,Renamed\n");
        Assert.Equal(1, last.Count("rowsApplied"));

        var contacts = await account.WalletContacts(wallet);
        Assert.Equal(2, contacts.Count);
        Assert.Equal(2, await account.ContactsCount(wallet));
        Assert.Equal(existing, contacts["+5511911110001"].GuidOf("id"));
        Assert.Equal("New name", contacts["+5511911110001"]["name"]!.GetValue<string>());
        Assert.Equal("Renamed", contacts["+5511911110002"]["name"]!.GetValue<string>());
        Assert.Equal("RJ", contacts["+5511911110002"]["attributes"]!["region"]!.GetValue<string>());
        Assert.Single(contacts["+5511911110002"].Memberships());

        // A row may name the contact by id instead.
        var byId = await account.ImportAndWait($"contactId,segment\n{existing},vip\n");
        Assert.Equal(1, byId.Count("rowsApplied"));
        Assert.Equal("vip", (await account.ReadContact(existing))["attributes"]!["segment"]!.GetValue<string>());
    }

    [Fact]
    public async Task Every_kind_of_bad_row_is_reported_with_its_line_and_reason_and_changes_nothing()
    {
        var account = await Api.CreateAccount();
        var (ana, _) = await account.CreateUser("Ana");
        var blocked = Expect.Status(HttpStatusCode.Created, await account.Post("/api/v1/users", new { name = "Blocked", profile = "Agent", availability = "Available", email = "blocked@acme.test" })).Id;
        var team = await account.CreateTeam(ana, blocked);
        var wallet = await account.CreateWalletId(team, [ana, blocked], name: "Sales");
        var shared = await account.CreateWalletId(team, [ana], type: "Multiple", name: "Shared");
        await account.CreateWalletId(team, [], type: "Multiple", name: "Nobody");
        var owned = await account.CreateContact("+5511922220020");
        var (bia, _) = await account.CreateUser("Bia");
        var otherTeam = await account.CreateTeam(bia);
        var other = await account.CreateWalletId(otherTeam, [bia], name: "Other sales");
        Expect.Status(HttpStatusCode.OK, await account.Include(other, new { contactId = owned, ownerUserId = bia }));
        Expect.Status(HttpStatusCode.OK, await account.Patch($"/api/v1/users/{blocked}", new { status = "Blocked" }));

        var csv = "phoneNumber,contactId,name,wallet,owner,revenue\n"
            + "+5511922220001,,Good,Sales,,\n"                          // line 2: applied
            + "11 92222-0003,,Bad phone,Sales,,\n"                       // 3: contact.phone_invalid
            + "+5511922220004,,Unknown wallet,Nope,,\n"                  // 4: import.wallet_unknown
            + "+5511922220005,,Unavailable,Nobody,,\n"                   // 5: wallet.unavailable
            + $"+5511922220006,,Owner outside,Sales,{bia},\n"           // 6: contact.owner_not_in_wallet
            + "+5511922220007,,Unknown owner,Sales,who@acme.test,\n"     // 7: import.owner_unknown (no wallet names such a user)
            + $"+5511922220008,{Guid.NewGuid()},Both,Sales,,\n"          // 8: contact.reference_invalid
            + ",,Neither,Sales,,\n"                                      // 9: contact.reference_invalid
            + $",{Guid.NewGuid()},Unknown id,Sales,,\n"                  // 10: contact.not_found
            + ",not-a-guid,Bad id,Sales,,\n"                             // 11: contact.reference_invalid
            + "+5511922220012,,Bad revenue,Sales,,lots\n"                // 12: import.value_invalid
            + "+5511922220013,,Too few fields\n"                         // 13: import.row_malformed
            + "+5511922220001,,Again,Sales,,\n"                          // 14: import.row_duplicated
            + $"+5511922220015,,Owner in shared,Shared,{ana},\n"        // 15: contact.owner_not_allowed
            + $"+5511922220020,,Owned elsewhere,Sales,{ana},\n"         // 16: contact.already_owned
            + $"+5511922220017,,Blocked owner,Sales,{blocked},\n"       // 17: contact.owner_not_in_wallet (blocked users own nothing)
            + "+5511922220018,,Bad \"quote\",Sales,,\n"                  // 18: import.row_malformed
            + "+5511922220019,,\"Line\nbreak\",Sales,,\n";               // 19-20: applied, reported at line 19

        var done = await account.ImportAndWait(csv);

        Assert.Equal(
            [
                (3, "contact.phone_invalid"), (4, "import.wallet_unknown"), (5, "wallet.unavailable"), (6, "contact.owner_not_in_wallet"),
                (7, "import.owner_unknown"), (8, "contact.reference_invalid"), (9, "contact.reference_invalid"), (10, "contact.not_found"),
                (11, "contact.reference_invalid"), (12, "import.value_invalid"), (13, "import.row_malformed"), (14, "import.row_duplicated"),
                (15, "contact.owner_not_allowed"), (16, "contact.already_owned"), (17, "contact.owner_not_in_wallet"), (18, "import.row_malformed"),
            ],
            done.Errors());
        Assert.All(done["errors"]!.AsArray(), e => Assert.False(string.IsNullOrWhiteSpace(e!["reason"]!.GetValue<string>())));
        Assert.Equal(2, done.Count("rowsApplied"));
        Assert.Equal(16, done.Count("rowsFailed"));
        Assert.Equal(18, done.Count("rowsRead"));
        Assert.False(done["errorsTruncated"]!.GetValue<bool>());

        // Only the good rows' contacts exist in the wallet; the owned contact kept its owner and wallets.
        Assert.Equal(["+5511922220001", "+5511922220019"], (await account.WalletContacts(wallet)).Keys.Order());
        Assert.Equal("Good", (await account.WalletContacts(wallet))["+5511922220001"]["name"]!.GetValue<string>());
        Assert.Empty(await account.WalletContacts(shared));
        var stillOwned = await account.ReadContact(owned);
        Assert.Equal(bia, stillOwned.OwnerIn(other));
        Assert.Single(stillOwned.Memberships());
    }

    [Fact]
    public async Task A_file_that_cannot_be_read_is_refused_whole_with_a_problem()
    {
        var account = await Api.CreateAccount();
        var (_, agentToken) = await account.CreateUser();

        Expect.Problem(HttpStatusCode.UnsupportedMediaType, "request.unsupported_media_type", await account.SendRaw(HttpMethod.Post, "/api/v1/imports", "{\"phoneNumber\":\"+5511900000001\"}"));
        Expect.Problem(HttpStatusCode.BadRequest, "import.empty", await account.Import(""));
        Expect.Problem(HttpStatusCode.BadRequest, "import.empty", await account.Import("phoneNumber,name\n"));
        Expect.Problem(HttpStatusCode.BadRequest, "import.columns_invalid", await account.Import("phoneNumber,nome\n+5511900000001,Ana\n"));
        Expect.Problem(HttpStatusCode.BadRequest, "import.columns_invalid", await account.Import("name,wallet\nAna,Sales\n"));
        Expect.Problem(HttpStatusCode.BadRequest, "import.columns_invalid", await account.Import("phoneNumber,name,Name\n+5511900000001,Ana,Ana\n"));
        Expect.Problem(HttpStatusCode.BadRequest, "import.csv_malformed", await account.ImportBytes([.. "phoneNumber,name\n+5511900000001,"u8, 0xC3, 0x28, (byte)'\n']));
        Expect.Problem(HttpStatusCode.Forbidden, "auth.forbidden", await account.Api.SendRaw(HttpMethod.Post, "/api/v1/imports", "phoneNumber\n+5511900000001\n", agentToken, "text/csv"));
        Expect.Problem(HttpStatusCode.Unauthorized, "auth.unauthenticated", await account.Api.SendRaw(HttpMethod.Post, "/api/v1/imports", "phoneNumber\n+5511900000001\n", null, "text/csv"));

        // One row too many is refused, not truncated.
        Expect.Problem(HttpStatusCode.RequestEntityTooLarge, "import.too_many_rows", await account.Import(ImportSteps.ManyRows(100_001, "Nowhere")));
    }

    [Fact]
    public async Task An_import_is_visible_only_to_the_admins_of_its_account()
    {
        var account = await Api.CreateAccount();
        var other = await Api.CreateAccount();
        var (_, agentToken) = await account.CreateUser();
        var accepted = Expect.Status(HttpStatusCode.Accepted, await account.Import("phoneNumber\n+5511933330001\n"));

        Expect.Problem(HttpStatusCode.NotFound, "import.not_found", await other.Get($"/api/v1/imports/{accepted.Id}"));
        Expect.Problem(HttpStatusCode.NotFound, "import.not_found", await account.Get($"/api/v1/imports/{Guid.NewGuid()}"));
        Expect.Problem(HttpStatusCode.Forbidden, "auth.forbidden", await account.Api.Get($"/api/v1/imports/{accepted.Id}", agentToken));
        Assert.Equal(1, (await account.WaitForImport(accepted.Id)).Count("rowsApplied"));
    }

    [Fact]
    public async Task With_archiveMissing_the_active_contacts_absent_from_the_file_are_archived()
    {
        var account = await Api.CreateAccount();
        var kept = await account.CreateContact("+5511944440001");
        var absent = await account.CreateContact("+5511944440002");
        var blocked = Expect.Status(HttpStatusCode.Created, await account.Post("/api/v1/contacts", new { phoneNumber = "+5511944440003", status = "Blocked" })).Id;
        var elsewhere = await Api.CreateAccount();
        var stranger = await elsewhere.CreateContact("+5511944440002");

        var done = await account.ImportAndWait("phoneNumber,name\n+5511944440001,Kept\n+5511944440004,New\n", archiveMissing: true);

        Assert.Equal(2, done.Count("rowsApplied"));
        Assert.Equal(1, done.Count("contactsArchived"));
        Assert.True(done["archiveMissing"]!.GetValue<bool>());
        Assert.Equal("Active", (await account.ReadContact(kept))["status"]!.GetValue<string>());
        Assert.Equal("Archived", (await account.ReadContact(absent))["status"]!.GetValue<string>());
        Assert.Equal("Blocked", (await account.ReadContact(blocked))["status"]!.GetValue<string>());
        Assert.Equal("Active", (await elsewhere.ReadContact(stranger))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_file_of_100000_rows_is_imported_in_full()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana], type: "Multiple", name: "Everyone");

        var done = await account.ImportAndWait(ImportSteps.ManyRows(100_000, "Everyone"));

        Assert.Equal(100_000, done.Count("rowsRead"));
        Assert.Equal(100_000, done.Count("rowsApplied"));
        Assert.Equal(0, done.Count("rowsFailed"));
        Assert.Equal(100_000, await account.ContactsCount(wallet));
    }
}
