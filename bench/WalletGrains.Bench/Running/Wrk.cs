using System.Text.Json;

namespace WalletGrains.Bench.Running;

/// <summary>What one wrk run answered: wrk's own counts and latency percentiles, and the script's check of every answer.</summary>
internal sealed record WrkOutcome(
    long Requests, long DurationUs, long WindowUs, long Ok, long Bad, WrkErrors Errors, WrkLatency LatencyUs)
{
    /// <summary>The measured time: wrk's duration, or for <see cref="Pick.Once"/> from the first id sent to the last answer.</summary>
    public double Seconds => WindowUs / 1e6;

    /// <summary>Answers that passed the check, per second.</summary>
    public double OkPerSecond => Ok / Seconds;
}

internal sealed record WrkErrors(long Connect, long Read, long Write, long Status, long Timeout)
{
    public long Total => Connect + Read + Write + Status + Timeout;
}

internal sealed record WrkLatency(long P50, long P90, long P99, long P999, long Max, double Mean);

/// <summary>A measured load: what wrk saw, and the cores used meanwhile.</summary>
internal sealed record Load(WrkOutcome Wrk, CpuUse Cpu);

/// <summary>How wrk picks ids for a run (see <c>bench/wrk/load.lua</c>).</summary>
internal enum Pick
{
    /// <summary>Every request a random id of the file.</summary>
    Random,

    /// <summary>Every id of the file once, split between wrk's threads.</summary>
    Once,
}

/// <summary>Runs Debian's wrk with the benchmark's Lua script, <c>bench/wrk/load.lua</c>.</summary>
internal sealed class Wrk(string script, string logDirectory, int threads, int connections)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Runs one load for at most <paramref name="duration"/>: <paramref name="shape"/> is <c>ping</c>, <c>route</c> or
    /// <c>get</c>; answers count as ok when their body contains <paramref name="expected"/>. CPU is measured on
    /// <paramref name="serverProcessIds"/>, wrk and the whole machine.
    /// </summary>
    public async Task<Load> Run(string name, Uri target, string? token, string shape, Pick pick, string? idsFile, string expected,
        TimeSpan duration, IEnumerable<int> serverProcessIds)
    {
        List<string> arguments =
        [
            $"-t{threads}", $"-c{connections}", $"-d{Math.Max(1, (int)Math.Ceiling(duration.TotalSeconds))}s", "--timeout", "10s",
            "-s", script, target.ToString().TrimEnd('/'),
        ];
        if (token is not null)
        {
            arguments.AddRange(["-H", $"Authorization: Bearer {token}"]);
        }

        arguments.AddRange(["--", shape, pick == Pick.Once ? "once" : "random", idsFile ?? "-", expected, threads.ToString(CultureInfo.InvariantCulture)]);

        var meter = CpuMeter.Start(serverProcessIds);
        var spent = 0;
        ChildProcess? started = null;
        await using var wrk = ChildProcess.Start("wrk-" + name, "wrk", arguments, logDirectory, onLine: line =>
        {
            // wrk sleeps for its whole duration even when every thread stopped: interrupt it once all slices are spent.
            if (line == "SLICE-DONE" && Interlocked.Increment(ref spent) == threads)
            {
                Volatile.Read(ref started)?.Signal("INT");
            }
        });
        Volatile.Write(ref started, wrk);
        if (Volatile.Read(ref spent) >= threads)
        {
            wrk.Signal("INT");
        }

        var exit = await wrk.WaitForExit(duration + TimeSpan.FromMinutes(2));
        var cpu = meter.Stop();
        if (exit != 0 || wrk.Results.Count == 0)
        {
            throw new InvalidOperationException($"wrk ({name}) exited with {exit} and no result. Its output:\n{wrk.Tail}");
        }

        var outcome = JsonSerializer.Deserialize<WrkOutcome>(wrk.Results[^1], Json)!;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  wrk {name}: {outcome.OkPerSecond:N0}/s ok={outcome.Ok} bad={outcome.Bad} errors={outcome.Errors.Total} " +
            $"p50={outcome.LatencyUs.P50 / 1000.0:0.00}ms p99={outcome.LatencyUs.P99 / 1000.0:0.00}ms; {cpu}"));
        return new Load(outcome, cpu);
    }
}
