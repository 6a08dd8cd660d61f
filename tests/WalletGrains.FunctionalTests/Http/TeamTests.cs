namespace WalletGrains.FunctionalTests.Http;

/// <summary>§1/§3: teams ("equipes") with ordered members, distribution and optional business hours.</summary>
public sealed class TeamTests(GatewayFixture gateway)
{
    private static readonly object Hours = new
    {
        timeZone = "America/Sao_Paulo",
        periods = new[]
        {
            new { day = "Monday", start = "09:00:00", end = "18:00:00" },
            new { day = "Tuesday", start = "09:00:00", end = "12:00:00" },
        },
    };

    private Api Api => gateway.Api;

    [Fact]
    public async Task An_admin_creates_a_team_with_ordered_members_distribution_and_business_hours()
    {
        var account = await Api.CreateAccount();
        var (ana, _) = await account.CreateUser("Ana");
        var (bruno, _) = await account.CreateUser("Bruno");
        var (carla, _) = await account.CreateUser("Carla");

        var created = Expect.Status(HttpStatusCode.Created, await account.Post("/api/v1/teams", new
        {
            name = "Vendas",
            members = new[]
            {
                new { userId = carla, isAgent = true, isSupervisor = false },
                new { userId = ana, isAgent = false, isSupervisor = true },
                new { userId = bruno, isAgent = true, isSupervisor = true },
            },
            distribution = new { strategy = "leastLoaded" },
            businessHours = Hours,
        }));
        Assert.Equal($"/api/v1/teams/{created.Id}", created.Location?.OriginalString);

        var team = Expect.Status(HttpStatusCode.OK, await account.Get($"/api/v1/teams/{created.Id}"));
        Assert.Equal("Vendas", team["name"]);
        var members = team.Json!["members"]!.AsArray();
        Assert.Equal([carla, ana, bruno], members.Select(m => Guid.Parse(m!["userId"]!.GetValue<string>())));
        Assert.False(members[1]!["isAgent"]!.GetValue<bool>());
        Assert.True(members[1]!["isSupervisor"]!.GetValue<bool>());
        Assert.Equal("leastLoaded", team.Json["distribution"]!["strategy"]!.GetValue<string>());
        Assert.Equal("America/Sao_Paulo", team.Json["businessHours"]!["timeZone"]!.GetValue<string>());
        Assert.Equal(2, team.Json["businessHours"]!["periods"]!.AsArray().Count);
    }

    [Fact]
    public async Task Patching_a_team_changes_only_the_fields_sent_and_businessHours_null_clears_them()
    {
        var account = await Api.CreateAccount();
        var (ana, _) = await account.CreateUser("Ana");
        var (bruno, _) = await account.CreateUser("Bruno");
        var created = Expect.Status(HttpStatusCode.Created, await account.Post("/api/v1/teams", new
        {
            name = "Suporte",
            members = new[] { new { userId = ana, isAgent = true, isSupervisor = false } },
            distribution = new { strategy = "roundRobin" },
            businessHours = Hours,
        }));
        var path = $"/api/v1/teams/{created.Id}";

        var renamed = Expect.Status(HttpStatusCode.OK, await account.Patch(path, new { name = "Suporte N2" }));
        Assert.Equal("Suporte N2", renamed["name"]);
        Assert.NotNull(renamed.Json!["businessHours"]);
        Assert.Single(renamed.Json["members"]!.AsArray());

        var restaffed = Expect.Status(HttpStatusCode.OK, await account.Patch(path, new
        {
            members = new[]
            {
                new { userId = bruno, isAgent = true, isSupervisor = false },
                new { userId = ana, isAgent = true, isSupervisor = false },
            },
            distribution = new { strategy = "leastLoaded" },
        }));
        Assert.Equal([bruno, ana], restaffed.Json!["members"]!.AsArray().Select(m => Guid.Parse(m!["userId"]!.GetValue<string>())));
        Assert.Equal("leastLoaded", restaffed.Json["distribution"]!["strategy"]!.GetValue<string>());
        Assert.NotNull(restaffed.Json["businessHours"]);

        var cleared = Expect.Status(HttpStatusCode.OK, await account.SendRaw(HttpMethod.Patch, path, """{"businessHours": null}"""));
        Assert.Null(cleared.Json!["businessHours"]);
        Assert.Equal("Suporte N2", cleared["name"]);

        var reread = await account.Get(path);
        Assert.Null(reread.Json!["businessHours"]);
        Assert.Equal(2, reread.Json["members"]!.AsArray().Count);
    }

    [Fact]
    public async Task Deleting_a_team_answers_204_and_it_is_gone()
    {
        var account = await Api.CreateAccount();
        var team = await account.CreateTeam();

        Expect.Status(HttpStatusCode.NoContent, await account.Delete($"/api/v1/teams/{team}"));

        Expect.Problem(HttpStatusCode.NotFound, "team.not_found", await account.Get($"/api/v1/teams/{team}"));
        Expect.Problem(HttpStatusCode.NotFound, "team.not_found", await account.Delete($"/api/v1/teams/{team}"));
        Expect.Problem(HttpStatusCode.NotFound, "team.not_found", await account.Patch($"/api/v1/teams/{team}", new { name = "Zumbi" }));
    }

