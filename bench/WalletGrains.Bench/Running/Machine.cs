namespace WalletGrains.Bench.Running;

/// <summary>What the results were measured on, read from /proc/cpuinfo, free and git.</summary>
internal sealed record Machine(string Cpu, int Cores, string Memory, string LoadAverage, string Commit, string Dotnet)
{
    public static Machine Describe(string repository)
    {
        var cpuInfo = File.ReadAllLines("/proc/cpuinfo");
        var model = cpuInfo.FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        var mhz = cpuInfo.FirstOrDefault(l => l.StartsWith("cpu MHz", StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
        var memory = Run("free", "-m", repository).Split('\n').FirstOrDefault(l => l.StartsWith("Mem:", StringComparison.Ordinal)) is { } mem
            ? string.Join(' ', mem.Split(' ', StringSplitOptions.RemoveEmptyEntries) is var f && f.Length >= 7
                ? [$"total {f[1]} MiB,", $"used {f[2]} MiB,", $"available {f[6]} MiB"] : f)
            : "unknown";
        var commit = Run("git", "rev-parse --short HEAD", repository).Trim();
        var dirty = Run("git", "status --porcelain --untracked-files=no", repository).Trim().Length > 0;
        return new Machine(
            mhz is null ? model : $"{model} @ {mhz} MHz",
            Environment.ProcessorCount,
            memory,
            LoadAverageNow(),
            dirty ? commit + " (with uncommitted changes)" : commit,
            Run("dotnet", "--version", repository).Trim());
    }

    /// <summary>The 1, 5 and 15 minute load averages: above the core count means other work competed for the CPU.</summary>
    public static string LoadAverageNow() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static string Run(string program, string arguments, string directory)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = directory,
            })!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "";
        }
    }
}
