namespace WalletGrains.FunctionalTests.Http;

/// <summary>§5: hostile requests — repeated fields, odd Accept headers, made-up tokens — still get clear 4xx problems.</summary>
public sealed class HardeningTests(GatewayFixture gateway)
{
    private Api Api => gateway.Api;

    [Theory]
    [InlineData("wallets")]
    [InlineData("teams")]
    public async Task A_patch_body_with_a_repeated_field_answers_400_and_changes_nothing(string resource)
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = Expect.Status(HttpStatusCode.Created, await account.CreateWallet("Intacta", team, [ana]));
        var path = resource == "wallets" ? $"/api/v1/wallets/{wallet.Id}" : $"/api/v1/teams/{team}";
        var before = await account.Get(path);

        var reply = Expect.ClientProblem(await account.SendRaw(HttpMethod.Patch, path, """{"name": "A", "name": "B"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(before.Json!["name"]!.GetValue<string>(), (await account.Get(path))["name"]);
    }

    [Theory]
    [InlineData("application/xml")]
    [InlineData("text/html")]
    public async Task A_401_or_403_stays_a_4xx_whatever_the_client_accepts(string accept)
    {
        var account = await Api.CreateAccount();

        using var anonymous = new HttpRequestMessage(HttpMethod.Get, "/api/v1/wallets");
        anonymous.Headers.TryAddWithoutValidation("Accept", accept);
        using var unauthenticated = await Api.Http.SendAsync(anonymous, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);

        using var operatorOnly = new HttpRequestMessage(HttpMethod.Post, "/api/v1/accounts") { Content = JsonContent.Create(new { name = "X", plan = "Plus" }) };
        operatorOnly.Headers.TryAddWithoutValidation("Accept", accept);
        operatorOnly.Headers.Authorization = new("Bearer", account.AdminToken);
        using var forbidden = await Api.Http.SendAsync(operatorOnly, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    [Fact]
    public async Task Requests_with_ever_new_made_up_tokens_are_rate_limited_too()
    {
        await using var limited = await RunningGateway.Start("--Gateway:RateLimitPerSecond=5");

        var burst = await Task.WhenAll(Enumerable.Range(0, 40)
            .Select(_ => limited.Api.Get("/api/v1/wallets", "wg_" + Guid.NewGuid().ToString("N"))));

        Assert.Contains(burst, r => r.Status == HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Wallet_settings_without_enabled_answer_400_and_leave_wallets_on()
    {
        var account = await Api.CreateAccount();

        Expect.Problem(HttpStatusCode.BadRequest, "request.malformed", await account.Put("/api/v1/settings/wallets", new { restrictContactAccess = true }));

        Assert.True((await account.Get("/api/v1/settings/wallets")).Json!["walletsEnabled"]!.GetValue<bool>());
    }
}
