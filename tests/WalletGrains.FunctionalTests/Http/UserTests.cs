namespace WalletGrains.FunctionalTests.Http;

/// <summary>§1/§3: users (attendants), their tokens, and what only admins may do.</summary>
public sealed class UserTests(GatewayFixture gateway)
{
    private Api Api => gateway.Api;

    [Fact]
    public async Task An_admin_creates_a_user_whose_token_works_at_once()
    {
        var account = await Api.CreateAccount();

        var created = Expect.Status(HttpStatusCode.Created, await account.Post("/api/v1/users",
            new { name = " Bruno Lima ", profile = "RestrictedAgent", availability = "Unavailable" }));
        Assert.Equal("Bruno Lima", created["name"]);
        Assert.Equal("RestrictedAgent", created["profile"]);
        Assert.Equal("Unavailable", created["availability"]);
        Assert.Equal("Active", created["status"]);
        Assert.Equal(account.Id, Guid.Parse(created["accountId"]!));
        Assert.Equal($"/api/v1/users/{created.Id}", created.Location?.OriginalString);
        var token = created["token"];
        Assert.False(string.IsNullOrWhiteSpace(token));

        var me = Expect.Status(HttpStatusCode.OK, await Api.Get("/api/v1/users/me", token));
        Assert.Equal(created.Id, me.Id);

        // The token is shown only in the creation answer.
        var reread = Expect.Status(HttpStatusCode.OK, await account.Get($"/api/v1/users/{created.Id}"));
        Assert.False(reread.Json!.AsObject().ContainsKey("token"));
    }

    [Fact]
    public async Task An_admin_reads_edits_and_deletes_a_user()
    {
        var account = await Api.CreateAccount();
        var (ana, _) = await account.CreateUser("Ana");

        var read = Expect.Status(HttpStatusCode.OK, await account.Get($"/api/v1/users/{ana}"));
        Assert.Equal("Ana", read["name"]);
        Assert.Equal("Agent", read["profile"]);

        var patched = Expect.Status(HttpStatusCode.OK, await account.Patch($"/api/v1/users/{ana}",
            new { name = "Ana Souza", profile = "Admin", availability = "Unavailable" }));
        Assert.Equal("Ana Souza", patched["name"]);
        Assert.Equal("Admin", patched["profile"]);
        Assert.Equal("Unavailable", patched["availability"]);

        // Absent fields stay as they are.
        var renamedOnly = Expect.Status(HttpStatusCode.OK, await account.Patch($"/api/v1/users/{ana}", new { name = "Ana S." }));
        Assert.Equal("Admin", renamedOnly["profile"]);
        Assert.Equal("Unavailable", renamedOnly["availability"]);

        Expect.Status(HttpStatusCode.NoContent, await account.Delete($"/api/v1/users/{ana}"));
        Expect.Problem(HttpStatusCode.NotFound, "user.not_found", await account.Get($"/api/v1/users/{ana}"));
        Expect.Problem(HttpStatusCode.NotFound, "user.not_found", await account.Delete($"/api/v1/users/{ana}"));
    }

