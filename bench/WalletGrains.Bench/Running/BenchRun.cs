using System.Net.Sockets;
using System.Security.Cryptography;
using WalletGrains.Bench.InSilo;

namespace WalletGrains.Bench.Running;

/// <summary>
/// One run of the whole benchmark: starts the server (embedded default, rate limits opened up), seeds it, drives every HTTP
/// row with wrk, runs the peer gateway on the same store, runs the in-silo rows as child processes, and writes the results.
/// </summary>
internal sealed class BenchRun(BenchSettings settings, string repository, string command)
{
    private const string Release = "Release";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private readonly string _logs = Path.Combine(repository, "bench", "results", "logs");
    private string _work = "";
    private Wrk _wrk = null!;
    private Report _report = null!;
    private bool _failed;
    private Profiler _profiler = Profiler.None;

    private string ServerDll => Path.Combine(repository, "src", "WalletGrains.Server", "bin", Release, "net10.0", "WalletGrains.Server.dll");

    private string PeerDll => Path.Combine(repository, "bench", "PeerGateway", "bin", Release, "net10.0", "PeerGateway.dll");

    private static string BenchDll => typeof(BenchRun).Assembly.Location;

    public async Task<int> Run()
    {
        if (Directory.Exists(_logs))
        {
            Directory.Delete(_logs, recursive: true);
        }

        Directory.CreateDirectory(_logs);
        _work = Directory.CreateTempSubdirectory("walletgrains-bench-").FullName;
        _wrk = new Wrk(Path.Combine(repository, "bench", "wrk", "load.lua"), _logs, settings.WrkThreads, settings.Connections);
        var machine = Machine.Describe(repository);
        _report = new Report(settings, machine, command);
        _profiler = new Profiler(settings.Profile, _logs);
        Console.WriteLine($"WalletGrains benchmark, {settings.Mode} run, commit {machine.Commit}; logs in {_logs}");
        try
        {
            // The quick run only proves the suite works: its expiry row (a minute at least) runs alongside the others.
            var quickExpiry = settings.IsQuick && settings.Runs("expiry") ? ExpiryChild() : null;
            if (settings.Runs("server"))
            {
                await Guarded("server", "Rows on the server", ServerRows);
            }

            if (settings.Runs("memory"))
            {
                await Guarded("memory", "Memory per resident contact", MemoryRows);
            }

            if (settings.Runs("expiry"))
            {
                await Guarded("expiry-active", "Expiry lag", async () => ExpiryRows(await (quickExpiry ?? ExpiryChild())));
            }

            Notes();
        }
        finally
        {
            var (json, markdown) = _report.Write(Path.Combine(repository, "bench", "results"));
            Console.WriteLine($"Results: {json} and {markdown}");
            TryDelete(_work);
        }

        return _failed ? 1 : 0;
    }

