namespace WalletGrains.FunctionalTests.Http;

/// <summary>§1/§3: wallets ("carteiras"): create, read, list, edit any field, delete, unique names.</summary>
public sealed class WalletTests(GatewayFixture gateway)
{
    private Api Api => gateway.Api;

    [Fact]
    public async Task An_admin_creates_a_wallet_and_gets_201_with_the_wallet()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();

        var created = Expect.Status(HttpStatusCode.Created, await account.CreateWallet(new
        {
            name = "  Carteira Sul  ",
            type = "Single",
            automaticAttribution = true,
            timeLimit = "P6M",
            teams = new[] { new { teamId = team, userIds = new[] { ana } } },
            journey = "Onboarding",
        }));

        Assert.Equal($"/api/v1/wallets/{created.Id}", created.Location?.OriginalString);
        Assert.Equal("Carteira Sul", created["name"]);
        Assert.Equal("Single", created["type"]);
        Assert.True(created.Json!["automaticAttribution"]!.GetValue<bool>());
        Assert.Equal("P6M", created["timeLimit"]);
        Assert.Equal("Onboarding", created["journey"]);
        Assert.Equal(team, Guid.Parse(created.Json["teams"]![0]!["teamId"]!.GetValue<string>()));
        Assert.Equal([ana], created.Json["teams"]![0]!["userIds"]!.AsArray().Select(u => Guid.Parse(u!.GetValue<string>())));
        Assert.Equal(0, created.Json["contactsCount"]!.GetValue<long>());
        Assert.True(created.Json["available"]!.GetValue<bool>());

