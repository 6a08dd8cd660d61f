namespace WalletGrains.Bench.InSilo;

/// <summary>The benchmark's account made through grain calls in the benchmark's own silo: an admin, agents in one team.</summary>
internal sealed class GrainTenant
{
    private GrainTenant(IGrainFactory grains, Caller admin, IReadOnlyList<Guid> agents, Guid teamId)
    {
        Grains = grains;
        Admin = admin;
        Agents = agents;
        TeamId = teamId;
    }

    public IGrainFactory Grains { get; }

    public Caller Admin { get; }

    public IReadOnlyList<Guid> Agents { get; }

    public Guid TeamId { get; }

    public static async Task<GrainTenant> Create(IGrainFactory grains, int agents)
    {
        var account = Value(await grains.GetGrain<IAccountGrain>(Guid.NewGuid()).Create(new CreateAccount("Benchmark", Plan.Plus)));
        var admin = new Caller(account.Id, account.AdminUserId, UserProfile.Admin);
        Value(await grains.GetGrain<IAccountGrain>(account.Id).ConfigureWallets(admin, new WalletSettings(true, false)));

        var users = new List<Guid>();
        for (var i = 0; i < agents; i++)
        {
            users.Add(Value(await grains.GetGrain<IUserGrain>(Guid.NewGuid())
                .Create(admin, new CreateUser($"Agent {i + 1}", UserProfile.Agent, Availability.Available))).Id);
        }

        var team = Value(await grains.GetGrain<ITeamGrain>(Guid.NewGuid())
            .Create(admin, new CreateTeam("Sales", [.. users.Select(u => new TeamMember(u))], new Distribution(), null)));
        return new GrainTenant(grains, admin, users, team.Id);
    }

    /// <summary>A Single wallet naming every agent of the team.</summary>
    public async Task<WalletView> SingleWallet(string name, bool automatic, string? timeLimit) =>
        Value(await Grains.GetGrain<IWalletGrain>(Guid.NewGuid()).Create(Admin,
            new CreateWallet(name, WalletType.Single, automatic, timeLimit, [new WalletTeam(TeamId, [.. Agents])])));

    public IContactGrain Contact(Guid id) => Grains.GetGrain<IContactGrain>(id);

    /// <summary>Creates contact number <paramref name="index"/> (its phone number derives from it) and answers its id.</summary>
    public async Task<Guid> CreateContact(long index)
    {
        var id = Guid.NewGuid();
        var command = new CreateContact(string.Create(CultureInfo.InvariantCulture, $"+55118{index:D8}"), $"Contact {index}");

        // A retried create finds its own earlier attempt: the phone is already its own, or the contact already exists.
        var created = await Retried(() => Contact(id).Create(Admin, command));
        if (created.Error?.Code != ErrorCodes.ContactExists)
        {
            Value(created);
        }

        return id;
    }

    /// <summary>Includes the contact in the wallet with an owner (agents take turns by <paramref name="index"/>); answers its membership there.</summary>
    public async Task<MembershipView> IncludeOwned(Guid contactId, Guid walletId, long index)
    {
        var owner = Agents[(int)(index % Agents.Count)];
        var view = Value(await Retried(() => Contact(contactId).Include(Admin, walletId, MembershipSource.Api, owner)));
        return view.Memberships.Single(m => m.WalletId == walletId);
    }

    /// <summary>
    /// Seeding runs the product's calls at full tilt on a shared machine: a call that fails on the store (a dropped
    /// connection, a timeout) is tried again, as the gateway's clients retry a 503. The calls used here are idempotent.
    /// </summary>
    public static async Task<T> Retried<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (attempt < 5 && e is OrleansException or TimeoutException)
            {
                await Task.Delay(TimeSpan.FromSeconds(attempt));
            }
        }
    }

    public static T Value<T>(Result<T> result) =>
        result.IsSuccess ? result.Value! : throw new InvalidOperationException($"A seeding call was refused: {result.Error}");
}
