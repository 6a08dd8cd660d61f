using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace WalletGrains.FunctionalTests.Faults;

/// <summary>
/// Debian's <c>redis-server</c> as a real process on loopback: AOF on with <c>appendfsync always</c>, RDB snapshots off,
/// its files in a temp directory. It can be SIGKILLed and started again on the same port and files.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly StringBuilder _output = new();
    private Process? _process;

    private RedisServer(string executable, int port, string directory)
    {
        Executable = executable;
        Port = port;
        Directory = directory;
    }

    public string Executable { get; }

    public int Port { get; }

    public string Directory { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts redis-server on a free port with its data in a new temp directory; fails clearly when it is not installed.</summary>
    public static async Task<RedisServer> Start()
    {
        var executable = Find("redis-server") ?? throw new InvalidOperationException(
            "redis-server is not installed, and the fault tests need a real Redis-protocol store. " +
            "On Debian/Ubuntu: sudo apt-get install redis-server (.ci/run installs it in CI).");
        var directory = System.IO.Directory.CreateTempSubdirectory("walletgrains-redis-").FullName;
        var redis = new RedisServer(executable, RunningGateway.FreePort(), directory);
        await redis.Run();
        return redis;
    }

    /// <summary>SIGKILL: Redis gets no chance to flush anything beyond what <c>appendfsync always</c> already wrote.</summary>
    public async Task Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Starts Redis again on the same port and directory; it replays its AOF before answering PING.</summary>
    public Task Restart() => IsRunning ? throw new InvalidOperationException("Redis is still running.") : Run();

    /// <summary>Answers when Redis answers PING with PONG (not LOADING, not refused).</summary>
    public async Task<bool> Ping()
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.ConnectAsync(System.Net.IPAddress.Loopback, Port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Kill();
        _process?.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
    }

    private async Task Run()
    {
        _process?.Dispose();
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Directory,
        };
        foreach (var argument in (string[])[
            "--bind", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--protected-mode", "yes",
            "--dir", Directory, "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--daemonize", "no", "--logfile", ""])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start redis-server.");
        process.OutputDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var clock = Stopwatch.StartNew();
        while (!await Ping())
        {
            if (process.HasExited || clock.Elapsed > StartTimeout)
            {
                throw new InvalidOperationException($"redis-server did not answer PING on port {Port} (exited: {process.HasExited}). Its output:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    private static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/sbin").Append("/usr/bin")
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
}
