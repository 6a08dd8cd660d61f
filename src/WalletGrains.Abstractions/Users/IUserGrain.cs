namespace WalletGrains.Abstractions.Users;

/// <summary>One attendant. Keyed by user id.</summary>
public interface IUserGrain : IGrainWithGuidKey
{
    /// <summary>Creates the user in the caller's account and issues its bearer token.</summary>
    Task<Result<UserView>> Create(Caller caller, CreateUser command);

    [ReadOnly]
    Task<Result<UserView>> Get(Caller caller);

    Task<Result<UserView>> Update(Caller caller, UpdateUser command);

    /// <summary>Deletes the user for good: its token stops working and its wallets stop naming it.</summary>
    Task<Result<Done>> Delete(Caller caller);

    /// <summary>Whether the user may take a conversation now (active and available), and how many contacts it owns.</summary>
    [ReadOnly, AlwaysInterleave]
    ValueTask<Presence> Presence();

    /// <summary>What routing needs of this user, for the silos' routing facts.</summary>
    [ReadOnly, AlwaysInterleave]
    ValueTask<Routing.UserFact> Fact();

    /// <summary>Counts contacts bound to or released from this user, for least-loaded distribution.</summary>
    [AlwaysInterleave, OneWay]
    Task AdjustLoad(int delta);

    /// <summary>The wallets that name this user, and the account it belongs to.</summary>
    [ReadOnly, AlwaysInterleave]
    Task<IReadOnlyList<Guid>> Wallets();

    /// <summary>Records that a wallet names this user (responsible or manager), so deleting the user can tell the wallet.</summary>
    [AlwaysInterleave]
    Task Link(Guid walletId);

    /// <summary>Forgets a wallet that no longer names this user.</summary>
    [AlwaysInterleave]
    Task Unlink(Guid walletId);
}

/// <summary>
/// One issued bearer token, keyed by the SHA-256 of the token (the token itself is never stored).
/// Each request authenticates against its own token's grain, so no grain sees every request.
/// </summary>
public interface ITokenGrain : IGrainWithStringKey
{
    [ReadOnly, AlwaysInterleave]
    ValueTask<Principal?> Authenticate();

    /// <summary>Binds the token to a user, or updates what it speaks for.</summary>
    Task Bind(Principal principal);

    Task Revoke();
}
