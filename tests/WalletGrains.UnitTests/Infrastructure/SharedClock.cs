namespace WalletGrains.UnitTests.Infrastructure;

/// <summary>
/// The test classes that move <see cref="ClusterFixture.Clock"/> by minutes run in this collection: one after another,
/// and not in parallel with any other test. Orleans measures response timeouts (30 s) on the silos' TimeProvider, so a
/// move of minutes would time out calls that other tests have in flight. They still assert only relative to their start.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SharedClock
{
    public const string Name = "Shared clock";

    public static DateTimeOffset Now => ClusterFixture.Clock.GetUtcNow();

    /// <summary>Moves the clock forward to <paramref name="instant"/> (not at all if it is already there or later).</summary>
    public static void AdvanceTo(DateTimeOffset instant)
    {
        var gap = instant - Now;
        if (gap > TimeSpan.Zero)
        {
            ClusterFixture.Clock.Advance(gap);
        }
    }

    /// <summary>
    /// Moves the clock to at most 40 seconds into a minute, so that deadlines bound now plus whole minutes, and a few
    /// seconds after them, fall before the sweepers' next reminder tick (one a minute of the fake clock).
    /// </summary>
    public static void AlignEarlyInMinute()
    {
        var intoMinute = TimeSpan.FromTicks(Now.UtcTicks % TimeSpan.TicksPerMinute);
        if (intoMinute > TimeSpan.FromSeconds(40))
        {
            ClusterFixture.Clock.Advance(TimeSpan.FromMinutes(1) - intoMinute + TimeSpan.FromSeconds(1));
        }
    }
}
