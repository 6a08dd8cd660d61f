namespace WalletGrains.FunctionalTests.Http;

/// <summary>§3: the operator creates accounts; plans gate the wallet feature; tokens authenticate.</summary>
public sealed class AccountTests(GatewayFixture gateway)
{
    private Api Api => gateway.Api;

    [Fact]
    public async Task The_operator_creates_an_account_and_receives_its_first_admin_with_a_token()
    {
        var created = Expect.Status(HttpStatusCode.Created,
            await Api.Post("/api/v1/accounts", new { name = "  Loja Azul  ", plan = "Plus" }, Api.OperatorToken));

        var body = created.Json!.AsObject();
        foreach (var field in new[] { "id", "name", "plan", "walletsEnabled", "adminUserId", "adminToken" })
        {
            Assert.True(body.ContainsKey(field), $"Missing '{field}' in {created}");
        }

        Assert.Equal("Loja Azul", created["name"]);
        Assert.Equal("Plus", created["plan"]);
        Assert.False(body["walletsEnabled"]!.GetValue<bool>());
        Assert.NotEqual(Guid.Empty, created.Id);
        Assert.Equal($"/api/v1/accounts/{created.Id}", created.Location?.OriginalString);

        // The admin token speaks for the admin the answer names.
        var adminUserId = Guid.Parse(created["adminUserId"]!);
        var me = Expect.Status(HttpStatusCode.OK, await Api.Get("/api/v1/users/me", created["adminToken"]));
        Assert.Equal(adminUserId, me.Id);
        Assert.Equal("Admin", me["profile"]);

        // The token is shown once: reading the account back never reveals it.
        var reread = Expect.Status(HttpStatusCode.OK, await Api.Get($"/api/v1/accounts/{created.Id}", Api.OperatorToken));
        Assert.Equal("Loja Azul", reread["name"]);
        Assert.False(reread.Json!.AsObject().ContainsKey("adminToken"));
    }

    [Fact]
    public async Task A_user_token_cannot_create_accounts_and_gets_403()
    {
        var account = await Api.CreateAccount();

        Expect.Problem(HttpStatusCode.Forbidden, "auth.forbidden",
            await Api.Post("/api/v1/accounts", new { name = "Intruder", plan = "Enterprise" }, account.AdminToken));
        Expect.Problem(HttpStatusCode.Forbidden, "auth.forbidden",
            await Api.Patch($"/api/v1/accounts/{account.Id}", new { plan = "Enterprise" }, account.AdminToken));

        var reread = await Api.Get($"/api/v1/accounts/{account.Id}", Api.OperatorToken);
        Assert.Equal("Plus", reread["plan"]);
    }

    [Fact]
    public async Task The_operator_token_is_not_a_user_of_any_account()
    {
        Expect.Problem(HttpStatusCode.Forbidden, "auth.forbidden", await Api.Get("/api/v1/wallets", Api.OperatorToken));
        Expect.Problem(HttpStatusCode.Forbidden, "auth.forbidden",
            await Api.Post("/api/v1/users", new { name = "Eve", profile = "Admin" }, Api.OperatorToken));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wg_not-a-token-anyone-was-given")]
    [InlineData("test-operator-token-0123456789abcdeX")]
    public async Task A_missing_or_wrong_token_gets_a_401_problem(string? token)
    {
        Expect.Problem(HttpStatusCode.Unauthorized, "auth.unauthenticated",
            await Api.Post("/api/v1/accounts", new { name = "Nobody", plan = "Plus" }, token));
        Expect.Problem(HttpStatusCode.Unauthorized, "auth.unauthenticated", await Api.Get("/api/v1/wallets", token));
        Expect.Problem(HttpStatusCode.Unauthorized, "auth.unauthenticated",
            await Api.Post("/api/v1/wallets", new { name = "Nope", type = "Single" }, token));
        Expect.Problem(HttpStatusCode.Unauthorized, "auth.unauthenticated", await Api.Get("/api/v1/users/me", token));
    }

    [Fact]
    public async Task A_malformed_authorization_header_gets_a_401_problem()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/wallets");
        request.Headers.TryAddWithoutValidation("Authorization", "Basic dXNlcjpwYXNz");
        using var basic = await Api.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, basic.StatusCode);
        Assert.Equal("application/problem+json", basic.Content.Headers.ContentType?.MediaType);

