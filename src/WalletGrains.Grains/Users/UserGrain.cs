using WalletGrains.Abstractions.Routing;
using WalletGrains.Grains.Common;
using WalletGrains.Grains.Routing;

namespace WalletGrains.Grains.Users;

/// <summary>Persisted state of one user. Only the hash of its token is kept.</summary>
[GenerateSerializer]
public sealed record UserState
{
    [Id(0)] public Guid AccountId { get; init; }
    [Id(1)] public string Name { get; init; } = "";
    [Id(2)] public string? Email { get; init; }
    [Id(3)] public UserProfile Profile { get; init; }
    [Id(4)] public UserStatus Status { get; init; }
    [Id(5)] public Availability Availability { get; init; }
    [Id(6)] public string TokenHash { get; init; } = "";
    [Id(7)] public DateTimeOffset CreatedAt { get; init; }
    [Id(8)] public DateTimeOffset UpdatedAt { get; init; }
    [Id(9)] public IReadOnlySet<Guid> Wallets { get; init; } = new HashSet<Guid>();
    [Id(10)] public long OwnedContacts { get; init; }

    /// <summary>Counts the changes routing sees (profile, status, availability), so silos keep only the newest.</summary>
    [Id(11)] public long Version { get; init; }

    public bool IsActiveAdmin => Profile == UserProfile.Admin && Status == UserStatus.Active;
}

