namespace WalletGrains.Abstractions.Teams;

/// <summary>How a team hands out work among its available agents.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DistributionStrategy>))]
public enum DistributionStrategy
{
    /// <summary>In member order, skipping unavailable and supervisor-only members.</summary>
    [JsonStringEnumMemberName("roundRobin")]
    RoundRobin,

    /// <summary>The member who owns the fewest contacts.</summary>
    [JsonStringEnumMemberName("leastLoaded")]
    LeastLoaded,
}

/// <summary>A team's distribution settings.</summary>
[GenerateSerializer, Immutable]
public sealed record Distribution([property: Id(0)] DistributionStrategy Strategy = DistributionStrategy.RoundRobin);

/// <summary>One member of a team, in creation order. Supervisor-only members never receive distributed work.</summary>
[GenerateSerializer, Immutable]
public sealed record TeamMember(
    [property: Id(0)] Guid UserId,
    [property: Id(1)] bool IsAgent = true,
    [property: Id(2)] bool IsSupervisor = false);

/// <summary>One opening period on a weekday, in the team's time zone.</summary>
[GenerateSerializer, Immutable]
public sealed record BusinessPeriod(
    [property: Id(0)] DayOfWeek Day,
    [property: Id(1)] TimeOnly Start,
    [property: Id(2)] TimeOnly End);

/// <summary>When a team works; outside these periods its members count as unavailable.</summary>
[GenerateSerializer, Immutable]
public sealed record BusinessHours(
    [property: Id(0)] string? TimeZone,
    [property: Id(1)] IReadOnlyList<BusinessPeriod>? Periods)
{
    /// <summary>Whether the instant falls inside one of the periods, read in the team's time zone.</summary>
    public bool IsOpen(DateTimeOffset now)
    {
        if (TimeZone is null || Periods is null || !TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var zone))
        {
            return true;
        }

        var local = TimeZoneInfo.ConvertTime(now, zone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        return Periods.Any(p => p.Day == local.DayOfWeek && time >= p.Start && time < p.End);
    }
}

/// <summary>Who a team's distribution picked, and every candidate in order, available ones first.</summary>
[GenerateSerializer, Immutable]
public sealed record Assignment(
    [property: Id(0)] Guid? UserId,
    [property: Id(1)] IReadOnlyList<Guid> Candidates);

/// <summary>Body of <c>POST /api/v1/teams</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record CreateTeam(
    [property: Id(0)] string? Name,
    [property: Id(1)] IReadOnlyList<TeamMember>? Members,
    [property: Id(2)] Distribution? Distribution,
    [property: Id(3)] BusinessHours? BusinessHours);

/// <summary>Body of <c>PATCH /api/v1/teams/{id}</c>; absent fields stay, <see cref="ClearBusinessHours"/> removes them.</summary>
[GenerateSerializer, Immutable]
public sealed record UpdateTeam(
    [property: Id(0)] string? Name = null,
    [property: Id(1)] IReadOnlyList<TeamMember>? Members = null,
    [property: Id(2)] Distribution? Distribution = null,
    [property: Id(3)] BusinessHours? BusinessHours = null,
    [property: Id(4)] bool ClearBusinessHours = false);

/// <summary>A team as the API shows it.</summary>
[GenerateSerializer, Immutable]
public sealed record TeamView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid AccountId,
    [property: Id(2)] string Name,
    [property: Id(3)] IReadOnlyList<TeamMember> Members,
    [property: Id(4)] Distribution Distribution,
    [property: Id(5)] BusinessHours? BusinessHours,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] DateTimeOffset UpdatedAt);
