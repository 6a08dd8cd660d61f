using Microsoft.Extensions.Options;
using WalletGrains.Grains.Common;

namespace WalletGrains.Grains.Expiry;

/// <summary>Persisted state of one sweeper: the last slot whose bucket it has visited.</summary>
[GenerateSerializer]
public sealed record ExpirySweeperState
{
    [Id(0)] public long LastSweptSlot { get; init; }
}

/// <summary>
/// One of a handful of sweepers, each with one reminder, that wake contacts whose deadline passed while they were
/// not active (or their silo died). A few reminders sweep short time-slot buckets instead of one reminder per contact.
/// </summary>
internal sealed class ExpirySweeperGrain(
    [PersistentState("expirySweeper", Stores.Default)] IPersistentState<ExpirySweeperState> sweeper,
    TimeProvider clock,
    IOptions<ExpiryOptions> options) : Grain, IExpirySweeperGrain, IRemindable
{
    private const string ReminderName = "sweep";

    // After an outage the sweep catches up at most this far back; a first-ever sweep starts an hour back. (A contact
    // due earlier still expires on its next call or activation.)
    private static readonly TimeSpan MaxCatchUp = TimeSpan.FromHours(6);
    private static readonly TimeSpan FirstSweepLookBack = TimeSpan.FromHours(1);

    public async Task Start()
    {
        var period = options.Value.SweepPeriod;
        await this.RegisterOrUpdateReminder(ReminderName, period, period);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Sweep();

    public async Task Sweep()
    {
        var shard = (int)this.GetPrimaryKeyLong();

        // A bucket is visited once its whole slot is over, so no deadline inside it is still in the future.
        var lastClosedSlot = IExpiryBucketGrain.SlotOf(clock.GetUtcNow()) - 1;
        var lookBack = sweeper.State.LastSweptSlot == 0 ? FirstSweepLookBack : MaxCatchUp;
        var from = Math.Max(sweeper.State.LastSweptSlot + 1, lastClosedSlot - ((long)lookBack.TotalSeconds / IExpiryBucketGrain.SlotSeconds));
        for (var slot = from; slot <= lastClosedSlot; slot++)
        {
            await GrainFactory.GetGrain<IExpiryBucketGrain>(IExpiryBucketGrain.Key(slot, shard)).Fire();
            sweeper.State = new ExpirySweeperState { LastSweptSlot = slot };
        }

        if (from <= lastClosedSlot)
        {
            await sweeper.WriteStateAsync();
        }
    }
}
