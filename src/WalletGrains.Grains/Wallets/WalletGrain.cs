using WalletGrains.Abstractions.Routing;
using WalletGrains.Grains.Common;
using WalletGrains.Grains.Routing;

namespace WalletGrains.Grains.Wallets;

/// <summary>Persisted definition of one wallet.</summary>
[GenerateSerializer]
public sealed record WalletState
{
    [Id(0)] public Guid AccountId { get; init; }
    [Id(1)] public string Name { get; init; } = "";
    [Id(2)] public WalletType Type { get; init; }
    [Id(3)] public bool AutomaticAttribution { get; init; }
    [Id(4)] public TimeLimit? TimeLimit { get; init; }
    [Id(5)] public IReadOnlyList<WalletTeam> Teams { get; init; } = [];
    [Id(6)] public WalletCriteria? Criteria { get; init; }
    [Id(7)] public Guid? ManagerUserId { get; init; }
    [Id(8)] public string? Journey { get; init; }
    [Id(9)] public bool IsDefault { get; init; }
    [Id(10)] public DateTimeOffset CreatedAt { get; init; }
    [Id(11)] public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Counts the changes routing sees, so silos keep only the newest.</summary>
    [Id(12)] public long Version { get; init; }

    /// <summary>A wallet with no responsible user and no manager keeps its contacts but accepts no new ones.</summary>
    public bool Available => ManagerUserId is not null || Teams.Any(t => t.UserIds is { Count: > 0 });

    /// <summary>Every user the wallet names: responsible users and the manager.</summary>
    public IEnumerable<Guid> NamedUsers =>
        Teams.SelectMany(t => t.UserIds ?? []).Concat(ManagerUserId is { } m ? [m] : []).Distinct();
}

