namespace WalletGrains.UnitTests;

/// <summary>Spec §1: a Single wallet "for all users of a team" creates one wallet per user, named after the user.</summary>
public sealed class PerUserWalletsTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    private IPerUserWalletsGrain PerUser => Grains.GetGrain<IPerUserWalletsGrain>(0);

    [Fact]
    public async Task One_Single_wallet_is_created_per_agent_named_after_the_user_skipping_supervisor_only_members()
    {
        var tenant = await Tenant.Create(Grains);
        var dora = await tenant.User("Dora");
        var caio = await tenant.User("Caio");
        var ana = await tenant.User("Ana");
        var chefe = await tenant.User("Chefe");
        var manager = await tenant.User("Gerente");
        var team = Tenant.Value(await tenant.CreateTeam(
            [new(dora.Id), new(chefe.Id, IsAgent: false, IsSupervisor: true), new(caio.Id, IsAgent: true, IsSupervisor: true), new(ana.Id)]));

        var made = Tenant.Value(await PerUser.Create(tenant.Admin, new CreatePerUserWallets(
            team.Id, AutomaticAttribution: true, TimeLimit: "P3M", ManagerUserId: manager.Id, Journey: "Vendas")));

        Assert.Empty(made.Failed);
        Assert.Equal(["Dora", "Caio", "Ana"], made.Created.Select(w => w.Name));
        Assert.All(made.Created, w =>
        {
            Assert.Equal(WalletType.Single, w.Type);
            Assert.True(w.AutomaticAttribution);
            Assert.Equal("P3M", w.TimeLimit);
            Assert.Equal(manager.Id, w.ManagerUserId);
            Assert.Equal("Vendas", w.Journey);
            Assert.Equal(team.Id, Assert.Single(w.Teams).TeamId);
            Assert.True(w.Available);
        });
        Assert.Equal([[dora.Id], [caio.Id], [ana.Id]], made.Created.Select(w => w.Teams[0].UserIds!.ToArray()));
        Assert.Equal(["Ana", "Caio", "Dora"], (await tenant.AllWallets()).Select(w => w.Name));
        Tenant.Refused(await tenant.TeamGrain(team.Id).Delete(tenant.Admin), ErrorCodes.TeamInUse);
    }

    [Fact]
    public async Task Per_user_wallets_take_expiration_duration_in_months()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var team = await tenant.Team(ana);

        var made = Tenant.Value(await PerUser.Create(tenant.Admin, new CreatePerUserWallets(team.Id, ExpirationDurationInMonths: 6)));

        Assert.Equal("P6M", Assert.Single(made.Created).TimeLimit);
    }

    [Fact]
    public async Task A_team_without_agents_gets_no_wallets()
    {
        var tenant = await Tenant.Create(Grains);
        var chefe = await tenant.User("Chefe");
        var supervisors = Tenant.Value(await tenant.CreateTeam([new(chefe.Id, IsAgent: false, IsSupervisor: true)]));
        var empty = Tenant.Value(await tenant.CreateTeam([]));

        Tenant.Refused(await PerUser.Create(tenant.Admin, new CreatePerUserWallets(supervisors.Id)), ErrorCodes.WalletNoUsers);
        Tenant.Refused(await PerUser.Create(tenant.Admin, new CreatePerUserWallets(empty.Id)), ErrorCodes.WalletNoUsers);

        Assert.Empty(await tenant.AllWallets());
    }

    [Fact]
    public async Task An_agent_whose_name_is_already_a_wallet_is_reported_and_the_others_are_created()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var bia = await tenant.User("Bia");
        var team = await tenant.Team(ana, bia);
        var existing = await tenant.Wallet("ANA", team, ana);

        var made = Tenant.Value(await PerUser.Create(tenant.Admin, new CreatePerUserWallets(team.Id)));

        Assert.Equal(["Bia"], made.Created.Select(w => w.Name));
        var failure = Assert.Single(made.Failed);
        Assert.Equal(ana.Id, failure.UserId);
        Assert.Equal(ErrorCodes.WalletNameTaken, failure.Error.Code);
        Assert.Equal([existing.Id, made.Created[0].Id], (await tenant.AllWallets()).Select(w => w.Id));
    }

    [Fact]
    public async Task Invalid_shared_settings_create_no_wallet()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var bia = await tenant.User("Bia");
        var team = await tenant.Team(ana, bia);

        var made = await PerUser.Create(tenant.Admin, new CreatePerUserWallets(team.Id, TimeLimit: "PT10S"));

        Assert.True(
            made.IsSuccess
                ? made.Value!.Created.Count == 0 && made.Value.Failed.All(f => f.Error.Code == ErrorCodes.WalletTimeLimitInvalid)
                : made.Error!.Code == ErrorCodes.WalletTimeLimitInvalid,
            $"Expected every wallet to be refused for its time limit, got {made}.");
        Assert.Empty(await tenant.AllWallets());
    }

    [Fact]
    public async Task Another_accounts_team_is_not_found()
    {
        var tenant = await Tenant.Create(Grains);
        var stranger = await Tenant.Create(Grains);
        var theirs = await stranger.Team(await stranger.User("Zé"));

        Tenant.Refused(await PerUser.Create(tenant.Admin, new CreatePerUserWallets(theirs.Id)), ErrorCodes.TeamNotFound);
        Tenant.Refused(await PerUser.Create(tenant.Admin, new CreatePerUserWallets(Guid.NewGuid())), ErrorCodes.TeamNotFound);

        Assert.Empty(await tenant.AllWallets());
        Assert.Empty(await stranger.AllWallets());
    }

    [Fact]
    public async Task A_non_admin_creates_no_per_user_wallets()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var team = await tenant.Team(ana);

        var made = await PerUser.Create(tenant.CallerOf(ana), new CreatePerUserWallets(team.Id));

        Assert.True(
            made.IsSuccess
                ? made.Value!.Created.Count == 0 && made.Value.Failed.All(f => f.Error.Code == ErrorCodes.Forbidden)
                : made.Error!.Code == ErrorCodes.Forbidden,
            $"Expected the agent to be refused, got {made}.");
        Assert.Empty(await tenant.AllWallets());
    }
}
