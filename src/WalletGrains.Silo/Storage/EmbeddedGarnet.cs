using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using System.Text;
using Garnet;
using Garnet.server;
using Garnet.server.Auth.Settings;
using Microsoft.Extensions.Logging;
using Tsavorite.core;

namespace WalletGrains.Silo.Storage;

/// <summary>
/// Runs Microsoft Garnet inside this process as a durable Redis-protocol store bound to loopback,
/// for the Orleans Redis clustering, grain storage and reminder providers.
/// </summary>
/// <remarks>
/// Durability: every write is appended to the AOF, which is committed in the background every millisecond. This
/// process's own connections hold each answer until the commit covers it (<see cref="UntilCommitted"/>, through
/// <see cref="StoreCommitWait"/>), so an acknowledged write survives a process kill. Garnet's own
/// <see cref="GarnetServerOptions.WaitForCommit"/> gives the same guarantee by blocking a thread-pool thread per waiting
/// session, which on two cores spent most of the CPU spinning; outside clients of the loopback port get no such wait and
/// ask for it with <c>COMMITAOF</c>. The AOF is written with O_DIRECT but
/// never fsync'd: it survives a process crash, not a power loss. On start the whole AOF is replayed.
/// No checkpoints are taken (see <see cref="CreateOptions"/>), so the AOF and the replay time grow
/// with the number of writes ever made.
/// <para>
/// Memory: the store holds all its data in memory, as a Redis server does, and never writes its log to disk (see
/// <see cref="CreateOptions"/>); the AOF is what makes it durable.
/// </para>
/// </remarks>
public sealed class EmbeddedGarnet : IDisposable
{
    private const string LoopbackHost = "127.0.0.1";

    // Small-footprint sizing (shared/notes/garnet-embedded.md); the typed defaults are a 16g log and a
    // 128m index and commit ~664 MiB. The AOF page must be at least twice the main-log page.
    private const string LogPageSize = "1m";
    private const string IndexMemorySize = "8m";
    private const string AofMemorySize = "16m";
    private const string AofPageSize = "4m";

    private const int MaxPortAttempts = 5;
    private static readonly TimeSpan ReadinessTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ShutdownCommitTimeout = TimeSpan.FromSeconds(10);
    private const int StoreTimeoutMs = 30_000;

    private readonly GarnetServer _server;
    private readonly ForwardingLoggerFactory _garnetLoggerFactory;
    private readonly ILogger _logger;
    private int _disposed;

    private EmbeddedGarnet(GarnetServer server, ForwardingLoggerFactory garnetLoggerFactory, int port, ILogger logger)
    {
        _server = server;
        _garnetLoggerFactory = garnetLoggerFactory;
        _logger = logger;
        Port = port;
        // The store runs in this process: an answer later than StackExchange.Redis' default 5 s can only mean this process
        // stalled (GC, a starved thread pool), and failing the call then turns a slow moment into failed requests and
        // interrupted imports. Wait as long as Orleans waits for a grain call (30 s); a closed socket still fails at once.
        ConnectionString = string.Create(CultureInfo.InvariantCulture, $"{LoopbackHost}:{port},abortConnect=false,syncTimeout={StoreTimeoutMs},asyncTimeout={StoreTimeoutMs}");
    }

    /// <summary>The loopback TCP port Garnet listens on.</summary>
    public int Port { get; }

    /// <summary>A StackExchange.Redis connection string for this store.</summary>
    public string ConnectionString { get; }

    /// <summary>Completes once everything appended to the AOF so far is committed to the device.</summary>
    public Task UntilCommitted() => _server.Store.WaitForCommitAsync(CancellationToken.None).AsTask();