    [Fact]
    public async Task An_agent_token_gets_403_on_admin_only_operations_and_changes_nothing()
    {
        var account = await Api.CreateAccount();
        var (ana, anaToken) = await account.CreateUser("Ana");
        var team = await account.CreateTeam(ana);
        var wallet = Expect.Status(HttpStatusCode.Created, await account.CreateWallet("Vendas", team, [ana]));

        Expect.Problem(HttpStatusCode.Forbidden, "auth.forbidden",
            await Api.Post("/api/v1/users", new { name = "Mallory", profile = "Admin", availability = "Available" }, anaToken));
        Expect.Problem(HttpStatusCode.Forbidden, "auth.forbidden",
            await Api.Post("/api/v1/wallets", new { name = "Minha", type = "Single", teams = new[] { new { teamId = team, userIds = new[] { ana } } } }, anaToken));
        Expect.Problem(HttpStatusCode.Forbidden, "auth.forbidden",
            await Api.Put("/api/v1/settings/wallets", new { enabled = false, restrictContactAccess = false }, anaToken));
        Expect.Problem(HttpStatusCode.Forbidden, "auth.forbidden",
            await Api.Post("/api/v1/teams", new { name = "Minha equipe", members = Array.Empty<object>() }, anaToken));
        Expect.Problem(HttpStatusCode.Forbidden, "auth.forbidden",
            await Api.Patch($"/api/v1/wallets/{wallet.Id}", new { name = "Roubada" }, anaToken));
        Expect.Problem(HttpStatusCode.Forbidden, "auth.forbidden", await Api.Delete($"/api/v1/wallets/{wallet.Id}", anaToken));
        Expect.Problem(HttpStatusCode.Forbidden, "auth.forbidden", await Api.Delete($"/api/v1/teams/{team}", anaToken));
        Expect.Problem(HttpStatusCode.Forbidden, "auth.forbidden", await Api.Delete($"/api/v1/users/{account.AdminUserId}", anaToken));

        // Nothing changed.
        Assert.Equal(1, await account.WalletCount());
        Assert.Equal("Vendas", (await account.Get($"/api/v1/wallets/{wallet.Id}"))["name"]);
        Expect.Status(HttpStatusCode.OK, await account.Get($"/api/v1/teams/{team}"));
        Expect.Status(HttpStatusCode.OK, await account.Get($"/api/v1/users/{account.AdminUserId}"));
        var settings = await account.Get("/api/v1/settings/wallets");
        Assert.True(settings.Json!["walletsEnabled"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Any_user_may_list_and_read_wallets()
    {
        var account = await Api.CreateAccount();
        var (ana, anaToken) = await account.CreateUser("Ana");
        var team = await account.CreateTeam(ana);
        var wallet = Expect.Status(HttpStatusCode.Created, await account.CreateWallet("Vendas", team, [ana]));

        var list = Expect.Status(HttpStatusCode.OK, await Api.Get("/api/v1/wallets", anaToken));
        Assert.Equal(1, list.Json!["totalItems"]!.GetValue<int>());
        Assert.Equal("Vendas", (await Api.Get($"/api/v1/wallets/{wallet.Id}", anaToken))["name"]);
    }

    [Fact]
    public async Task An_agent_may_change_its_own_availability_and_nothing_else()
    {
        var account = await Api.CreateAccount();
        var (ana, anaToken) = await account.CreateUser("Ana");
        var (bruno, _) = await account.CreateUser("Bruno");

        var patched = Expect.Status(HttpStatusCode.OK, await Api.Patch($"/api/v1/users/{ana}", new { availability = "Unavailable" }, anaToken));
        Assert.Equal("Unavailable", patched["availability"]);
        Assert.Equal("Unavailable", (await account.Get($"/api/v1/users/{ana}"))["availability"]);

        // Not someone else's availability, and not its own profile, status or name.
        Expect.Problem(HttpStatusCode.Forbidden, "auth.forbidden",
            await Api.Patch($"/api/v1/users/{bruno}", new { availability = "Unavailable" }, anaToken));
        Expect.Problem(HttpStatusCode.Forbidden, "auth.forbidden",
            await Api.Patch($"/api/v1/users/{ana}", new { profile = "Admin" }, anaToken));
        Expect.Problem(HttpStatusCode.Forbidden, "auth.forbidden",
            await Api.Patch($"/api/v1/users/{ana}", new { status = "Blocked" }, anaToken));
        Expect.Problem(HttpStatusCode.Forbidden, "auth.forbidden",
            await Api.Patch($"/api/v1/users/{ana}", new { name = "Chefe" }, anaToken));

        var reread = await account.Get($"/api/v1/users/{ana}");
        Assert.Equal("Agent", reread["profile"]);
        Assert.Equal("Active", reread["status"]);
        Assert.Equal("Ana", reread["name"]);
        Assert.Equal("Available", (await account.Get($"/api/v1/users/{bruno}"))["availability"]);

        // Still only an agent: admin-only routes stay closed.
        Expect.Problem(HttpStatusCode.Forbidden, "auth.forbidden",
            await Api.Post("/api/v1/users", new { name = "Eve", profile = "Admin" }, anaToken));
    }

    [Fact]
    public async Task A_blocked_user_token_gets_403_user_blocked_until_unblocked()
    {
        var account = await Api.CreateAccount();
        var (ana, anaToken) = await account.CreateUser("Ana");
        Expect.Status(HttpStatusCode.OK, await Api.Get("/api/v1/users/me", anaToken));

        var blocked = Expect.Status(HttpStatusCode.OK, await account.Patch($"/api/v1/users/{ana}", new { status = "Blocked" }));
        Assert.Equal("Blocked", blocked["status"]);

        Expect.Problem(HttpStatusCode.Forbidden, "auth.user_blocked", await Api.Get("/api/v1/users/me", anaToken));
        Expect.Problem(HttpStatusCode.Forbidden, "auth.user_blocked", await Api.Get("/api/v1/wallets", anaToken));
        Expect.Problem(HttpStatusCode.Forbidden, "auth.user_blocked",
            await Api.Patch($"/api/v1/users/{ana}", new { availability = "Unavailable" }, anaToken));

        Expect.Status(HttpStatusCode.OK, await account.Patch($"/api/v1/users/{ana}", new { status = "Active" }));
        Expect.Status(HttpStatusCode.OK, await Api.Get("/api/v1/users/me", anaToken));
    }

    [Fact]
    public async Task A_blocked_admin_cannot_administer()
    {
        var account = await Api.CreateAccount();
        var (second, secondToken) = await account.CreateUser("Second admin", "Admin");
        Expect.Status(HttpStatusCode.OK, await account.Patch($"/api/v1/users/{second}", new { status = "Blocked" }));

        Expect.Problem(HttpStatusCode.Forbidden, "auth.user_blocked",
            await Api.Post("/api/v1/users", new { name = "Eve", profile = "Admin" }, secondToken));
        Expect.Problem(HttpStatusCode.Forbidden, "auth.user_blocked",
            await Api.Patch($"/api/v1/users/{second}", new { status = "Active" }, secondToken));
        Assert.Equal("Blocked", (await account.Get($"/api/v1/users/{second}"))["status"]);
    }

    [Fact]
    public async Task A_deleted_user_token_gets_401()
    {
        var account = await Api.CreateAccount();
        var (ana, anaToken) = await account.CreateUser("Ana");

        Expect.Status(HttpStatusCode.NoContent, await account.Delete($"/api/v1/users/{ana}"));

        Expect.Problem(HttpStatusCode.Unauthorized, "auth.unauthenticated", await Api.Get("/api/v1/users/me", anaToken));
        Expect.Problem(HttpStatusCode.Unauthorized, "auth.unauthenticated", await Api.Get("/api/v1/wallets", anaToken));
    }

    [Fact]
    public async Task A_deleted_admin_token_gets_401()
    {
        var account = await Api.CreateAccount();
        var (second, secondToken) = await account.CreateUser("Second admin", "Admin");

        Expect.Status(HttpStatusCode.NoContent, await account.Delete($"/api/v1/users/{second}"));

        Expect.Problem(HttpStatusCode.Unauthorized, "auth.unauthenticated",
            await Api.Post("/api/v1/users", new { name = "Eve", profile = "Admin" }, secondToken));
    }

    [Fact]
    public async Task A_user_needs_a_name_of_1_to_128_characters_and_a_known_profile()
    {
        var account = await Api.CreateAccount();

        Expect.Problem(HttpStatusCode.BadRequest, "user.name_invalid",
            await account.Post("/api/v1/users", new { name = "", profile = "Agent" }));
        Expect.Problem(HttpStatusCode.BadRequest, "user.name_invalid",
            await account.Post("/api/v1/users", new { name = new string('u', 129), profile = "Agent" }));
        Expect.Problem(HttpStatusCode.BadRequest, "request.malformed",
            await account.Post("/api/v1/users", new { name = "Root", profile = "Superuser" }));
        Expect.Problem(HttpStatusCode.BadRequest, "request.malformed",
            await account.Post("/api/v1/users", new { name = "Numeric", profile = 0 }));

        var (ana, _) = await account.CreateUser("Ana");
        Expect.Problem(HttpStatusCode.BadRequest, "user.name_invalid",
            await account.Patch($"/api/v1/users/{ana}", new { name = "   " }));
        Expect.Problem(HttpStatusCode.BadRequest, "request.malformed",
            await account.Patch($"/api/v1/users/{ana}", new { availability = "Sleeping" }));
        var reread = await account.Get($"/api/v1/users/{ana}");
        Assert.Equal("Ana", reread["name"]);
        Assert.Equal("Available", reread["availability"]);
    }

    [Fact]
    public async Task Promoting_an_agent_to_admin_opens_admin_routes_to_its_token()
    {
        var account = await Api.CreateAccount();
        var (ana, anaToken) = await account.CreateUser("Ana");
        Expect.Problem(HttpStatusCode.Forbidden, "auth.forbidden", await Api.Post("/api/v1/users", new { name = "Bruno" }, anaToken));

        Expect.Status(HttpStatusCode.OK, await account.Patch($"/api/v1/users/{ana}", new { profile = "Admin" }));

        Expect.Status(HttpStatusCode.Created, await Api.Post("/api/v1/users", new { name = "Bruno" }, anaToken));
    }

    [Fact]
    public async Task The_last_active_admin_cannot_be_deleted_demoted_or_blocked()
    {
        var account = await Api.CreateAccount();
        var admin = $"/api/v1/users/{account.AdminUserId}";

        Expect.Problem(HttpStatusCode.Conflict, "user.last_admin", await account.Delete(admin));
        Expect.Problem(HttpStatusCode.Conflict, "user.last_admin", await account.Patch(admin, new { profile = "Agent" }));
        Expect.Problem(HttpStatusCode.Conflict, "user.last_admin", await account.Patch(admin, new { status = "Blocked" }));

        var reread = Expect.Status(HttpStatusCode.OK, await account.Get(admin));
        Assert.Equal("Admin", reread["profile"]);
        Assert.Equal("Active", reread["status"]);

        // With a second admin, the first may go.
        await account.CreateUser("Second admin", "Admin");
        Expect.Status(HttpStatusCode.NoContent, await account.Delete(admin));
    }
}
