using WalletGrains.Grains.Common;

namespace WalletGrains.Grains.Wallets;

/// <summary>Persisted state of one wallet name: the wallet holding it.</summary>
[GenerateSerializer]
public sealed record WalletNameState
{
    [Id(0)] public Guid WalletId { get; init; }
}

/// <summary>
/// Makes one folded wallet name unique within an account. Claims for the same name queue here, so of
/// any number of simultaneous creates exactly one wins; other names never touch this grain.
/// </summary>
internal sealed class WalletNameGrain(
    [PersistentState("walletName", Stores.Default)] IPersistentState<WalletNameState> name) : Grain, IWalletNameGrain
{
    public async Task<bool> Claim(Guid walletId)
    {
        if (name.RecordExists && name.State.WalletId != walletId)
        {
            // A claim whose wallet died before storing itself is abandoned; the holder says so itself.
            var folded = this.GetPrimaryKeyString()[(this.GetPrimaryKeyString().IndexOf('/', StringComparison.Ordinal) + 1)..];
            if (await GrainFactory.GetGrain<IWalletGrain>(name.State.WalletId).HoldsName(folded))
            {
                return false;
            }
        }

        if (!name.RecordExists || name.State.WalletId != walletId)
        {
            name.State = new WalletNameState { WalletId = walletId };
            await name.WriteStateAsync();
        }

        return true;
    }

    public async Task Release(Guid walletId)
    {
        if (name.RecordExists && name.State.WalletId == walletId)
        {
            await name.ClearStateAsync();
            name.State = new WalletNameState();
        }
    }
}