    /// <summary>
    /// Starts Garnet on 127.0.0.1:<paramref name="port"/> (0 picks a free port) with its files under
    /// <paramref name="dataDirectory"/>, which is created if missing. Recovers any data already there and returns once
    /// the server answers PING.
    /// </summary>
    public static EmbeddedGarnet Start(string dataDirectory, int port, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        ArgumentNullException.ThrowIfNull(logger);

        var root = Path.GetFullPath(dataDirectory);
        var checkpointDirectory = Path.Combine(root, "checkpoints");
        Directory.CreateDirectory(checkpointDirectory);

        var stopwatch = Stopwatch.StartNew();
        var attempts = port == 0 ? MaxPortAttempts : 1;
        for (var attempt = 1; ; attempt++)
        {
            var chosenPort = port == 0 ? FindFreeLoopbackPort() : port;
            var garnetLoggerFactory = new ForwardingLoggerFactory(logger, LogLevel.Warning);
            GarnetServer? server = null;
            try
            {
                var options = CreateOptions(checkpointDirectory, chosenPort, garnetLoggerFactory);
                server = new GarnetServer(options, garnetLoggerFactory);
                server.Start();
                WaitUntilAcceptingConnections(chosenPort, ReadinessTimeout);

                logger.LogInformation(
                    "Embedded Garnet listening on {Host}:{Port} with data directory {DataDirectory} (ready in {ElapsedMs} ms)",
                    LoopbackHost, chosenPort, root, stopwatch.ElapsedMilliseconds);
                return new EmbeddedGarnet(server, garnetLoggerFactory, chosenPort, logger);
            }
            catch (Exception ex) when (attempt < attempts && IsAddressInUse(ex))
            {
                // Another process took the port we probed between the probe and Garnet's bind: try another.
                DisposeAfterFailedStart(server, logger);
            }
            catch
            {
                DisposeAfterFailedStart(server, logger);
                throw;
            }
        }
    }

