namespace WalletGrains.UnitTests;

/// <summary>Spec §1: "Edit changes any field, type included"; absent fields stay, fields sent as null are cleared.</summary>
public sealed class WalletEditTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    private sealed record Setup(Tenant Tenant, UserView Ana, UserView Bia, UserView Manager, TeamView Team, WalletView Wallet)
    {
        public async Task<WalletView> Edit(UpdateWallet change) => Tenant.Value(await Tenant.WalletGrain(Wallet.Id).Update(Tenant.Admin, change));

        public async Task<DomainError> Refused(UpdateWallet change, string code) =>
            Tenant.Refused(await Tenant.WalletGrain(Wallet.Id).Update(Tenant.Admin, change), code);

        public Task<WalletView> Reload() => Tenant.Reload(Wallet);
    }

    /// <summary>A Multiple wallet with every optional field set.</summary>
    private async Task<Setup> FullWallet()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var bia = await tenant.User("Bia");
        var manager = await tenant.User("Gerente");
        var team = await tenant.Team(ana, bia);
        var wallet = Tenant.Value(await tenant.CreateWallet(new CreateWallet(
            "Pós-venda", WalletType.Multiple, AutomaticAttribution: false, TimeLimit: "P6M", Teams: [new WalletTeam(team.Id, [])],
            Criteria: new WalletCriteria(Regions: ["Sul"]), ManagerUserId: manager.Id, Journey: "Onboarding")));
        return new Setup(tenant, ana, bia, manager, team, wallet);
    }

    [Fact]
    public async Task An_empty_edit_changes_nothing()
    {
        var s = await FullWallet();

        var edited = await s.Edit(new UpdateWallet());

        Assert.Equal(
            (s.Wallet.Name, s.Wallet.Type, s.Wallet.AutomaticAttribution, s.Wallet.TimeLimit, s.Wallet.ManagerUserId, s.Wallet.Journey, s.Wallet.IsDefault, s.Wallet.Available),
            (edited.Name, edited.Type, edited.AutomaticAttribution, edited.TimeLimit, edited.ManagerUserId, edited.Journey, edited.IsDefault, edited.Available));
        Assert.Equal(s.Wallet.Criteria!.Regions!, edited.Criteria!.Regions!);
        Assert.Equal(s.Team.Id, Assert.Single(edited.Teams).TeamId);
    }

    [Fact]
    public async Task Editing_automatic_attribution_changes_only_it()
    {
        var s = await FullWallet();

        var edited = await s.Edit(new UpdateWallet(AutomaticAttribution: true));

        Assert.True(edited.AutomaticAttribution);
        Assert.Equal(("Pós-venda", "P6M", "Onboarding", s.Manager.Id), (edited.Name, edited.TimeLimit, edited.Journey, edited.ManagerUserId));
        Assert.True((await s.Reload()).AutomaticAttribution);
        Assert.False((await s.Edit(new UpdateWallet(AutomaticAttribution: false))).AutomaticAttribution);
    }

    [Fact]
    public async Task Editing_the_time_limit_validates_and_replaces_it()
    {
        var s = await FullWallet();

        Assert.Equal("PT1H", (await s.Edit(new UpdateWallet(TimeLimit: "PT1H"))).TimeLimit);
        Assert.Equal("P12M", (await s.Edit(new UpdateWallet(ExpirationDurationInMonths: 12))).TimeLimit);
        await s.Refused(new UpdateWallet(TimeLimit: "PT59S"), ErrorCodes.WalletTimeLimitInvalid);
        await s.Refused(new UpdateWallet(TimeLimit: "P3Y1D"), ErrorCodes.WalletTimeLimitInvalid);
        await s.Refused(new UpdateWallet(ExpirationDurationInMonths: 37), ErrorCodes.WalletTimeLimitInvalid);
        await s.Refused(new UpdateWallet(TimeLimit: "P1M", ExpirationDurationInMonths: 1), ErrorCodes.WalletTimeLimitInvalid);

        Assert.Equal("P12M", (await s.Reload()).TimeLimit);
    }

    [Theory]
    [InlineData("timeLimit")]
    [InlineData("expirationDurationInMonths")]
    public async Task A_time_limit_sent_as_null_is_cleared_and_binds_indefinitely(string field)
    {
        var s = await FullWallet();

        var edited = await s.Edit(new UpdateWallet(Cleared: new HashSet<string> { field }));

        Assert.Null(edited.TimeLimit);
        Assert.Null((await s.Reload()).TimeLimit);
    }

    [Fact]
    public async Task Editing_the_journey_trims_and_validates_it_and_null_clears_it()
    {
        var s = await FullWallet();

        Assert.Equal("Expansão", (await s.Edit(new UpdateWallet(Journey: "  Expansão "))).Journey);
        await s.Refused(new UpdateWallet(Journey: " "), ErrorCodes.WalletJourneyInvalid);
        Assert.Equal("Expansão", (await s.Reload()).Journey);

        Assert.Null((await s.Edit(new UpdateWallet(Cleared: new HashSet<string> { "journey" }))).Journey);
        Assert.Null((await s.Reload()).Journey);
    }

    [Fact]
    public async Task Editing_the_criteria_replaces_them_and_null_clears_them()
    {
        var s = await FullWallet();
        var criteria = new WalletCriteria(Revenue: new NumericRange(0m, 100m), Importances: ["Alta"], Custom: new Dictionary<string, string> { ["plano"] = "ouro" });

        var edited = await s.Edit(new UpdateWallet(Criteria: criteria));

        Assert.Null(edited.Criteria!.Regions);
        Assert.Equal(new NumericRange(0m, 100m), edited.Criteria.Revenue);
        Assert.Equal(["Alta"], edited.Criteria.Importances!);
        Assert.Equal("ouro", edited.Criteria.Custom!["plano"]);
        await s.Refused(new UpdateWallet(Criteria: new WalletCriteria(Revenue: new NumericRange(5m, 1m))), ErrorCodes.WalletCriteriaInvalid);
        Assert.Equal(new NumericRange(0m, 100m), (await s.Reload()).Criteria!.Revenue);

        Assert.Null((await s.Edit(new UpdateWallet(Cleared: new HashSet<string> { "criteria" }))).Criteria);
        Assert.Null((await s.Reload()).Criteria);
    }

    [Fact]
    public async Task Changing_a_Multiple_wallet_with_criteria_to_Single_is_refused_unless_the_criteria_are_cleared()
    {
        var s = await FullWallet();

        await s.Refused(new UpdateWallet(Type: WalletType.Single), ErrorCodes.WalletCriteriaInvalid);
        Assert.Equal(WalletType.Multiple, (await s.Reload()).Type);

        var single = await s.Edit(new UpdateWallet(Type: WalletType.Single, Cleared: new HashSet<string> { "criteria" }));

        Assert.Equal(WalletType.Single, single.Type);
        Assert.Null(single.Criteria);
        await s.Refused(new UpdateWallet(Criteria: new WalletCriteria(Regions: ["Norte"])), ErrorCodes.WalletCriteriaInvalid);
    }

    [Fact]
    public async Task Changing_a_Single_wallet_to_Multiple_with_criteria_is_allowed()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User();
        var team = await tenant.Team(ana);
        var wallet = await tenant.Wallet("Vendas", team, ana);

        var shared = Tenant.Value(await tenant.WalletGrain(wallet.Id).Update(
            tenant.Admin, new UpdateWallet(Type: WalletType.Multiple, Criteria: new WalletCriteria(Regions: ["Sudeste"]))));

        Assert.Equal(WalletType.Multiple, shared.Type);
        Assert.Equal(["Sudeste"], shared.Criteria!.Regions!);
        Assert.Equal(WalletType.Multiple, (await tenant.Reload(wallet)).Type);
    }

    [Fact]
    public async Task Changing_the_type_to_an_unknown_value_is_refused()
    {
        var s = await FullWallet();

        await s.Refused(new UpdateWallet(Type: (WalletType)9), ErrorCodes.WalletTypeInvalid);
    }

    [Fact]
    public async Task Editing_the_manager_checks_the_user_and_null_clears_manager_and_default()
    {
        var s = await FullWallet();

        Assert.Equal(s.Ana.Id, (await s.Edit(new UpdateWallet(ManagerUserId: s.Ana.Id, IsDefault: true))).ManagerUserId);
        await s.Refused(new UpdateWallet(ManagerUserId: Guid.NewGuid()), ErrorCodes.WalletManagerInvalid);
        Assert.Equal(s.Ana.Id, (await s.Reload()).ManagerUserId);

        var cleared = await s.Edit(new UpdateWallet(Cleared: new HashSet<string> { "managerUserId" }));

        Assert.Null(cleared.ManagerUserId);
        Assert.False(cleared.IsDefault);
        Assert.False(cleared.Available);
    }

    [Fact]
    public async Task Clearing_every_nullable_field_at_once_leaves_them_all_empty()
    {
        var s = await FullWallet();

        var edited = await s.Edit(new UpdateWallet(Cleared: new HashSet<string> { "timeLimit", "criteria", "managerUserId", "journey" }));

        Assert.Equal((null, null, null, null), (edited.TimeLimit, edited.Criteria, edited.ManagerUserId, edited.Journey));
        var now = await s.Reload();
        Assert.Equal((null, null, null, null), (now.TimeLimit, now.Criteria, now.ManagerUserId, now.Journey));
        Assert.Equal("Pós-venda", now.Name);
    }

    [Fact]
    public async Task Editing_the_teams_replaces_teams_and_responsible_users()
    {
        var s = await FullWallet();
        var carla = await s.Tenant.User("Carla");
        var other = await s.Tenant.Team(carla);

        var edited = await s.Edit(new UpdateWallet(Teams: [new WalletTeam(other.Id, [carla.Id]), new WalletTeam(s.Team.Id, [s.Bia.Id])]));

        Assert.Equal([other.Id, s.Team.Id], edited.Teams.Select(t => t.TeamId));
        Assert.Equal([carla.Id], edited.Teams[0].UserIds);
        Assert.Equal([s.Bia.Id], edited.Teams[1].UserIds);
        await s.Refused(new UpdateWallet(Teams: []), ErrorCodes.WalletTeamsInvalid);
        await s.Refused(new UpdateWallet(Teams: [new WalletTeam(other.Id, []), new WalletTeam(other.Id, [])]), ErrorCodes.WalletTeamsInvalid);
        await s.Refused(new UpdateWallet(Teams: [new WalletTeam(other.Id, [s.Ana.Id])]), ErrorCodes.WalletResponsibleInvalid);
        Assert.Equal([other.Id, s.Team.Id], (await s.Reload()).Teams.Select(t => t.TeamId));
    }

    [Fact]
    public async Task Removing_every_responsible_user_from_a_wallet_without_manager_makes_it_unavailable()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User();
        var team = await tenant.Team(ana);
        var wallet = await tenant.Wallet("Vendas", team, ana);
        Assert.True(wallet.Available);

        var edited = Tenant.Value(await tenant.WalletGrain(wallet.Id).Update(tenant.Admin, new UpdateWallet(Teams: [new WalletTeam(team.Id, [])])));

        Assert.False(edited.Available);
        Assert.True(Tenant.Value(await tenant.WalletGrain(wallet.Id).Update(tenant.Admin, new UpdateWallet(ManagerUserId: ana.Id))).Available);
    }

    [Fact]
    public async Task A_refused_edit_changes_nothing()
    {
        var s = await FullWallet();

        await s.Refused(
            new UpdateWallet(Name: "Outro", Type: WalletType.Single, AutomaticAttribution: true, TimeLimit: "P1M", Journey: "x", ManagerUserId: Guid.NewGuid()),
            ErrorCodes.WalletCriteriaInvalid);

        var now = await s.Reload();
        Assert.Equal(
            ("Pós-venda", WalletType.Multiple, false, "P6M", "Onboarding", s.Manager.Id),
            (now.Name, now.Type, now.AutomaticAttribution, now.TimeLimit, now.Journey, now.ManagerUserId));
        Assert.Equal(s.Wallet.UpdatedAt, now.UpdatedAt);
    }

    [Fact]
    public async Task An_edit_stamps_updatedAt_and_keeps_createdAt()
    {
        var s = await FullWallet();
        // Well under Orleans' 30 s response timeout, which runs on this clock: other tests have calls in flight.
        ClusterFixture.Clock.Advance(TimeSpan.FromSeconds(1));

        var edited = await s.Edit(new UpdateWallet(Name: "Renomeada"));

        Assert.Equal(s.Wallet.CreatedAt, edited.CreatedAt);
        Assert.True(edited.UpdatedAt > s.Wallet.UpdatedAt, $"{edited.UpdatedAt:O} should be after {s.Wallet.UpdatedAt:O}");
    }

    [Fact]
    public async Task Only_admins_edit_wallets()
    {
        var s = await FullWallet();

        var error = Tenant.Refused(
            await s.Tenant.WalletGrain(s.Wallet.Id).Update(s.Tenant.CallerOf(s.Manager), new UpdateWallet(Name: "Minha")), ErrorCodes.Forbidden);

        Assert.Equal(ErrorKind.Forbidden, error.Kind);
        Assert.Equal("Pós-venda", (await s.Reload()).Name);
    }

    [Fact]
    public async Task Edits_show_in_the_wallet_list()
    {
        var s = await FullWallet();

        await s.Edit(new UpdateWallet(Name: "Renomeada", Journey: "Nova"));

        var listed = Assert.Single(await s.Tenant.AllWallets());
        Assert.Equal((s.Wallet.Id, "Renomeada", "Nova"), (listed.Id, listed.Name, listed.Journey));
    }
}
