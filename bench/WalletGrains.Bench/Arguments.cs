namespace WalletGrains.Bench;

/// <summary>The <c>--name value</c> options the runner passes to its child processes.</summary>
internal sealed class Arguments(IReadOnlyDictionary<string, string> values)
{
    public static Arguments Parse(IEnumerable<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string? name = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                name = arg[2..];
                values[name] = "";
            }
            else if (name is not null)
            {
                values[name] = arg;
                name = null;
            }
        }

        return new Arguments(values);
    }

    public string Text(string name) => values.TryGetValue(name, out var value) && value.Length > 0
        ? value
        : throw new ArgumentException($"--{name} is required.");

    public bool Has(string name) => values.ContainsKey(name);

    public int Number(string name) => int.Parse(Text(name), CultureInfo.InvariantCulture);

    public int Number(string name, int otherwise) => values.ContainsKey(name) ? Number(name) : otherwise;

    public TimeSpan Time(string name) => TimeSpan.Parse(Text(name), CultureInfo.InvariantCulture);

    public static string ToText(TimeSpan time) => time.ToString("c", CultureInfo.InvariantCulture);

    /// <summary>The repository root: the folder above this build output that holds WalletGrains.sln.</summary>
    public static string Repository()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "WalletGrains.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("WalletGrains.sln not found above the benchmark's build output.");
    }
}
