namespace WalletGrains.Bench.InSilo;

/// <summary>Operations per second of a closed loop: a fixed number of workers, each starting its next call when the last one answers.</summary>
internal sealed record Rate(long Operations, double Seconds, int InFlight)
{
    public double PerSecond => Operations / Seconds;
}

internal static class LoadLoop
{
    /// <summary>
    /// Runs <paramref name="inFlight"/> workers for <paramref name="warmup"/> (not counted) and then <paramref name="duration"/>;
    /// <paramref name="operation"/> gets the worker's number and its running count.
    /// </summary>
    public static async Task<Rate> Run(int inFlight, TimeSpan warmup, TimeSpan duration, Func<int, long, ValueTask> operation)
    {
        var counting = false;
        var stop = false;
        var counts = new long[inFlight];
        var workers = Enumerable.Range(0, inFlight).Select(worker => Task.Run(async () =>
        {
            for (long n = 0; !Volatile.Read(ref stop); n++)
            {
                await operation(worker, n);
                if (Volatile.Read(ref counting))
                {
                    counts[worker]++;
                }
            }
        })).ToList();

        await Task.Delay(warmup);
        Volatile.Write(ref counting, true);
        var clock = Stopwatch.StartNew();
        await Task.Delay(duration);
        Volatile.Write(ref counting, false);
        var seconds = clock.Elapsed.TotalSeconds;
        Volatile.Write(ref stop, true);
        await Task.WhenAll(workers);
        return new Rate(counts.Sum(), seconds, inFlight);
    }
}