    [Fact]
    public async Task A_team_a_wallet_names_cannot_be_deleted_409_team_in_use()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallet = Expect.Status(HttpStatusCode.Created, await account.CreateWallet("Vendas", team, [ana]));

        Expect.Problem(HttpStatusCode.Conflict, "team.in_use", await account.Delete($"/api/v1/teams/{team}"));
        Expect.Status(HttpStatusCode.OK, await account.Get($"/api/v1/teams/{team}"));
        Assert.Equal(team, Guid.Parse((await account.Get($"/api/v1/wallets/{wallet.Id}")).Json!["teams"]![0]!["teamId"]!.GetValue<string>()));

        // Once no wallet names it, it can go.
        Expect.Status(HttpStatusCode.NoContent, await account.Delete($"/api/v1/wallets/{wallet.Id}"));
        Expect.Status(HttpStatusCode.NoContent, await account.Delete($"/api/v1/teams/{team}"));
    }

    [Fact]
    public async Task A_team_a_wallet_stopped_naming_can_be_deleted()
    {
        var account = await Api.CreateAccount();
        var (ana, first) = await account.CreateCrew();
        var second = await account.CreateTeam(ana);
        var wallet = Expect.Status(HttpStatusCode.Created, await account.CreateWallet("Vendas", first, [ana]));

        Expect.Status(HttpStatusCode.OK, await account.Patch($"/api/v1/wallets/{wallet.Id}",
            new { teams = new[] { new { teamId = second, userIds = new[] { ana } } } }));

        Expect.Status(HttpStatusCode.NoContent, await account.Delete($"/api/v1/teams/{first}"));
        Expect.Problem(HttpStatusCode.Conflict, "team.in_use", await account.Delete($"/api/v1/teams/{second}"));
    }

    [Fact]
    public async Task A_team_refuses_bad_names_members_and_hours_and_stays_unchanged()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var path = $"/api/v1/teams/{team}";

        Expect.Problem(HttpStatusCode.BadRequest, "team.name_invalid", await account.Post("/api/v1/teams", new { name = " " }));
        Expect.Problem(HttpStatusCode.BadRequest, "team.name_invalid", await account.Post("/api/v1/teams", new { name = new string('t', 129) }));
        Expect.Problem(HttpStatusCode.BadRequest, "team.member_invalid", await account.Post("/api/v1/teams", new
        {
            name = "Fantasmas",
            members = new[] { new { userId = Guid.NewGuid(), isAgent = true, isSupervisor = false } },
        }));
        Expect.Problem(HttpStatusCode.BadRequest, "team.member_duplicated", await account.Post("/api/v1/teams", new
        {
            name = "Duplicada",
            members = new[] { new { userId = ana, isAgent = true, isSupervisor = false }, new { userId = ana, isAgent = false, isSupervisor = true } },
        }));
        Expect.Problem(HttpStatusCode.BadRequest, "team.business_hours_invalid", await account.Post("/api/v1/teams", new
        {
            name = "Fuso",
            businessHours = new { timeZone = "Mars/Olympus_Mons", periods = new[] { new { day = "Monday", start = "09:00:00", end = "18:00:00" } } },
        }));
        Expect.Problem(HttpStatusCode.BadRequest, "team.business_hours_invalid", await account.Post("/api/v1/teams", new
        {
            name = "Invertida",
            businessHours = new { timeZone = "America/Sao_Paulo", periods = new[] { new { day = "Monday", start = "18:00:00", end = "09:00:00" } } },
        }));
        Expect.Problem(HttpStatusCode.BadRequest, "request.malformed", await account.Post("/api/v1/teams", new
        {
            name = "Estrategia",
            distribution = new { strategy = "random" },
        }));

        Expect.Problem(HttpStatusCode.BadRequest, "team.name_invalid", await account.Patch(path, new { name = "" }));
        Expect.Problem(HttpStatusCode.BadRequest, "team.member_invalid", await account.Patch(path, new
        {
            members = new[] { new { userId = ana, isAgent = false, isSupervisor = false } },
        }));
        Expect.ClientProblem(await account.SendRaw(HttpMethod.Patch, path, """{"members": "everyone"}"""));
        Expect.ClientProblem(await account.SendRaw(HttpMethod.Patch, path, """{"distribution": {"strategy": 7}}"""));
        Expect.ClientProblem(await account.SendRaw(HttpMethod.Patch, path, """{"name": "Nova", "businessHours": {"timeZone": "UTC", "periods": []}}"""));

        var reread = Expect.Status(HttpStatusCode.OK, await account.Get(path));
        Assert.Equal("Sales", reread["name"]);
        Assert.Equal("roundRobin", reread.Json!["distribution"]!["strategy"]!.GetValue<string>());
        Assert.Null(reread.Json["businessHours"]);
        var member = Assert.Single(reread.Json!["members"]!.AsArray());
        Assert.Equal(ana, Guid.Parse(member!["userId"]!.GetValue<string>()));
        Assert.True(member["isAgent"]!.GetValue<bool>());
    }
}
