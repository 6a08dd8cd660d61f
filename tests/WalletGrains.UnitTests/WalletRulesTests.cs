namespace WalletGrains.UnitTests;

public sealed class WalletRulesTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task Wallet_names_are_unique_per_account_ignoring_case()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User();
        var team = await tenant.Team(ana);

        var first = await tenant.CreateWallet(new CreateWallet("  Vendas Sul ", WalletType.Single, Teams: [new WalletTeam(team.Id, [ana.Id])]));
        var second = await tenant.CreateWallet(new CreateWallet("VENDAS SUL", WalletType.Multiple, Teams: [new WalletTeam(team.Id, [])]));

        Assert.Equal("Vendas Sul", Tenant.Value(first).Name);
        Assert.Equal(ErrorCodes.WalletNameTaken, second.Error?.Code);
    }

    [Fact]
    public async Task Of_100_simultaneous_creates_of_one_name_exactly_one_wins()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User();
        var team = await tenant.Team(ana);

        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => tenant.CreateWallet(
            new CreateWallet(i % 2 == 0 ? "Carteira Única" : "CARTEIRA ÚNICA", WalletType.Single, Teams: [new WalletTeam(team.Id, [ana.Id])]))));

        Assert.Single(results, r => r.IsSuccess);
        Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Equal(ErrorCodes.WalletNameTaken, r.Error!.Code));
        var page = Tenant.Value(await Grains.GetGrain<IWalletCatalogGrain>(tenant.Account.Id)
            .List(tenant.Admin, new WalletListQuery(new PageRequest(1, 100))));
        Assert.Equal(1, page.TotalItems);
    }
}
