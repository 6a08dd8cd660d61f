using System.Diagnostics;

namespace WalletGrains.FunctionalTests.Faults;

/// <summary>
/// A WalletGrains cluster of real processes on loopback, as ops run it: one redis-server (AOF, fsync always), three
/// <c>Mode=Silo</c> processes and one <c>Mode=Gateway</c> process, all on free ports, with a short expiry sweep period.
/// Silos can be SIGKILLed, restarted on their ports, or stopped with SIGTERM; the store can be SIGKILLed and restarted.
/// </summary>
public sealed class FaultCluster : IAsyncDisposable
{
    public const string OperatorToken = "fault-test-operator-token-0123456789";

    /// <summary>The sweep period every silo runs with: contacts whose silo died are released at most about this late after their bucket's slot.</summary>
    public const string SweepPeriod = "00:00:05";

    public const int SiloCount = 3;

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    private readonly SiloSlot[] _silos;
    private readonly string _clusterId = "fault-" + Guid.NewGuid().ToString("N")[..8];
    private readonly Action<string> _log;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private ServerProcess? _gateway;

    private FaultCluster(RedisServer redis, Action<string> log)
    {
        Store = redis;
        _log = log;
        _silos = [.. Enumerable.Range(0, SiloCount).Select(_ => new SiloSlot(RunningGateway.FreePort(), RunningGateway.FreePort(), RunningGateway.FreePort()))];
    }

    public RedisServer Store { get; }

    public Api Api { get; private set; } = null!;

    public Uri GatewayAddress => _gateway!.Address;

    /// <summary>Starts the store, the three silos (in parallel) and then the gateway; returns when the gateway is ready.</summary>
    public static async Task<FaultCluster> Start(Action<string> log)
    {
        var redis = await RedisServer.Start();
        var cluster = new FaultCluster(redis, log);
        try
        {
            await Task.WhenAll(Enumerable.Range(0, SiloCount).Select(cluster.StartSilo));
            cluster._gateway = await ServerProcess.Start(RunningGateway.FreePort(), [.. cluster.Common(), "--Mode=Gateway", $"--Auth:OperatorToken={OperatorToken}"]);
            cluster.Api = new Api(new HttpClient { BaseAddress = cluster._gateway.Address, Timeout = TimeSpan.FromSeconds(30) }, OperatorToken);
            cluster.Log($"cluster up: redis :{redis.Port}, silos {string.Join(", ", cluster._silos.Select(s => $":{s.SiloPort}/:{s.GatewayPort} (pid {s.Process?.Id})"))}, gateway {cluster._gateway.Address} (pid {cluster._gateway.Id})");
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public bool IsSiloRunning(int silo) => _silos[silo].Process is { HasExited: false };

    /// <summary>SIGKILL of one silo process: no shutdown code runs.</summary>
    public async Task KillSilo(int silo)
    {
        var process = _silos[silo].Process ?? throw new InvalidOperationException($"Silo {silo} is not running.");
        await process.Kill();
        Log($"silo {silo} SIGKILLed (pid {process.Id})");
    }

    /// <summary>SIGTERM of one silo process; returns once it has exited, with its exit code.</summary>
    public async Task<int> StopSilo(int silo)
    {
        var process = _silos[silo].Process ?? throw new InvalidOperationException($"Silo {silo} is not running.");
        var clock = Stopwatch.StartNew();
        await process.Terminate(StopTimeout);
        Log($"silo {silo} stopped by SIGTERM in {clock.Elapsed.TotalSeconds:0.0} s, exit code {process.ExitCode}");
        return process.ExitCode;
    }

    /// <summary>Starts a silo that was killed or stopped again, on the same ports; returns when it is ready.</summary>
    public async Task RestartSilo(int silo)
    {
        if (IsSiloRunning(silo))
        {
            throw new InvalidOperationException($"Silo {silo} is still running.");
        }

        if (_silos[silo].Process is { } old)
        {
            _silos[silo].Log.Add(old.Output);
            await old.DisposeAsync();
        }

        var clock = Stopwatch.StartNew();
        await StartSilo(silo);
        Log($"silo {silo} restarted and ready in {clock.Elapsed.TotalSeconds:0.0} s (pid {_silos[silo].Process!.Id})");
    }

    public async Task KillStore()
    {
        await Store.Kill();
        Log("redis SIGKILLed");
    }

    public async Task RestartStore()
    {
        var clock = Stopwatch.StartNew();
        await Store.Restart();
        Log($"redis restarted from its AOF, answering PING after {clock.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>The last lines every process wrote, for a failure message.</summary>
    public string Diagnostics(int lines = 40)
    {
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < _silos.Length; i++)
        {
            text.AppendLine($"---- silo {i} ----").AppendLine(Tail(string.Concat(_silos[i].Log) + _silos[i].Process?.Output, lines));
        }

        text.AppendLine("---- gateway ----").AppendLine(Tail(_gateway?.Output, lines));
        text.AppendLine("---- redis ----").AppendLine(Tail(Store.Output, lines));
        return text.ToString();
    }

    public void Log(string message) => _log($"[{_clock.Elapsed.TotalSeconds,6:0.0}s] {message}");

    public async ValueTask DisposeAsync()
    {
        Api?.Dispose();
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        foreach (var silo in _silos)
        {
            if (silo.Process is not null)
            {
                await silo.Process.DisposeAsync();
            }
        }

        await Store.DisposeAsync();
    }

    private async Task StartSilo(int silo)
    {
        var slot = _silos[silo];
        slot.Process = await ServerProcess.Start(slot.HttpPort, [
            .. Common(),
            "--Mode=Silo",
            $"--Cluster:SiloPort={slot.SiloPort}",
            $"--Cluster:GatewayPort={slot.GatewayPort}",
            $"--Expiry:SweepPeriod={SweepPeriod}",
        ]);
    }

    private string[] Common() =>
    [
        $"--Cluster:StoreConnectionString={Store.ConnectionString}",
        $"--Cluster:ClusterId={_clusterId}",
        $"--Cluster:ServiceId={_clusterId}",
        "--Cluster:AdvertisedAddress=127.0.0.1",
    ];

    private static string Tail(string? text, int lines) =>
        string.Join('\n', (text ?? "").Split('\n').TakeLast(lines));

    private sealed class SiloSlot(int siloPort, int gatewayPort, int httpPort)
    {
        public int SiloPort { get; } = siloPort;

        public int GatewayPort { get; } = gatewayPort;

        public int HttpPort { get; } = httpPort;

        public ServerProcess? Process { get; set; }

        public List<string> Log { get; } = [];
    }
}
