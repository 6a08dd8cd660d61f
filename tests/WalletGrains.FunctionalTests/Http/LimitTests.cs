namespace WalletGrains.FunctionalTests.Http;

/// <summary>§3/§5: oversize bodies answer 413 and rate limits answer 429, each as a problem that changes nothing.</summary>
public sealed class LimitTests
{
    [Fact]
    public async Task An_oversize_body_answers_a_413_problem_and_changes_nothing()
    {
        await using var gateway = await RunningGateway.Start("--Gateway:MaxRequestBodyBytes=2048");
        var account = await gateway.Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var teams = new[] { new { teamId = team, userIds = new[] { ana } } };
        var wallet = Expect.Status(HttpStatusCode.Created, await account.CreateWallet(new
        {
            name = "Pequena",
            type = "Single",
            teams,
            journey = new string('j', 128),
        }));
        var path = $"/api/v1/wallets/{wallet.Id}";
        var huge = new string('x', 4096);

        // Sent with a Content-Length …
        var sized = JsonSerializer.Serialize(new { name = "Grande", type = "Single", teams, journey = huge });
        Expect.Problem(HttpStatusCode.RequestEntityTooLarge, "request.too_large",
            await account.SendRaw(HttpMethod.Post, "/api/v1/wallets", sized));

        // … and streamed without one.
        Expect.Problem(HttpStatusCode.RequestEntityTooLarge, "request.too_large",
            await account.CreateWallet(new { name = "Grande", type = "Single", teams, journey = huge }));
        Expect.Problem(HttpStatusCode.RequestEntityTooLarge, "request.too_large",
            await account.SendRaw(HttpMethod.Patch, path, JsonSerializer.Serialize(new { name = "Grande", journey = huge })));
        Expect.Problem(HttpStatusCode.RequestEntityTooLarge, "request.too_large",
            await account.Patch(path, new { name = "Grande", journey = huge }));
        Expect.Problem(HttpStatusCode.RequestEntityTooLarge, "request.too_large",
            await account.Post("/api/v1/users", new { name = "Grande", profile = "Agent", email = huge + "@example.com" }));

        Assert.Equal(1, await account.WalletCount());
        var reread = Expect.Status(HttpStatusCode.OK, await account.Get(path));
        Assert.Equal(wallet.Json!.ToJsonString(), reread.Json!.ToJsonString());

        // The limit is on size only: a body under it still works on the same gateway.
        Expect.Status(HttpStatusCode.Created, await account.CreateWallet("Outra", team, [ana]));
    }

    [Fact]
    public async Task More_requests_than_the_rate_limit_in_a_burst_answer_429_rate_limited_problems()
    {
        await using var gateway = await RunningGateway.Start("--Gateway:RateLimitPerSecond=5");
        var api = gateway.Api;
        var account = await api.CreateAccount();
        var (_, agentToken) = await account.CreateUser("Ana");

        var burst = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => account.Get("/api/v1/wallets")));

        Expect.RateLimited(HttpStatusCode.OK, burst);

        // The budget is per token: another user's token is untouched by the admin's burst.
        for (var i = 0; i < 5; i++)
        {
            Expect.Status(HttpStatusCode.OK, await api.Get("/api/v1/users/me", agentToken));
        }
    }

    [Fact]
    public async Task A_rate_limited_write_changes_nothing()
    {
        await using var gateway = await RunningGateway.Start("--Gateway:RateLimitPerSecond=5");
        var account = await gateway.Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var (_, auditorToken) = await account.CreateUser("Auditor", "Admin");

        var burst = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => account.CreateWallet($"Rajada {i:D2}", team, [ana])));

        var created = burst.Where(r => r.Status == HttpStatusCode.Created).ToList();
        var limited = burst.Where(r => r.Status == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.Equal(burst.Length, created.Count + limited.Count);
        Assert.All(limited, r => Expect.Problem(HttpStatusCode.TooManyRequests, "request.rate_limited", r));

        // Exactly the acknowledged creates exist (read with another admin's token, whose budget is untouched).
        var list = Expect.Status(HttpStatusCode.OK, await gateway.Api.Get("/api/v1/wallets?pageSize=100", auditorToken));
        var names = list.Json!["items"]!.AsArray().Select(w => w!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal);
        Assert.Equal(created.Select(r => r["name"]!).Order(StringComparer.Ordinal), names);
    }
}
