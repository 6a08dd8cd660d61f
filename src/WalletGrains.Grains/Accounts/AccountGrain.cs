using WalletGrains.Grains.Common;

namespace WalletGrains.Grains.Accounts;

/// <summary>Persisted state of one account.</summary>
[GenerateSerializer]
public sealed record AccountState
{
    [Id(0)] public string Name { get; init; } = "";
    [Id(1)] public Plan Plan { get; init; }
    [Id(2)] public bool WalletsEnabled { get; init; }
    [Id(3)] public bool RestrictContactAccess { get; init; }
    [Id(4)] public Guid AdminUserId { get; init; }
    [Id(5)] public Guid? DefaultTeamId { get; init; }
    [Id(6)] public DateTimeOffset CreatedAt { get; init; }
    [Id(7)] public IReadOnlySet<Guid> Admins { get; init; } = new HashSet<Guid>();
}

/// <summary>One tenant: plan gating of the wallet feature and the account-wide settings.</summary>
internal sealed class AccountGrain(
    [PersistentState("account", Stores.Default)] IPersistentState<AccountState> account,
    TimeProvider clock) : Grain, IAccountGrain
{
    private readonly WriteGate _writes = new();

    private Guid Id => this.GetPrimaryKey();

    public async Task<Result<AccountView>> Create(CreateAccount command)
    {
        if (account.RecordExists)
        {
            return DomainError.Conflict(ErrorCodes.AccountExists, "The account already exists.");
        }

        var name = Names.Validate(command.Name, ErrorCodes.AccountNameInvalid, "name");
        if (!name.IsSuccess)
        {
            return name.Error!;
        }

        if (command.Plan is not { } plan || !Enum.IsDefined(plan))
        {
            return DomainError.Invalid(ErrorCodes.AccountPlanInvalid, "plan is required: Basic, Plus, Premium or Enterprise.", "plan");
        }

        // The first admin exists before the account does, so an account is never left without one.
        var adminId = Guid.CreateVersion7();
        var admin = await GrainFactory.GetGrain<IUserGrain>(adminId).Create(
            new Caller(Id, adminId, UserProfile.Admin),
            new CreateUser("Administrator", UserProfile.Admin, Availability.Available));
        if (!admin.IsSuccess)
        {
            return admin.Error!;
        }

        account.State = new AccountState
        {
            Name = name.Value!,
            Plan = plan,
            AdminUserId = adminId,
            Admins = new HashSet<Guid> { adminId },
            CreatedAt = clock.GetUtcNow(),
        };
        await _writes.Write(account);
        return View() with { AdminToken = admin.Value!.Token };
    }

    public Task<Result<AccountView>> Get() =>
        Task.FromResult<Result<AccountView>>(account.RecordExists ? View() : NotFound());

    public Task<Result<AccountView>> Get(Caller caller) =>
        Task.FromResult<Result<AccountView>>(Owns(caller) ? View() : NotFound());

    public async Task<Result<AccountView>> Update(UpdateAccount command)
    {
        if (!account.RecordExists)
        {
            return NotFound();
        }

        var next = account.State;
        if (command.Name is not null)
        {
            var name = Names.Validate(command.Name, ErrorCodes.AccountNameInvalid, "name");
            if (!name.IsSuccess)
            {
                return name.Error!;
            }

            next = next with { Name = name.Value! };
        }

        if (command.Plan is { } plan)
        {
            if (!Enum.IsDefined(plan))
            {
                return DomainError.Invalid(ErrorCodes.AccountPlanInvalid, "plan must be Basic, Plus, Premium or Enterprise.", "plan");
            }

            // Below Plus the feature does not exist, so it cannot stay switched on.
            next = next with { Plan = plan, WalletsEnabled = next.WalletsEnabled && AccountView.PlanAllowsWallets(plan) };
        }

        return await Save(next);
    }

    public async Task<Result<AccountView>> ConfigureWallets(Caller caller, WalletSettings settings)
    {
        if (!Owns(caller))
        {
            return NotFound();
        }

        if (!caller.IsAdmin)
        {
            return DomainError.Forbidden(ErrorCodes.Forbidden, "Only admins change wallet settings.");
        }

        if (settings.Enabled is not { } enabled)
        {
            return DomainError.Invalid(ErrorCodes.RequestMalformed, "enabled is required: true or false.", "enabled");
        }

        if (enabled && !AccountView.PlanAllowsWallets(account.State.Plan))
        {
            return DomainError.Forbidden(
                ErrorCodes.PlanRequired,
                $"Wallets need the Plus plan or above; this account is on {account.State.Plan}.");
        }

        if (settings.DefaultTeamId is { } teamId
            && !(await GrainFactory.GetGrain<ITeamGrain>(teamId).Get(caller)).IsSuccess)
        {
            return DomainError.Invalid(ErrorCodes.DefaultTeamInvalid, "defaultTeamId names no team of this account.", "defaultTeamId");
        }

        return await Save(account.State with
        {
            WalletsEnabled = enabled,
            RestrictContactAccess = settings.RestrictContactAccess,
            DefaultTeamId = settings.DefaultTeamId ?? account.State.DefaultTeamId,
        });
    }

    public async Task AddAdmin(Guid userId)
    {
        if (account.RecordExists && !account.State.Admins.Contains(userId))
        {
            account.State = account.State with { Admins = new HashSet<Guid>(account.State.Admins) { userId } };
            await _writes.Write(account);
        }
    }

    public async Task<bool> TryRemoveAdmin(Guid userId)
    {
        if (!account.RecordExists || !account.State.Admins.Contains(userId))
        {
            return true;
        }

        if (account.State.Admins.Count == 1)
        {
            return false;
        }

        var admins = new HashSet<Guid>(account.State.Admins);
        admins.Remove(userId);
        account.State = account.State with { Admins = admins };
        await _writes.Write(account);
        return true;
    }

    public Task<DomainError?> EnsureWalletsEnabled(Guid accountId)
    {
        DomainError? error = null;
        if (!account.RecordExists || accountId != Id)
        {
            error = NotFound().Error;
        }
        else if (!AccountView.PlanAllowsWallets(account.State.Plan))
        {
            error = DomainError.Forbidden(ErrorCodes.PlanRequired, $"Wallets need the Plus plan or above; this account is on {account.State.Plan}.");
        }
        else if (!account.State.WalletsEnabled)
        {
            error = DomainError.Forbidden(ErrorCodes.WalletsDisabled, "The wallet feature is off for this account; an admin enables it with PUT /api/v1/settings/wallets.");
        }

        return Task.FromResult(error);
    }

    private bool Owns(Caller caller) => account.RecordExists && caller.AccountId == Id;

    private async Task<Result<AccountView>> Save(AccountState next)
    {
        if (next != account.State)
        {
            account.State = next;
            await _writes.Write(account);
        }

        return View();
    }

    private AccountView View()
    {
        var s = account.State;
        return new AccountView(Id, s.Name, s.Plan, s.WalletsEnabled, s.RestrictContactAccess, s.AdminUserId, s.DefaultTeamId, s.CreatedAt);
    }

    private static Result<AccountView> NotFound() =>
        DomainError.NotFound(ErrorCodes.AccountNotFound, "No such account.");
}
