namespace WalletGrains.UnitTests.Infrastructure;

/// <summary>A fresh account (Plus, wallets on) with its admin, and helpers to add users and teams to it.</summary>
public sealed class Tenant
{
    private Tenant(IGrainFactory grains, AccountView account)
    {
        Grains = grains;
        Account = account;
        Admin = new Caller(account.Id, account.AdminUserId, UserProfile.Admin);
    }

    public IGrainFactory Grains { get; }

    public AccountView Account { get; }

    public Caller Admin { get; }

    public IAccountGrain AccountGrain => Grains.GetGrain<IAccountGrain>(Account.Id);

    public IWalletCatalogGrain Catalog => Grains.GetGrain<IWalletCatalogGrain>(Account.Id);

    public static async Task<Tenant> Create(IGrainFactory grains, Plan plan = Plan.Plus, bool enableWallets = true)
    {
        var account = Value(await grains.GetGrain<IAccountGrain>(Guid.NewGuid()).Create(new CreateAccount("Acme", plan)));
        var tenant = new Tenant(grains, account);
        if (enableWallets)
        {
            Value(await grains.GetGrain<IAccountGrain>(account.Id).ConfigureWallets(tenant.Admin, new WalletSettings(true, false)));
        }

        return tenant;
    }

    public async Task<UserView> User(string name = "Ana", UserProfile profile = UserProfile.Agent) =>
        Value(await Grains.GetGrain<IUserGrain>(Guid.NewGuid()).Create(Admin, new CreateUser(name, profile, Availability.Available)));

    public Caller CallerOf(UserView user) => new(Account.Id, user.Id, user.Profile);

    public async Task<TeamView> Team(params UserView[] agents) =>
        Value(await Grains.GetGrain<ITeamGrain>(Guid.NewGuid()).Create(
            Admin, new CreateTeam("Sales", [.. agents.Select(a => new TeamMember(a.Id))], null, null)));

    /// <summary>Creates a team with exactly these members (roles included) and answers the raw result.</summary>
    public Task<Result<TeamView>> CreateTeam(IReadOnlyList<TeamMember>? members, BusinessHours? hours = null, string? name = "Support") =>
        Grains.GetGrain<ITeamGrain>(Guid.NewGuid()).Create(Admin, new CreateTeam(name, members, null, hours));

    public Task<Result<WalletView>> CreateWallet(CreateWallet command) =>
        Grains.GetGrain<IWalletGrain>(Guid.NewGuid()).Create(Admin, command);

    /// <summary>Creates a valid Single wallet naming <paramref name="team"/> with the given responsible users.</summary>
    public async Task<WalletView> Wallet(string name, TeamView team, params UserView[] responsible) =>
        Value(await CreateWallet(new CreateWallet(name, WalletType.Single, Teams: [new WalletTeam(team.Id, [.. responsible.Select(u => u.Id)])])));

    public IWalletGrain WalletGrain(Guid id) => Grains.GetGrain<IWalletGrain>(id);

    public IUserGrain UserGrain(Guid id) => Grains.GetGrain<IUserGrain>(id);

    public ITeamGrain TeamGrain(Guid id) => Grains.GetGrain<ITeamGrain>(id);

    /// <summary>The wallet as the admin sees it now.</summary>
    public async Task<WalletView> Reload(WalletView wallet) => Value(await WalletGrain(wallet.Id).Get(Admin));

    /// <summary>Every wallet of the account, by name, as one page.</summary>
    public async Task<IReadOnlyList<WalletView>> AllWallets(Guid? viewer = null) =>
        Value(await Catalog.List(Admin, new WalletListQuery(new PageRequest(1, PageRequest.MaxPageSize), ViewerUserId: viewer))).Items;

    public static T Value<T>(Result<T> result)
    {
        Assert.True(result.IsSuccess, result.Error?.ToString());
        return result.Value!;
    }

    /// <summary>Asserts the result failed with this code and answers the error.</summary>
    public static DomainError Refused<T>(Result<T> result, string code)
    {
        Assert.False(result.IsSuccess, $"Expected {code} but the call succeeded with {result.Value}.");
        Assert.Equal(code, result.Error!.Code);
        return result.Error;
    }
}
