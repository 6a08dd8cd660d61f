namespace WalletGrains.FunctionalTests.Http;

/// <summary>§5: every malformed or hostile request gets a clear 4xx problem and changes nothing.</summary>
public sealed class BadInputTests(GatewayFixture gateway)
{
    private Api Api => gateway.Api;

    [Theory]
    [InlineData("""{"name": "Quebrada", "type": "Single",""")]
    [InlineData("""{"name": "Quebrada" "type": "Single"}""")]
    [InlineData("""{name: 'Quebrada', type: 'Single'}""")]
    [InlineData("""not json at all""")]
    [InlineData("""[]""")]
    [InlineData("""null""")]
    [InlineData("""{"name": "Quebrada", "type": "Single"}}""")]
    public async Task Malformed_JSON_answers_400_and_creates_nothing(string body)
    {
        var account = await Api.CreateAccount();

        var reply = Expect.ClientProblem(await account.SendRaw(HttpMethod.Post, "/api/v1/wallets", body));
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);

        Assert.Equal(0, await account.WalletCount());
    }

    [Fact]
    public async Task An_empty_body_answers_400_and_creates_nothing()
    {
        var account = await Api.CreateAccount();

        var reply = Expect.ClientProblem(await account.SendRaw(HttpMethod.Post, "/api/v1/wallets", ""));
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(0, await account.WalletCount());
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_answers_a_4xx_problem_and_creates_nothing()
    {
        var account = await Api.CreateAccount();

        Expect.ClientProblem(await account.SendRaw(HttpMethod.Post, "/api/v1/wallets", "name=Form&type=Single", "application/x-www-form-urlencoded"));
        Expect.ClientProblem(await account.SendRaw(HttpMethod.Post, "/api/v1/wallets", """{"name": "Texto", "type": "Single"}""", "text/plain"));
        Assert.Equal(0, await account.WalletCount());
    }

    [Theory]
    [InlineData("""{"name": "Tipos", "type": 5}""")]
    [InlineData("""{"name": "Tipos", "type": 0}""")]
    [InlineData("""{"name": "Tipos", "type": "Triple"}""")]
    [InlineData("""{"name": "Tipos", "type": "Single", "automaticAttribution": "yes"}""")]
    [InlineData("""{"name": "Tipos", "type": "Single", "automaticAttribution": 1}""")]
    [InlineData("""{"name": 42, "type": "Single"}""")]
    [InlineData("""{"name": ["Tipos"], "type": "Single"}""")]
    [InlineData("""{"name": "Tipos", "type": "Single", "timeLimit": 30}""")]
    [InlineData("""{"name": "Tipos", "type": "Single", "teams": {"teamId": "x"}}""")]
    [InlineData("""{"name": "Tipos", "type": "Single", "teams": [{"teamId": "not-a-guid"}]}""")]
    [InlineData("""{"name": "Tipos", "type": "Single", "expirationDurationInMonths": "6"}""")]
    [InlineData("""{"name": "Tipos", "type": "Single", "expirationDurationInMonths": 6.5}""")]
    [InlineData("""{"name": "Tipos", "type": "Multiple", "criteria": {"revenue": {"min": "lots"}}}""")]
    public async Task A_field_of_the_wrong_type_answers_400_and_creates_nothing(string body)
    {
        var account = await Api.CreateAccount();

        var reply = Expect.ClientProblem(await account.SendRaw(HttpMethod.Post, "/api/v1/wallets", body));
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(0, await account.WalletCount());
    }

    [Theory]
    [InlineData("""{"type": 5}""")]
    [InlineData("""{"automaticAttribution": "yes"}""")]
    [InlineData("""{"name": 42}""")]
    [InlineData("""{"timeLimit": 30}""")]
    [InlineData("""{"teams": "all"}""")]
    [InlineData("""{"name": "Nova",""")]
    [InlineData("""[{"name": "Nova"}]""")]
    [InlineData("""42""")]
    public async Task A_patch_of_the_wrong_shape_answers_400_and_changes_nothing(string body)
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = Expect.Status(HttpStatusCode.Created, await account.CreateWallet("Intacta", team, [ana], timeLimit: "P6M"));
        var path = $"/api/v1/wallets/{wallet.Id}";

        var reply = Expect.ClientProblem(await account.SendRaw(HttpMethod.Patch, path, body));
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);

        var reread = await account.Get(path);
        Assert.Equal(wallet.Json!.ToJsonString(), reread.Json!.ToJsonString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    [InlineData(null)]
    public async Task A_blank_wallet_name_answers_400_name_invalid_and_creates_nothing(string? name)
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();

        Expect.Problem(HttpStatusCode.BadRequest, "wallet.name_invalid", await account.CreateWallet(name!, team, [ana]));
        Assert.Equal(0, await account.WalletCount());
    }

    [Fact]
    public async Task A_wallet_name_of_129_characters_answers_400_name_invalid_and_creates_nothing()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();

        var reply = Expect.Problem(HttpStatusCode.BadRequest, "wallet.name_invalid", await account.CreateWallet(new string('n', 129), team, [ana]));
        Assert.NotNull(reply.Json!["errors"]?["name"]);
        Assert.Equal(0, await account.WalletCount());
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(129)]
    public async Task Renaming_a_wallet_to_a_blank_or_too_long_name_answers_400_and_keeps_its_name(object name)
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = Expect.Status(HttpStatusCode.Created, await account.CreateWallet("Intacta", team, [ana]));

        var newName = name is int length ? new string('x', length) : (string)name;
        Expect.Problem(HttpStatusCode.BadRequest, "wallet.name_invalid", await account.Patch($"/api/v1/wallets/{wallet.Id}", new { name = newName }));

        Assert.Equal("Intacta", (await account.Get($"/api/v1/wallets/{wallet.Id}"))["name"]);
        Assert.Equal(1, await account.WalletCount());
    }

    [Theory]
    [InlineData("P-1D")]
    [InlineData("-P1D")]
    [InlineData("P10Y")]
    [InlineData("P37M")]
    [InlineData("P1100D")]
    [InlineData("P3Y1D")]
    [InlineData("PT30S")]
    [InlineData("PT0M")]
    [InlineData("P0D")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("banana")]
    [InlineData("")]
    [InlineData("6 months")]
    [InlineData("P999999999Y")]
    [InlineData("PT99999999999999999999H")]
    public async Task A_negative_tiny_absurd_or_unparsable_time_limit_answers_400_and_creates_nothing(string timeLimit)
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();

        Expect.Problem(HttpStatusCode.BadRequest, "wallet.time_limit_invalid", await account.CreateWallet("Prazo", team, [ana], timeLimit: timeLimit));
        Assert.Equal(0, await account.WalletCount());
    }

    [Theory]
    [InlineData("P-1D")]
    [InlineData("P10Y")]
    [InlineData("banana")]
    public async Task Patching_an_invalid_time_limit_answers_400_and_keeps_the_old_one(string timeLimit)
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = Expect.Status(HttpStatusCode.Created, await account.CreateWallet("Prazo", team, [ana], timeLimit: "P6M"));

        Expect.Problem(HttpStatusCode.BadRequest, "wallet.time_limit_invalid",
            await account.Patch($"/api/v1/wallets/{wallet.Id}", new { timeLimit, name = "Renomeada" }));

        var reread = await account.Get($"/api/v1/wallets/{wallet.Id}");
        Assert.Equal("P6M", reread["timeLimit"]);
        Assert.Equal("Prazo", reread["name"]);
    }

    [Fact]
    public async Task A_wallet_without_type_or_teams_answers_400_and_creates_nothing()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();

        Expect.Problem(HttpStatusCode.BadRequest, "wallet.type_invalid", await account.CreateWallet(new
        {
            name = "Sem tipo",
            teams = new[] { new { teamId = team, userIds = new[] { ana } } },
        }));
        Expect.Problem(HttpStatusCode.BadRequest, "wallet.teams_invalid", await account.CreateWallet(new { name = "Sem equipe", type = "Single" }));
        Expect.Problem(HttpStatusCode.BadRequest, "wallet.teams_invalid", await account.CreateWallet(new { name = "Equipe vazia", type = "Single", teams = Array.Empty<object>() }));
        Assert.Equal(0, await account.WalletCount());
    }

    [Fact]
    public async Task A_responsible_user_outside_the_team_answers_400_and_creates_nothing()
    {
        var account = await Api.CreateAccount();
        var (_, team) = await account.CreateCrew();
        var (outsider, _) = await account.CreateUser("Outsider");

        Expect.Problem(HttpStatusCode.BadRequest, "wallet.responsible_invalid", await account.CreateWallet("Fora", team, [outsider]));
        Assert.Equal(0, await account.WalletCount());

        // The refused wallet left no trace on the team: it can still be deleted.
        Expect.Status(HttpStatusCode.NoContent, await account.Delete($"/api/v1/teams/{team}"));
    }

    [Fact]
    public async Task Criteria_on_a_Single_wallet_or_inverted_revenue_answer_400_and_create_nothing()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var teams = new[] { new { teamId = team, userIds = new[] { ana } } };
        string[] saoPaulo = ["SP"];
        string[] blank = [" "];

        Expect.Problem(HttpStatusCode.BadRequest, "wallet.criteria_invalid", await account.CreateWallet(new
        {
            name = "Critério", type = "Single", teams, criteria = new { regions = saoPaulo },
        }));
        Expect.Problem(HttpStatusCode.BadRequest, "wallet.criteria_invalid", await account.CreateWallet(new
        {
            name = "Critério", type = "Multiple", teams, criteria = new { revenue = new { min = 500, max = 100 } },
        }));
        Expect.Problem(HttpStatusCode.BadRequest, "wallet.criteria_invalid", await account.CreateWallet(new
        {
            name = "Critério", type = "Multiple", teams, criteria = new { regions = blank },
        }));
        Assert.Equal(0, await account.WalletCount());
    }

    [Fact]
    public async Task Unknown_ids_answer_404_with_a_code()
    {
        var account = await Api.CreateAccount();
        var unknown = Guid.NewGuid();

        Expect.Problem(HttpStatusCode.NotFound, "wallet.not_found", await account.Get($"/api/v1/wallets/{unknown}"));
        Expect.Problem(HttpStatusCode.NotFound, "wallet.not_found", await account.Patch($"/api/v1/wallets/{unknown}", new { name = "X" }));
        Expect.Problem(HttpStatusCode.NotFound, "wallet.not_found", await account.Delete($"/api/v1/wallets/{unknown}"));
        Expect.Problem(HttpStatusCode.NotFound, "team.not_found", await account.Get($"/api/v1/teams/{unknown}"));
        Expect.Problem(HttpStatusCode.NotFound, "team.not_found", await account.Patch($"/api/v1/teams/{unknown}", new { name = "X" }));
        Expect.Problem(HttpStatusCode.NotFound, "team.not_found", await account.Delete($"/api/v1/teams/{unknown}"));
        Expect.Problem(HttpStatusCode.NotFound, "user.not_found", await account.Get($"/api/v1/users/{unknown}"));
        Expect.Problem(HttpStatusCode.NotFound, "user.not_found", await account.Patch($"/api/v1/users/{unknown}", new { name = "X" }));
        Expect.Problem(HttpStatusCode.NotFound, "user.not_found", await account.Delete($"/api/v1/users/{unknown}"));

        // Reading an unknown id does not bring it into being.
        Expect.Problem(HttpStatusCode.NotFound, "wallet.not_found", await account.Get($"/api/v1/wallets/{unknown}"));
        Assert.Equal(0, await account.WalletCount());
    }

    [Fact]
    public async Task Unknown_ids_inside_a_body_answer_400_and_create_nothing()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();

        Expect.Problem(HttpStatusCode.BadRequest, "wallet.teams_invalid", await account.CreateWallet("Fantasma", Guid.NewGuid(), []));
        Expect.Problem(HttpStatusCode.BadRequest, "wallet.responsible_invalid", await account.CreateWallet("Fantasma", team, [Guid.NewGuid()]));
        Expect.Problem(HttpStatusCode.BadRequest, "wallet.manager_invalid", await account.CreateWallet(new
        {
            name = "Fantasma",
            type = "Single",
            teams = new[] { new { teamId = team, userIds = new[] { ana } } },
            managerUserId = Guid.NewGuid(),
        }));
        Assert.Equal(0, await account.WalletCount());
    }

    [Fact]
    public async Task Another_accounts_wallet_answers_404_to_GET_PATCH_and_DELETE_and_stays_unchanged()
    {
        var owner = await Api.CreateAccount();
        var stranger = await Api.CreateAccount();
        var (ana, team) = await owner.CreateCrew();
        var wallet = Expect.Status(HttpStatusCode.Created, await owner.CreateWallet("Privada", team, [ana], timeLimit: "P6M"));
        var path = $"/api/v1/wallets/{wallet.Id}";

        Expect.Problem(HttpStatusCode.NotFound, "wallet.not_found", await stranger.Get(path));
        Expect.Problem(HttpStatusCode.NotFound, "wallet.not_found", await stranger.Patch(path, new { name = "Roubada", timeLimit = "PT1M" }));
        Expect.Problem(HttpStatusCode.NotFound, "wallet.not_found", await stranger.SendRaw(HttpMethod.Patch, path, """{"timeLimit": null}"""));
        Expect.Problem(HttpStatusCode.NotFound, "wallet.not_found", await stranger.Delete(path));

        var reread = Expect.Status(HttpStatusCode.OK, await owner.Get(path));
        Assert.Equal(wallet.Json!.ToJsonString(), reread.Json!.ToJsonString());
        Assert.Equal(0, await stranger.WalletCount());
        Assert.Equal(1, await owner.WalletCount());
    }

    [Fact]
    public async Task Another_accounts_team_answers_404_to_GET_PATCH_and_DELETE_and_stays_unchanged()
    {
        var owner = await Api.CreateAccount();
        var stranger = await Api.CreateAccount();
        var (ana, team) = await owner.CreateCrew();
        var path = $"/api/v1/teams/{team}";
        var before = Expect.Status(HttpStatusCode.OK, await owner.Get(path));

        Expect.Problem(HttpStatusCode.NotFound, "team.not_found", await stranger.Get(path));
        Expect.Problem(HttpStatusCode.NotFound, "team.not_found", await stranger.Patch(path, new { name = "Roubada", members = Array.Empty<object>() }));
        Expect.Problem(HttpStatusCode.NotFound, "team.not_found", await stranger.SendRaw(HttpMethod.Patch, path, """{"businessHours": null}"""));
        Expect.Problem(HttpStatusCode.NotFound, "team.not_found", await stranger.Delete(path));

        var after = Expect.Status(HttpStatusCode.OK, await owner.Get(path));
        Assert.Equal(before.Json!.ToJsonString(), after.Json!.ToJsonString());
        Expect.Status(HttpStatusCode.Created, await owner.CreateWallet("Ainda minha", team, [ana]));
    }

    [Fact]
    public async Task Another_accounts_user_answers_404_to_GET_PATCH_and_DELETE_and_stays_unchanged()
    {
        var owner = await Api.CreateAccount();
        var stranger = await Api.CreateAccount();
        var (ana, anaToken) = await owner.CreateUser("Ana");
        var path = $"/api/v1/users/{ana}";
        var before = Expect.Status(HttpStatusCode.OK, await owner.Get(path));

        Expect.Problem(HttpStatusCode.NotFound, "user.not_found", await stranger.Get(path));
        Expect.Problem(HttpStatusCode.NotFound, "user.not_found", await stranger.Patch(path, new { status = "Blocked", profile = "Admin" }));
        Expect.Problem(HttpStatusCode.NotFound, "user.not_found", await stranger.Delete(path));
        Expect.Problem(HttpStatusCode.NotFound, "user.not_found", await stranger.Get($"/api/v1/users/{owner.AdminUserId}"));

        var after = Expect.Status(HttpStatusCode.OK, await owner.Get(path));
        Assert.Equal(before.Json!.ToJsonString(), after.Json!.ToJsonString());
        Expect.Status(HttpStatusCode.OK, await Api.Get("/api/v1/users/me", anaToken));
    }

    [Fact]
    public async Task Another_accounts_team_or_user_inside_a_body_is_refused_and_nothing_is_created()
    {
        var owner = await Api.CreateAccount();
        var stranger = await Api.CreateAccount();
        var (ana, team) = await owner.CreateCrew();
        var (bia, strangerTeam) = await stranger.CreateCrew("Bia");

        Expect.Problem(HttpStatusCode.BadRequest, "wallet.teams_invalid", await stranger.CreateWallet("Invasora", team, []));
        Expect.Problem(HttpStatusCode.BadRequest, "wallet.manager_invalid", await stranger.CreateWallet(new
        {
            name = "Invasora",
            type = "Single",
            teams = new[] { new { teamId = strangerTeam, userIds = new[] { bia } } },
            managerUserId = ana,
        }));
        Expect.Problem(HttpStatusCode.BadRequest, "team.member_invalid", await stranger.Post("/api/v1/teams", new
        {
            name = "Invasora",
            members = new[] { new { userId = ana, isAgent = true, isSupervisor = false } },
        }));
        Expect.Problem(HttpStatusCode.NotFound, "team.not_found",
            await stranger.Post("/api/v1/wallets/per-user", new { teamId = team }));

        Assert.Equal(0, await stranger.WalletCount());
        Assert.Equal(0, await owner.WalletCount());

        // The owner's team was never attached to anything.
        Expect.Status(HttpStatusCode.NoContent, await owner.Delete($"/api/v1/teams/{team}"));
    }

    [Theory]
    [InlineData("/api/v1/wallets/not-a-guid")]
    [InlineData("/api/v1/wallets/123")]
    [InlineData("/api/v1/wallets/00000000-0000-0000-0000-00000000000g")]
    [InlineData("/api/v1/teams/not-a-guid")]
    [InlineData("/api/v1/users/not-a-guid")]
    public async Task A_non_guid_id_in_the_path_answers_a_4xx_problem_and_changes_nothing(string path)
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        Expect.Status(HttpStatusCode.Created, await account.CreateWallet("Intacta", team, [ana]));

        Expect.ClientProblem(await account.Get(path));
        Expect.ClientProblem(await account.Patch(path, new { name = "Renomeada" }));
        Expect.ClientProblem(await account.Delete(path));

        Assert.Equal(1, await account.WalletCount());
        Expect.Status(HttpStatusCode.OK, await account.Get($"/api/v1/teams/{team}"));
        Expect.Status(HttpStatusCode.OK, await account.Get($"/api/v1/users/{ana}"));
    }

    [Fact]
    public async Task An_unknown_route_answers_a_404_problem()
    {
        var account = await Api.CreateAccount();

        Expect.Problem(HttpStatusCode.NotFound, "request.not_found", await account.Get("/api/v1/portfolios"));
        Expect.Problem(HttpStatusCode.NotFound, "request.not_found", await account.Get("/api/v2/wallets"));
    }
}
