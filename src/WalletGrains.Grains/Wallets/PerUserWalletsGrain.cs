namespace WalletGrains.Grains.Wallets;

/// <summary>Creates one Single wallet per agent of a team, each named after its user ("each seller has their own wallet").</summary>
[StatelessWorker]
internal sealed class PerUserWalletsGrain : Grain, IPerUserWalletsGrain
{
    public async Task<Result<PerUserWallets>> Create(Caller caller, CreatePerUserWallets command)
    {
        if (!caller.IsAdmin)
        {
            return DomainError.Forbidden(ErrorCodes.Forbidden, "Only admins manage wallets.");
        }

        if (await GrainFactory.GetGrain<IAccountGrain>(caller.AccountId).EnsureWalletsEnabled(caller.AccountId) is { } disabled)
        {
            return disabled;
        }

        if (command.TimeLimit is not null && TimeLimit.Parse(command.TimeLimit) is { IsSuccess: false } badLimit)
        {
            return badLimit.Error!;
        }

        var team = await GrainFactory.GetGrain<ITeamGrain>(command.TeamId).Get(caller);
        if (!team.IsSuccess)
        {
            return team.Error!;
        }

        var agents = team.Value!.Members.Where(m => m.IsAgent).Select(m => m.UserId).ToList();
        if (agents.Count == 0)
        {
            return DomainError.Invalid(ErrorCodes.WalletNoUsers, "The team has no agents to create wallets for.", "teamId");
        }

        var created = new List<WalletView>();
        var failed = new List<PerUserWalletFailure>();
        foreach (var userId in agents)
        {
            var user = await GrainFactory.GetGrain<IUserGrain>(userId).Get(caller);
            var result = user.IsSuccess
                ? await GrainFactory.GetGrain<IWalletGrain>(Guid.CreateVersion7()).Create(caller, new CreateWallet(
                    user.Value!.Name, WalletType.Single, command.AutomaticAttribution, command.TimeLimit,
                    [new WalletTeam(command.TeamId, [userId])], Criteria: null, command.ManagerUserId, command.Journey,
                    IsDefault: false, command.ExpirationDurationInMonths))
                : Result<WalletView>.Fail(user.Error!);
            if (result.IsSuccess)
            {
                created.Add(result.Value!);
            }
            else
            {
                failed.Add(new PerUserWalletFailure(userId, result.Error!));
            }
        }

        return new PerUserWallets(created, failed);
    }
}
