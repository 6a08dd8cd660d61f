namespace WalletGrains.UnitTests;

/// <summary>Spec §1 Wallet: type, time limit, teams and responsible users, criteria, manager, journey, availability.</summary>
public sealed class WalletDefinitionTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    private static WalletTeam[] On(TeamView team, params UserView[] users) => [new WalletTeam(team.Id, [.. users.Select(u => u.Id)])];

    [Fact]
    public async Task A_created_wallet_shows_what_was_asked_for()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var bia = await tenant.User("Bia");
        var manager = await tenant.User("Gerente");
        var team = await tenant.Team(ana, bia);
        var criteria = new WalletCriteria(Regions: ["Sul"], Revenue: new NumericRange(1000m, 5000m), Segments: ["Varejo"]);

        var wallet = Tenant.Value(await tenant.CreateWallet(new CreateWallet(
            "Pós-venda", WalletType.Multiple, AutomaticAttribution: true, TimeLimit: "P6M", Teams: On(team, ana, bia),
            Criteria: criteria, ManagerUserId: manager.Id, Journey: " Onboarding ")));

        Assert.Equal(tenant.Account.Id, wallet.AccountId);
        Assert.Equal(WalletType.Multiple, wallet.Type);
        Assert.True(wallet.AutomaticAttribution);
        Assert.Equal("P6M", wallet.TimeLimit);
        Assert.Equal(6, wallet.ExpirationDurationInMonths);
        Assert.Equal(team.Id, Assert.Single(wallet.Teams).TeamId);
        Assert.Equal([ana.Id, bia.Id], wallet.Teams[0].UserIds);
        Same.Criteria(criteria, wallet.Criteria);
        Assert.Equal(manager.Id, wallet.ManagerUserId);
        Assert.Equal("Onboarding", wallet.Journey);
        Assert.False(wallet.IsDefault);
        Assert.True(wallet.Available);
        Assert.Equal(0, wallet.ContactsCount);
        var reloaded = await tenant.Reload(wallet);
        Same.Criteria(criteria, reloaded.Criteria);
        Assert.Equal(wallet.Teams[0].UserIds, reloaded.Teams.Single().UserIds);
        Assert.Equal(wallet, reloaded with { Teams = wallet.Teams, Criteria = wallet.Criteria });
    }

    [Fact]
    public async Task A_wallet_needs_a_type()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User();
        var team = await tenant.Team(ana);

        Tenant.Refused(await tenant.CreateWallet(new CreateWallet("Vendas", null, Teams: On(team, ana))), ErrorCodes.WalletTypeInvalid);
        Tenant.Refused(await tenant.CreateWallet(new CreateWallet("Vendas", (WalletType)7, Teams: On(team, ana))), ErrorCodes.WalletTypeInvalid);

        Assert.Empty(await tenant.AllWallets());
    }

    [Fact]
    public async Task A_wallet_without_a_time_limit_binds_indefinitely()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User();

        var wallet = await tenant.Wallet("Vendas", await tenant.Team(ana), ana);

        Assert.Null(wallet.TimeLimit);
        Assert.Null(wallet.ExpirationDurationInMonths);
    }

    [Theory]
    [InlineData("PT1M", "PT1M", null)]
    [InlineData("P3Y", "P3Y", 36)]
    [InlineData("P36M", "P36M", 36)]
    [InlineData("P1Y", "P1Y", 12)]
    [InlineData("P30D", "P30D", null)]
    [InlineData("PT12H", "PT12H", null)]
    public async Task A_time_limit_from_one_minute_to_three_years_is_accepted(string timeLimit, string shown, int? months)
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User();
        var team = await tenant.Team(ana);

        var wallet = Tenant.Value(await tenant.CreateWallet(new CreateWallet("Vendas", WalletType.Single, TimeLimit: timeLimit, Teams: On(team, ana))));

        Assert.Equal(shown, wallet.TimeLimit);
        Assert.Equal(months, wallet.ExpirationDurationInMonths);
        Assert.Equal(shown, (await tenant.Reload(wallet)).TimeLimit);
    }

    [Theory]
    [InlineData("PT59S")]
    [InlineData("P3Y1D")]
    [InlineData("P37M")]
    [InlineData("-P1M")]
    [InlineData("-PT5M")]
    [InlineData("P0D")]
    [InlineData("six months")]
    [InlineData("")]
    public async Task A_time_limit_under_one_minute_over_three_years_or_malformed_is_refused(string timeLimit)
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User();
        var team = await tenant.Team(ana);

        var error = Tenant.Refused(
            await tenant.CreateWallet(new CreateWallet("Vendas", WalletType.Single, TimeLimit: timeLimit, Teams: On(team, ana))),
            ErrorCodes.WalletTimeLimitInvalid);

        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.Empty(await tenant.AllWallets());
    }

    [Theory]
    [InlineData(1, "P1M")]
    [InlineData(6, "P6M")]
    [InlineData(36, "P36M")]
    public async Task Expiration_duration_in_months_is_a_time_limit_in_months(int months, string timeLimit)
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User();
        var team = await tenant.Team(ana);

        var wallet = Tenant.Value(await tenant.CreateWallet(new CreateWallet(
            "Vendas", WalletType.Single, Teams: On(team, ana), ExpirationDurationInMonths: months)));

        Assert.Equal(timeLimit, wallet.TimeLimit);
        Assert.Equal(months, wallet.ExpirationDurationInMonths);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-6)]
    [InlineData(37)]
    public async Task Expiration_duration_in_months_outside_1_to_36_is_refused(int months)
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User();
        var team = await tenant.Team(ana);

        Tenant.Refused(
            await tenant.CreateWallet(new CreateWallet("Vendas", WalletType.Single, Teams: On(team, ana), ExpirationDurationInMonths: months)),
            ErrorCodes.WalletTimeLimitInvalid);
    }

    [Fact]
    public async Task Giving_both_a_time_limit_and_expiration_duration_in_months_is_refused()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User();
        var team = await tenant.Team(ana);

        Tenant.Refused(
            await tenant.CreateWallet(new CreateWallet("Vendas", WalletType.Single, TimeLimit: "P6M", Teams: On(team, ana), ExpirationDurationInMonths: 6)),
            ErrorCodes.WalletTimeLimitInvalid);
        Assert.Empty(await tenant.AllWallets());
    }

    [Fact]
    public async Task Criteria_are_only_for_Multiple_wallets()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User();
        var team = await tenant.Team(ana);
        var criteria = new WalletCriteria(Regions: ["Nordeste"]);

        var error = Tenant.Refused(
            await tenant.CreateWallet(new CreateWallet("Vendas", WalletType.Single, Teams: On(team, ana), Criteria: criteria)),
            ErrorCodes.WalletCriteriaInvalid);

        Assert.Equal("criteria", Assert.Single(error.Fields!).Key);
        var shared = Tenant.Value(await tenant.CreateWallet(new CreateWallet("Vendas", WalletType.Multiple, Teams: On(team, ana), Criteria: criteria)));
        Assert.Equal(["Nordeste"], shared.Criteria!.Regions!);
    }

    [Fact]
    public async Task A_revenue_range_whose_minimum_exceeds_its_maximum_is_refused()
    {
        var tenant = await Tenant.Create(Grains);
        var team = await tenant.Team(await tenant.User());

        Tenant.Refused(
            await tenant.CreateWallet(new CreateWallet("Grandes Contas", WalletType.Multiple, Teams: On(team), Criteria: new WalletCriteria(Revenue: new NumericRange(10_000.01m, 10_000m)))),
            ErrorCodes.WalletCriteriaInvalid);

        var exact = Tenant.Value(await tenant.CreateWallet(new CreateWallet(
            "Grandes Contas", WalletType.Multiple, Teams: On(team), Criteria: new WalletCriteria(Revenue: new NumericRange(10_000m, 10_000m)))));
        var openEnded = Tenant.Value(await tenant.CreateWallet(new CreateWallet(
            "Médias Contas", WalletType.Multiple, Teams: On(team), Criteria: new WalletCriteria(Revenue: new NumericRange(null, 500m)))));
        Assert.Equal(new NumericRange(10_000m, 10_000m), exact.Criteria!.Revenue);
        Assert.Equal(new NumericRange(null, 500m), openEnded.Criteria!.Revenue);
    }

    [Fact]
    public async Task Blank_criteria_values_are_refused()
    {
        var tenant = await Tenant.Create(Grains);
        var team = await tenant.Team(await tenant.User());

        Tenant.Refused(
            await tenant.CreateWallet(new CreateWallet("A", WalletType.Multiple, Teams: On(team), Criteria: new WalletCriteria(Segments: ["Varejo", " "]))),
            ErrorCodes.WalletCriteriaInvalid);
        Tenant.Refused(
            await tenant.CreateWallet(new CreateWallet("A", WalletType.Multiple, Teams: On(team), Criteria: new WalletCriteria(Custom: new Dictionary<string, string> { [" "] = "x" }))),
            ErrorCodes.WalletCriteriaInvalid);
    }

    [Fact]
    public async Task A_wallet_needs_at_least_one_team()
    {
        var tenant = await Tenant.Create(Grains);

        Tenant.Refused(await tenant.CreateWallet(new CreateWallet("Vendas", WalletType.Single)), ErrorCodes.WalletTeamsInvalid);
        Tenant.Refused(await tenant.CreateWallet(new CreateWallet("Vendas", WalletType.Single, Teams: [])), ErrorCodes.WalletTeamsInvalid);
        Tenant.Refused(await tenant.CreateWallet(new CreateWallet("Vendas", WalletType.Single, Teams: [new WalletTeam(Guid.Empty, [])])), ErrorCodes.WalletTeamsInvalid);
        Assert.Empty(await tenant.AllWallets());
    }

    [Fact]
    public async Task A_team_named_twice_is_refused()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var bia = await tenant.User("Bia");
        var team = await tenant.Team(ana, bia);

        Tenant.Refused(
            await tenant.CreateWallet(new CreateWallet("Vendas", WalletType.Multiple, Teams: [new WalletTeam(team.Id, [ana.Id]), new WalletTeam(team.Id, [bia.Id])])),
            ErrorCodes.WalletTeamsInvalid);
    }

    [Fact]
    public async Task A_team_that_is_not_of_the_account_is_refused()
    {
        var tenant = await Tenant.Create(Grains);
        var stranger = await Tenant.Create(Grains);
        var theirs = await stranger.Team(await stranger.User());

        Tenant.Refused(await tenant.CreateWallet(new CreateWallet("Vendas", WalletType.Single, Teams: On(theirs))), ErrorCodes.WalletTeamsInvalid);
        Tenant.Refused(await tenant.CreateWallet(new CreateWallet("Vendas", WalletType.Single, Teams: [new WalletTeam(Guid.NewGuid(), [])])), ErrorCodes.WalletTeamsInvalid);

        // The other account's team was not marked as used by the refused wallet.
        Tenant.Value(await stranger.TeamGrain(theirs.Id).Delete(stranger.Admin));
    }

    [Fact]
    public async Task A_responsible_user_who_is_not_a_member_of_the_team_is_refused()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var bia = await tenant.User("Bia");
        var team = await tenant.Team(ana);

        var error = Tenant.Refused(
            await tenant.CreateWallet(new CreateWallet("Vendas", WalletType.Single, Teams: On(team, ana, bia))), ErrorCodes.WalletResponsibleInvalid);

        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.Empty(await tenant.AllWallets());
    }

    [Fact]
    public async Task A_responsible_user_of_another_account_is_refused()
    {
        var tenant = await Tenant.Create(Grains);
        var stranger = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var team = await tenant.Team(ana);
        var outsider = await stranger.User("Zé");

        Tenant.Refused(
            await tenant.CreateWallet(new CreateWallet("Vendas", WalletType.Single, Teams: On(team, outsider))), ErrorCodes.WalletResponsibleInvalid);
    }

    [Fact]
    public async Task A_deleted_user_cannot_be_made_responsible_even_if_still_listed_in_the_team()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var team = await tenant.Team(ana);
        Tenant.Value(await tenant.UserGrain(ana.Id).Delete(tenant.Admin));

        Tenant.Refused(await tenant.CreateWallet(new CreateWallet("Vendas", WalletType.Single, Teams: On(team, ana))), ErrorCodes.WalletResponsibleInvalid);
    }

    [Fact]
    public async Task A_responsible_user_listed_twice_is_kept_once()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var team = await tenant.Team(ana);

        var wallet = Tenant.Value(await tenant.CreateWallet(new CreateWallet("Vendas", WalletType.Single, Teams: [new WalletTeam(team.Id, [ana.Id, ana.Id])])));

        Assert.Equal([ana.Id], wallet.Teams.Single().UserIds);
    }

    [Fact]
    public async Task A_refused_wallet_does_not_keep_its_other_teams_in_use()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var bia = await tenant.User("Bia");
        var good = await tenant.Team(ana);
        var other = await tenant.Team(ana);

        Tenant.Refused(
            await tenant.CreateWallet(new CreateWallet("Vendas", WalletType.Multiple, Teams: [new WalletTeam(good.Id, [ana.Id]), new WalletTeam(other.Id, [bia.Id])])),
            ErrorCodes.WalletResponsibleInvalid);

        Tenant.Value(await tenant.TeamGrain(good.Id).Delete(tenant.Admin));
        Tenant.Value(await tenant.TeamGrain(other.Id).Delete(tenant.Admin));
    }

    [Fact]
    public async Task The_manager_must_be_a_user_of_the_account()
    {
        var tenant = await Tenant.Create(Grains);
        var stranger = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var gone = await tenant.User("Gone");
        Tenant.Value(await tenant.UserGrain(gone.Id).Delete(tenant.Admin));
        var outsider = await stranger.User("Zé");
        var team = await tenant.Team(ana);

        foreach (var manager in new[] { Guid.NewGuid(), outsider.Id, gone.Id })
        {
            Tenant.Refused(
                await tenant.CreateWallet(new CreateWallet("Vendas", WalletType.Single, Teams: On(team, ana), ManagerUserId: manager)),
                ErrorCodes.WalletManagerInvalid);
        }

        Assert.Empty(await tenant.AllWallets());
        Assert.Equal(ana.Id, Tenant.Value(await tenant.CreateWallet(new CreateWallet("Vendas", WalletType.Single, Teams: On(team, ana), ManagerUserId: ana.Id))).ManagerUserId);
    }

    [Fact]
    public async Task A_wallet_with_no_responsible_user_and_no_manager_is_unavailable()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var team = await tenant.Team(ana);

        var nobody = Tenant.Value(await tenant.CreateWallet(new CreateWallet("Ninguém", WalletType.Multiple, Teams: On(team))));
        var managerOnly = Tenant.Value(await tenant.CreateWallet(new CreateWallet("Gerente", WalletType.Multiple, Teams: On(team), ManagerUserId: ana.Id)));
        var responsibleOnly = Tenant.Value(await tenant.CreateWallet(new CreateWallet("Responsável", WalletType.Single, Teams: On(team, ana))));

        Assert.False(nobody.Available);
        Assert.True(managerOnly.Available);
        Assert.True(responsibleOnly.Available);
        Assert.False((await tenant.Reload(nobody)).Available);
    }

    [Fact]
    public async Task A_journey_is_trimmed_and_must_have_1_to_128_characters()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User();
        var team = await tenant.Team(ana);

        Tenant.Refused(await tenant.CreateWallet(new CreateWallet("A", WalletType.Single, Teams: On(team, ana), Journey: "   ")), ErrorCodes.WalletJourneyInvalid);
        Tenant.Refused(await tenant.CreateWallet(new CreateWallet("A", WalletType.Single, Teams: On(team, ana), Journey: new string('j', 129))), ErrorCodes.WalletJourneyInvalid);

        var wallet = Tenant.Value(await tenant.CreateWallet(new CreateWallet("A", WalletType.Single, Teams: On(team, ana), Journey: " Retenção ")));
        Assert.Equal("Retenção", wallet.Journey);
    }

    [Fact]
    public async Task Only_admins_create_wallets_but_any_user_reads_and_lists_them()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User();
        var team = await tenant.Team(ana);
        var agent = tenant.CallerOf(ana);

        var error = Tenant.Refused(
            await tenant.WalletGrain(Guid.NewGuid()).Create(agent, new CreateWallet("Minha", WalletType.Single, Teams: On(team, ana))), ErrorCodes.Forbidden);

        Assert.Equal(ErrorKind.Forbidden, error.Kind);
        var wallet = await tenant.Wallet("Vendas", team, ana);
        Assert.Equal("Vendas", Tenant.Value(await tenant.WalletGrain(wallet.Id).Get(agent)).Name);
        Assert.Equal(["Vendas"], Tenant.Value(await tenant.Catalog.List(agent, new WalletListQuery(new PageRequest(1, 10)))).Items.Select(w => w.Name));
    }

    [Fact]
    public async Task Creating_a_wallet_twice_under_one_id_is_refused()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User();
        var team = await tenant.Team(ana);
        var wallet = await tenant.Wallet("Vendas", team, ana);

        Tenant.Refused(
            await tenant.WalletGrain(wallet.Id).Create(tenant.Admin, new CreateWallet("Outra", WalletType.Multiple, Teams: On(team))), ErrorCodes.WalletExists);

        var now = await tenant.Reload(wallet);
        Assert.Equal(("Vendas", WalletType.Single), (now.Name, now.Type));
    }

    [Fact]
    public async Task A_deleted_wallet_is_gone_for_good()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User();
        var team = await tenant.Team(ana);
        var wallet = await tenant.Wallet("Vendas", team, ana);
        var grain = tenant.WalletGrain(wallet.Id);

        Tenant.Value(await grain.Delete(tenant.Admin));

        Tenant.Refused(await grain.Get(tenant.Admin), ErrorCodes.WalletNotFound);
        Tenant.Refused(await grain.Update(tenant.Admin, new UpdateWallet(Name: "De volta")), ErrorCodes.WalletNotFound);
        Tenant.Refused(await grain.Delete(tenant.Admin), ErrorCodes.WalletNotFound);
        Assert.Empty(await tenant.AllWallets());
    }

    [Fact]
    public async Task Only_admins_delete_wallets()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User();
        var team = await tenant.Team(ana);
        var wallet = await tenant.Wallet("Vendas", team, ana);

        Tenant.Refused(await tenant.WalletGrain(wallet.Id).Delete(tenant.CallerOf(ana)), ErrorCodes.Forbidden);

        Assert.Equal("Vendas", (await tenant.Reload(wallet)).Name);
    }
}