/// <summary>One wallet: the rules of its definition (name, type, time limit, teams, criteria, manager).</summary>
internal sealed class WalletGrain(
    [PersistentState("wallet", Stores.Default)] IPersistentState<WalletState> wallet,
    TimeProvider clock,
    RoutingFactsPublisher publisher) : Grain, IWalletGrain
{
    private const int MaxJourneyLength = 128;

    private readonly WriteGate _writes = new();

    private long _version;

    // The folded name this activation is claiming right now; lets the name grain tell a live claim from an abandoned one.
    private string? _claiming;

    private Guid Id => this.GetPrimaryKey();

    public async Task<Result<WalletView>> Create(Caller caller, CreateWallet command)
    {
        if (!caller.IsAdmin)
        {
            return Forbidden();
        }

        if (await Account(caller).EnsureWalletsEnabled(caller.AccountId) is { } disabled)
        {
            return disabled;
        }

        if (wallet.RecordExists)
        {
            return DomainError.Conflict(ErrorCodes.WalletExists, "The wallet already exists.");
        }

        var draft = new UpdateWallet(
            command.Name, command.Type, command.AutomaticAttribution, command.TimeLimit, command.Teams,
            command.Criteria, command.ManagerUserId, command.Journey, command.IsDefault, command.ExpirationDurationInMonths);
        var now = clock.GetUtcNow();
        var built = await Build(caller, new WalletState { AccountId = caller.AccountId, CreatedAt = now }, draft, creating: true);
        if (!built.IsSuccess)
        {
            return built.Error!;
        }

        return await Commit(caller, previous: null, built.Value! with { UpdatedAt = now }, defaultChanged: true);
    }

    public async Task<Result<WalletView>> Get(Caller caller)
    {
        if (!Visible(caller))
        {
            return NotFound();
        }

        return await Account(caller).EnsureWalletsEnabled(caller.AccountId) is { } disabled
            ? disabled
            : View() with { ContactsCount = await CountContacts() };
    }

    public async Task<Result<WalletView>> Update(Caller caller, UpdateWallet command)
    {
        if (!Visible(caller))
        {
            return NotFound();
        }

        if (!caller.IsAdmin)
        {
            return Forbidden();
        }

        if (await Account(caller).EnsureWalletsEnabled(caller.AccountId) is { } disabled)
        {
            return disabled;
        }

        var previous = wallet.State;
        var built = await Build(caller, previous, command, creating: false);
        if (!built.IsSuccess)
        {
            return built.Error!;
        }

        return await Commit(caller, previous, built.Value! with { UpdatedAt = clock.GetUtcNow() }, defaultChanged: command.IsDefault is not null);
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

        if (await Account(caller).EnsureWalletsEnabled(caller.AccountId) is { } disabled)
        {
            return disabled;
        }

        var gone = wallet.State;
        await wallet.ClearStateAsync();
        wallet.State = new WalletState();
        await publisher.Publish(new WalletFact(Id, gone.Version + 1, Routing: null));

        // The wallet is gone once its state is; the rest is bookkeeping that only frees what it held.
        await Task.WhenAll(gone.Teams.Select(t => GrainFactory.GetGrain<ITeamGrain>(t.TeamId).Detach(Id)));
        await Task.WhenAll(gone.NamedUsers.Select(u => GrainFactory.GetGrain<IUserGrain>(u).Unlink(Id)));
        await GrainFactory.GetGrain<IWalletNameGrain>(WalletNames.Key(gone.AccountId, gone.Name)).Release(Id);
        await GrainFactory.GetGrain<IWalletCatalogGrain>(gone.AccountId).Remove(Id);

        // Memberships end and owners are released; each contact records it in its history.
        foreach (var shard in Enumerable.Range(0, IWalletMembersGrain.Shards))
        {
            var members = await Members(shard).Drain();
            foreach (var chunk in members.Chunk(64))
            {
                await Task.WhenAll(chunk.Select(c => GrainFactory.GetGrain<IContactGrain>(c).WalletDeleted(Id)));
            }
        }

        return Done.Value;
    }

    public Task<WalletRouting?> Routing() => Task.FromResult(RoutingOf());

    public ValueTask<WalletFact> Fact() => ValueTask.FromResult(new WalletFact(Id, wallet.State.Version, RoutingOf()));

    public async Task<long> CountContacts()
    {
        var counts = await Task.WhenAll(Enumerable.Range(0, IWalletMembersGrain.Shards).Select(shard => Members(shard).Count()));
        return counts.Sum(c => (long)c);
    }

    public async Task<Result<Page<Guid>>> Contacts(Caller caller, PageRequest page)
    {
        if (!Visible(caller))
        {
            return DomainError.NotFound(ErrorCodes.WalletNotFound, "No such wallet in this account.");
        }

        if (page.Validate() is { } invalid)
        {
            return invalid;
        }

        // Shard by shard, each in id order: a stable order in which a page touches only the shards it spans.
        var counts = await Task.WhenAll(Enumerable.Range(0, IWalletMembersGrain.Shards).Select(shard => Members(shard).Count()));
        var skip = ((long)page.PageNumber - 1) * page.PageSize;
        var items = new List<Guid>(page.PageSize);
        for (var shard = 0; shard < counts.Length && items.Count < page.PageSize; shard++)
        {
            if (skip >= counts[shard])
            {
                skip -= counts[shard];
                continue;
            }

            items.AddRange(await Members(shard).List((int)skip, page.PageSize - items.Count));
            skip = 0;
        }

        return new Page<Guid>(items, page.PageNumber, page.PageSize, counts.Sum());
    }

    public async Task ReleaseOwner(Guid userId, string reason)
    {
        foreach (var shard in Enumerable.Range(0, IWalletMembersGrain.Shards))
        {
            var owned = await Members(shard).OwnedBy(userId);
            await Task.WhenAll(owned.Select(c => GrainFactory.GetGrain<IContactGrain>(c).OwnerRemoved(userId, reason)));
        }
    }

    private async Task ForEachMember(Func<Guid, Task> action)
    {
        foreach (var shard in Enumerable.Range(0, IWalletMembersGrain.Shards))
        {
            foreach (var chunk in (await Members(shard).All()).Chunk(64))
            {
                await Task.WhenAll(chunk.Select(action));
            }
        }
    }

    public Task<bool> HoldsName(string foldedName) =>
        Task.FromResult(_claiming == foldedName || (wallet.RecordExists && WalletNames.Fold(wallet.State.Name) == foldedName));

    public async Task ClearDefault(Guid managerUserId)
    {
        if (wallet.RecordExists && wallet.State.IsDefault && wallet.State.ManagerUserId == managerUserId)
        {
            wallet.State = wallet.State with { IsDefault = false, UpdatedAt = clock.GetUtcNow() };
            await WriteRoutingChange();
            await Catalog().Upsert(View(), claimsDefault: false);
        }
    }

    public async Task ForgetUser(Guid userId)
    {
        if (!wallet.RecordExists || !wallet.State.NamedUsers.Contains(userId))
        {
            return;
        }

        var s = wallet.State;
        wallet.State = s with
        {
            Teams = [.. s.Teams.Select(t => t with { UserIds = [.. (t.UserIds ?? []).Where(u => u != userId)] })],
            ManagerUserId = s.ManagerUserId == userId ? null : s.ManagerUserId,
            IsDefault = s.IsDefault && s.ManagerUserId != userId,
            UpdatedAt = clock.GetUtcNow(),
        };
        await WriteRoutingChange();
        await Catalog().Upsert(View(), claimsDefault: false);
    }

    private WalletRouting? RoutingOf() => wallet.RecordExists
        ? new WalletRouting(Id, wallet.State.AccountId, wallet.State.Type, wallet.State.AutomaticAttribution, wallet.State.TimeLimit,
            wallet.State.Teams, wallet.State.Criteria, wallet.State.Available, wallet.State.CreatedAt)
        : null;

    /// <summary>Stores a change routing may see, then makes every silo route by it before the change completes.</summary>
    private async Task WriteRoutingChange()
    {
        // Calls that interleave may each have started from an older state: the counter still only goes up.
        _version = Math.Max(_version, wallet.State.Version) + 1;
        wallet.State = wallet.State with { Version = _version };
        await _writes.Write(wallet);
        await publisher.Publish(new WalletFact(Id, wallet.State.Version, RoutingOf()));
    }

    /// <summary>Applies a create or edit to a state, validating every field; touches nothing.</summary>
    private async Task<Result<WalletState>> Build(Caller caller, WalletState current, UpdateWallet change, bool creating)
    {
        var next = current;
        if (change.Name is not null || creating)
        {
            var name = Names.Validate(change.Name, ErrorCodes.WalletNameInvalid, "name");
            if (!name.IsSuccess)
            {
                return name.Error!;
            }

            next = next with { Name = name.Value! };
        }

        if (change.Type is { } type)
        {
            if (!Enum.IsDefined(type))
            {
                return DomainError.Invalid(ErrorCodes.WalletTypeInvalid, "type must be Single or Multiple.", "type");
            }

            next = next with { Type = type };
        }
        else if (creating)
        {
            return DomainError.Invalid(ErrorCodes.WalletTypeInvalid, "type is required: Single or Multiple.", "type");
        }

        next = next with { AutomaticAttribution = change.AutomaticAttribution ?? next.AutomaticAttribution };

        if (change.TimeLimit is not null && change.ExpirationDurationInMonths is not null)
        {
            return DomainError.Invalid(ErrorCodes.WalletTimeLimitInvalid, "Send timeLimit or expirationDurationInMonths, not both.", "timeLimit");
        }

        if (change.TimeLimit is not null)
        {
            var limit = TimeLimit.Parse(change.TimeLimit);
            if (!limit.IsSuccess)
            {
                return limit.Error!;
            }

            next = next with { TimeLimit = limit.Value };
        }
        else if (change.ExpirationDurationInMonths is { } months)
        {
            if (months is < 1 or > TimeLimit.MaximumYears * 12)
            {
                return DomainError.Invalid(ErrorCodes.WalletTimeLimitInvalid, "expirationDurationInMonths must be between 1 and 36.", "expirationDurationInMonths");
            }

            next = next with { TimeLimit = TimeLimit.FromMonths(months) };
        }
        else if (change.Clears("timeLimit") || change.Clears("expirationDurationInMonths"))
        {
            next = next with { TimeLimit = null };
        }

        if (change.Journey is not null)
        {
            var journey = change.Journey.Trim();
            if (journey.Length is 0 or > MaxJourneyLength)
            {
                return DomainError.Invalid(ErrorCodes.WalletJourneyInvalid, "journey must be 1 to 128 characters.", "journey");
            }

            next = next with { Journey = journey };
        }
        else if (change.Clears("journey"))
        {
            next = next with { Journey = null };
        }

        if (change.Criteria is not null)
        {
            next = next with { Criteria = change.Criteria };
        }
        else if (change.Clears("criteria"))
        {
            next = next with { Criteria = null };
        }

        if (next.Criteria is not null && next.Type != WalletType.Multiple)
        {
            return DomainError.Invalid(ErrorCodes.WalletCriteriaInvalid, "Only Multiple wallets have criteria.", "criteria");
        }

        if (CriteriaError(next.Criteria) is { } criteriaError)
        {
            return criteriaError;
        }

        if (change.ManagerUserId is { } manager)
        {
            if (!(await GrainFactory.GetGrain<IUserGrain>(manager).Get(caller)).IsSuccess)
            {
                return DomainError.Invalid(ErrorCodes.WalletManagerInvalid, $"managerUserId {manager} names no user of this account.", "managerUserId");
            }

            next = next with { ManagerUserId = manager };
        }
        else if (change.Clears("managerUserId"))
        {
            next = next with { ManagerUserId = null, IsDefault = false };
        }

        next = next with { IsDefault = change.IsDefault ?? next.IsDefault };
        if (next.IsDefault && next.ManagerUserId is null)
        {
            return DomainError.Invalid(ErrorCodes.WalletManagerInvalid, "Only a wallet with a manager can be that manager's default.", "isDefault");
        }

        if (change.Teams is { } teams)
        {
            if (teams.Count == 0 || teams.Any(t => t is null || t.TeamId == Guid.Empty))
            {
                return DomainError.Invalid(ErrorCodes.WalletTeamsInvalid, "teams needs one or more entries, each with a teamId.", "teams");
            }

            if (teams.Select(t => t.TeamId).Distinct().Count() != teams.Count)
            {
                return DomainError.Invalid(ErrorCodes.WalletTeamsInvalid, "A team can be named only once.", "teams");
            }

            next = next with { Teams = [.. teams.Select(t => t with { UserIds = [.. (t.UserIds ?? []).Distinct()] })] };
        }
        else if (creating)
        {
            return DomainError.Invalid(ErrorCodes.WalletTeamsInvalid, "teams is required: one or more {teamId, userIds[]}.", "teams");
        }

        return next;
    }

    /// <summary>Claims the name, registers with the teams and users, stores, and publishes to the catalog; undoes the claims on failure.</summary>
    private async Task<Result<WalletView>> Commit(Caller caller, WalletState? previous, WalletState next, bool defaultChanged)
    {
        var oldName = previous is null ? null : WalletNames.Key(previous.AccountId, previous.Name);
        var newName = WalletNames.Key(next.AccountId, next.Name);
        var renamed = oldName != newName;
        if (renamed)
        {
            _claiming = WalletNames.Fold(next.Name);
            try
            {
                if (!await GrainFactory.GetGrain<IWalletNameGrain>(newName).Claim(Id))
                {
                    _claiming = null;
                    return DomainError.Conflict(ErrorCodes.WalletNameTaken, $"A wallet named '{next.Name}' already exists in this account (names are compared ignoring case).");
                }
            }
            catch
            {
                _claiming = null;
                throw;
            }
        }

        // Only what this change adds is validated: users named before (even if deleted since) never block an edit.
        var attached = new List<Guid>();
        foreach (var team in next.Teams)
        {
            var before = previous?.Teams.FirstOrDefault(p => p.TeamId == team.TeamId);
            var added = (team.UserIds ?? []).Except(before?.UserIds ?? []).ToList();
            if (before is not null && added.Count == 0)
            {
                continue;
            }

            var error = await GrainFactory.GetGrain<ITeamGrain>(team.TeamId).Attach(caller, Id, added);
            if (error is not null)
            {
                await Task.WhenAll(attached.Select(t => GrainFactory.GetGrain<ITeamGrain>(t).Detach(Id)));
                if (renamed)
                {
                    await GrainFactory.GetGrain<IWalletNameGrain>(newName).Release(Id);
                    _claiming = null;
                }

                return error;
            }

            if (before is null)
            {
                attached.Add(team.TeamId);
            }
        }

        // A concurrent ClearDefault may have run while this call awaited; an edit that did not touch isDefault keeps it.
        if (!defaultChanged && previous is not null)
        {
            next = next with { IsDefault = wallet.State.IsDefault && next.ManagerUserId == wallet.State.ManagerUserId };
        }

        wallet.State = next;
        await WriteRoutingChange();
        _claiming = null;

        // Users no longer responsible here lose the contacts they own here; a wallet's new type reaches its contacts.
        if (previous is not null)
        {
            var responsibleNow = next.Teams.SelectMany(t => t.UserIds ?? []).ToHashSet();
            foreach (var dropped in previous.Teams.SelectMany(t => t.UserIds ?? []).Distinct().Where(u => !responsibleNow.Contains(u)))
            {
                await ReleaseOwner(dropped, "owner-removed");
            }

            if (previous.Type != next.Type)
            {
                await ForEachMember(c => GrainFactory.GetGrain<IContactGrain>(c).WalletChanged(Id, next.Type));
            }
        }

        var namedBefore = previous?.NamedUsers.ToHashSet() ?? [];
        var namedNow = next.NamedUsers.ToHashSet();
        await Task.WhenAll(namedNow.Except(namedBefore).Select(u => GrainFactory.GetGrain<IUserGrain>(u).Link(Id))
            .Concat(namedBefore.Except(namedNow).Select(u => GrainFactory.GetGrain<IUserGrain>(u).Unlink(Id))));

        if (previous is not null)
        {
            await Task.WhenAll(previous.Teams.Where(p => next.Teams.All(t => t.TeamId != p.TeamId))
                .Select(p => GrainFactory.GetGrain<ITeamGrain>(p.TeamId).Detach(Id)));
            if (renamed)
            {
                await GrainFactory.GetGrain<IWalletNameGrain>(oldName!).Release(Id);
            }
        }

        var verdict = await Catalog().Upsert(View(), claimsDefault: defaultChanged && next.IsDefault);
        if (verdict.LostDefault is { } formerDefault && next.ManagerUserId is { } manager)
        {
            await GrainFactory.GetGrain<IWalletGrain>(formerDefault).ClearDefault(manager);
        }
        else if (verdict.DropDefault && next.ManagerUserId is { } self)
        {
            await ClearDefault(self);
        }

        return View();
    }

    private static DomainError? CriteriaError(WalletCriteria? criteria)
    {
        if (criteria is null)
        {
            return null;
        }

        static bool BadList(IReadOnlyList<string>? values) => values is not null && values.Any(string.IsNullOrWhiteSpace);
        if (BadList(criteria.Regions) || BadList(criteria.Segments) || BadList(criteria.Importances))
        {
            return DomainError.Invalid(ErrorCodes.WalletCriteriaInvalid, "Criteria values cannot be blank.", "criteria");
        }

        if (criteria.Revenue is { Min: { } min, Max: { } max } && min > max)
        {
            return DomainError.Invalid(ErrorCodes.WalletCriteriaInvalid, "criteria.revenue.min cannot exceed max.", "criteria.revenue");
        }

        return criteria.Custom is not null && criteria.Custom.Keys.Any(string.IsNullOrWhiteSpace)
            ? DomainError.Invalid(ErrorCodes.WalletCriteriaInvalid, "Custom criteria need a field name.", "criteria.custom")
            : null;
    }

    private bool Visible(Caller caller) => wallet.RecordExists && wallet.State.AccountId == caller.AccountId;

    private IWalletMembersGrain Members(int shard) => GrainFactory.GetGrain<IWalletMembersGrain>(IWalletMembersGrain.Key(Id, shard));

    private IAccountGrain Account(Caller caller) => GrainFactory.GetGrain<IAccountGrain>(caller.AccountId);

    private IWalletCatalogGrain Catalog() => GrainFactory.GetGrain<IWalletCatalogGrain>(wallet.State.AccountId);

    private WalletView View()
    {
        var s = wallet.State;
        return new WalletView(
            Id, s.AccountId, s.Name, s.Type, s.AutomaticAttribution, s.TimeLimit?.ToString(), s.Teams, s.Criteria,
            s.ManagerUserId, s.Journey, s.IsDefault, s.Available, ContactsCount: 0, s.CreatedAt, s.UpdatedAt);
    }

    private static Result<WalletView> NotFound() => DomainError.NotFound(ErrorCodes.WalletNotFound, "No such wallet in this account.");

    private static Result<WalletView> Forbidden() => DomainError.Forbidden(ErrorCodes.Forbidden, "Only admins manage wallets.");
}
