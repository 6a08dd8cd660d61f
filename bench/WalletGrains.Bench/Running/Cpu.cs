namespace WalletGrains.Bench.Running;

/// <summary>Cores used during one measurement: by the measured server processes, by the load generator, and by everything else.</summary>
internal sealed record CpuUse(double ServerCores, double ClientCores, double MachineCores)
{
    /// <summary>What other processes on the machine used meanwhile (other engineers' builds and tests included).</summary>
    public double OtherCores => Math.Max(0, MachineCores - ServerCores - ClientCores);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"server {ServerCores:0.00} + client {ClientCores:0.00} + other {OtherCores:0.00} of {Environment.ProcessorCount} cores");
}

/// <summary>
/// Reads CPU time from <c>/proc</c>: the machine's busy time, named processes' own time, and the time of this process's
/// finished children (wrk runs as one, so its time is known once it exits), plus this process's own.
/// </summary>
internal sealed class CpuMeter
{
    // Linux reports /proc times in clock ticks of 1/100 s (USER_HZ) on every common architecture.
    private const double TicksPerSecond = 100;

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly long _machineBusy;
    private readonly long _server;
    private readonly long _client;
    private readonly int[] _serverIds;
    private readonly bool _clientIsSelf;

    private CpuMeter(int[] serverIds, bool clientIsSelf)
    {
        _serverIds = serverIds;
        _clientIsSelf = clientIsSelf;
        _machineBusy = MachineBusyTicks();
        _server = serverIds.Sum(ProcessTicks);
        _client = ClientTicks(clientIsSelf);
    }

    /// <summary>Starts measuring. The client is wrk (a child that exits before <see cref="Stop"/>) or, with <paramref name="clientIsSelf"/>, this process.</summary>
    public static CpuMeter Start(IEnumerable<int> serverProcessIds, bool clientIsSelf = false) => new([.. serverProcessIds], clientIsSelf);

    public CpuUse Stop()
    {
        var seconds = _clock.Elapsed.TotalSeconds;
        double Cores(long ticks) => ticks / TicksPerSecond / seconds;
        return new CpuUse(
            Cores(_serverIds.Sum(ProcessTicks) - _server),
            Cores(ClientTicks(_clientIsSelf) - _client),
            Cores(MachineBusyTicks() - _machineBusy));
    }

    /// <summary>Resident set size of a process, in bytes.</summary>
    public static long ResidentBytes(int processId)
    {
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    private static long ClientTicks(bool self)
    {
        var fields = StatFields(Environment.ProcessId);
        // utime, stime (own) are fields 14 and 15; cutime, cstime (waited-for children) are 16 and 17 (1-based).
        return self ? fields[11] + fields[12] : fields[13] + fields[14];
    }

    private static long ProcessTicks(int processId)
    {
        try
        {
            var fields = StatFields(processId);
            return fields[11] + fields[12];
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>The fields of /proc/pid/stat after the command name, as numbers where they are numbers (index 0 is field 3).</summary>
    private static long[] StatFields(int processId)
    {
        var text = File.ReadAllText($"/proc/{processId}/stat");
        var afterName = text[(text.LastIndexOf(')') + 2)..];
        return [.. afterName.Split(' ').Select(f => long.TryParse(f, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0)];
    }

    private static long MachineBusyTicks()
    {
        // cpu  user nice system idle iowait irq softirq steal ...
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var idle = fields[3] + fields[4];
        return fields.Take(8).Sum() - idle;
    }
}