    /// <summary>Commits the AOF and stops Garnet. Data files are kept.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            // With commit-wait every acknowledged write is already committed; this covers anything still in flight.
            var commit = _server.Store.CommitAOFAsync(CancellationToken.None).AsTask();
            if (!commit.Wait(ShutdownCommitTimeout))
            {
                _logger.LogWarning("Embedded Garnet: AOF commit did not finish within {Timeout} at shutdown", ShutdownCommitTimeout);
            }
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Embedded Garnet: AOF commit failed at shutdown");
        }
        finally
        {
            // Dispose() keeps the log and checkpoint directories (cleanupDir is false by default).
            _server.Dispose();
            _garnetLoggerFactory.Dispose();
        }
    }

    private static GarnetServerOptions CreateOptions(string checkpointDirectory, int port, ILoggerFactory loggerFactory)
    {
        var optionsLogger = loggerFactory.CreateLogger("Garnet.Options");
        return new GarnetServerOptions(optionsLogger)
        {
            EndPoints = [new IPEndPoint(IPAddress.Loopback, port)],
            QuietMode = true,

            // Explicit no-auth (loopback only); leaving it null fails with a NullReferenceException.
            AuthSettings = new NoAuthSettings(),

            // The Orleans Redis providers run Lua scripts; leaving LuaOptions null also fails.
            EnableLua = true,
            LuaOptions = new LuaOptions(optionsLogger),

            // Garnet runs the commands of scripts from different connections interleaved (measured: 40,000 increments
            // by script from 8 connections left 10,862); each command stays atomic. The grain storage therefore makes a
            // write's version exclusive with one command (RedisIndexedGrainStorage); Orleans' membership and reminder
            // scripts compare, then write, but here one silo is their only writer. Garnet's transaction mode
            // (LuaTransactionMode) would run scripts whole, but stalled this process for up to a minute under an import
            // and once crashed it (an IndexOutOfRangeException flushing the log to disk), even with every key declared.

            // Durability: the AOF is committed every millisecond (a group commit of whatever was appended meanwhile);
            // this process's connections wait for the commit asynchronously (UntilCommitted) instead of Garnet blocking
            // a thread per session until it is done. Committing on every append instead flooded the device with tiny
            // commits under bursts (an import), until appends stalled for seconds.
            EnableAOF = true,
            CommitFrequencyMs = 1,
            WaitForCommit = false,
            Recover = true,

            // Refuse to start rather than come up empty or partial when recovery fails.
            FailOnRecoveryError = true,

            // No scheduled checkpoints (0 = off, also the default). With Garnet 2.2.8, recovering a snapshot
            // checkpoint of hashes that had spilled to disk failed ("Unaligned end of page"), while replaying
            // the AOF alone recovered every acknowledged write, after clean stops and after kill -9.
            CheckpointFrequencySecs = 0,

            // All data in memory, as in a Redis server; the AOF (replayed at start) is what is durable. With tiered storage
            // (a log directory), Garnet writes each log page to disk once it falls into the log's read-only part, and
            // that write reads the page's records while other commands may change them: a command that updates a hash
            // whose record is on that page copies the record to the log's tail and rewrites the old one in place
            // (freeing its object), and the write, reading it meanwhile, found an object that was gone. Garnet then
            // stopped the whole process ("OnPagesMarkedReadOnlyWorker failed; allocator state is unrecoverable", an
            // IndexOutOfRangeException in ObjectAllocatorImpl.WriteAsync) at its first page write during a 50,000-row
            // import: in 3 of 6 benchmark runs, and in 1 of 12 once the log's memory was given as a page count
            // (docs/benchmarks.md, sessions 13 and 14). Without tiered storage the log's device is Garnet's null
            // device, whose page writes read nothing.
            EnableStorageTier = false,
            CheckpointDir = checkpointDirectory,

            // The default (native) device needs libaio/liburing and a newer glibc than Debian 12 has.
            DeviceType = DeviceType.RandomAccess,

            // Without tiered storage a page that leaves the log's memory is dropped with its records, so the log gets
            // room for more pages than this machine has memory for: the process runs out of memory before any page could
            // leave. Pages are taken as the log grows (one MiB each, LogPageSize), not at start.
            LogMemorySize = "",
            PageCount = InMemoryPageCount(),
            PageSize = LogPageSize,
            IndexMemorySize = IndexMemorySize,
            AofMemorySize = AofMemorySize,
            AofPageSize = AofPageSize,
        };
    }

    /// <summary>
    /// Log pages (of one MiB) for all of this machine's memory, or of the memory this process may use if it is
    /// limited (a container's limit): a power of two, at least 1,024.
    /// </summary>
    private static int InMemoryPageCount()
    {
        var mebibytes = Math.Max(1024, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024));
        return (int)Math.Min(1 << 30, BitOperations.RoundUpToPowerOf2((ulong)mebibytes));
    }

    private static void DisposeAfterFailedStart(GarnetServer? server, ILogger logger)
    {
        try
        {
            server?.Dispose();
        }
        catch (Exception ex)
        {
            // Keep the start failure as the exception the caller sees.
            logger.LogWarning(ex, "Embedded Garnet: cleanup after a failed start failed");
        }
    }

    // Garnet reports a failed bind as a GarnetException wrapping the SocketException.
    private static bool IsAddressInUse(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse })
            {
                return true;
            }
        }

        return false;
    }

    private static int FindFreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static void WaitUntilAcceptingConnections(int port, TimeSpan timeout)
    {
        var ping = "*1\r\n$4\r\nPING\r\n"u8.ToArray();
        var buffer = new byte[64];
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                client.ReceiveTimeout = 5000;
                client.SendTimeout = 5000;
                var stream = client.GetStream();
                stream.Write(ping);
                var read = stream.Read(buffer);
                if (read > 0 && Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is SocketException or IOException)
            {
                if (deadline.Elapsed >= timeout)
                {
                    throw new TimeoutException($"Embedded Garnet did not answer PING on {LoopbackHost}:{port} within {timeout}.", ex);
                }
            }

            if (deadline.Elapsed >= timeout)
            {
                throw new TimeoutException($"Embedded Garnet did not answer PING on {LoopbackHost}:{port} within {timeout}.");
            }

            Thread.Sleep(20);
        }
    }

    /// <summary>Hands Garnet's own log lines at or above a minimum level to the host's logger.</summary>
    private sealed class ForwardingLoggerFactory(ILogger target, LogLevel minimumLevel) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new ForwardingLogger(target, minimumLevel);

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }
    }

    private sealed class ForwardingLogger(ILogger target, LogLevel minimumLevel) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => target.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) =>
            logLevel != LogLevel.None && logLevel >= minimumLevel && target.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                target.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
