namespace WalletGrains.Abstractions.Teams;

/// <summary>One team ("equipe"): ordered members, distribution, business hours. Keyed by team id.</summary>
public interface ITeamGrain : IGrainWithGuidKey
{
    Task<Result<TeamView>> Create(Caller caller, CreateTeam command);

    [ReadOnly, AlwaysInterleave]
    Task<Result<TeamView>> Get(Caller caller);

    Task<Result<TeamView>> Update(Caller caller, UpdateTeam command);

    /// <summary>Deletes the team; refused while a wallet names it.</summary>
    Task<Result<Done>> Delete(Caller caller);

    /// <summary>
    /// Records that a wallet names this team with these responsible users, after checking that each
    /// user is a member. One call both validates and registers, so the wallet never has to be called back.
    /// </summary>
    Task<DomainError?> Attach(Caller caller, Guid walletId, IReadOnlyList<Guid> userIds);

    /// <summary>Whether the team works now (no business hours means always).</summary>
    [ReadOnly, AlwaysInterleave]
    Task<bool> IsOpen();

    /// <summary>What routing needs of this team, for the silos' routing facts.</summary>
    [ReadOnly, AlwaysInterleave]
    ValueTask<Routing.TeamFact> Fact();

    /// <summary>
    /// Picks who takes new work among the candidates, by the team's distribution: round robin in member order
    /// (or least loaded), skipping supervisor-only, unavailable and non-member candidates; null when nobody can,
    /// including outside business hours. Also answers the candidates ordered available-first. The candidates are not
    /// copied for a call within the silo: callers pass a list nobody changes (a wallet's routing facts).
    /// </summary>
    [AlwaysInterleave]
    Task<Assignment> Pick([Immutable] IReadOnlyList<Guid> candidates);

    /// <summary>Forgets a wallet that no longer names this team.</summary>
    Task Detach(Guid walletId);
}
