namespace WalletGrains.Grains.Common;

/// <summary>Persisted state of one unique value: the grain that holds it.</summary>
[GenerateSerializer]
public sealed record ClaimState
{
    [Id(0)] public Guid Holder { get; init; }
}

/// <summary>
/// Makes one value unique within an account; the grain is keyed by <c>{accountId}/{value}</c>. Claims for the same
/// value queue here, so of any number of simultaneous claims exactly one wins, and other values never touch this
/// grain. A claim whose holder died before storing itself is abandoned: the holder is asked whether it still claims.
/// </summary>
internal abstract class UniqueClaimGrain(IPersistentState<ClaimState> claim) : Grain
{
    /// <summary>The unique value: the key after the account id.</summary>
    protected string Value => this.GetPrimaryKeyString()[(this.GetPrimaryKeyString().IndexOf('/', StringComparison.Ordinal) + 1)..];

    protected Guid? Holder => claim.RecordExists ? claim.State.Holder : null;

    /// <summary>Whether the current holder still holds (or is now claiming) the value.</summary>
    protected abstract Task<bool> StillHolds(Guid holder);

    /// <summary>Claims the value; answers the holder afterwards (the claimant when it won).</summary>
    protected async Task<Guid> ClaimFor(Guid claimant)
    {
        if (Holder is { } holder && holder != claimant && await StillHolds(holder))
        {
            return holder;
        }

        if (Holder != claimant)
        {
            claim.State = new ClaimState { Holder = claimant };
            await claim.WriteStateAsync();
        }

        return claimant;
    }

    /// <summary>Frees the value if the claimant holds it.</summary>
    protected async Task ReleaseFor(Guid claimant)
    {
        if (Holder == claimant)
        {
            await claim.ClearStateAsync();
            claim.State = new ClaimState();
        }
    }
}
