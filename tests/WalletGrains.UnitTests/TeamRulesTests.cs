namespace WalletGrains.UnitTests;

/// <summary>Spec §1 Team: ordered members that are agents and/or supervisors, optional business hours.</summary>
public sealed class TeamRulesTests(ClusterFixture fixture)
{
    private static readonly BusinessPeriod MondayMorning = new(DayOfWeek.Monday, new TimeOnly(9, 0), new TimeOnly(12, 0));

    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task Members_keep_their_creation_order_and_roles()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var bia = await tenant.User("Bia");
        var caio = await tenant.User("Caio");
        var dora = await tenant.User("Dora");
        TeamMember[] members =
        [
            new(dora.Id, IsAgent: true, IsSupervisor: false),
            new(ana.Id, IsAgent: false, IsSupervisor: true),
            new(caio.Id, IsAgent: true, IsSupervisor: true),
            new(bia.Id),
        ];

        var team = Tenant.Value(await tenant.CreateTeam(members));

        Assert.Equal(members, team.Members);
        Assert.Equal(members, Tenant.Value(await tenant.TeamGrain(team.Id).Get(tenant.Admin)).Members);
        Assert.Equal(tenant.Account.Id, team.AccountId);
        Assert.Equal(new Distribution(DistributionStrategy.RoundRobin), team.Distribution);
    }

    [Fact]
    public async Task Replacing_the_members_keeps_the_new_order()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var bia = await tenant.User("Bia");
        var team = await tenant.Team(ana, bia);
        TeamMember[] reordered = [new(bia.Id), new(ana.Id, IsSupervisor: true)];

        var updated = Tenant.Value(await tenant.TeamGrain(team.Id).Update(tenant.Admin, new UpdateTeam(Members: reordered)));

        Assert.Equal(reordered, updated.Members);
        Assert.Equal(reordered, Tenant.Value(await tenant.TeamGrain(team.Id).Get(tenant.Admin)).Members);
    }

    [Fact]
    public async Task A_user_can_be_a_member_only_once()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var bia = await tenant.User("Bia");

        Tenant.Refused(
            await tenant.CreateTeam([new(ana.Id), new(bia.Id), new(ana.Id, IsAgent: false, IsSupervisor: true)]), ErrorCodes.TeamMemberDuplicated);

        var team = await tenant.Team(ana, bia);
        Tenant.Refused(
            await tenant.TeamGrain(team.Id).Update(tenant.Admin, new UpdateTeam(Members: [new(bia.Id), new(bia.Id)])), ErrorCodes.TeamMemberDuplicated);
        Assert.Equal([ana.Id, bia.Id], Tenant.Value(await tenant.TeamGrain(team.Id).Get(tenant.Admin)).Members.Select(m => m.UserId));
    }

    [Fact]
    public async Task A_member_from_another_account_is_refused()
    {
        var tenant = await Tenant.Create(Grains);
        var stranger = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var outsider = await stranger.User("Zé");

        Tenant.Refused(await tenant.CreateTeam([new(ana.Id), new(outsider.Id)]), ErrorCodes.TeamMemberInvalid);

        var team = await tenant.Team(ana);
        Tenant.Refused(
            await tenant.TeamGrain(team.Id).Update(tenant.Admin, new UpdateTeam(Members: [new(outsider.Id)])), ErrorCodes.TeamMemberInvalid);
        Assert.Equal([ana.Id], Tenant.Value(await tenant.TeamGrain(team.Id).Get(tenant.Admin)).Members.Select(m => m.UserId));
    }

    [Fact]
    public async Task A_member_that_is_no_user_of_the_account_is_refused()
    {
        var tenant = await Tenant.Create(Grains);
        var gone = await tenant.User("Gone");
        Tenant.Value(await tenant.UserGrain(gone.Id).Delete(tenant.Admin));

        Tenant.Refused(await tenant.CreateTeam([new(Guid.NewGuid())]), ErrorCodes.TeamMemberInvalid);
        Tenant.Refused(await tenant.CreateTeam([new(Guid.Empty)]), ErrorCodes.TeamMemberInvalid);
        Tenant.Refused(await tenant.CreateTeam([new(gone.Id)]), ErrorCodes.TeamMemberInvalid);
    }

    [Fact]
    public async Task A_member_must_be_an_agent_or_a_supervisor()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var bia = await tenant.User("Bia");

        Tenant.Refused(await tenant.CreateTeam([new(ana.Id), new(bia.Id, IsAgent: false, IsSupervisor: false)]), ErrorCodes.TeamMemberInvalid);

        var supervisorOnly = Tenant.Value(await tenant.CreateTeam([new(bia.Id, IsAgent: false, IsSupervisor: true)]));
        Assert.Equal([new TeamMember(bia.Id, false, true)], supervisorOnly.Members);
    }

    [Fact]
    public async Task Creating_a_team_twice_is_refused()
    {
        var tenant = await Tenant.Create(Grains);
        var team = await tenant.Team();

        Tenant.Refused(await tenant.TeamGrain(team.Id).Create(tenant.Admin, new CreateTeam("Outra", [], null, null)), ErrorCodes.TeamExists);

        Assert.Equal("Sales", Tenant.Value(await tenant.TeamGrain(team.Id).Get(tenant.Admin)).Name);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    public async Task A_team_needs_a_name(string? name)
    {
        var tenant = await Tenant.Create(Grains);

        Tenant.Refused(await tenant.CreateTeam([], name: name), ErrorCodes.TeamNameInvalid);
        Tenant.Refused(await tenant.CreateTeam([], name: new string('t', 129)), ErrorCodes.TeamNameInvalid);
        Assert.Equal("Suporte N2", Tenant.Value(await tenant.CreateTeam([], name: " Suporte N2 ")).Name);
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(null)]
    public async Task Business_hours_in_an_unknown_time_zone_are_refused(string? timeZone)
    {
        var tenant = await Tenant.Create(Grains);

        var error = Tenant.Refused(
            await tenant.CreateTeam([], new BusinessHours(timeZone, [MondayMorning])), ErrorCodes.TeamBusinessHoursInvalid);

        Assert.Equal(ErrorKind.Invalid, error.Kind);
    }

    [Theory]
    [InlineData(9, 9)]
    [InlineData(18, 9)]
    public async Task Business_hours_with_a_period_that_does_not_start_before_it_ends_are_refused(int startHour, int endHour)
    {
        var tenant = await Tenant.Create(Grains);
        var bad = new BusinessPeriod(DayOfWeek.Tuesday, new TimeOnly(startHour, 0), new TimeOnly(endHour, 0));

        Tenant.Refused(
            await tenant.CreateTeam([], new BusinessHours("America/Sao_Paulo", [MondayMorning, bad])), ErrorCodes.TeamBusinessHoursInvalid);
    }

    [Fact]
    public async Task Business_hours_without_periods_are_refused()
    {
        var tenant = await Tenant.Create(Grains);

        Tenant.Refused(await tenant.CreateTeam([], new BusinessHours("America/Sao_Paulo", [])), ErrorCodes.TeamBusinessHoursInvalid);
        Tenant.Refused(await tenant.CreateTeam([], new BusinessHours("America/Sao_Paulo", null)), ErrorCodes.TeamBusinessHoursInvalid);
    }

    [Fact]
    public async Task Business_hours_with_an_unknown_weekday_are_refused()
    {
        var tenant = await Tenant.Create(Grains);
        var bad = new BusinessPeriod((DayOfWeek)7, new TimeOnly(9, 0), new TimeOnly(10, 0));

        Tenant.Refused(await tenant.CreateTeam([], new BusinessHours("America/Sao_Paulo", [bad])), ErrorCodes.TeamBusinessHoursInvalid);
    }

    [Fact]
    public async Task Valid_business_hours_are_stored_validated_on_edit_and_can_be_cleared()
    {
        var tenant = await Tenant.Create(Grains);
        var hours = new BusinessHours("America/Sao_Paulo", [MondayMorning]);
        var team = Tenant.Value(await tenant.CreateTeam([], hours));
        var grain = tenant.TeamGrain(team.Id);
        Same.Hours(hours, team.BusinessHours);

        Tenant.Refused(await grain.Update(tenant.Admin, new UpdateTeam(BusinessHours: new BusinessHours("Nowhere/Town", [MondayMorning]))), ErrorCodes.TeamBusinessHoursInvalid);
        Same.Hours(hours, Tenant.Value(await grain.Get(tenant.Admin)).BusinessHours);

        var tokyo = new BusinessHours("Asia/Tokyo", [MondayMorning]);
        Same.Hours(tokyo, Tenant.Value(await grain.Update(tenant.Admin, new UpdateTeam(BusinessHours: tokyo))).BusinessHours);

        Assert.Null(Tenant.Value(await grain.Update(tenant.Admin, new UpdateTeam(ClearBusinessHours: true))).BusinessHours);
        Assert.Null(Tenant.Value(await grain.Get(tenant.Admin)).BusinessHours);
    }

    [Fact]
    public async Task The_distribution_strategy_is_stored()
    {
        var tenant = await Tenant.Create(Grains);
        var team = Tenant.Value(await tenant.TeamGrain(Guid.NewGuid()).Create(
            tenant.Admin, new CreateTeam("Vendas", [], new Distribution(DistributionStrategy.LeastLoaded), null)));

        Assert.Equal(DistributionStrategy.LeastLoaded, team.Distribution.Strategy);
        var updated = Tenant.Value(await tenant.TeamGrain(team.Id).Update(tenant.Admin, new UpdateTeam(Distribution: new Distribution(DistributionStrategy.RoundRobin))));
        Assert.Equal(DistributionStrategy.RoundRobin, updated.Distribution.Strategy);
    }

    [Fact]
    public async Task Only_admins_manage_teams_but_any_user_reads_them()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var agent = tenant.CallerOf(ana);
        var team = await tenant.Team(ana);
        var grain = tenant.TeamGrain(team.Id);

        Tenant.Refused(await tenant.TeamGrain(Guid.NewGuid()).Create(agent, new CreateTeam("Minha", [], null, null)), ErrorCodes.Forbidden);
        Tenant.Refused(await grain.Update(agent, new UpdateTeam(Name: "Minha")), ErrorCodes.Forbidden);
        Tenant.Refused(await grain.Delete(agent), ErrorCodes.Forbidden);

        Assert.Equal("Sales", Tenant.Value(await grain.Get(agent)).Name);
    }

    [Fact]
    public async Task Another_accounts_admin_gets_not_found_for_a_team_and_changes_nothing()
    {
        var tenant = await Tenant.Create(Grains);
        var stranger = await Tenant.Create(Grains);
        var team = await tenant.Team(await tenant.User());
        var grain = tenant.TeamGrain(team.Id);

        Tenant.Refused(await grain.Get(stranger.Admin), ErrorCodes.TeamNotFound);
        Tenant.Refused(await grain.Update(stranger.Admin, new UpdateTeam(Name: "Hacked", Members: [])), ErrorCodes.TeamNotFound);
        Tenant.Refused(await grain.Delete(stranger.Admin), ErrorCodes.TeamNotFound);

        var now = Tenant.Value(await grain.Get(tenant.Admin));
        Assert.Equal("Sales", now.Name);
        Assert.Single(now.Members);
    }

    [Fact]
    public async Task A_team_named_by_a_wallet_cannot_be_deleted_until_the_wallet_is()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User();
        var team = await tenant.Team(ana);
        var wallet = await tenant.Wallet("Vendas", team, ana);
        var grain = tenant.TeamGrain(team.Id);

        var error = Tenant.Refused(await grain.Delete(tenant.Admin), ErrorCodes.TeamInUse);

        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.Equal("Sales", Tenant.Value(await grain.Get(tenant.Admin)).Name);

        Tenant.Value(await tenant.WalletGrain(wallet.Id).Delete(tenant.Admin));

        Tenant.Value(await grain.Delete(tenant.Admin));
        Tenant.Refused(await grain.Get(tenant.Admin), ErrorCodes.TeamNotFound);
    }

    [Fact]
    public async Task A_team_a_wallet_stopped_naming_can_be_deleted_and_the_one_it_names_now_cannot()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User();
        var before = await tenant.Team(ana);
        var after = await tenant.Team(ana);
        var wallet = await tenant.Wallet("Vendas", before, ana);

        Tenant.Value(await tenant.WalletGrain(wallet.Id).Update(tenant.Admin, new UpdateWallet(Teams: [new WalletTeam(after.Id, [ana.Id])])));

        Tenant.Refused(await tenant.TeamGrain(after.Id).Delete(tenant.Admin), ErrorCodes.TeamInUse);
        Tenant.Value(await tenant.TeamGrain(before.Id).Delete(tenant.Admin));
    }

    [Fact]
    public async Task A_team_named_by_two_wallets_stays_in_use_until_both_are_deleted()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User();
        var team = await tenant.Team(ana);
        var first = await tenant.Wallet("Vendas", team, ana);
        var second = await tenant.Wallet("Pós-venda", team);

        Tenant.Value(await tenant.WalletGrain(first.Id).Delete(tenant.Admin));
        Tenant.Refused(await tenant.TeamGrain(team.Id).Delete(tenant.Admin), ErrorCodes.TeamInUse);

        Tenant.Value(await tenant.WalletGrain(second.Id).Delete(tenant.Admin));
        Tenant.Value(await tenant.TeamGrain(team.Id).Delete(tenant.Admin));
    }
}