        var read = Expect.Status(HttpStatusCode.OK, await account.Get($"/api/v1/wallets/{created.Id}"));
        Assert.Equal(created.Json.ToJsonString(), read.Json!.ToJsonString());
    }

    [Fact]
    public async Task A_wallet_with_no_responsible_user_and_no_manager_is_unavailable()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();

        var orphan = Expect.Status(HttpStatusCode.Created, await account.CreateWallet("Sem dono", team, [], type: "Multiple"));
        Assert.False(orphan.Json!["available"]!.GetValue<bool>());

        var managed = Expect.Status(HttpStatusCode.Created, await account.CreateWallet(new
        {
            name = "Com gerente",
            type = "Multiple",
            teams = new[] { new { teamId = team, userIds = Array.Empty<Guid>() } },
            managerUserId = ana,
        }));
        Assert.True(managed.Json!["available"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_wallet_name_of_exactly_128_characters_is_accepted()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var name = new string('n', 128);

        var created = Expect.Status(HttpStatusCode.Created, await account.CreateWallet(name, team, [ana]));
        Assert.Equal(name, created["name"]);
    }

    [Fact]
    public async Task A_wallet_name_is_trimmed_before_its_length_is_checked()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var name = new string('n', 128);

        var created = Expect.Status(HttpStatusCode.Created, await account.CreateWallet($"   {name}\t ", team, [ana]));
        Assert.Equal(name, created["name"]);
    }

    [Fact]
    public async Task The_wallet_list_pages_with_pageNumber_and_pageSize()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        foreach (var name in new[] { "Echo", "alpha", "Delta", "charlie", "Bravo" })
        {
            Expect.Status(HttpStatusCode.Created, await account.CreateWallet(name, team, [ana]));
        }

        var first = Expect.Status(HttpStatusCode.OK, await account.Get("/api/v1/wallets?pageNumber=1&pageSize=2"));
        Assert.Equal(5, first.Json!["totalItems"]!.GetValue<int>());
        Assert.Equal(3, first.Json["totalPages"]!.GetValue<int>());
        Assert.True(first.Json["hasMorePages"]!.GetValue<bool>());
        Assert.Equal(2, first.Json["items"]!.AsArray().Count);

        var last = Expect.Status(HttpStatusCode.OK, await account.Get("/api/v1/wallets?pageNumber=3&pageSize=2"));
        Assert.Single(last.Json!["items"]!.AsArray());
        Assert.False(last.Json["hasMorePages"]!.GetValue<bool>());
        Assert.Equal(5, last.Json["totalItems"]!.GetValue<int>());

        var beyond = Expect.Status(HttpStatusCode.OK, await account.Get("/api/v1/wallets?pageNumber=4&pageSize=2"));
        Assert.Empty(beyond.Json!["items"]!.AsArray());
        Assert.False(beyond.Json["hasMorePages"]!.GetValue<bool>());

        // Every wallet appears exactly once across the pages.
        var names = new List<string>();
        for (var page = 1; page <= 3; page++)
        {
            var reply = await account.Get($"/api/v1/wallets?pageNumber={page}&pageSize=2");
            names.AddRange(reply.Json!["items"]!.AsArray().Select(w => w!["name"]!.GetValue<string>()));
        }

        Assert.Equal(["alpha", "Bravo", "charlie", "Delta", "Echo"], names.Order(StringComparer.OrdinalIgnoreCase));

        var max = Expect.Status(HttpStatusCode.OK, await account.Get("/api/v1/wallets?pageSize=100"));
        Assert.Equal(5, max.Json!["items"]!.AsArray().Count);
        Assert.Equal(1, max.Json["totalPages"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("pageSize=0")]
    [InlineData("pageSize=101")]
    [InlineData("pageSize=-5")]
    [InlineData("pageNumber=0")]
    [InlineData("pageNumber=-1")]
    public async Task A_page_outside_the_limits_answers_400(string query)
    {
        var account = await Api.CreateAccount();

        Expect.Problem(HttpStatusCode.BadRequest, "request.page_invalid", await account.Get($"/api/v1/wallets?{query}"));
    }

    [Theory]
    [InlineData("pageSize=abc")]
    [InlineData("pageNumber=one")]
    [InlineData("pageSize=1e3")]
    [InlineData("pageSize=99999999999999999999")]
    public async Task A_page_parameter_that_is_not_a_number_answers_a_400_problem(string query)
    {
        var account = await Api.CreateAccount();

        var reply = Expect.ClientProblem(await account.Get($"/api/v1/wallets?{query}"));
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
    }

    [Fact]
    public async Task Patching_a_wallet_changes_any_field_and_leaves_absent_fields_alone()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var (bruno, _) = await account.CreateUser("Bruno");
        var other = await account.CreateTeam(bruno);
        var created = Expect.Status(HttpStatusCode.Created, await account.CreateWallet("Vendas", team, [ana], timeLimit: "P6M"));
        var path = $"/api/v1/wallets/{created.Id}";

        var renamed = Expect.Status(HttpStatusCode.OK, await account.Patch(path, new { name = "Vendas Norte" }));
        Assert.Equal("Vendas Norte", renamed["name"]);
        Assert.Equal("Single", renamed["type"]);
        Assert.Equal("P6M", renamed["timeLimit"]);

        string[] regions = ["SP", "RJ"];
        string[] segments = ["varejo"];
        var retyped = Expect.Status(HttpStatusCode.OK, await account.Patch(path, new
        {
            type = "Multiple",
            automaticAttribution = true,
            criteria = new { regions, revenue = new { min = 1000, max = 50000 }, segments },
        }));
        Assert.Equal("Multiple", retyped["type"]);
        Assert.True(retyped.Json!["automaticAttribution"]!.GetValue<bool>());
        Assert.Equal(["SP", "RJ"], retyped.Json["criteria"]!["regions"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal("Vendas Norte", retyped["name"]);

        var limited = Expect.Status(HttpStatusCode.OK, await account.Patch(path, new { timeLimit = "P30D" }));
        Assert.Equal("P30D", limited["timeLimit"]);

        var restaffed = Expect.Status(HttpStatusCode.OK, await account.Patch(path, new
        {
            teams = new[] { new { teamId = other, userIds = new[] { bruno } } },
            managerUserId = ana,
            journey = "Pós-venda",
        }));
        Assert.Equal(other, Guid.Parse(restaffed.Json!["teams"]![0]!["teamId"]!.GetValue<string>()));
        Assert.Equal(ana, Guid.Parse(restaffed["managerUserId"]!));
        Assert.Equal("Pós-venda", restaffed["journey"]);

        var reread = Expect.Status(HttpStatusCode.OK, await account.Get(path));
        Assert.Equal("Vendas Norte", reread["name"]);
        Assert.Equal("Multiple", reread["type"]);
        Assert.Equal("P30D", reread["timeLimit"]);
        Assert.Equal("Pós-venda", reread["journey"]);
        Assert.NotNull(reread.Json!["criteria"]);
    }

    [Fact]
    public async Task Patching_timeLimit_to_null_makes_the_binding_indefinite()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var created = Expect.Status(HttpStatusCode.Created, await account.CreateWallet("Vendas", team, [ana], timeLimit: "P3M"));
        var path = $"/api/v1/wallets/{created.Id}";

        var cleared = Expect.Status(HttpStatusCode.OK, await account.SendRaw(HttpMethod.Patch, path, """{"timeLimit": null}"""));
        Assert.Null(cleared.Json!["timeLimit"]);
        Assert.Equal("Vendas", cleared["name"]);

        var reread = await account.Get(path);
        Assert.Null(reread.Json!["timeLimit"]);
    }

    [Fact]
    public async Task Patching_nullable_fields_to_null_clears_them()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        string[] segments = ["industria"];
        var created = Expect.Status(HttpStatusCode.Created, await account.CreateWallet(new
        {
            name = "Completa",
            type = "Multiple",
            teams = new[] { new { teamId = team, userIds = new[] { ana } } },
            criteria = new { segments },
            managerUserId = ana,
            journey = "Retenção",
        }));

        var cleared = Expect.Status(HttpStatusCode.OK, await account.SendRaw(HttpMethod.Patch, $"/api/v1/wallets/{created.Id}",
            """{"criteria": null, "managerUserId": null, "journey": null}"""));
        Assert.Null(cleared.Json!["criteria"]);
        Assert.Null(cleared.Json["managerUserId"]);
        Assert.Null(cleared.Json["journey"]);
        Assert.Equal("Multiple", cleared["type"]);
    }

    [Fact]
    public async Task Deleting_a_wallet_answers_204_and_then_it_is_404_and_off_the_list()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var created = Expect.Status(HttpStatusCode.Created, await account.CreateWallet("Temporária", team, [ana]));
        var path = $"/api/v1/wallets/{created.Id}";

        Expect.Status(HttpStatusCode.NoContent, await account.Delete(path));

        Expect.Problem(HttpStatusCode.NotFound, "wallet.not_found", await account.Get(path));
        Expect.Problem(HttpStatusCode.NotFound, "wallet.not_found", await account.Patch(path, new { name = "Fênix" }));
        Expect.Problem(HttpStatusCode.NotFound, "wallet.not_found", await account.Delete(path));
        Assert.Equal(0, await account.WalletCount());

        // Its name is free again.
        Expect.Status(HttpStatusCode.Created, await account.CreateWallet("TEMPORÁRIA", team, [ana]));
    }

    [Theory]
    [InlineData("Clientes VIP", "clientes vip")]
    [InlineData("Clientes VIP", "CLIENTES VIP")]
    [InlineData("Clientes VIP", "  cLiEnTeS vIp  ")]
    [InlineData("Promoção", "PROMOÇÃO")]
    [InlineData("Promoção", "PROMOC\u0327A\u0303O")]
    public async Task A_name_already_taken_in_another_case_answers_409_wallet_name_taken(string first, string second)
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var created = Expect.Status(HttpStatusCode.Created, await account.CreateWallet(first, team, [ana]));

        Expect.Problem(HttpStatusCode.Conflict, "wallet.name_taken", await account.CreateWallet(second, team, [ana], type: "Multiple"));

        var list = await account.Get("/api/v1/wallets");
        var only = Assert.Single(list.Json!["items"]!.AsArray());
        Assert.Equal(created.Id, Guid.Parse(only!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Renaming_a_wallet_to_a_taken_name_in_another_case_answers_409_and_keeps_its_name()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        Expect.Status(HttpStatusCode.Created, await account.CreateWallet("Norte", team, [ana]));
        var sul = Expect.Status(HttpStatusCode.Created, await account.CreateWallet("Sul", team, [ana]));

        Expect.Problem(HttpStatusCode.Conflict, "wallet.name_taken", await account.Patch($"/api/v1/wallets/{sul.Id}", new { name = "NORTE" }));
        Assert.Equal("Sul", (await account.Get($"/api/v1/wallets/{sul.Id}"))["name"]);

        // A wallet may change the case of its own name; the old spelling then stays reserved to it.
        var recased = Expect.Status(HttpStatusCode.OK, await account.Patch($"/api/v1/wallets/{sul.Id}", new { name = "SUL" }));
        Assert.Equal("SUL", recased["name"]);
        Expect.Problem(HttpStatusCode.Conflict, "wallet.name_taken", await account.CreateWallet("sul", team, [ana]));
    }

    [Fact]
    public async Task A_rename_frees_the_old_name()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = Expect.Status(HttpStatusCode.Created, await account.CreateWallet("Antiga", team, [ana]));

        Expect.Status(HttpStatusCode.OK, await account.Patch($"/api/v1/wallets/{wallet.Id}", new { name = "Nova" }));

        Expect.Status(HttpStatusCode.Created, await account.CreateWallet("antiga", team, [ana]));
        Expect.Problem(HttpStatusCode.Conflict, "wallet.name_taken", await account.CreateWallet("NOVA", team, [ana]));
    }

    [Fact]
    public async Task The_same_wallet_name_may_exist_in_two_accounts()
    {
        var first = await Api.CreateAccount();
        var second = await Api.CreateAccount();
        var (ana, team) = await first.CreateCrew();
        var (bia, otherTeam) = await second.CreateCrew("Bia");

        Expect.Status(HttpStatusCode.Created, await first.CreateWallet("Vendas", team, [ana]));
        Expect.Status(HttpStatusCode.Created, await second.CreateWallet("Vendas", otherTeam, [bia]));
        Assert.Equal(1, await first.WalletCount());
        Assert.Equal(1, await second.WalletCount());
    }

    [Fact]
    public async Task Creating_per_user_wallets_makes_one_Single_wallet_for_each_agent_named_after_the_user()
    {
        var account = await Api.CreateAccount();
        var (ana, _) = await account.CreateUser("Ana Lima");
        var (bruno, _) = await account.CreateUser("Bruno Reis");
        var (chefe, _) = await account.CreateUser("Chefe");
        var team = Expect.Status(HttpStatusCode.Created, await account.Post("/api/v1/teams", new
        {
            name = "Vendedores",
            members = new[]
            {
                new { userId = ana, isAgent = true, isSupervisor = false },
                new { userId = chefe, isAgent = false, isSupervisor = true },
                new { userId = bruno, isAgent = true, isSupervisor = false },
            },
        })).Id;

        var reply = Expect.Status(HttpStatusCode.Created,
            await account.Post("/api/v1/wallets/per-user", new { teamId = team, automaticAttribution = true, timeLimit = "P2M" }));

        var created = reply.Json!["created"]!.AsArray();
        Assert.Equal(2, created.Count);
        Assert.Empty(reply.Json["failed"]!.AsArray());
        foreach (var (user, name) in new[] { (ana, "Ana Lima"), (bruno, "Bruno Reis") })
        {
            var wallet = Assert.Single(created, w => w!["name"]!.GetValue<string>() == name)!;
            Assert.Equal("Single", wallet["type"]!.GetValue<string>());
            Assert.True(wallet["automaticAttribution"]!.GetValue<bool>());
            Assert.Equal("P2M", wallet["timeLimit"]!.GetValue<string>());
            Assert.Equal(team, Guid.Parse(wallet["teams"]![0]!["teamId"]!.GetValue<string>()));
            Assert.Equal([user], wallet["teams"]![0]!["userIds"]!.AsArray().Select(u => Guid.Parse(u!.GetValue<string>())));
        }

        Assert.Equal(2, await account.WalletCount());
    }

    [Fact]
    public async Task Per_user_wallets_skip_users_whose_name_is_already_a_wallet()
    {
        var account = await Api.CreateAccount();
        var (ana, _) = await account.CreateUser("Ana");
        var (bruno, _) = await account.CreateUser("Bruno");
        var team = await account.CreateTeam(ana, bruno);
        Expect.Status(HttpStatusCode.Created, await account.CreateWallet("ANA", team, [ana]));

        var reply = Expect.Status(HttpStatusCode.Created, await account.Post("/api/v1/wallets/per-user", new { teamId = team }));

        Assert.Equal("Bruno", Assert.Single(reply.Json!["created"]!.AsArray())!["name"]!.GetValue<string>());
        var failed = Assert.Single(reply.Json["failed"]!.AsArray())!;
        Assert.Equal(ana, Guid.Parse(failed["userId"]!.GetValue<string>()));
        Assert.Equal(2, await account.WalletCount());
    }

    [Fact]
    public async Task Per_user_wallets_for_an_unknown_team_answer_404_and_create_nothing()
    {
        var account = await Api.CreateAccount();

        Expect.Problem(HttpStatusCode.NotFound, "team.not_found",
            await account.Post("/api/v1/wallets/per-user", new { teamId = Guid.NewGuid() }));
        Assert.Equal(0, await account.WalletCount());
    }

    [Fact]
    public async Task Per_user_wallets_refuse_a_bad_time_limit_and_create_nothing()
    {
        var account = await Api.CreateAccount();
        var (_, team) = await account.CreateCrew();

        Expect.Problem(HttpStatusCode.BadRequest, "wallet.time_limit_invalid",
            await account.Post("/api/v1/wallets/per-user", new { teamId = team, timeLimit = "P5Y" }));
        Assert.Equal(0, await account.WalletCount());
    }

    [Theory]
    [InlineData(1, "P1M")]
    [InlineData(6, "P6M")]
    [InlineData(12, "P1Y")]
    [InlineData(36, "P3Y")]
    public async Task A_Helena_style_expirationDurationInMonths_sets_the_time_limit(int months, string expected)
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();

        var created = Expect.Status(HttpStatusCode.Created, await account.CreateWallet(new
        {
            name = "Helena",
            type = "Single",
            expirationDurationInMonths = months,
            teams = new[] { new { teamId = team, userIds = new[] { ana } } },
        }));

        Assert.Equal(TimeLimitMonths(expected), TimeLimitMonths(created["timeLimit"]!));
        Assert.Equal(TimeLimitMonths(expected), TimeLimitMonths((await account.Get($"/api/v1/wallets/{created.Id}"))["timeLimit"]!));
    }

    [Fact]
    public async Task Patching_expirationDurationInMonths_changes_the_time_limit()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var created = Expect.Status(HttpStatusCode.Created, await account.CreateWallet("Helena", team, [ana]));
        Assert.Null(created.Json!["timeLimit"]);

        var patched = Expect.Status(HttpStatusCode.OK, await account.Patch($"/api/v1/wallets/{created.Id}", new { expirationDurationInMonths = 3 }));
        Assert.Equal("P3M", patched["timeLimit"]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(37)]
    [InlineData(1200)]
    public async Task An_expirationDurationInMonths_outside_1_to_36_answers_400_and_creates_nothing(int months)
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();

        Expect.Problem(HttpStatusCode.BadRequest, "wallet.time_limit_invalid", await account.CreateWallet(new
        {
            name = "Helena",
            type = "Single",
            expirationDurationInMonths = months,
            teams = new[] { new { teamId = team, userIds = new[] { ana } } },
        }));
        Assert.Equal(0, await account.WalletCount());
    }

    [Fact]
    public async Task Sending_both_timeLimit_and_expirationDurationInMonths_answers_400()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();

        Expect.Problem(HttpStatusCode.BadRequest, "wallet.time_limit_invalid", await account.CreateWallet(new
        {
            name = "Ambígua",
            type = "Single",
            timeLimit = "P1M",
            expirationDurationInMonths = 2,
            teams = new[] { new { teamId = team, userIds = new[] { ana } } },
        }));
        Assert.Equal(0, await account.WalletCount());
    }

    [Theory]
    [InlineData("PT1M")]
    [InlineData("PT90M")]
    [InlineData("P1W")]
    [InlineData("P30D")]
    [InlineData("P1Y2M3DT4H5M6S")]
    [InlineData("P3Y")]
    public async Task Any_duration_from_1_minute_to_3_years_is_accepted(string timeLimit)
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();

        var created = Expect.Status(HttpStatusCode.Created, await account.CreateWallet("Prazo", team, [ana], timeLimit: timeLimit));
        Assert.False(string.IsNullOrEmpty(created["timeLimit"]));
    }

    /// <summary>An ISO 8601 duration of whole years and months, in months (so P12M and P1Y compare equal).</summary>
    private static int TimeLimitMonths(string duration)
    {
        var match = System.Text.RegularExpressions.Regex.Match(duration, @"^P(?:(\d+)Y)?(?:(\d+)M)?$");
        Assert.True(match.Success, $"'{duration}' is not a whole number of years and months");
        return (match.Groups[1].Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) * 12 : 0)
            + (match.Groups[2].Success ? int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) : 0);
    }
}
