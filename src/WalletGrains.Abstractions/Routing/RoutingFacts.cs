using WalletGrains.Abstractions.Teams;
using WalletGrains.Abstractions.Wallets;

namespace WalletGrains.Abstractions.Routing;

/// <summary>A fact routing reads, stamped with its owner's change counter.</summary>
public interface IRoutingFact
{
    long Version { get; }
}

/// <summary>
/// What routing needs to know of a user, stamped with the user's change counter so that a silo never replaces a
/// newer fact with an older one.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record UserFact(
    [property: Id(0)] Guid UserId,
    [property: Id(1)] long Version,
    [property: Id(2)] bool Exists,
    [property: Id(3)] bool CanServe,
    [property: Id(4)] bool Blocked) : IRoutingFact
{
    /// <summary>May own contacts: exists and is not blocked (an away user keeps its contacts).</summary>
    public bool CanOwn => Exists && !Blocked;
}

/// <summary>What routing needs to know of a team: whether it exists and its business hours.</summary>
[GenerateSerializer, Immutable]
public sealed record TeamFact(
    [property: Id(0)] Guid TeamId,
    [property: Id(1)] long Version,
    [property: Id(2)] bool Exists,
    [property: Id(3)] BusinessHours? BusinessHours) : IRoutingFact
{
    public bool IsOpen(DateTimeOffset now) => BusinessHours?.IsOpen(now) ?? true;
}

/// <summary>What routing needs to know of a wallet; <see cref="Routing"/> is null once it is deleted or never was.</summary>
[GenerateSerializer, Immutable]
public sealed record WalletFact(
    [property: Id(0)] Guid WalletId,
    [property: Id(1)] long Version,
    [property: Id(2)] WalletRouting? Routing) : IRoutingFact;

/// <summary>
/// The routing facts held in one silo's memory, keyed by that silo's address and always activated on it. The grain
/// that owns a fact pushes each change here on every silo before its change completes, so a route decided on any
/// silo after the change sees it.
/// </summary>
public interface IRoutingFactsGrain : IGrainWithStringKey
{
    [AlwaysInterleave]
    Task PutUser(UserFact fact);

    [AlwaysInterleave]
    Task PutTeam(TeamFact fact);

    [AlwaysInterleave]
    Task PutWallet(WalletFact fact);
}
