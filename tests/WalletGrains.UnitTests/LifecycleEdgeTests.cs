namespace WalletGrains.UnitTests;

/// <summary>Rules at the edges of the lifecycle: deleted users, last admins, races on defaults, odd input.</summary>
public sealed class LifecycleEdgeTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public void A_page_far_past_the_end_is_empty() =>
        Assert.Empty(Page<int>.Of(Enumerable.Range(1, 25), new PageRequest(300_000_000, 10)).Items);

    [Fact]
    public async Task Listing_a_page_far_past_the_end_is_empty()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User();
        await tenant.Wallet("Vendas", await tenant.Team(ana), ana);

        var page = Tenant.Value(await tenant.Catalog.List(tenant.Admin, new WalletListQuery(new PageRequest(int.MaxValue, 100))));

        Assert.Empty(page.Items);
        Assert.Equal(1, page.TotalItems);
    }

    [Fact]
    public async Task After_a_responsible_user_is_deleted_the_wallet_can_still_be_edited()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var bia = await tenant.User("Bia");
        var wallet = await tenant.Wallet("Vendas", await tenant.Team(ana, bia), ana, bia);
        Tenant.Value(await tenant.UserGrain(ana.Id).Delete(tenant.Admin));

        var edited = Tenant.Value(await tenant.WalletGrain(wallet.Id).Update(tenant.Admin, new UpdateWallet(Journey: "Nova")));

        Assert.Equal("Nova", edited.Journey);
        Assert.Equal([bia.Id], edited.Teams.Single().UserIds);
    }

    [Fact]
    public async Task A_wallet_whose_only_responsible_user_is_deleted_is_unavailable()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User();
        var wallet = await tenant.Wallet("Vendas", await tenant.Team(ana), ana);

        Tenant.Value(await tenant.UserGrain(ana.Id).Delete(tenant.Admin));

        Assert.False((await tenant.Reload(wallet)).Available);
        Assert.False((await tenant.AllWallets()).Single().Available);
    }

    [Fact]
    public async Task A_wallet_whose_manager_is_deleted_loses_its_manager_and_default()
    {
        var tenant = await Tenant.Create(Grains);
        var manager = await tenant.User("Gerente");
        var team = await tenant.Team(manager);
        var wallet = Tenant.Value(await tenant.CreateWallet(new CreateWallet(
            "Conta chave", WalletType.Multiple, Teams: [new WalletTeam(team.Id, [])], ManagerUserId: manager.Id, IsDefault: true)));

        Tenant.Value(await tenant.UserGrain(manager.Id).Delete(tenant.Admin));

        var reloaded = await tenant.Reload(wallet);
        Assert.Null(reloaded.ManagerUserId);
        Assert.False(reloaded.IsDefault);
        Assert.False(reloaded.Available);
    }

    [Fact]
    public async Task Concurrent_default_and_edit_leave_exactly_one_default()
    {
        for (var i = 0; i < 20; i++)
        {
            var tenant = await Tenant.Create(Grains);
            var manager = await tenant.User("M");
            var team = await tenant.Team(manager);
            var a = Tenant.Value(await tenant.CreateWallet(new CreateWallet(
                "A", WalletType.Multiple, Teams: [new WalletTeam(team.Id, [])], ManagerUserId: manager.Id, IsDefault: true)));

            var rename = tenant.WalletGrain(a.Id).Update(tenant.Admin, new UpdateWallet(Name: "A2", Journey: "j"));
            var create = tenant.CreateWallet(new CreateWallet(
                "B", WalletType.Multiple, Teams: [new WalletTeam(team.Id, [])], ManagerUserId: manager.Id, IsDefault: true));
            await Task.WhenAll(rename, create);

            var b = Tenant.Value(await create);
            Assert.Equal(1, new[] { (await tenant.Reload(a)).IsDefault, (await tenant.Reload(b)).IsDefault }.Count(x => x));
            Assert.Single(await tenant.AllWallets(), w => w.IsDefault);
        }
    }

    [Fact]
    public async Task Deleting_a_wallet_on_a_disabled_account_is_refused()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User();
        var wallet = await tenant.Wallet("Vendas", await tenant.Team(ana), ana);
        Tenant.Value(await tenant.AccountGrain.ConfigureWallets(tenant.Admin, new WalletSettings(false, false)));

        Tenant.Refused(await tenant.WalletGrain(wallet.Id).Delete(tenant.Admin), ErrorCodes.WalletsDisabled);
    }

    [Fact]
    public async Task Unknown_enum_values_are_refused()
    {
        Tenant.Refused(await Grains.GetGrain<IAccountGrain>(Guid.NewGuid()).Create(new CreateAccount("Acme", (Plan)99)), ErrorCodes.AccountPlanInvalid);

        var tenant = await Tenant.Create(Grains);
        Tenant.Refused(await tenant.AccountGrain.Update(new UpdateAccount((Plan)99, null)), ErrorCodes.AccountPlanInvalid);
        Tenant.Refused(await tenant.UserGrain(Guid.NewGuid()).Create(tenant.Admin, new CreateUser("X", (UserProfile)42, null)), ErrorCodes.UserProfileInvalid);
        Tenant.Refused(await tenant.UserGrain(Guid.NewGuid()).Create(tenant.Admin, new CreateUser("X", UserProfile.Agent, (Availability)42)), ErrorCodes.UserAvailabilityInvalid);

        var ana = await tenant.User();
        Tenant.Refused(await tenant.UserGrain(ana.Id).Update(tenant.Admin, new UpdateUser(Status: (UserStatus)42)), ErrorCodes.UserStatusInvalid);
        Tenant.Refused(await tenant.UserGrain(ana.Id).Update(tenant.Admin, new UpdateUser(Profile: (UserProfile)42)), ErrorCodes.UserProfileInvalid);
        Tenant.Refused(
            await tenant.TeamGrain(Guid.NewGuid()).Create(tenant.Admin, new CreateTeam("T", [], new Distribution((DistributionStrategy)9), null)),
            ErrorCodes.TeamDistributionInvalid);
    }

    [Fact]
    public async Task The_last_admin_cannot_be_deleted_demoted_or_blocked()
    {
        var tenant = await Tenant.Create(Grains);
        var self = tenant.UserGrain(tenant.Admin.UserId);

        Tenant.Refused(await self.Update(tenant.Admin, new UpdateUser(Profile: UserProfile.Agent)), ErrorCodes.UserIsLastAdmin);
        Tenant.Refused(await self.Update(tenant.Admin, new UpdateUser(Status: UserStatus.Blocked)), ErrorCodes.UserIsLastAdmin);
        Tenant.Refused(await self.Delete(tenant.Admin), ErrorCodes.UserIsLastAdmin);
        Assert.Equal(UserProfile.Admin, Tenant.Value(await self.Get(tenant.Admin)).Profile);
    }

    [Fact]
    public async Task An_admin_can_step_down_once_another_admin_exists()
    {
        var tenant = await Tenant.Create(Grains);
        var other = await tenant.User("Outra", UserProfile.Admin);

        Tenant.Value(await tenant.UserGrain(tenant.Admin.UserId).Update(tenant.Admin, new UpdateUser(Profile: UserProfile.Agent)));

        var otherCaller = tenant.CallerOf(other);
        Tenant.Refused(await tenant.UserGrain(other.Id).Delete(otherCaller), ErrorCodes.UserIsLastAdmin);
    }

    [Theory]
    [InlineData("Straße", "STRAẞE")]
    [InlineData("ΟΔΟΣ", "οδος")]
    public async Task Names_equal_under_case_folding_are_one_name(string first, string second)
    {
        var tenant = await Tenant.Create(Grains);
        var team = await tenant.Team(await tenant.User());

        Tenant.Value(await tenant.CreateWallet(new CreateWallet(first, WalletType.Multiple, Teams: [new WalletTeam(team.Id, [])])));

        Tenant.Refused(await tenant.CreateWallet(new CreateWallet(second, WalletType.Multiple, Teams: [new WalletTeam(team.Id, [])])), ErrorCodes.WalletNameTaken);
    }

    [Fact]
    public async Task A_name_of_only_invisible_characters_is_blank()
    {
        var tenant = await Tenant.Create(Grains);
        var team = await tenant.Team(await tenant.User());

        Tenant.Refused(await tenant.CreateWallet(new CreateWallet("\u200B \u200B", WalletType.Multiple, Teams: [new WalletTeam(team.Id, [])])), ErrorCodes.WalletNameInvalid);
    }

    [Fact]
    public async Task Per_user_wallets_need_an_admin_and_enabled_wallets()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User();
        var team = await tenant.Team(ana);
        var perUser = Grains.GetGrain<IPerUserWalletsGrain>(0);

        Tenant.Refused(await perUser.Create(tenant.CallerOf(ana), new CreatePerUserWallets(team.Id)), ErrorCodes.Forbidden);
        Tenant.Refused(await perUser.Create(tenant.Admin, new CreatePerUserWallets(team.Id, TimeLimit: "P10Y")), ErrorCodes.WalletTimeLimitInvalid);
        Tenant.Value(await tenant.AccountGrain.ConfigureWallets(tenant.Admin, new WalletSettings(false, false)));
        Tenant.Refused(await perUser.Create(tenant.Admin, new CreatePerUserWallets(team.Id)), ErrorCodes.WalletsDisabled);
    }
}
