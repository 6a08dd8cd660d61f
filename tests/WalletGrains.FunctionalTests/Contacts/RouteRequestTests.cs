namespace WalletGrains.FunctionalTests.Contacts;

/// <summary>
/// The route request is answered ahead of the general pipeline when its token is already known here (the gateway's
/// fast path); every other shape of it goes through the general pipeline. Either way the answers are the endpoint's:
/// the same decision, the same problems, the same rate limit.
/// </summary>
public sealed class RouteRequestTests(GatewayFixture gateway)
{
    private Api Api => gateway.Api;

    [Fact]
    public async Task A_route_with_a_known_token_answers_exactly_what_the_general_pipeline_answers()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana], automatic: true);
        var contact = await account.CreateContact();
        Expect.Status(HttpStatusCode.OK, await account.Include(wallet, new { contactId = contact }));

        // The token is known once a request authenticated it; this route binds the owner.
        var assigned = Expect.Status(HttpStatusCode.OK, await RouteWithLength(account, $$"""{"contactId":"{{contact}}"}"""));
        Assert.Equal("auto-assigned", assigned["reason"]);

        var fast = Expect.Status(HttpStatusCode.OK, await RouteWithLength(account, $$"""{"contactId":"{{contact}}"}"""));
        var chunked = Expect.Status(HttpStatusCode.OK, await account.Route(contact));

        // A body longer than any route body skips the fast path; the endpoint ignores the unknown property.
        var general = Expect.Status(HttpStatusCode.OK, await RouteWithLength(account, $$"""{"contactId":"{{contact}}","note":"{{new string('x', 600)}}"}"""));

        Assert.Equal("sticky-owner", fast["reason"]);
        Assert.Equal(ana, fast.Json.GuidOf("userId"));
        Assert.Equal(general.Json!.ToJsonString(), fast.Json!.ToJsonString());
        Assert.Equal(general.Json!.ToJsonString(), chunked.Json!.ToJsonString());
        Assert.Equal("application/json", fast.MediaType);
    }

    [Fact]
    public async Task A_body_the_fast_path_declines_reaches_the_endpoint_whole()
    {
        var account = await Api.CreateAccount();
        await account.Route(Guid.NewGuid());

        // The fast path reads this body and declines it (no contact named); the endpoint still gets all of it, binds it
        // and answers its own 404 — an endpoint given an emptied body would answer 400 instead.
        Expect.Problem(HttpStatusCode.NotFound, "contact.not_found",
            await RouteWithLength(account, """{"contactId":"00000000-0000-0000-0000-000000000000"}"""));
    }

    [Theory]
    [InlineData("""{"contactId": 12}""")]
    [InlineData("""{"contactId": "not-a-guid"}""")]
    [InlineData("""{"contactId": "6f1c1d1e-0000-4000-8000-000000000001", "contactId": "6f1c1d1e-0000-4000-8000-000000000002"}""")]
    [InlineData("""{"contactId": "6f1c1d1e-0000-4000-8000-000000000001""")]
    [InlineData("""null""")]
    [InlineData("")]
    public async Task A_malformed_route_body_with_a_known_token_answers_400(string body)
    {
        var account = await Api.CreateAccount();
        await account.Route(Guid.NewGuid());

        var reply = Expect.ClientProblem(await RouteWithLength(account, body));
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
    }

    [Fact]
    public async Task A_blocked_user_whose_token_is_known_gets_403_user_blocked_on_every_route()
    {
        var account = await Api.CreateAccount();
        var (ana, anaToken) = await account.CreateUser("Ana");
        var contact = await account.CreateContact();
        Expect.Status(HttpStatusCode.OK, await Api.Post("/api/v1/conversations/route", new { contactId = contact }, anaToken));

        Expect.Status(HttpStatusCode.OK, await account.Patch($"/api/v1/users/{ana}", new { status = "Blocked" }));

        // The first answer makes the blocked user known to this gateway; the second is answered with that knowledge.
        for (var i = 0; i < 2; i++)
        {
            Expect.Problem(HttpStatusCode.Forbidden, "auth.user_blocked",
                await Api.SendRaw(HttpMethod.Post, "/api/v1/conversations/route", $$"""{"contactId":"{{contact}}"}""", anaToken));
        }
    }

    [Fact]
    public async Task The_operator_token_may_not_route()
    {
        var account = await Api.CreateAccount();
        var contact = await account.CreateContact();

        Expect.Problem(HttpStatusCode.Forbidden, "auth.forbidden",
            await Api.SendRaw(HttpMethod.Post, "/api/v1/conversations/route", $$"""{"contactId":"{{contact}}"}""", GatewayFixture.OperatorToken));
    }

    [Fact]
    public async Task Routes_beyond_the_rate_limit_answer_429_problems_with_Retry_After()
    {
        await using var limited = await RunningGateway.Start("--Gateway:RateLimitPerSecond=5");
        var account = await limited.Api.CreateAccount();
        var contact = await account.CreateContact();
        var (_, anaToken) = await account.CreateUser("Ana");
        var body = $$"""{"contactId":"{{contact}}"}""";

        // The first route makes the token known; the burst that follows is answered ahead of the general pipeline.
        Assert.Equal("no-wallet", Expect.Status(HttpStatusCode.OK, await limited.Api.SendRaw(HttpMethod.Post, "/api/v1/conversations/route", body, anaToken))["reason"]);
        var burst = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => limited.Api.SendRaw(HttpMethod.Post, "/api/v1/conversations/route", body, anaToken)));

        Expect.RateLimited(HttpStatusCode.OK, burst);
    }

    /// <summary>A route request with a Content-Length, as most HTTP clients send a small body (the JSON helpers send it chunked).</summary>
    private static Task<Reply> RouteWithLength(Account account, string body) =>
        account.SendRaw(HttpMethod.Post, "/api/v1/conversations/route", body);
}
