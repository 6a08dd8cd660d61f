namespace WalletGrains.Grains.Common;

/// <summary>
/// Drops the activation of any WalletGrains grain whose call failed. Domain errors are results, so an exception means
/// the store or another silo failed part-way through: the activation's memory may then hold a change the store never
/// got, or the store may hold a write whose answer was lost (under an ETag the memory does not know). The next call
/// reloads what the store has, so a failed request leaves nothing visible behind and later writes do not fail.
/// </summary>
public sealed class DeactivateOnFailureFilter : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception e) when (context.TargetContext is { GrainInstance: Grain grain } target && grain.GetType().Assembly == typeof(DeactivateOnFailureFilter).Assembly)
        {
            target.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, e, "A call failed part-way; the next call reloads the stored state."));
            throw;
        }
    }
}
