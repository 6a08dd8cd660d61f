namespace WalletGrains.Abstractions.Accounts;

/// <summary>One tenant: its plan and wallet settings. Keyed by account id.</summary>
public interface IAccountGrain : IGrainWithGuidKey
{
    /// <summary>Creates the account and its first admin user; the answer carries that admin's token.</summary>
    Task<Result<AccountView>> Create(CreateAccount command);

    /// <summary>The account, for the operator.</summary>
    [ReadOnly]
    Task<Result<AccountView>> Get();

    /// <summary>The account, for one of its own users.</summary>
    [ReadOnly]
    Task<Result<AccountView>> Get(Caller caller);

    /// <summary>Changes plan or name. Dropping below Plus switches the wallet feature off.</summary>
    Task<Result<AccountView>> Update(UpdateAccount command);

    /// <summary>Turns the wallet feature on or off; refused below Plus.</summary>
    Task<Result<AccountView>> ConfigureWallets(Caller caller, WalletSettings settings);

    /// <summary>Counts a user among the account's active admins.</summary>
    [AlwaysInterleave]
    Task AddAdmin(Guid userId);

    /// <summary>Stops counting a user as an active admin, unless it is the last one (then false: an account always keeps an admin).</summary>
    [AlwaysInterleave]
    Task<bool> TryRemoveAdmin(Guid userId);

    /// <summary>Succeeds when the account may use wallets: on Plus or above and enabled.</summary>
    [ReadOnly, AlwaysInterleave]
    Task<DomainError?> EnsureWalletsEnabled(Guid accountId);
}
