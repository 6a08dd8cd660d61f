namespace WalletGrains.UnitTests;

/// <summary>Spec §1 Wallet name: required, trimmed, 1–128 characters, unique per account ignoring case.</summary>
public sealed class WalletNameTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    private static CreateWallet Named(string? name, TeamView team) =>
        new(name, WalletType.Multiple, Teams: [new WalletTeam(team.Id, [])]);

    [Fact]
    public async Task A_wallet_name_is_trimmed()
    {
        var tenant = await Tenant.Create(Grains);
        var team = await tenant.Team(await tenant.User());

        var wallet = Tenant.Value(await tenant.CreateWallet(Named("\t Vendas Sul  ", team)));

        Assert.Equal("Vendas Sul", wallet.Name);
        Assert.Equal("Vendas Sul", (await tenant.Reload(wallet)).Name);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("    ")]
    [InlineData(" \t\n ")]
    public async Task A_wallet_name_that_is_empty_after_trimming_is_refused(string? name)
    {
        var tenant = await Tenant.Create(Grains);
        var team = await tenant.Team(await tenant.User());

        var error = Tenant.Refused(await tenant.CreateWallet(Named(name, team)), ErrorCodes.WalletNameInvalid);

        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.Empty(await tenant.AllWallets());
    }

    [Fact]
    public async Task A_wallet_name_may_have_128_characters_but_not_129()
    {
        var tenant = await Tenant.Create(Grains);
        var team = await tenant.Team(await tenant.User());
        var longest = new string('ã', 128);

        Tenant.Refused(await tenant.CreateWallet(Named(longest + "o", team)), ErrorCodes.WalletNameInvalid);
        var wallet = Tenant.Value(await tenant.CreateWallet(Named($"   {longest}   ", team)));
        var one = Tenant.Value(await tenant.CreateWallet(Named("X", team)));

        Assert.Equal(longest, wallet.Name);
        Assert.Equal("X", one.Name);
    }

    [Theory]
    [InlineData("Ação", "AÇÃO")]
    [InlineData("Ação", "ação")]
    [InlineData("Pós-Venda Nordeste", "PÓS-VENDA NORDESTE")]
    [InlineData("Ελλάδα", "ΕΛΛΆΔΑ")]
    [InlineData("Москва", "МОСКВА")]
    public async Task Wallet_names_are_unique_ignoring_case_beyond_ASCII(string first, string second)
    {
        var tenant = await Tenant.Create(Grains);
        var team = await tenant.Team(await tenant.User());
        Tenant.Value(await tenant.CreateWallet(Named(first, team)));

        var error = Tenant.Refused(await tenant.CreateWallet(Named(second, team)), ErrorCodes.WalletNameTaken);

        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.Equal([first], (await tenant.AllWallets()).Select(w => w.Name));
    }

    [Fact]
    public async Task A_composed_and_a_decomposed_accent_are_the_same_name()
    {
        var tenant = await Tenant.Create(Grains);
        var team = await tenant.Team(await tenant.User());
        Tenant.Value(await tenant.CreateWallet(Named("Ação", team)));

        Tenant.Refused(await tenant.CreateWallet(Named("Ac\u0327a\u0303o", team)), ErrorCodes.WalletNameTaken);
    }

    [Fact]
    public async Task Names_that_differ_in_more_than_case_are_different_names()
    {
        var tenant = await Tenant.Create(Grains);
        var team = await tenant.Team(await tenant.User());
        Tenant.Value(await tenant.CreateWallet(Named("Acao", team)));

        Tenant.Value(await tenant.CreateWallet(Named("Ação", team)));
        Tenant.Value(await tenant.CreateWallet(Named("Acao 2", team)));
    }

    [Fact]
    public async Task Wallet_names_are_unique_only_within_one_account()
    {
        var tenant = await Tenant.Create(Grains);
        var other = await Tenant.Create(Grains);
        Tenant.Value(await tenant.CreateWallet(Named("Vendas", await tenant.Team(await tenant.User()))));

        var theirs = Tenant.Value(await other.CreateWallet(Named("VENDAS", await other.Team(await other.User()))));

        Assert.Equal("VENDAS", theirs.Name);
    }

    [Fact]
    public async Task Renaming_to_a_taken_name_is_refused_and_both_names_stay_taken()
    {
        var tenant = await Tenant.Create(Grains);
        var team = await tenant.Team(await tenant.User());
        var vendas = Tenant.Value(await tenant.CreateWallet(Named("Vendas", team)));
        var suporte = Tenant.Value(await tenant.CreateWallet(Named("Suporte", team)));

        Tenant.Refused(await tenant.WalletGrain(suporte.Id).Update(tenant.Admin, new UpdateWallet(Name: " vendas ")), ErrorCodes.WalletNameTaken);

        Assert.Equal("Suporte", (await tenant.Reload(suporte)).Name);
        Assert.Equal("Vendas", (await tenant.Reload(vendas)).Name);
        Tenant.Refused(await tenant.CreateWallet(Named("SUPORTE", team)), ErrorCodes.WalletNameTaken);
        Tenant.Refused(await tenant.CreateWallet(Named("VENDAS", team)), ErrorCodes.WalletNameTaken);
        Assert.Equal(["Suporte", "Vendas"], (await tenant.AllWallets()).Select(w => w.Name));
    }

    [Fact]
    public async Task Renaming_frees_the_old_name_and_takes_the_new_one()
    {
        var tenant = await Tenant.Create(Grains);
        var team = await tenant.Team(await tenant.User());
        var wallet = Tenant.Value(await tenant.CreateWallet(Named("Vendas", team)));

        Assert.Equal("Vendas Sul", Tenant.Value(await tenant.WalletGrain(wallet.Id).Update(tenant.Admin, new UpdateWallet(Name: " Vendas Sul "))).Name);

        Tenant.Value(await tenant.CreateWallet(Named("VENDAS", team)));
        Tenant.Refused(await tenant.CreateWallet(Named("vendas sul", team)), ErrorCodes.WalletNameTaken);
        Assert.Equal(["VENDAS", "Vendas Sul"], (await tenant.AllWallets()).Select(w => w.Name));
    }

    [Fact]
    public async Task Renaming_a_wallet_to_another_case_of_its_own_name_is_allowed_and_keeps_it_taken()
    {
        var tenant = await Tenant.Create(Grains);
        var team = await tenant.Team(await tenant.User());
        var wallet = Tenant.Value(await tenant.CreateWallet(Named("vendas", team)));

        Assert.Equal("Vendas", Tenant.Value(await tenant.WalletGrain(wallet.Id).Update(tenant.Admin, new UpdateWallet(Name: "Vendas"))).Name);

        Tenant.Refused(await tenant.CreateWallet(Named("VENDAS", team)), ErrorCodes.WalletNameTaken);
    }

    [Fact]
    public async Task Deleting_a_wallet_frees_its_name()
    {
        var tenant = await Tenant.Create(Grains);
        var team = await tenant.Team(await tenant.User());
        var wallet = Tenant.Value(await tenant.CreateWallet(Named("Vendas", team)));

        Tenant.Value(await tenant.WalletGrain(wallet.Id).Delete(tenant.Admin));

        var again = Tenant.Value(await tenant.CreateWallet(Named("VENDAS", team)));
        Assert.NotEqual(wallet.Id, again.Id);
        Assert.Equal(["VENDAS"], (await tenant.AllWallets()).Select(w => w.Name));
    }

    [Fact]
    public async Task A_create_refused_by_its_teams_leaves_the_name_free()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var outsider = await tenant.User("Bia");
        var team = await tenant.Team(ana);

        Tenant.Refused(
            await tenant.CreateWallet(new CreateWallet("Vendas", WalletType.Single, Teams: [new WalletTeam(team.Id, [outsider.Id])])),
            ErrorCodes.WalletResponsibleInvalid);

        Tenant.Value(await tenant.CreateWallet(new CreateWallet("vendas", WalletType.Single, Teams: [new WalletTeam(team.Id, [ana.Id])])));
    }

    [Fact]
    public async Task A_rename_refused_by_its_teams_keeps_the_old_name_and_leaves_the_new_one_free()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var outsider = await tenant.User("Bia");
        var team = await tenant.Team(ana);
        var wallet = await tenant.Wallet("Vendas", team, ana);

        Tenant.Refused(
            await tenant.WalletGrain(wallet.Id).Update(tenant.Admin, new UpdateWallet(Name: "Novos Negócios", Teams: [new WalletTeam(team.Id, [outsider.Id])])),
            ErrorCodes.WalletResponsibleInvalid);

        var now = await tenant.Reload(wallet);
        Assert.Equal("Vendas", now.Name);
        Assert.Equal([ana.Id], now.Teams.Single().UserIds);
        Tenant.Refused(await tenant.CreateWallet(Named("VENDAS", team)), ErrorCodes.WalletNameTaken);
        Tenant.Value(await tenant.CreateWallet(Named("NOVOS NEGÓCIOS", team)));
    }

    [Fact]
    public async Task A_rename_refused_by_another_rule_claims_no_name()
    {
        var tenant = await Tenant.Create(Grains);
        var team = await tenant.Team(await tenant.User());
        var wallet = Tenant.Value(await tenant.CreateWallet(Named("Vendas", team)));

        Tenant.Refused(
            await tenant.WalletGrain(wallet.Id).Update(tenant.Admin, new UpdateWallet(Name: "Suporte", TimeLimit: "PT30S")),
            ErrorCodes.WalletTimeLimitInvalid);

        Assert.Equal("Vendas", (await tenant.Reload(wallet)).Name);
        Tenant.Value(await tenant.CreateWallet(Named("Suporte", team)));
    }
}
