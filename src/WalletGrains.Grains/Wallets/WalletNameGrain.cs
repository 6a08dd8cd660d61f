using WalletGrains.Grains.Common;

namespace WalletGrains.Grains.Wallets;

/// <summary>Makes one folded wallet name unique within an account, also under simultaneous creates and renames.</summary>
internal sealed class WalletNameGrain(
    [PersistentState("walletName", Stores.Default)] IPersistentState<ClaimState> name) : UniqueClaimGrain(name), IWalletNameGrain
{
    public async Task<bool> Claim(Guid walletId) => await ClaimFor(walletId) == walletId;

    public Task Release(Guid walletId) => ReleaseFor(walletId);

    protected override Task<bool> StillHolds(Guid holder) => GrainFactory.GetGrain<IWalletGrain>(holder).HoldsName(Value);
}