/// <summary>One attendant: profile, status, availability, and the token that speaks for it.</summary>
internal sealed class UserGrain(
    [PersistentState("user", Stores.Default)] IPersistentState<UserState> user,
    TimeProvider clock,
    RoutingFactsPublisher facts) : Grain, IUserGrain, IDisposable
{
    private static readonly TimeSpan LoadWriteDelay = TimeSpan.FromSeconds(5);

    private readonly WriteGate _writes = new();
    private IGrainTimer? _loadWrite;

    private const int MaxEmailLength = 254;

    private Guid Id => this.GetPrimaryKey();

    public async Task<Result<UserView>> Create(Caller caller, CreateUser command)
    {
        if (!caller.IsAdmin)
        {
            return Forbidden();
        }

        if (user.RecordExists)
        {
            return DomainError.Conflict(ErrorCodes.UserExists, "The user already exists.");
        }

        var name = Names.Validate(command.Name, ErrorCodes.UserNameInvalid, "name");
        if (!name.IsSuccess)
        {
            return name.Error!;
        }

        if (EnumError(command.Profile, command.Availability, null) is { } invalid)
        {
            return invalid;
        }

        var email = command.Email?.Trim();
        if (email is not null && (email.Length > MaxEmailLength || !email.Contains('@', StringComparison.Ordinal)))
        {
            return DomainError.Invalid(ErrorCodes.UserEmailInvalid, "email must look like name@domain and be at most 254 characters.", "email");
        }

        var token = Tokens.Issue();
        var now = clock.GetUtcNow();
        var next = new UserState
        {
            AccountId = caller.AccountId,
            Name = name.Value!,
            Email = email,
            Profile = command.Profile ?? UserProfile.Agent,
            Status = UserStatus.Active,
            Availability = command.Availability ?? Availability.Available,
            TokenHash = Tokens.Hash(token),
            CreatedAt = now,
            UpdatedAt = now,
        };

        // The token works only once the user it names is stored, and the user is stored only with a bound token.
        await GrainFactory.GetGrain<ITokenGrain>(next.TokenHash).Bind(PrincipalOf(next));
        user.State = next;
        await WriteRoutingChange();

        // The account's first admin is counted by the account itself, which is creating it right now.
        if (next.IsActiveAdmin && caller.UserId != Id)
        {
            await Account().AddAdmin(Id);
        }

        return View() with { Token = token };
    }

    public Task<Result<UserView>> Get(Caller caller) =>
        Task.FromResult<Result<UserView>>(Visible(caller) ? View() : NotFound());

    public async Task<Result<UserView>> Update(Caller caller, UpdateUser command)
    {
        if (!Visible(caller))
        {
            return NotFound();
        }

        // Any user may flip their own availability; everything else is an admin's.
        var ownAvailabilityOnly = caller.UserId == Id && command is { Name: null, Profile: null, Status: null };
        if (!caller.IsAdmin && !ownAvailabilityOnly)
        {
            return Forbidden();
        }

        if (command.Status == UserStatus.Deleted)
        {
            return DomainError.Invalid(ErrorCodes.UserStatusInvalid, "Delete a user with DELETE /api/v1/users/{id}.", "status");
        }

        if (EnumError(command.Profile, command.Availability, command.Status) is { } invalid)
        {
            return invalid;
        }

        var next = user.State;
        if (command.Name is not null)
        {
            var name = Names.Validate(command.Name, ErrorCodes.UserNameInvalid, "name");
            if (!name.IsSuccess)
            {
                return name.Error!;
            }

            next = next with { Name = name.Value! };
        }

        next = next with
        {
            Profile = command.Profile ?? next.Profile,
            Status = command.Status ?? next.Status,
            Availability = command.Availability ?? next.Availability,
        };

        if (next != user.State)
        {
            if (user.State.IsActiveAdmin && !next.IsActiveAdmin && !await Account().TryRemoveAdmin(Id))
            {
                return LastAdmin();
            }

            if (!user.State.IsActiveAdmin && next.IsActiveAdmin)
            {
                await Account().AddAdmin(Id);
            }

            var principalChanged = next.Profile != user.State.Profile || next.Status != user.State.Status;
            next = next with { UpdatedAt = clock.GetUtcNow() };
            if (principalChanged)
            {
                await GrainFactory.GetGrain<ITokenGrain>(next.TokenHash).Bind(PrincipalOf(next));
            }

            var blocked = user.State.Status != UserStatus.Blocked && next.Status == UserStatus.Blocked;
            user.State = next with { Wallets = user.State.Wallets, OwnedContacts = user.State.OwnedContacts, Version = user.State.Version };
            await WriteRoutingChange();

            // A blocked owner loses its contacts' ownership; the contacts stay in their wallets.
            if (blocked)
            {
                await Task.WhenAll(user.State.Wallets.Select(w => GrainFactory.GetGrain<IWalletGrain>(w).ReleaseOwner(Id, "owner-blocked")));
            }
        }

        return View();
    }

    public async Task<Result<Done>> Delete(Caller caller)
    {
        if (!Visible(caller))
        {
            return NotFound().Error!;
        }

        if (!caller.IsAdmin)
        {
            return Forbidden().Error!;
        }

        if (user.State.IsActiveAdmin && !await Account().TryRemoveAdmin(Id))
        {
            return LastAdmin().Error!;
        }

        // The record stays (with its id) so the user can never be mistaken for a new one; its token dies now.
        await GrainFactory.GetGrain<ITokenGrain>(user.State.TokenHash).Revoke();
        user.State = user.State with { Status = UserStatus.Deleted, UpdatedAt = clock.GetUtcNow() };
        await WriteRoutingChange();

        // Wallets that named the user stop doing so (a wallet left with nobody becomes unavailable).
        await Task.WhenAll(user.State.Wallets.Select(w => GrainFactory.GetGrain<IWalletGrain>(w).ReleaseOwner(Id, "owner-deleted")));
        await Task.WhenAll(user.State.Wallets.Select(w => GrainFactory.GetGrain<IWalletGrain>(w).ForgetUser(Id)));
        return Done.Value;
    }

    public ValueTask<Presence> Presence() => ValueTask.FromResult(PresenceOf());

    public ValueTask<UserFact> Fact() => ValueTask.FromResult(FactOf());

    public Task AdjustLoad(int delta)
    {
        if (!user.RecordExists)
        {
            return Task.CompletedTask;
        }

        // The count is a hint for least-loaded picks, sent one way by the contacts as they bind and release: it is stored
        // a few seconds after it changes (or with any write before that, or on deactivation), so a burst of binds costs
        // one write per user instead of one per bind. One-way messages may arrive in any order, so a release can come
        // before its bind: the deltas are summed as they come (the sum may be below zero for a moment) and only what is
        // shown is kept at zero or above, so the count ends the same whatever the order.
        user.State = user.State with { OwnedContacts = user.State.OwnedContacts + delta };
        _loadWrite ??= this.Once(static grain => grain.WriteLoad(), this, LoadWriteDelay, interleave: false);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Guid>> Wallets() =>
        Task.FromResult<IReadOnlyList<Guid>>(user.RecordExists ? [.. user.State.Wallets] : []);

    public async Task Link(Guid walletId)
    {
        if (user.RecordExists && !user.State.Wallets.Contains(walletId))
        {
            user.State = user.State with { Wallets = new HashSet<Guid>(user.State.Wallets) { walletId } };
            await _writes.Write(user);
        }
    }

    public async Task Unlink(Guid walletId)
    {
        if (user.RecordExists && user.State.Wallets.Contains(walletId))
        {
            var wallets = new HashSet<Guid>(user.State.Wallets);
            wallets.Remove(walletId);
            user.State = user.State with { Wallets = wallets };
            await _writes.Write(user);
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_loadWrite is not null)
        {
            await WriteLoad();
        }
    }

    public void Dispose() => _loadWrite?.Dispose();

    private async Task WriteLoad()
    {
        _loadWrite?.Dispose();
        _loadWrite = null;
        await _writes.Write(user);
    }

    /// <summary>Stores a change routing may see, then makes every silo route by it before the change completes.</summary>
    private async Task WriteRoutingChange()
    {
        user.State = user.State with { Version = user.State.Version + 1 };
        await _writes.Write(user);
        await facts.Publish(FactOf());
    }

    private Presence PresenceOf() => user.RecordExists && user.State.Status != UserStatus.Deleted
        ? new Presence(true, user.State is { Status: UserStatus.Active, Availability: Availability.Available }, Math.Max(0, user.State.OwnedContacts), user.State.Status == UserStatus.Blocked)
        : new Presence(false, false, 0);

    private UserFact FactOf()
    {
        var presence = PresenceOf();
        return new UserFact(Id, user.State.Version, presence.Exists, presence.CanServe, presence.Blocked);
    }


    private IAccountGrain Account() => GrainFactory.GetGrain<IAccountGrain>(user.RecordExists ? user.State.AccountId : Guid.Empty);

    private static DomainError? EnumError(UserProfile? profile, Availability? availability, UserStatus? status)
    {
        if (profile is { } p && !Enum.IsDefined(p))
        {
            return DomainError.Invalid(ErrorCodes.UserProfileInvalid, "profile must be Admin, Agent or RestrictedAgent.", "profile");
        }

        if (availability is { } a && !Enum.IsDefined(a))
        {
            return DomainError.Invalid(ErrorCodes.UserAvailabilityInvalid, "availability must be Available or Unavailable.", "availability");
        }

        return status is { } st && !Enum.IsDefined(st)
            ? DomainError.Invalid(ErrorCodes.UserStatusInvalid, "status must be Active or Blocked.", "status")
            : null;
    }

    private static Result<UserView> LastAdmin() =>
        DomainError.Conflict(ErrorCodes.UserIsLastAdmin, "This is the account's last active admin; make another user admin first.");

    private bool Visible(Caller caller) =>
        user.RecordExists && user.State.AccountId == caller.AccountId && user.State.Status != UserStatus.Deleted;

    private Principal PrincipalOf(UserState s) => new(s.AccountId, Id, s.Profile, s.Status);

    private UserView View()
    {
        var s = user.State;
        return new UserView(Id, s.AccountId, s.Name, s.Email, s.Profile, s.Status, s.Availability, s.CreatedAt, s.UpdatedAt);
    }

    private static Result<UserView> NotFound() => DomainError.NotFound(ErrorCodes.UserNotFound, "No such user in this account.");

    private static Result<UserView> Forbidden() => DomainError.Forbidden(ErrorCodes.Forbidden, "Only admins manage users.");
}
