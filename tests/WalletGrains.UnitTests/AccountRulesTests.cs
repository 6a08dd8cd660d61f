namespace WalletGrains.UnitTests;

/// <summary>Spec §1 Account and §3 settings: plans gate the wallet feature, only admins configure it.</summary>
public sealed class AccountRulesTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    private IAccountGrain NewAccount() => Grains.GetGrain<IAccountGrain>(Guid.NewGuid());

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Creating_an_account_without_a_name_is_refused_and_creates_nothing(string? name)
    {
        var account = NewAccount();

        Tenant.Refused(await account.Create(new CreateAccount(name, Plan.Plus)), ErrorCodes.AccountNameInvalid);

        Tenant.Refused(await account.Get(), ErrorCodes.AccountNotFound);
    }

    [Fact]
    public async Task Creating_an_account_with_a_name_over_128_characters_is_refused()
    {
        var account = NewAccount();

        Tenant.Refused(await account.Create(new CreateAccount(new string('a', 129), Plan.Plus)), ErrorCodes.AccountNameInvalid);
    }

    [Fact]
    public async Task Creating_an_account_without_a_plan_is_refused_and_creates_nothing()
    {
        var account = NewAccount();

        var error = Tenant.Refused(await account.Create(new CreateAccount("Acme", null)), ErrorCodes.AccountPlanInvalid);

        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Tenant.Refused(await account.Get(), ErrorCodes.AccountNotFound);
    }

    [Fact]
    public async Task A_new_account_has_wallets_off_and_an_admin_whose_token_speaks_for_it()
    {
        var account = NewAccount();

        var created = Tenant.Value(await account.Create(new CreateAccount("  Acme Ltda ", Plan.Premium)));

        Assert.Equal(account.GetPrimaryKey(), created.Id);
        Assert.Equal("Acme Ltda", created.Name);
        Assert.Equal(Plan.Premium, created.Plan);
        Assert.False(created.WalletsEnabled);
        Assert.False(created.RestrictContactAccess);
        Assert.NotEqual(Guid.Empty, created.AdminUserId);
        Assert.False(string.IsNullOrWhiteSpace(created.AdminToken));
        var principal = await Grains.GetGrain<ITokenGrain>(Tokens.Hash(created.AdminToken!)).Authenticate();
        Assert.Equal(new Principal(created.Id, created.AdminUserId, UserProfile.Admin, UserStatus.Active), principal);
        Assert.Null(Tenant.Value(await account.Get()).AdminToken);
    }

    [Fact]
    public async Task Creating_an_account_twice_is_refused()
    {
        var account = NewAccount();
        var first = Tenant.Value(await account.Create(new CreateAccount("Acme", Plan.Plus)));

        Tenant.Refused(await account.Create(new CreateAccount("Other", Plan.Basic)), ErrorCodes.AccountExists);

        var now = Tenant.Value(await account.Get());
        Assert.Equal(("Acme", Plan.Plus, first.AdminUserId), (now.Name, now.Plan, now.AdminUserId));
    }

    [Fact]
    public async Task Enabling_wallets_below_Plus_is_refused()
    {
        var tenant = await Tenant.Create(Grains, Plan.Basic, enableWallets: false);

        var error = Tenant.Refused(
            await tenant.AccountGrain.ConfigureWallets(tenant.Admin, new WalletSettings(true, false)), ErrorCodes.PlanRequired);

        Assert.Equal(ErrorKind.Forbidden, error.Kind);
        Assert.False(Tenant.Value(await tenant.AccountGrain.Get()).WalletsEnabled);
        Assert.Equal(ErrorCodes.PlanRequired, (await tenant.AccountGrain.EnsureWalletsEnabled(tenant.Account.Id))?.Code);
    }

    [Theory]
    [InlineData(Plan.Plus)]
    [InlineData(Plan.Premium)]
    [InlineData(Plan.Enterprise)]
    public async Task Enabling_wallets_on_Plus_and_above_is_allowed(Plan plan)
    {
        var tenant = await Tenant.Create(Grains, plan, enableWallets: false);
        Assert.Equal(ErrorCodes.WalletsDisabled, (await tenant.AccountGrain.EnsureWalletsEnabled(tenant.Account.Id))?.Code);

        var account = Tenant.Value(await tenant.AccountGrain.ConfigureWallets(tenant.Admin, new WalletSettings(true, false)));

        Assert.True(account.WalletsEnabled);
        Assert.True(Tenant.Value(await tenant.AccountGrain.Get(tenant.Admin)).WalletsEnabled);
        Assert.Null(await tenant.AccountGrain.EnsureWalletsEnabled(tenant.Account.Id));
    }

    [Fact]
    public async Task Downgrading_below_Plus_switches_wallets_off_and_upgrading_does_not_switch_them_back_on()
    {
        var tenant = await Tenant.Create(Grains, Plan.Plus);
        var ana = await tenant.User();
        var team = await tenant.Team(ana);

        var downgraded = Tenant.Value(await tenant.AccountGrain.Update(new UpdateAccount(Plan.Basic, null)));

        Assert.Equal(Plan.Basic, downgraded.Plan);
        Assert.False(downgraded.WalletsEnabled);
        Tenant.Refused(await tenant.CreateWallet(new CreateWallet("Vendas", WalletType.Single, Teams: [new WalletTeam(team.Id, [ana.Id])])), ErrorCodes.PlanRequired);

        var upgraded = Tenant.Value(await tenant.AccountGrain.Update(new UpdateAccount(Plan.Plus, null)));

        Assert.False(upgraded.WalletsEnabled);
        Assert.Equal(ErrorCodes.WalletsDisabled, (await tenant.AccountGrain.EnsureWalletsEnabled(tenant.Account.Id))?.Code);
    }

    [Fact]
    public async Task Changing_plan_within_Plus_and_above_keeps_wallets_on()
    {
        var tenant = await Tenant.Create(Grains, Plan.Plus);

        var account = Tenant.Value(await tenant.AccountGrain.Update(new UpdateAccount(Plan.Enterprise, null)));

        Assert.True(account.WalletsEnabled);
        Assert.Null(await tenant.AccountGrain.EnsureWalletsEnabled(tenant.Account.Id));
    }

    [Fact]
    public async Task Renaming_an_account_trims_and_validates_the_name()
    {
        var tenant = await Tenant.Create(Grains);

        Assert.Equal("Acme Brasil", Tenant.Value(await tenant.AccountGrain.Update(new UpdateAccount(null, " Acme Brasil "))).Name);
        Tenant.Refused(await tenant.AccountGrain.Update(new UpdateAccount(null, "  ")), ErrorCodes.AccountNameInvalid);
        Assert.Equal("Acme Brasil", Tenant.Value(await tenant.AccountGrain.Get()).Name);
    }

    [Fact]
    public async Task Updating_an_unknown_account_is_refused()
    {
        Tenant.Refused(await NewAccount().Update(new UpdateAccount(Plan.Plus, null)), ErrorCodes.AccountNotFound);
    }

    [Fact]
    public async Task Wallet_operations_on_an_account_that_never_enabled_wallets_are_refused()
    {
        var tenant = await Tenant.Create(Grains, Plan.Premium, enableWallets: false);
        var ana = await tenant.User();
        var team = await tenant.Team(ana);

        var error = Tenant.Refused(
            await tenant.CreateWallet(new CreateWallet("Vendas", WalletType.Single, Teams: [new WalletTeam(team.Id, [ana.Id])])),
            ErrorCodes.WalletsDisabled);

        Assert.Equal(ErrorKind.Forbidden, error.Kind);
        Tenant.Refused(await tenant.Catalog.List(tenant.Admin, new WalletListQuery(new PageRequest(1, 10))), ErrorCodes.WalletsDisabled);
        var perUser = await Grains.GetGrain<IPerUserWalletsGrain>(0).Create(tenant.Admin, new CreatePerUserWallets(team.Id));
        Assert.True(
            perUser.IsSuccess
                ? perUser.Value!.Created.Count == 0 && perUser.Value.Failed.All(f => f.Error.Code == ErrorCodes.WalletsDisabled)
                : perUser.Error!.Code == ErrorCodes.WalletsDisabled,
            $"Per-user wallets on a disabled account should create nothing, answered {perUser}.");
    }

    [Fact]
    public async Task Wallet_operations_on_a_disabled_account_are_refused_and_the_wallets_are_kept()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User();
        var team = await tenant.Team(ana);
        var wallet = await tenant.Wallet("Vendas", team, ana);

        Assert.False(Tenant.Value(await tenant.AccountGrain.ConfigureWallets(tenant.Admin, new WalletSettings(false, false))).WalletsEnabled);

        Tenant.Refused(await tenant.WalletGrain(wallet.Id).Get(tenant.Admin), ErrorCodes.WalletsDisabled);
        Tenant.Refused(await tenant.WalletGrain(wallet.Id).Update(tenant.Admin, new UpdateWallet(Name: "Renamed")), ErrorCodes.WalletsDisabled);
        Tenant.Refused(await tenant.CreateWallet(new CreateWallet("Outra", WalletType.Single, Teams: [new WalletTeam(team.Id, [ana.Id])])), ErrorCodes.WalletsDisabled);
        Tenant.Refused(await tenant.Catalog.List(tenant.Admin, new WalletListQuery(new PageRequest(1, 10))), ErrorCodes.WalletsDisabled);

        Tenant.Value(await tenant.AccountGrain.ConfigureWallets(tenant.Admin, new WalletSettings(true, false)));
        Assert.Equal("Vendas", (await tenant.Reload(wallet)).Name);
        Assert.Equal(["Vendas"], (await tenant.AllWallets()).Select(w => w.Name));
    }

    [Fact]
    public async Task Restrict_contact_access_is_stored()
    {
        var tenant = await Tenant.Create(Grains, enableWallets: false);

        var on = Tenant.Value(await tenant.AccountGrain.ConfigureWallets(tenant.Admin, new WalletSettings(true, true)));

        Assert.True(on.WalletsEnabled);
        Assert.True(on.RestrictContactAccess);
        Assert.True(Tenant.Value(await tenant.AccountGrain.Get(tenant.Admin)).RestrictContactAccess);

        var off = Tenant.Value(await tenant.AccountGrain.ConfigureWallets(tenant.Admin, new WalletSettings(true, false)));

        Assert.False(off.RestrictContactAccess);
        Assert.False(Tenant.Value(await tenant.AccountGrain.Get()).RestrictContactAccess);
    }

    [Theory]
    [InlineData(UserProfile.Agent)]
    [InlineData(UserProfile.RestrictedAgent)]
    public async Task A_non_admin_cannot_configure_wallets(UserProfile profile)
    {
        var tenant = await Tenant.Create(Grains, enableWallets: false);
        var agent = await tenant.User("Bruno", profile);

        var error = Tenant.Refused(
            await tenant.AccountGrain.ConfigureWallets(tenant.CallerOf(agent), new WalletSettings(true, true)), ErrorCodes.Forbidden);

        Assert.Equal(ErrorKind.Forbidden, error.Kind);
        var account = Tenant.Value(await tenant.AccountGrain.Get());
        Assert.False(account.WalletsEnabled);
        Assert.False(account.RestrictContactAccess);
    }

    [Fact]
    public async Task Another_accounts_admin_gets_not_found_and_changes_nothing()
    {
        var tenant = await Tenant.Create(Grains, enableWallets: false);
        var stranger = await Tenant.Create(Grains);

        Tenant.Refused(await tenant.AccountGrain.Get(stranger.Admin), ErrorCodes.AccountNotFound);
        Tenant.Refused(await tenant.AccountGrain.ConfigureWallets(stranger.Admin, new WalletSettings(true, true)), ErrorCodes.AccountNotFound);
        Assert.False(Tenant.Value(await tenant.AccountGrain.Get()).WalletsEnabled);
        Assert.Equal(ErrorCodes.AccountNotFound, (await tenant.AccountGrain.EnsureWalletsEnabled(stranger.Account.Id))?.Code);
    }

    [Fact]
    public async Task The_default_team_must_be_a_team_of_the_account()
    {
        var tenant = await Tenant.Create(Grains, enableWallets: false);
        var stranger = await Tenant.Create(Grains);
        var foreignTeam = await stranger.Team(await stranger.User());
        var ownTeam = await tenant.Team(await tenant.User());

        Tenant.Refused(
            await tenant.AccountGrain.ConfigureWallets(tenant.Admin, new WalletSettings(true, false, foreignTeam.Id)), ErrorCodes.DefaultTeamInvalid);
        Assert.False(Tenant.Value(await tenant.AccountGrain.Get()).WalletsEnabled);

        var account = Tenant.Value(await tenant.AccountGrain.ConfigureWallets(tenant.Admin, new WalletSettings(true, false, ownTeam.Id)));

        Assert.Equal(ownTeam.Id, account.DefaultTeamId);
    }
}
