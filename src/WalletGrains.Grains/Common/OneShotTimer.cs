namespace WalletGrains.Grains.Common;

/// <summary>Grain timers that fire once, after a wait kept within what a timer can wait.</summary>
internal static class OneShotTimer
{
    // Timers cannot wait longer than ~49 days; a caller wanting a farther moment re-arms when this fires.
    private static readonly TimeSpan MaxWait = TimeSpan.FromDays(7);

    /// <summary>Fires <paramref name="callback"/> once after <paramref name="wait"/> (now if negative), as a turn of the grain that interleaves or not.</summary>
    public static IGrainTimer Once<TState>(this IGrainBase grain, Func<TState, Task> callback, TState state, TimeSpan wait, bool interleave)
    {
        wait = wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxWait ? MaxWait : wait;
        return grain.RegisterGrainTimer(
            static (s, _) => s.Callback(s.State),
            (Callback: callback, State: state),
            new GrainTimerCreationOptions { DueTime = wait, Period = Timeout.InfiniteTimeSpan, Interleave = interleave });
    }
}
