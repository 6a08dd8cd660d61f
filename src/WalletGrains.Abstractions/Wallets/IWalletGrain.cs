namespace WalletGrains.Abstractions.Wallets;

/// <summary>One wallet ("carteira"): its definition and, later, its contacts. Keyed by wallet id.</summary>
public interface IWalletGrain : IGrainWithGuidKey
{
    Task<Result<WalletView>> Create(Caller caller, CreateWallet command);

    [ReadOnly]
    Task<Result<WalletView>> Get(Caller caller);

    Task<Result<WalletView>> Update(Caller caller, UpdateWallet command);

    /// <summary>Deletes the wallet for good: its name is free again and its memberships end.</summary>
    Task<Result<Done>> Delete(Caller caller);

    /// <summary>What routing and membership need of the wallet; null when it does not exist. Never waits behind an edit.</summary>
    [ReadOnly, AlwaysInterleave]
    Task<WalletRouting?> Routing();

    /// <summary>What routing needs of this wallet, for the silos' routing facts.</summary>
    [ReadOnly, AlwaysInterleave]
    ValueTask<Routing.WalletFact> Fact();

    /// <summary>How many contacts are in the wallet, summed over its member shards.</summary>
    [ReadOnly, AlwaysInterleave]
    Task<long> CountContacts();

    /// <summary>One page of the wallet's contact ids (shard by shard, each in id order).</summary>
    [ReadOnly, AlwaysInterleave]
    Task<Result<Page<Guid>>> Contacts(Caller caller, PageRequest page);

    /// <summary>A user the wallet names was blocked or deleted: contacts it owns here keep their membership and lose their owner.</summary>
    [AlwaysInterleave]
    Task ReleaseOwner(Guid userId, string reason);

    /// <summary>Whether this wallet holds (or is now claiming) the folded name. Used by the name grain to heal abandoned claims.</summary>
    [ReadOnly, AlwaysInterleave]
    Task<bool> HoldsName(string foldedName);

    /// <summary>Stops naming a deleted user as responsible or manager.</summary>
    [AlwaysInterleave]
    Task ForgetUser(Guid userId);

    /// <summary>Stops being the manager's default wallet because another one became it.</summary>
    [AlwaysInterleave]
    Task ClearDefault(Guid managerUserId);
}

/// <summary>
/// The uniqueness of one wallet name in one account, keyed by <c>{accountId}/{folded name}</c>.
/// Only creates and renames of that very name call it, so it is never a hot spot.
/// </summary>
public interface IWalletNameGrain : IGrainWithStringKey
{
    /// <summary>Claims the name for the wallet; false when another live wallet holds it.</summary>
    Task<bool> Claim(Guid walletId);

    /// <summary>Frees the name if the wallet holds it.</summary>
    Task Release(Guid walletId);
}

/// <summary>
/// The list of one account's wallets, for the list endpoints and default-wallet bookkeeping.
/// Wallet grains push their view after each change; routing never calls it.
/// </summary>
public interface IWalletCatalogGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Records the wallet's current view and arbitrates its manager's one default wallet: a wallet that claims the
    /// default takes it (the answer names the wallet that lost it); a wallet that merely still believes it is the
    /// default while another one claimed it since is told to drop it.
    /// </summary>
    Task<DefaultVerdict> Upsert(WalletView wallet, bool claimsDefault);

    Task Remove(Guid walletId);

    /// <summary>The account's automatic Multiple wallets, whose criteria contacts join by.</summary>
    [ReadOnly, AlwaysInterleave]
    Task<IReadOnlyList<WalletView>> AutomaticMultiple();

    /// <summary>One page of the caller's account's wallets; refused when the account may not use wallets.</summary>
    [ReadOnly, AlwaysInterleave]
    Task<Result<Page<WalletView>>> List(Caller caller, WalletListQuery query);
}

/// <summary>Creates one Single wallet per agent of a team. Stateless: it only fans out to wallet grains.</summary>
public interface IPerUserWalletsGrain : IGrainWithIntegerKey
{
    Task<Result<PerUserWallets>> Create(Caller caller, CreatePerUserWallets command);
}

/// <summary>Folds wallet names the one way the whole service compares them.</summary>
public static class WalletNames
{
    /// <summary>
    /// NFC-normalized, then lower- and upper-cased with the invariant culture: lowering first makes "ẞ" and "ß"
    /// one letter, upper-casing last makes the Greek final and medial sigma one letter.
    /// </summary>
    public static string Fold(string trimmedName) =>
        trimmedName.Normalize(System.Text.NormalizationForm.FormC).ToLowerInvariant().ToUpperInvariant();

    public static string Key(Guid accountId, string trimmedName) => $"{accountId:N}/{Fold(trimmedName)}";
}
