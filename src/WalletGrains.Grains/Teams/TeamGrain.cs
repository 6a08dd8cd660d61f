using WalletGrains.Abstractions.Routing;
using WalletGrains.Grains.Common;
using WalletGrains.Grains.Routing;

namespace WalletGrains.Grains.Teams;

/// <summary>Persisted state of one team, including which wallets name it.</summary>
[GenerateSerializer]
public sealed record TeamState
{
    [Id(0)] public Guid AccountId { get; init; }
    [Id(1)] public string Name { get; init; } = "";
    [Id(2)] public IReadOnlyList<TeamMember> Members { get; init; } = [];
    [Id(3)] public Distribution Distribution { get; init; } = new();
    [Id(4)] public BusinessHours? BusinessHours { get; init; }
    [Id(5)] public IReadOnlySet<Guid> Wallets { get; init; } = new HashSet<Guid>();
    [Id(6)] public DateTimeOffset CreatedAt { get; init; }
    [Id(7)] public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Counts the changes routing sees, so silos keep only the newest.</summary>
    [Id(8)] public long Version { get; init; }
}

/// <summary>One team: ordered members, distribution strategy and business hours.</summary>
internal sealed class TeamGrain(
    [PersistentState("team", Stores.Default)] IPersistentState<TeamState> team,
    TimeProvider clock,
    RoutingFacts routingFacts,
    RoutingFactsPublisher publisher) : Grain, ITeamGrain
{
    // The round-robin cursor lives in memory: after a deactivation the turn starts again at the first member.
    private Guid? _lastPicked;

    private (IReadOnlyList<TeamMember>? Members, IReadOnlyList<Guid> Candidates, Guid[] Agents) _agentsFor = (null, [], []);

    private Guid Id => this.GetPrimaryKey();

    private bool OpenNow() => team.State.BusinessHours?.IsOpen(clock.GetUtcNow()) ?? true;

    public async Task<Result<TeamView>> Create(Caller caller, CreateTeam command)
    {
        if (!caller.IsAdmin)
        {
            return Forbidden();
        }

        if (team.RecordExists)
        {
            return DomainError.Conflict(ErrorCodes.TeamExists, "The team already exists.");
        }

        var name = Names.Validate(command.Name, ErrorCodes.TeamNameInvalid, "name");
        if (!name.IsSuccess)
        {
            return name.Error!;
        }

        var members = command.Members ?? [];
        var error = await ValidateMembers(caller, members) ?? ValidateHours(command.BusinessHours) ?? ValidateDistribution(command.Distribution);
        if (error is not null)
        {
            return error;
        }

        var now = clock.GetUtcNow();
        team.State = new TeamState
        {
            AccountId = caller.AccountId,
            Name = name.Value!,
            Members = members,
            Distribution = command.Distribution ?? new Distribution(),
            BusinessHours = command.BusinessHours,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await WriteRoutingChange();
        return View();
    }

    public Task<Result<TeamView>> Get(Caller caller) =>
        Task.FromResult<Result<TeamView>>(Visible(caller) ? View() : NotFound());

    public async Task<Result<TeamView>> Update(Caller caller, UpdateTeam command)
    {
        if (!Visible(caller))
        {
            return NotFound();
        }

        if (!caller.IsAdmin)
        {
            return Forbidden();
        }

        var next = team.State;
        if (command.Name is not null)
        {
            var name = Names.Validate(command.Name, ErrorCodes.TeamNameInvalid, "name");
            if (!name.IsSuccess)
            {
                return name.Error!;
            }

            next = next with { Name = name.Value! };
        }

        if (command.Members is { } members)
        {
            if (await ValidateMembers(caller, members) is { } error)
            {
                return error;
            }

            next = next with { Members = members };
        }

        if (command.BusinessHours is { } hours)
        {
            if (ValidateHours(hours) is { } error)
            {
                return error;
            }

            next = next with { BusinessHours = hours };
        }
        else if (command.ClearBusinessHours)
        {
            next = next with { BusinessHours = null };
        }

        if (ValidateDistribution(command.Distribution) is { } invalid)
        {
            return invalid;
        }

        next = next with { Distribution = command.Distribution ?? next.Distribution, UpdatedAt = clock.GetUtcNow() };
        team.State = next;
        await WriteRoutingChange();
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

        if (team.State.Wallets.Count > 0)
        {
            return DomainError.Conflict(
                ErrorCodes.TeamInUse,
                $"{team.State.Wallets.Count} wallet(s) name this team; change or delete them first.");
        }

        var gone = new TeamFact(Id, team.State.Version + 1, Exists: false, BusinessHours: null);
        await team.ClearStateAsync();
        team.State = new TeamState();
        await publisher.Publish(gone);
        return Done.Value;
    }

    public async Task<DomainError?> Attach(Caller caller, Guid walletId, IReadOnlyList<Guid> userIds)
    {
        if (!Visible(caller))
        {
            return DomainError.Invalid(ErrorCodes.WalletTeamsInvalid, $"Team {Id} does not exist in this account.", "teams");
        }

        foreach (var userId in userIds)
        {
            if (!team.State.Members.Any(m => m.UserId == userId))
            {
                return DomainError.Invalid(ErrorCodes.WalletResponsibleInvalid, $"User {userId} is not a member of team {Id}.", "teams");
            }

            if (!(await GrainFactory.GetGrain<IUserGrain>(userId).Get(caller)).IsSuccess)
            {
                return DomainError.Invalid(ErrorCodes.WalletResponsibleInvalid, $"User {userId} does not exist in this account.", "teams");
            }
        }

        if (!team.State.Wallets.Contains(walletId))
        {
            team.State = team.State with { Wallets = new HashSet<Guid>(team.State.Wallets) { walletId } };
            await team.WriteStateAsync();
        }

        return null;
    }

    public Task<bool> IsOpen() => Task.FromResult(OpenNow());

    public ValueTask<TeamFact> Fact() => ValueTask.FromResult(new TeamFact(Id, team.State.Version, team.RecordExists, team.State.BusinessHours));

    public async Task<Assignment> Pick(IReadOnlyList<Guid> candidates)
    {
        if (!team.RecordExists)
        {
            return new Assignment(null, []);
        }

        // Supervisor-only members and non-members never receive distributed work; member order is the team's.
        var agents = AgentsAmong(candidates);
        if (agents.Length == 0 || !OpenNow())
        {
            return new Assignment(null, agents);
        }

        // Availability comes from this silo's routing facts, so a pick calls no user grain (least loaded asks for loads).
        var available = new bool[agents.Length];
        var availableCount = 0;
        for (var i = 0; i < agents.Length; i++)
        {
            if ((await routingFacts.User(GrainFactory, agents[i])).CanServe)
            {
                available[i] = true;
                availableCount++;
            }
        }

        // The candidates answered: available ones first, each group in member order.
        IReadOnlyList<Guid> ordered = availableCount == agents.Length
            ? agents
            : [.. agents.Where((_, i) => available[i]), .. agents.Where((_, i) => !available[i])];
        if (availableCount == 0)
        {
            return new Assignment(null, ordered);
        }

        Guid chosen;
        if (team.State.Distribution.Strategy == DistributionStrategy.LeastLoaded)
        {
            var candidatesNow = ordered.Take(availableCount).ToList();
            var loads = await Task.WhenAll(candidatesNow.Select(a => GrainFactory.GetGrain<IUserGrain>(a).Presence().AsTask()));
            chosen = candidatesNow[Array.IndexOf(loads, loads.MinBy(p => p.OwnedContacts))];
        }
        else
        {
            // Round robin: the first available member after the last one picked, in member order, wrapping around.
            var last = _lastPicked is { } previous ? Array.IndexOf(agents, previous) : -1;
            var next = last + 1;
            while (!available[next % agents.Length])
            {
                next++;
            }

            chosen = agents[next % agents.Length];
        }

        _lastPicked = chosen;
        return new Assignment(chosen, ordered);
    }

    /// <summary>
    /// The team's agents among the candidates, in member order. Remembered for the members and candidates it was found
    /// for: a silo passes the same wallet's candidates to every pick, so most picks find them here.
    /// </summary>
    private Guid[] AgentsAmong(IReadOnlyList<Guid> candidates)
    {
        if (ReferenceEquals(_agentsFor.Members, team.State.Members)
            && (ReferenceEquals(_agentsFor.Candidates, candidates) || _agentsFor.Candidates.SequenceEqual(candidates)))
        {
            return _agentsFor.Agents;
        }

        var wanted = candidates.ToHashSet();
        var agents = team.State.Members.Where(m => m.IsAgent && wanted.Contains(m.UserId)).Select(m => m.UserId).ToArray();
        _agentsFor = (team.State.Members, candidates, agents);
        return agents;
    }

    public async Task Detach(Guid walletId)
    {
        if (team.RecordExists && team.State.Wallets.Contains(walletId))
        {
            var wallets = new HashSet<Guid>(team.State.Wallets);
            wallets.Remove(walletId);
            team.State = team.State with { Wallets = wallets };
            await team.WriteStateAsync();
        }
    }

    /// <summary>Stores a change routing may see, then makes every silo route by it before the change completes.</summary>
    private async Task WriteRoutingChange()
    {
        team.State = team.State with { Version = team.State.Version + 1 };
        await team.WriteStateAsync();
        await publisher.Publish(new TeamFact(Id, team.State.Version, true, team.State.BusinessHours));
    }

    private async Task<DomainError?> ValidateMembers(Caller caller, IReadOnlyList<TeamMember> members)
    {
        if (members.Any(m => m is null || m.UserId == Guid.Empty))
        {
            return DomainError.Invalid(ErrorCodes.TeamMemberInvalid, "Each member needs a userId.", "members");
        }

        if (members.Select(m => m.UserId).Distinct().Count() != members.Count)
        {
            return DomainError.Invalid(ErrorCodes.TeamMemberDuplicated, "A user can be a member only once.", "members");
        }

        foreach (var member in members)
        {
            if (!member.IsAgent && !member.IsSupervisor)
            {
                return DomainError.Invalid(ErrorCodes.TeamMemberInvalid, $"Member {member.UserId} must be an agent, a supervisor, or both.", "members");
            }

            if (!(await GrainFactory.GetGrain<IUserGrain>(member.UserId).Get(caller)).IsSuccess)
            {
                return DomainError.Invalid(ErrorCodes.TeamMemberInvalid, $"User {member.UserId} does not exist in this account.", "members");
            }
        }

        return null;
    }

    private static DomainError? ValidateDistribution(Distribution? distribution) =>
        distribution is null || Enum.IsDefined(distribution.Strategy)
            ? null
            : DomainError.Invalid(ErrorCodes.TeamDistributionInvalid, "distribution.strategy must be roundRobin or leastLoaded.", "distribution.strategy");

    private static DomainError? ValidateHours(BusinessHours? hours)
    {
        if (hours is null)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(hours.TimeZone) || !TimeZoneInfo.TryFindSystemTimeZoneById(hours.TimeZone, out _))
        {
            return DomainError.Invalid(ErrorCodes.TeamBusinessHoursInvalid, "businessHours.timeZone must be an IANA time zone such as America/Sao_Paulo.", "businessHours.timeZone");
        }

        if (hours.Periods is not { Count: > 0 } periods)
        {
            return DomainError.Invalid(ErrorCodes.TeamBusinessHoursInvalid, "businessHours.periods needs at least one period.", "businessHours.periods");
        }

        return periods.Any(p => p is null || p.Start >= p.End || !Enum.IsDefined(p.Day))
            ? DomainError.Invalid(ErrorCodes.TeamBusinessHoursInvalid, "Each period needs a weekday and a start before its end.", "businessHours.periods")
            : null;
    }

    private bool Visible(Caller caller) => team.RecordExists && team.State.AccountId == caller.AccountId;

    private TeamView View()
    {
        var s = team.State;
        return new TeamView(Id, s.AccountId, s.Name, s.Members, s.Distribution, s.BusinessHours, s.CreatedAt, s.UpdatedAt);
    }

    private static Result<TeamView> NotFound() => DomainError.NotFound(ErrorCodes.TeamNotFound, "No such team in this account.");

    private static Result<TeamView> Forbidden() => DomainError.Forbidden(ErrorCodes.Forbidden, "Only admins manage teams.");
}