    /// <summary>Runs rows; when they break, records a failed row and goes on with the others (the run then exits non-zero).</summary>
    private async Task Guarded(string id, string title, Func<Task> rows)
    {
        try
        {
            await rows();
        }
#pragma warning disable CA1031 // Any failure of a row is reported in the results, and the other rows still run.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _failed = true;
            Console.Error.WriteLine($"{title} failed: {e}");
            _report.Add(new Row(id, title, "—", "failed: " + e.Message.Split('\n')[0], false, e.GetType().Name + ": " + e.Message, null));
        }
    }

    private async Task ServerRows()
    {
        var operatorToken = "op_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var storePort = ChildProcess.FreePort();
        var address = new Uri($"http://127.0.0.1:{ChildProcess.FreePort()}");
        await using var server = ChildProcess.Start("server", "dotnet",
        [
            ServerDll, $"--Urls={address}", $"--Store:DataDirectory={Path.Combine(_work, "server-data")}", $"--Store:EmbeddedPort={storePort}",
            $"--Cluster:SiloPort={ChildProcess.FreePort()}", "--Gateway:RateLimitPerSecond=1000000000", $"--Auth:OperatorToken={operatorToken}",
        ], _logs, Path.GetDirectoryName(ServerDll), environment: _profiler.ServerEnvironment);
        try
        {
            await ServerRowsOn(server, address, operatorToken, storePort);
        }
        catch (Exception e) when (server.HasExited)
        {
            // Say that the server stopped (and how), rather than only what the request that found it gone saw.
            throw new InvalidOperationException(
                $"The server stopped with exit code {server.ExitCode} (its log: {Path.Combine(_logs, "server.log")}); the request that found it gone: {e.Message}", e);
        }
        finally
        {
            _profiler.Forget(server.Id);
        }
    }

    private async Task ServerRowsOn(ChildProcess server, Uri address, string operatorToken, int storePort)
    {
        var api = Api.For(address);
        await api.WaitUntilReady(StartTimeout, () => server.HasExited);
        int[] ours = [server.Id];

        var tenant = await HttpTenant.Create(api, operatorToken, settings.Agents);

        // Import, assign and sticky rows share the same contacts: imported without an owner, each routed once (binding an
        // owner), then routed at random (sticky).
        var csv = ImportCsv.Write(_work, settings.Contacts, tenant.WalletName);
        var import = await _profiler.Around("import", server.Id, () => new CsvImport(api).Import(csv, tenant, ours));
        _report.Add(ImportRow(import));

        var contacts = import.ContactIds;
        var assign = await AssignOnce("assign", address, tenant.AdminToken, contacts, ours);

        // The ceiling is measured on the warmed-up server, right before the sticky row it is the reference of.
        var ceiling = await Measure("ceiling", address, null, "ping", Pick.Random, null, "pong", ours);
        var live = await Measure("health-live", address, null, "live", Pick.Random, null, "Healthy", ours);
        _report.Add(LoadRow("ceiling", "HTTP ceiling: GET /ping (same gateway process and pipeline, no token)", "reference", ceiling, null,
            string.Create(CultureInfo.InvariantCulture,
                $"for comparison, GET /health/live (same pipeline, but excluded from tracing) served {live.Wrk.OkPerSecond:N0}/s, p99 {Ms(live.Wrk.LatencyUs.P99)}")));
        var sticky = await Measure("sticky", address, tenant.AdminToken, "route", Pick.Random, IdsFile("sticky", contacts), RouteDecision.StickyOwner, ours);

        _report.Add(LoadRow("sticky", $"Sticky route of owned contacts ({contacts.Count:N0}, random), {settings.Connections} connections",
            "≥ 0.7 × ceiling, p99 ≤ 5 ms", sticky, ceiling,
            $"ratio to the ceiling; every answer checked for reason {RouteDecision.StickyOwner}",
            met: sticky.Wrk.OkPerSecond >= 0.7 * ceiling.Wrk.OkPerSecond && sticky.Wrk.LatencyUs.P99 <= 5_000));
        await Guarded("store", "Store and in-silo rows", async () =>
        {
            var store = await StoreRowsChild(storePort);
            _report.Add(AssignRow(assign, store));
            _report.Add(StoreRow(store));
            _report.Add(InSiloRow(store));
        });

        await Guarded("peer-sticky", "Peer gateway rows", async () =>
        {
            if (!settings.Runs("peer"))
            {
                return;
            }

            var (peerAssign, peerSticky) = await PeerRows(storePort, server.Id, contacts.Count);
            _report.Add(PeerRow("peer-sticky", "Sticky route vs the peer (Redis Lua per route)", "ours ≥ 1.5 × peer", sticky, peerSticky, 1.5));
            _report.Add(PeerRow("peer-assign", "Auto-assign route vs the peer (Redis Lua per route)", "ours ≥ 1.0 × peer", assign, peerAssign, 1.0));
        });

        if (settings.Runs("shutdown"))
        {
            await Guarded("shutdown", "Graceful shutdown", async () => _report.Add(await ShutdownRow(server, address, tenant.AdminToken, contacts.Count)));
        }
    }

    /// <summary>A warm-up run (not counted), then the measured run of the same shape.</summary>
    private async Task<Load> Measure(string name, Uri address, string? token, string shape, Pick pick, string? ids, string expected, int[] servers)
    {
        await _wrk.Run(name + "-warmup", address, token, shape, pick, ids, expected, settings.Warmup, servers);
        return await _profiler.Around(name, servers[0], () => _wrk.Run(name, address, token, shape, pick, ids, expected, settings.Duration, servers));
    }

    /// <summary>
    /// Routes contacts that have no owner, each once: the first tenth warms up, the rest is measured within the time bound,
    /// and whatever the bound left unrouted is routed afterwards (not measured), so that every contact has an owner.
    /// </summary>
    private async Task<Load> AssignOnce(string name, Uri address, string token, IReadOnlyList<Guid> contacts, int[] servers)
    {
        var warm = Math.Max(settings.Connections, contacts.Count / 10);
        await _wrk.Run(name + "-warmup", address, token, "route", Pick.Once, IdsFile(name + "-warmup", contacts.Take(warm)), RouteDecision.AutoAssigned, settings.Warmup, servers);
        var measured = await _profiler.Around(name, servers[0], () =>
            _wrk.Run(name, address, token, "route", Pick.Once, IdsFile(name, contacts.Skip(warm)), RouteDecision.AutoAssigned, settings.Duration, servers));
        await _wrk.Run(name + "-rest", address, token, "route", Pick.Once, IdsFile(name + "-rest", contacts), "\"reason\"", TimeSpan.FromMinutes(10), servers);
        return measured;
    }

    private async Task<StoreRowsResult> StoreRowsChild(int storePort)
    {
        Console.WriteLine("store and in-silo rows (a silo in a child process, on the server's store)");
        return await Child<StoreRowsResult>("store-rows", TimeSpan.FromMinutes(10),
            "--store", $"127.0.0.1:{storePort}", "--contacts", Text(settings.InSiloContacts),
            "--warmup", Arguments.ToText(settings.Warmup), "--duration", Arguments.ToText(settings.InSiloDuration));
    }

    private async Task<(Load Assign, Load Sticky)> PeerRows(int storePort, int serverId, int count)
    {
        Console.WriteLine("peer gateway (one Redis Lua script per route, on the server's embedded Garnet)");
        var token = "peer_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var address = new Uri($"http://127.0.0.1:{ChildProcess.FreePort()}");
        await using var peer = ChildProcess.Start("peer", "dotnet",
            [PeerDll, $"--Urls={address}", $"--Peer:Store=127.0.0.1:{storePort}", $"--Peer:Token={token}", $"--Peer:Users={settings.Agents}"],
            _logs, Path.GetDirectoryName(PeerDll));
        await Api.For(address).WaitUntilReady(StartTimeout, () => peer.HasExited, "/ping");

        // The peer's store is the server's process: both count as the peer's server side.
        int[] servers = [peer.Id, serverId];
        var contacts = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToList();
        var assign = await AssignOnce("peer-assign", address, token, contacts, servers);
        var sticky = await Measure("peer-sticky", address, token, "route", Pick.Random, IdsFile("peer-sticky", contacts), RouteDecision.StickyOwner, servers);
        peer.Terminate();
        await peer.WaitForExit(TimeSpan.FromMinutes(1));
        return (assign, sticky);
    }

    /// <summary>Activates contact grains up to the resident target, then SIGTERM: the time until the process has exited.</summary>
    private async Task<Row> ShutdownRow(ChildProcess server, Uri address, string token, int owned)
    {
        var unknown = Math.Max(0, settings.ResidentForShutdown - owned);
        if (unknown > 0)
        {
            // Reads of contact ids that were never created: each answers 404 and leaves an activation (with empty state) resident.
            await _wrk.Run("shutdown-activate", address, token, "get", Pick.Once,
                IdsFile("shutdown-activate", Enumerable.Range(0, unknown).Select(_ => Guid.NewGuid())), "contact.not_found", TimeSpan.FromMinutes(10), [server.Id]);
        }

        var resident = CpuMeter.ResidentBytes(server.Id);
        var clock = Stopwatch.StartNew();
        server.Terminate();
        var exit = await server.WaitForExit(TimeSpan.FromMinutes(5));
        var seconds = clock.Elapsed.TotalSeconds;
        var figures = new { ownedContacts = owned, unknownContactActivations = unknown, residentBytesBeforeSigterm = resident, exitCode = exit, seconds };
        return new Row("shutdown", $"Graceful shutdown: SIGTERM → exit with {owned + unknown:N0} resident contact activations", "figure for issue #4",
            string.Create(CultureInfo.InvariantCulture, $"{seconds:0.0} s (exit code {exit})"), null,
            string.Create(CultureInfo.InvariantCulture,
                $"{owned:N0} contacts with an owner (the rows above) plus {unknown:N0} activations of contact ids never created (a read each, 404); process RSS {resident / 1048576.0:N0} MiB before SIGTERM."),
            Report.Figures(figures));
    }

    private async Task MemoryRows()
    {
        Console.WriteLine("memory row (a silo in a child process, on redis-server)");
        var directory = Directory.CreateDirectory(Path.Combine(_work, "redis")).FullName;
        var port = ChildProcess.FreePort();
        await using var redis = ChildProcess.Start("redis", "redis-server",
            ["--bind", "127.0.0.1", "--port", Text(port), "--dir", directory, "--save", "", "--appendonly", "no", "--daemonize", "no"], _logs);
        await WaitForPort(port, () => redis.HasExited);
        var memory = await Child<MemoryResult>("memory", TimeSpan.FromMinutes(30), "--store", $"127.0.0.1:{port}", "--contacts", Text(settings.MemoryContacts));
        _report.Add(MemoryRow(memory));
    }

    private Task<ExpiryResult> ExpiryChild()
    {
        Console.WriteLine("expiry row (a silo in a child process, on its own embedded Garnet)");
        return Child<ExpiryResult>("expiry", TimeSpan.FromMinutes(15),
            "--data", Path.Combine(_work, "expiry-data"), "--contacts", Text(settings.ExpiryContacts), "--sweep", Arguments.ToText(settings.SweepPeriod));
    }

    private void ExpiryRows(ExpiryResult expiry)
    {
        var common = string.Create(CultureInfo.InvariantCulture,
            $"{expiry.Contacts:N0} contacts bound with time limit {expiry.TimeLimit} in {expiry.BindSeconds:0.0} s, deadlines within {expiry.DeadlineSpreadSeconds:0.0} s of the minute {expiry.DeadlineMinute:HH:mm} UTC; " +
            $"sweep period {expiry.SweepPeriod}; ");
        _report.Add(new Row("expiry-active", "Expiry lag, active contacts", "≤ 1 s late", Lateness(expiry.Active),
            expiry.Active.Expired == expiry.Active.Contacts && expiry.Active.Max <= 1,
            common + $"{expiry.ActiveAtDeadline:N0} contacts were active at their deadline (grain timer).", Report.Figures(expiry)));
        _report.Add(new Row("expiry-deactivated", "Expiry lag, deactivated contacts", "≤ 2 min late", Lateness(expiry.Deactivated),
            expiry.Deactivated.Expired == expiry.Deactivated.Contacts && expiry.Deactivated.Max <= 120,
            common + string.Create(CultureInfo.InvariantCulture,
                $"half deactivated through the management grain in {expiry.DeactivateSeconds:0.0} s; they expire through the sharded expiry buckets."),
            null));
    }

    private void Notes()
    {
        _report.Note("Each HTTP row is a wrk run (Debian's wrk, bench/wrk/load.lua) after a warm-up run that is not counted; every answer's body is checked (route reason, \"pong\"), and rates count checked answers only.");
        _report.Note("CPU per row: \"server\" is the measured server side (the WalletGrains process with its embedded Garnet; for the peer rows the peer process plus that Garnet), \"client\" is wrk (or the seeding client), \"other\" is everything else on the machine, other engineers' work included.");
        _report.Note("The server runs the embedded default (silo, gateway and Garnet in one process; the AOF is committed every millisecond and every answer to the silo waits for the commit), Release build, server GC without dynamic adaptation (as the server project sets it; the peer too), with --Gateway:RateLimitPerSecond=1000000000 so the per-user limit does not cap the load.");
        _report.Note("The peer gateway (bench/PeerGateway) uses the server's own embedded Garnet, exposed on loopback with --Store:EmbeddedPort, so both designs write to the same store with the same durability: the peer answers a bind after Garnet's COMMITAOF, as the server's silo answers after the commit.");
        if (settings.IsQuick)
        {
            _report.Note("Quick run: small sizes and 2-second loads, with the expiry row running alongside the others. It proves the suite works; its figures are not comparable with a full run.");
        }
    }

    private async Task<T> Child<T>(string mode, TimeSpan timeout, params string[] arguments)
    {
        await using var child = ChildProcess.Start("bench-" + mode, "dotnet", [BenchDll, mode, .. arguments], _logs);
        var exit = await child.WaitForExit(timeout);
        return exit == 0 && child.Results.Count > 0
            ? BenchJson.Read<T>(child.Results[^1])
            : throw new InvalidOperationException($"The {mode} child process exited with {exit}. Its output:\n{child.Tail}");
    }

    private string IdsFile(string name, IEnumerable<Guid> ids)
    {
        var path = Path.Combine(_work, name + ".ids");
        File.WriteAllLines(path, ids.Select(id => id.ToString()));
        return path;
    }

    private static Row LoadRow(string id, string title, string target, Load load, Load? reference, string note, bool? met = null)
    {
        var wrk = load.Wrk;
        var ratio = reference is null ? "" : string.Create(CultureInfo.InvariantCulture, $" = {wrk.OkPerSecond / reference.Wrk.OkPerSecond:0.00} ×");
        var measured = string.Create(CultureInfo.InvariantCulture,
            $"{wrk.OkPerSecond:N0}/s{ratio}; p50 {Ms(wrk.LatencyUs.P50)}, p99 {Ms(wrk.LatencyUs.P99)}, p99.9 {Ms(wrk.LatencyUs.P999)}");
        return new Row(id, title, target, measured, met, Describe(load) + (note.Length > 0 ? "; " + note : ""), Report.Figures(load));
    }

    private static string Describe(Load load) => string.Create(CultureInfo.InvariantCulture,
        $"{load.Wrk.Ok:N0} checked answers in {load.Wrk.Seconds:0.0} s ({load.Wrk.Bad:N0} unexpected, {load.Wrk.Errors.Total:N0} socket errors or non-2xx), " +
        $"max {Ms(load.Wrk.LatencyUs.Max)}; CPU {load.Cpu}");

    private static Row ImportRow(ImportOutcome import) => new(
        "import", $"Import a {import.Rows:N0}-row CSV into the durable store (POST /api/v1/imports)", "≥ 10,000 rows/s",
        string.Create(CultureInfo.InvariantCulture, $"{import.RowsPerSecond:N0} rows/s ({import.Elapsed.TotalSeconds:0.0} s)"),
        import.RowsPerSecond >= 10_000,
        $"{import.Method}. {import.Breakdown}; CPU {import.Cpu} (client = this seeding process)",
        Report.Figures(new { import.Rows, seconds = import.Elapsed.TotalSeconds, import.RowsPerSecond, import.Method, import.Breakdown, import.Cpu }));

    private static Row AssignRow(Load assign, StoreRowsResult store)
    {
        var writes = store.GrainWrites.PerSecond;
        var row = LoadRow("assign", "Auto-assign route (binds a new owner), each contact once", "≥ 0.5 × persisted grain writes", assign, null,
            string.Create(CultureInfo.InvariantCulture,
                $"ratio to {writes:N0} persisted grain writes/s of the same store ({store.GrainWrites.InFlight} in flight, see the store row); every answer checked for reason {RouteDecision.AutoAssigned}"),
            assign.Wrk.OkPerSecond >= 0.5 * writes);
        return row with
        {
            Measured = string.Create(CultureInfo.InvariantCulture, $"{assign.Wrk.OkPerSecond:N0}/s = {assign.Wrk.OkPerSecond / writes:0.00} × {writes:N0} writes/s; ") +
                row.Measured[(row.Measured.IndexOf(';', StringComparison.Ordinal) + 2)..],
        };
    }

    private static Row StoreRow(StoreRowsResult store) => new(
        "store", "Store: persisted grain writes and raw SET (the server's embedded Garnet)", "reference",
        string.Create(CultureInfo.InvariantCulture,
            $"{store.GrainWrites.PerSecond:N0} grain writes/s; {store.RawSets.PerSecond:N0} SET/s"),
        null,
        string.Create(CultureInfo.InvariantCulture,
            $"grain-state writes of a {ProbeState.PayloadBytes}-byte state through the product's Redis grain storage (AddWalletGrainsSilo, same serializer and connections) on 10,000 grains, each answered once the store committed it (a COMMITAOF, coalesced: one in flight at a time): " +
            $"{store.GrainWrites64.PerSecond:N0}/s at 64 in flight, {store.GrainWrites256.PerSecond:N0}/s at 256; SET of {ProbeState.PayloadBytes} bytes over one StackExchange.Redis connection, {store.RawSets.InFlight} in flight, answered before the commit (for context). " +
            $"The silo runs in a child process with a cluster id of its own; the store runs in the server process."),
        Report.Figures(store));

    private static Row InSiloRow(StoreRowsResult store) => new(
        "in-silo", "In-silo: route decisions through the Orleans client, no HTTP", "reference",
        string.Create(CultureInfo.InvariantCulture,
            $"{store.Routes.PerSecond:N0} routes/s = {store.Routes.PerSecond / store.Pings.PerSecond:0.00} × {store.Pings.PerSecond:N0} pings/s"),
        null,
        string.Create(CultureInfo.InvariantCulture,
            $"sticky routes ({RouteDecision.StickyOwner}) of {store.Contacts:N0} owned contacts at random, and IHealthGrain.Ping (a stateless worker), {store.Routes.InFlight} calls in flight, " +
            $"in a silo of the benchmark's own process on the server's store."),
        null);

    private static Row PeerRow(string id, string title, string target, Load ours, Load peer, double factor)
    {
        var ratio = ours.Wrk.OkPerSecond / peer.Wrk.OkPerSecond;
        return new Row(id, title, target,
            string.Create(CultureInfo.InvariantCulture,
                $"{ratio:0.00} × ({ours.Wrk.OkPerSecond:N0}/s vs {peer.Wrk.OkPerSecond:N0}/s; peer p99 {Ms(peer.Wrk.LatencyUs.P99)})"),
            ratio >= factor, "peer: " + Describe(peer), Report.Figures(peer));
    }

    private static Row MemoryRow(MemoryResult memory)
    {
        static string Types(MemorySnapshot s) => string.Join(", ", s.Activations.OrderByDescending(a => a.Value).Take(6).Select(a => $"{a.Key} {a.Value:N0}"));
        return new Row("memory", $"Memory per resident contact with one membership ({memory.Contacts:N0} contacts)", "≤ 2 KiB",
            string.Create(CultureInfo.InvariantCulture,
                $"{memory.HeapPerContact:N0} B/contact (heap); {memory.HeapPerContactAfterSeed:N0} B right after seeding"),
            memory.HeapPerContact <= 2048,
            string.Create(CultureInfo.InvariantCulture,
                $"managed heap after forced full GCs, minus the heap before (a silo with the product's grains in the benchmark's own process, the store in redis-server); each contact created and included with an owner in a Single wallet (P6M) by grain calls in {memory.SeedSeconds:0.0} s. " +
                $"Right after seeding the heap also holds each contact's phone-claim grain and the wallet's member-list shards (activations: {Types(memory.AfterSeed)}); " +
                $"the headline figure is after every contact was read again and the grains idle since seeding were collected (activations: {Types(memory.ContactsOnly)}), per seeded contact then resident ({memory.ResidentContacts:N0}). " +
                $"Process RSS grew {memory.ResidentPerContactAfterSeed:N0} B/contact by the end of seeding."),
            Report.Figures(memory));
    }

    private static string Lateness(Lateness late) => late.Expired == 0
        ? $"none of {late.Contacts:N0} expired in time"
        : string.Create(CultureInfo.InvariantCulture,
            $"p50 {late.P50:0.000} s, p99 {late.P99:0.000} s, max {late.Max:0.000} s ({late.Expired:N0}/{late.Contacts:N0} expired)");

    private static string Ms(long microseconds) => string.Create(CultureInfo.InvariantCulture, $"{microseconds / 1000.0:0.00} ms");

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static async Task WaitForPort(int port, Func<bool> exited)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout && !exited())
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"Nothing listens on port {port}.");
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
    }
}