        using var oversized = new HttpRequestMessage(HttpMethod.Get, "/api/v1/wallets");
        oversized.Headers.TryAddWithoutValidation("Authorization", "Bearer " + new string('x', 300));
        using var tooLong = await Api.Http.SendAsync(oversized, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, tooLong.StatusCode);
    }

    [Fact]
    public async Task The_operator_changes_an_account_plan_with_PATCH()
    {
        var account = await Api.CreateAccount("Plus");

        var patched = Expect.Status(HttpStatusCode.OK,
            await Api.Patch($"/api/v1/accounts/{account.Id}", new { plan = "Premium" }, Api.OperatorToken));
        Assert.Equal("Premium", patched["plan"]);
        Assert.True(patched.Json!["walletsEnabled"]!.GetValue<bool>());

        var reread = await Api.Get($"/api/v1/accounts/{account.Id}", Api.OperatorToken);
        Assert.Equal("Premium", reread["plan"]);
        var settings = Expect.Status(HttpStatusCode.OK, await account.Get("/api/v1/settings/wallets"));
        Assert.Equal("Premium", settings["plan"]);
    }

    [Fact]
    public async Task Dropping_an_account_below_Plus_switches_its_wallets_off()
    {
        var account = await Api.CreateAccount("Plus");
        var (user, team) = await account.CreateCrew();
        Expect.Status(HttpStatusCode.Created, await account.CreateWallet("Vendas", team, [user]));

        var patched = Expect.Status(HttpStatusCode.OK,
            await Api.Patch($"/api/v1/accounts/{account.Id}", new { plan = "Basic" }, Api.OperatorToken));
        Assert.Equal("Basic", patched["plan"]);
        Assert.False(patched.Json!["walletsEnabled"]!.GetValue<bool>());

        Expect.Problem(HttpStatusCode.Forbidden, "account.plan_required", await account.Get("/api/v1/wallets"));
        Expect.Problem(HttpStatusCode.Forbidden, "account.plan_required", await account.CreateWallet("Outra", team, [user]));
    }

    [Fact]
    public async Task Enabling_wallets_on_a_Basic_account_is_refused_with_403_and_wallets_stay_off()
    {
        var account = await Api.CreateAccount("Basic", enableWallets: false);

        Expect.Problem(HttpStatusCode.Forbidden, "account.plan_required",
            await account.Put("/api/v1/settings/wallets", new { enabled = true, restrictContactAccess = false }));

        var settings = Expect.Status(HttpStatusCode.OK, await account.Get("/api/v1/settings/wallets"));
        Assert.False(settings.Json!["walletsEnabled"]!.GetValue<bool>());
        var reread = await Api.Get($"/api/v1/accounts/{account.Id}", Api.OperatorToken);
        Assert.False(reread.Json!["walletsEnabled"]!.GetValue<bool>());

        var (user, team) = await account.CreateCrew();
        Expect.Problem(HttpStatusCode.Forbidden, "account.plan_required", await account.CreateWallet("Vendas", team, [user]));
    }

    [Fact]
    public async Task A_Plus_account_has_no_wallets_until_an_admin_enables_them()
    {
        var account = await Api.CreateAccount("Plus", enableWallets: false);
        var (user, team) = await account.CreateCrew();

        Expect.Problem(HttpStatusCode.Forbidden, "account.wallets_disabled", await account.CreateWallet("Vendas", team, [user]));
        Expect.Problem(HttpStatusCode.Forbidden, "account.wallets_disabled", await account.Get("/api/v1/wallets"));

        var enabled = Expect.Status(HttpStatusCode.OK,
            await account.Put("/api/v1/settings/wallets", new { enabled = true, restrictContactAccess = true }));
        Assert.True(enabled.Json!["walletsEnabled"]!.GetValue<bool>());
        Assert.True(enabled.Json!["restrictContactAccess"]!.GetValue<bool>());

        Expect.Status(HttpStatusCode.Created, await account.CreateWallet("Vendas", team, [user]));
        Assert.Equal(1, await account.WalletCount());
    }

    [Fact]
    public async Task An_account_needs_a_name_and_a_known_plan()
    {
        Expect.Problem(HttpStatusCode.BadRequest, "account.name_invalid",
            await Api.Post("/api/v1/accounts", new { name = "   ", plan = "Plus" }, Api.OperatorToken));
        Expect.Problem(HttpStatusCode.BadRequest, "account.name_invalid",
            await Api.Post("/api/v1/accounts", new { name = new string('a', 129), plan = "Plus" }, Api.OperatorToken));
        Expect.Problem(HttpStatusCode.BadRequest, "account.plan_invalid",
            await Api.Post("/api/v1/accounts", new { name = "Sem plano" }, Api.OperatorToken));
        Expect.Problem(HttpStatusCode.BadRequest, "request.malformed",
            await Api.Post("/api/v1/accounts", new { name = "Ouro", plan = "Gold" }, Api.OperatorToken));
        Expect.Problem(HttpStatusCode.BadRequest, "request.malformed",
            await Api.Post("/api/v1/accounts", new { name = "Numero", plan = 1 }, Api.OperatorToken));
    }

    [Fact]
    public async Task Patching_an_unknown_account_answers_404()
    {
        Expect.Problem(HttpStatusCode.NotFound, "account.not_found",
            await Api.Patch($"/api/v1/accounts/{Guid.NewGuid()}", new { plan = "Premium" }, Api.OperatorToken));
        Expect.Problem(HttpStatusCode.NotFound, "account.not_found",
            await Api.Get($"/api/v1/accounts/{Guid.NewGuid()}", Api.OperatorToken));
    }
}
