namespace WalletGrains.Bench.Running;

/// <summary>
/// Samples the server's CPU during the rows named by <c>--profile</c> (Linux <c>perf record -g</c>, 499 Hz) and
/// summarises where the samples went: each sample is counted under the first part of the product or of its libraries
/// found from the top of its stack (the code that was running, or that called the kernel or runtime code that was), so
/// a kernel send under StackExchange.Redis counts as the store client's, and one under Kestrel as the gateway's.
/// </summary>
/// <remarks>
/// The server then runs with <c>DOTNET_PerfMapEnabled=1</c> (it writes the names of its compiled methods to
/// <c>/tmp/perf-PID.map</c>) and <c>DOTNET_EnableWriteXorExecute=0</c> (without it, compiled code runs from a second
/// mapping that perf cannot name). Both change the server slightly, so a profiled run's rates are not the run's figures.
/// </remarks>
internal sealed class Profiler(IReadOnlySet<string> rows, string logs)
{
    /// <summary>The rows that can be profiled: those whose load is the server's alone.</summary>
    public static readonly IReadOnlyList<string> Rows = ["import", "assign", "ceiling", "sticky"];

    private const string Perf = "perf";

    // In order: a sample counts under the first part whose pattern a frame matches, from the top of its stack down.
    private static readonly (string Part, string[] Names)[] Parts =
    [
        ("store: Lua scripts (Garnet's Lua runner and liblua)", ["liblua", "Garnet.server.Lua"]),
        ("store: Garnet (commands, log, network)", ["Garnet.", "Tsavorite."]),
        ("store client: StackExchange.Redis", ["StackExchange.Redis", "Pipelines.Sockets"]),
        ("grain storage and store connection (WalletGrains.Silo)", ["WalletGrains.Silo."]),
        ("Orleans serialization, copying, invocation and generated proxies", ["Orleans.Serialization", "OrleansCodeGen", "Orleans.Runtime.Messaging.MessageSerializer"]),
        ("grains (WalletGrains.Grains)", ["WalletGrains.Grains."]),
        ("gateway: WalletGrains.Gateway, ASP.NET Core, Kestrel, System.Text.Json", ["WalletGrains.Gateway.", "Microsoft.AspNetCore.", "System.Text.Json"]),
        ("Orleans runtime (messaging, scheduling, activations, directory)", ["Orleans.", "Polly."]),
        ("sockets (.NET's socket engine, no caller above it named)", ["System.Net.Sockets"]),
    ];

    public static Profiler None { get; } = new(new HashSet<string>(), "");

    /// <summary>The variables the server needs for its compiled methods to be named in a profile; none without one.</summary>
    public IReadOnlyDictionary<string, string> ServerEnvironment => rows.Count == 0
        ? new Dictionary<string, string>()
        : new Dictionary<string, string> { ["DOTNET_PerfMapEnabled"] = "1", ["DOTNET_EnableWriteXorExecute"] = "0" };

    /// <summary>Runs <paramref name="body"/>; when <paramref name="row"/> is profiled, samples process <paramref name="pid"/> meanwhile.</summary>
    public async Task<T> Around<T>(string row, int pid, Func<Task<T>> body)
    {
        if (!rows.Contains(row))
        {
            return await body();
        }

        var data = Path.Combine(logs, row + ".perf.data");
        var perf = ChildProcess.Start("perf-" + row, Perf, ["record", "-F", "499", "-g", "-p", pid.ToString(CultureInfo.InvariantCulture), "-o", data], logs);
        await using (perf)
        {
            T result;
            try
            {
                result = await body();
            }
            finally
            {
                // perf writes its file when interrupted.
                perf.Signal("INT");
                await perf.WaitForExit(TimeSpan.FromMinutes(1));
            }

            var summary = await Summarize(data, Path.Combine(logs, row + ".stacks.txt"));
            var text = Path.Combine(logs, row + ".profile.txt");
            await File.WriteAllTextAsync(text, summary);
            Console.WriteLine($"profile of {row} ({text}):{Environment.NewLine}{summary}");
            return result;
        }
    }

    /// <summary>Deletes the method names the profiled server wrote for perf (nothing when no row was profiled).</summary>
    public void Forget(int pid)
    {
        if (rows.Count == 0)
        {
            return;
        }

        foreach (var map in (string[])[$"/tmp/perf-{pid}.map", $"/tmp/perfinfo-{pid}.map"])
        {
            File.Delete(map);
        }
    }

    /// <summary>
    /// Reads the samples with <c>perf script</c> and counts them by part (see <see cref="Parts"/>); writes every stack with
    /// its count to <paramref name="stacks"/> (the "folded" format flame-graph tools read: frames from the thread's
    /// start to the top, separated by semicolons), since the method names cannot be read from the samples once the server
    /// is gone.
    /// </summary>
    private static async Task<string> Summarize(string data, string stacks)
    {
        var script = new ProcessStartInfo(Perf) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["script", "-F", "comm,ip,sym,dso", "-i", data])
        {
            script.ArgumentList.Add(argument);
        }

        using var process = Process.Start(script) ?? throw new InvalidOperationException("Could not run perf script.");
        var errors = process.StandardError.ReadToEndAsync();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var folded = new Dictionary<string, int>(StringComparer.Ordinal);
        var total = 0;
        string? thread = null;
        var frames = new List<string>();
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
            {
                if (thread is not null)
                {
                    var part = PartOf(thread, frames);
                    counts[part] = counts.GetValueOrDefault(part) + 1;
                    var stack = string.Join(';', frames.Select(Symbol).Reverse().Prepend(thread));
                    folded[stack] = folded.GetValueOrDefault(stack) + 1;
                    total++;
                }

                (thread, frames) = (null, []);
            }
            else if (char.IsWhiteSpace(line[0]))
            {
                frames.Add(line);
            }
            else
            {
                thread = line.Trim();
            }
        }

        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"perf script failed: {await errors}");
        }

        await File.WriteAllLinesAsync(stacks, folded.OrderByDescending(s => s.Value).Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} {s.Value}")));

        var lines = counts.OrderByDescending(c => c.Value)
            .Select(c => string.Create(CultureInfo.InvariantCulture, $"  {100.0 * c.Value / Math.Max(1, total),5:0.0} %  {c.Key}"));
        return string.Create(CultureInfo.InvariantCulture, $"  {total:N0} samples of the server's threads{Environment.NewLine}")
            + string.Join(Environment.NewLine, lines) + Environment.NewLine;
    }

    // A frame is "<address> <symbol> (<binary>)"; the symbol may hold spaces and parentheses.
    private static string Symbol(string frame)
    {
        var text = frame.Trim();
        var start = text.IndexOf(' ', StringComparison.Ordinal) + 1;
        var end = text.LastIndexOf(" (", StringComparison.Ordinal);
        return (end > start ? text[start..end] : text[start..]).Replace(';', ',');
    }

    private static string PartOf(string thread, List<string> frames)
    {
        if (thread.Contains("GC", StringComparison.Ordinal))
        {
            return "garbage collection (the GC's own threads)";
        }

        foreach (var frame in frames)
        {
            foreach (var (part, names) in Parts)
            {
                if (names.Any(n => frame.Contains(n, StringComparison.Ordinal)))
                {
                    return part;
                }
            }
        }

        return frames.All(f => f.Contains("[kernel", StringComparison.Ordinal))
            ? "kernel only (interrupts, network receive, scheduling)"
            : "other (runtime and native code with no managed caller named)";
    }
}
