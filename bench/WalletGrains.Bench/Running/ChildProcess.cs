using System.Net;
using System.Net.Sockets;
using System.Text;

namespace WalletGrains.Bench.Running;

/// <summary>A process the benchmark starts: its output goes to a log file, and lines starting with <c>RESULT </c> are kept.</summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    public const string ResultPrefix = "RESULT ";

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly List<string> _results = [];
    private readonly StringBuilder _tail = new();

    private readonly Action<string>? _onLine;

    private ChildProcess(Process process, StreamWriter log, string name, Action<string>? onLine)
    {
        _process = process;
        _log = log;
        Name = name;
        _onLine = onLine;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The last lines the process wrote, for error messages.</summary>
    public string Tail
    {
        get
        {
            lock (_tail)
            {
                return _tail.ToString();
            }
        }
    }

    /// <summary>
    /// Starts <paramref name="program"/> with its arguments (and <paramref name="environment"/> added to this process's
    /// variables); its output goes to <c>{logDirectory}/{name}.log</c>, and each line to <paramref name="onLine"/> if given.
    /// </summary>
    public static ChildProcess Start(
        string name, string program, IEnumerable<string> arguments, string logDirectory, string? workingDirectory = null, Action<string>? onLine = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (variable, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[variable] = value;
        }

        var log = new StreamWriter(Path.Combine(logDirectory, name + ".log"), append: true) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var child = new ChildProcess(process, log, name, onLine);
        process.OutputDataReceived += (_, e) => child.Received(e.Data);
        process.ErrorDataReceived += (_, e) => child.Received(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The <c>RESULT</c> lines so far, prefix removed.</summary>
    public IReadOnlyList<string> Results
    {
        get
        {
            lock (_results)
            {
                return [.. _results];
            }
        }
    }

    public async Task<int> WaitForExit(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} (pid {Id}) did not finish within {timeout}. Last output:\n{Tail}");
        }

        // The asynchronous readers may still be delivering the last lines.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM, as an orchestrator stops a process.</summary>
    public void Terminate() => Signal("TERM");

    /// <summary>Sends a signal by name (<c>TERM</c>, <c>INT</c>) unless the process has exited.</summary>
    public void Signal(string signal)
    {
        if (_process.HasExited)
        {
            return;
        }

        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, Id.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false })
            ?? throw new InvalidOperationException("Could not run kill.");
        kill.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        await _log.DisposeAsync();
    }

    /// <summary>A TCP port on loopback nobody listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Received(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.WriteLine(line);
        }

        _onLine?.Invoke(line);
        if (line.StartsWith(ResultPrefix, StringComparison.Ordinal))
        {
            lock (_results)
            {
                _results.Add(line[ResultPrefix.Length..]);
            }
        }

        lock (_tail)
        {
            _tail.AppendLine(line);
            if (_tail.Length > 8000)
            {
                _tail.Remove(0, _tail.Length - 4000);
            }
        }
    }
}
