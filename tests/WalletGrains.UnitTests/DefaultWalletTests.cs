namespace WalletGrains.UnitTests;

/// <summary>Spec §1: "each manager may mark one wallet as their default (listed first for them)".</summary>
public sealed class DefaultWalletTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    private static CreateWallet Managed(string name, TeamView team, UserView manager, bool isDefault = false) =>
        new(name, WalletType.Multiple, Teams: [new WalletTeam(team.Id, [])], ManagerUserId: manager.Id, IsDefault: isDefault);

    [Fact]
    public async Task Marking_a_second_default_wallet_clears_the_first()
    {
        var tenant = await Tenant.Create(Grains);
        var manager = await tenant.User("Gerente");
        var team = await tenant.Team(manager);
        var first = Tenant.Value(await tenant.CreateWallet(Managed("Alfa", team, manager, isDefault: true)));
        var second = Tenant.Value(await tenant.CreateWallet(Managed("Beta", team, manager)));
        Assert.True(first.IsDefault);

        Assert.True(Tenant.Value(await tenant.WalletGrain(second.Id).Update(tenant.Admin, new UpdateWallet(IsDefault: true))).IsDefault);

        Assert.False((await tenant.Reload(first)).IsDefault);
        Assert.True((await tenant.Reload(second)).IsDefault);
        Assert.Equal([second.Id], (await tenant.AllWallets()).Where(w => w.IsDefault).Select(w => w.Id));
    }

    [Fact]
    public async Task Creating_a_new_default_wallet_clears_the_previous_one()
    {
        var tenant = await Tenant.Create(Grains);
        var manager = await tenant.User("Gerente");
        var team = await tenant.Team(manager);
        var first = Tenant.Value(await tenant.CreateWallet(Managed("Alfa", team, manager, isDefault: true)));

        var second = Tenant.Value(await tenant.CreateWallet(Managed("Beta", team, manager, isDefault: true)));

        Assert.True(second.IsDefault);
        Assert.False((await tenant.Reload(first)).IsDefault);
    }

    [Fact]
    public async Task The_managers_default_wallet_is_listed_first_for_that_manager_only()
    {
        var tenant = await Tenant.Create(Grains);
        var manager = await tenant.User("Gerente");
        var someoneElse = await tenant.User("Outro");
        var team = await tenant.Team(manager);
        Tenant.Value(await tenant.CreateWallet(Managed("Alfa", team, manager)));
        Tenant.Value(await tenant.CreateWallet(Managed("Zulu", team, manager, isDefault: true)));
        Tenant.Value(await tenant.CreateWallet(Managed("Mike", team, someoneElse)));

        Assert.Equal(["Zulu", "Alfa", "Mike"], (await tenant.AllWallets(viewer: manager.Id)).Select(w => w.Name));
        Assert.Equal(["Alfa", "Mike", "Zulu"], (await tenant.AllWallets(viewer: someoneElse.Id)).Select(w => w.Name));
        Assert.Equal(["Alfa", "Mike", "Zulu"], (await tenant.AllWallets()).Select(w => w.Name));
        var managed = Tenant.Value(await tenant.Catalog.List(tenant.Admin, new WalletListQuery(new PageRequest(1, 10), ManagerUserId: manager.Id)));
        Assert.Equal(["Zulu", "Alfa"], managed.Items.Select(w => w.Name));
    }

    [Fact]
    public async Task The_default_wallet_comes_first_whatever_the_order()
    {
        var tenant = await Tenant.Create(Grains);
        var manager = await tenant.User("Gerente");
        var team = await tenant.Team(manager);
        foreach (var name in new[] { "Alfa", "Bravo", "Charlie" })
        {
            Tenant.Value(await tenant.CreateWallet(Managed(name, team, manager, isDefault: name == "Bravo")));
        }

        var descending = Tenant.Value(await tenant.Catalog.List(
            tenant.Admin, new WalletListQuery(new PageRequest(1, 10), ViewerUserId: manager.Id, Descending: true)));

        Assert.Equal(["Bravo", "Charlie", "Alfa"], descending.Items.Select(w => w.Name));
    }

    [Fact]
    public async Task Defaults_of_different_managers_do_not_interfere()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var bia = await tenant.User("Bia");
        var team = await tenant.Team(ana, bia);
        var anas = Tenant.Value(await tenant.CreateWallet(Managed("Da Ana", team, ana, isDefault: true)));

        var bias = Tenant.Value(await tenant.CreateWallet(Managed("Da Bia", team, bia, isDefault: true)));

        Assert.True((await tenant.Reload(anas)).IsDefault);
        Assert.True((await tenant.Reload(bias)).IsDefault);
        Assert.Equal("Da Bia", (await tenant.AllWallets(viewer: bia.Id))[0].Name);
        Assert.Equal("Da Ana", (await tenant.AllWallets(viewer: ana.Id))[0].Name);
    }

    [Fact]
    public async Task Only_a_wallet_with_a_manager_can_be_a_default()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User();
        var team = await tenant.Team(ana);

        Tenant.Refused(
            await tenant.CreateWallet(new CreateWallet("Vendas", WalletType.Single, Teams: [new WalletTeam(team.Id, [ana.Id])], IsDefault: true)),
            ErrorCodes.WalletManagerInvalid);

        var wallet = await tenant.Wallet("Vendas", team, ana);
        Tenant.Refused(await tenant.WalletGrain(wallet.Id).Update(tenant.Admin, new UpdateWallet(IsDefault: true)), ErrorCodes.WalletManagerInvalid);
        Assert.False((await tenant.Reload(wallet)).IsDefault);
    }

    [Fact]
    public async Task Unmarking_the_default_lists_the_managers_wallets_by_name_again()
    {
        var tenant = await Tenant.Create(Grains);
        var manager = await tenant.User("Gerente");
        var team = await tenant.Team(manager);
        Tenant.Value(await tenant.CreateWallet(Managed("Alfa", team, manager)));
        var zulu = Tenant.Value(await tenant.CreateWallet(Managed("Zulu", team, manager, isDefault: true)));

        Assert.False(Tenant.Value(await tenant.WalletGrain(zulu.Id).Update(tenant.Admin, new UpdateWallet(IsDefault: false))).IsDefault);

        Assert.Equal(["Alfa", "Zulu"], (await tenant.AllWallets(viewer: manager.Id)).Select(w => w.Name));
    }

    [Fact]
    public async Task Deleting_the_default_wallet_leaves_the_manager_without_one()
    {
        var tenant = await Tenant.Create(Grains);
        var manager = await tenant.User("Gerente");
        var team = await tenant.Team(manager);
        var alfa = Tenant.Value(await tenant.CreateWallet(Managed("Alfa", team, manager)));
        var zulu = Tenant.Value(await tenant.CreateWallet(Managed("Zulu", team, manager, isDefault: true)));

        Tenant.Value(await tenant.WalletGrain(zulu.Id).Delete(tenant.Admin));

        Assert.Equal([alfa.Id], (await tenant.AllWallets(viewer: manager.Id)).Select(w => w.Id));
        Assert.False((await tenant.Reload(alfa)).IsDefault);
    }
}
