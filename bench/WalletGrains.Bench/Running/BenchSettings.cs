namespace WalletGrains.Bench.Running;

/// <summary>Sizes and durations of one run: the full run the issue asks for, or the quick one CI runs to prove the suite works.</summary>
internal sealed record BenchSettings(
    string Mode,
    int Contacts,
    TimeSpan Warmup,
    TimeSpan Duration,
    int Connections,
    int WrkThreads,
    int Agents,
    int InSiloContacts,
    TimeSpan InSiloDuration,
    int MemoryContacts,
    int ExpiryContacts,
    TimeSpan SweepPeriod,
    int ResidentForShutdown)
{
    /// <summary>The groups of rows a run can be limited to with <c>--rows</c> (a comma-separated list); all by default.</summary>
    public static readonly IReadOnlyList<string> RowGroups = ["server", "peer", "shutdown", "memory", "expiry"];

    public bool IsQuick => Mode == "quick";

    public IReadOnlySet<string> Rows { get; init; } = RowGroups.ToHashSet();

    public bool Runs(string group) => Rows.Contains(group);

    /// <summary>The rows whose server CPU is sampled (<c>--profile</c>, see <see cref="Profiler"/>); none by default.</summary>
    public IReadOnlySet<string> Profile { get; init; } = new HashSet<string>();

    /// <summary>These settings with the sizes given on the command line (<c>--contacts</c>, <c>--memory-contacts</c>, <c>--expiry-contacts</c>, <c>--resident</c>).</summary>
    public BenchSettings With(Arguments options) => this with
    {
        Contacts = options.Number("contacts", Contacts),
        MemoryContacts = options.Number("memory-contacts", MemoryContacts),
        ExpiryContacts = options.Number("expiry-contacts", ExpiryContacts),
        ResidentForShutdown = options.Number("resident", ResidentForShutdown),
        Rows = options.Has("rows") ? ParseList("rows", options.Text("rows"), RowGroups) : Rows,
        Profile = options.Has("profile") ? ParseList("profile", options.Text("profile"), Profiler.Rows) : Profile,
    };

    private static HashSet<string> ParseList(string option, string list, IReadOnlyList<string> known)
    {
        var items = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var unknown = items.Except(known).ToList();
        return unknown.Count == 0
            ? items
            : throw new ArgumentException($"--{option}: unknown {string.Join(", ", unknown)}; choose among {string.Join(", ", known)}.");
    }

    public static BenchSettings Full { get; } = new(
        "full", Contacts: 100_000, Warmup: TimeSpan.FromSeconds(5), Duration: TimeSpan.FromSeconds(15), Connections: 64, WrkThreads: 2,
        Agents: 64, InSiloContacts: 20_000, InSiloDuration: TimeSpan.FromSeconds(5), MemoryContacts: 1_000_000, ExpiryContacts: 100_000,
        SweepPeriod: TimeSpan.FromMinutes(1), ResidentForShutdown: 500_000);

    public static BenchSettings Quick { get; } = new(
        "quick", Contacts: 500, Warmup: TimeSpan.FromSeconds(1), Duration: TimeSpan.FromSeconds(2), Connections: 64, WrkThreads: 2,
        Agents: 8, InSiloContacts: 500, InSiloDuration: TimeSpan.FromSeconds(1), MemoryContacts: 2_000, ExpiryContacts: 500,
        SweepPeriod: TimeSpan.FromSeconds(10), ResidentForShutdown: 2_000);
}
