using Microsoft.Extensions.Options;
using WalletGrains.Grains.Common;

namespace WalletGrains.Grains.Expiry;

/// <summary>Persisted state of one sweeper: the last minute whose buckets it has visited.</summary>
[GenerateSerializer]
public sealed record ExpirySweeperState
{
    [Id(0)] public long LastSweptMinute { get; init; }
}

/// <summary>
/// One of a handful of sweepers, each with one reminder, that wake contacts whose deadline passed while they were
/// not active (or their silo died). A few reminders sweep minute buckets instead of one reminder per contact.
/// </summary>
internal sealed class ExpirySweeperGrain(
    [PersistentState("expirySweeper", Stores.Default)] IPersistentState<ExpirySweeperState> sweeper,
    TimeProvider clock,
    IOptions<ExpiryOptions> options) : Grain, IExpirySweeperGrain, IRemindable
{
    private const string ReminderName = "sweep";

    // After an outage the sweep catches up at most this far back; a first-ever sweep starts an hour back.
    private static readonly TimeSpan MaxCatchUp = TimeSpan.FromDays(1);
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

        // A bucket is visited once its whole minute is over, so no deadline inside it is still in the future.
        var lastClosedMinute = (clock.GetUtcNow().ToUnixTimeSeconds() / 60) - 1;
        var lookBack = sweeper.State.LastSweptMinute == 0 ? FirstSweepLookBack : MaxCatchUp;
        var from = Math.Max(sweeper.State.LastSweptMinute + 1, lastClosedMinute - (long)lookBack.TotalMinutes);
        for (var minute = from; minute <= lastClosedMinute; minute++)
        {
            await GrainFactory.GetGrain<IExpiryBucketGrain>(IExpiryBucketGrain.Key(minute, shard)).Fire();
            sweeper.State = new ExpirySweeperState { LastSweptMinute = minute };
        }

        if (from <= lastClosedMinute)
        {
            await sweeper.WriteStateAsync();
        }
    }
}
