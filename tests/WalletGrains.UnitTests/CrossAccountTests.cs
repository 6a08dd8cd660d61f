namespace WalletGrains.UnitTests;

/// <summary>Spec §1/§3: nothing crosses accounts; another account's ids answer not found and change nothing.</summary>
public sealed class CrossAccountTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task Another_account_cannot_read_edit_or_delete_a_wallet_and_nothing_changes()
    {
        var tenant = await Tenant.Create(Grains);
        var stranger = await Tenant.Create(Grains);
        var ana = await tenant.User();
        var team = await tenant.Team(ana);
        var wallet = await tenant.Wallet("Vendas", team, ana);
        var grain = tenant.WalletGrain(wallet.Id);
        var theirAgent = stranger.CallerOf(await stranger.User("Zé"));

        Assert.Equal(ErrorKind.NotFound, Tenant.Refused(await grain.Get(stranger.Admin), ErrorCodes.WalletNotFound).Kind);
        Tenant.Refused(await grain.Get(theirAgent), ErrorCodes.WalletNotFound);
        Tenant.Refused(await grain.Update(stranger.Admin, new UpdateWallet(Name: "Roubada", Teams: [])), ErrorCodes.WalletNotFound);
        Tenant.Refused(await grain.Update(theirAgent, new UpdateWallet(Name: "Roubada")), ErrorCodes.WalletNotFound);
        Tenant.Refused(await grain.Delete(stranger.Admin), ErrorCodes.WalletNotFound);
        Tenant.Refused(await grain.Delete(theirAgent), ErrorCodes.WalletNotFound);

        var now = await tenant.Reload(wallet);
        Assert.Equal(("Vendas", wallet.UpdatedAt), (now.Name, now.UpdatedAt));
        Assert.Equal([wallet.Id], (await tenant.AllWallets()).Select(w => w.Id));
        Assert.Empty(await stranger.AllWallets());
        Tenant.Refused(await tenant.CreateWallet(new CreateWallet("vendas", WalletType.Multiple, Teams: [new WalletTeam(team.Id, [])])), ErrorCodes.WalletNameTaken);
        Tenant.Refused(await tenant.TeamGrain(team.Id).Delete(tenant.Admin), ErrorCodes.TeamInUse);
    }

    [Fact]
    public async Task Another_account_cannot_list_this_accounts_wallets()
    {
        var tenant = await Tenant.Create(Grains);
        var stranger = await Tenant.Create(Grains);
        var ana = await tenant.User();
        await tenant.Wallet("Vendas", await tenant.Team(ana), ana);

        var error = Tenant.Refused(await tenant.Catalog.List(stranger.Admin, new WalletListQuery(new PageRequest(1, 10))), ErrorCodes.AccountNotFound);

        Assert.Equal(ErrorKind.NotFound, error.Kind);
    }

    [Fact]
    public async Task A_wallet_of_another_account_is_not_in_this_accounts_list()
    {
        var tenant = await Tenant.Create(Grains);
        var stranger = await Tenant.Create(Grains);
        var ana = await tenant.User();
        var ze = await stranger.User("Zé");
        await tenant.Wallet("Vendas", await tenant.Team(ana), ana);
        await stranger.Wallet("Compras", await stranger.Team(ze), ze);

        Assert.Equal(["Vendas"], (await tenant.AllWallets()).Select(w => w.Name));
        Assert.Equal(["Compras"], (await stranger.AllWallets()).Select(w => w.Name));
    }

    [Fact]
    public async Task A_wallet_cannot_be_moved_onto_another_accounts_team_or_manager()
    {
        var tenant = await Tenant.Create(Grains);
        var stranger = await Tenant.Create(Grains);
        var ana = await tenant.User();
        var wallet = await tenant.Wallet("Vendas", await tenant.Team(ana), ana);
        var ze = await stranger.User("Zé");
        var theirTeam = await stranger.Team(ze);
        var grain = tenant.WalletGrain(wallet.Id);

        Tenant.Refused(await grain.Update(tenant.Admin, new UpdateWallet(Teams: [new WalletTeam(theirTeam.Id, [])])), ErrorCodes.WalletTeamsInvalid);
        Tenant.Refused(await grain.Update(tenant.Admin, new UpdateWallet(ManagerUserId: ze.Id)), ErrorCodes.WalletManagerInvalid);

        var now = await tenant.Reload(wallet);
        Assert.Equal(wallet.Teams[0].TeamId, Assert.Single(now.Teams).TeamId);
        Assert.Null(now.ManagerUserId);
        Tenant.Value(await stranger.TeamGrain(theirTeam.Id).Delete(stranger.Admin));
    }

    [Fact]
    public async Task A_caller_of_another_account_cannot_create_a_wallet_under_an_existing_wallets_id()
    {
        var tenant = await Tenant.Create(Grains);
        var stranger = await Tenant.Create(Grains);
        var ana = await tenant.User();
        var wallet = await tenant.Wallet("Vendas", await tenant.Team(ana), ana);
        var ze = await stranger.User("Zé");
        var theirTeam = await stranger.Team(ze);

        var result = await tenant.WalletGrain(wallet.Id).Create(
            stranger.Admin, new CreateWallet("Compras", WalletType.Single, Teams: [new WalletTeam(theirTeam.Id, [ze.Id])]));

        Assert.False(result.IsSuccess);
        var now = await tenant.Reload(wallet);
        Assert.Equal(("Vendas", tenant.Account.Id), (now.Name, now.AccountId));
        Assert.Empty(await stranger.AllWallets());
    }
}
