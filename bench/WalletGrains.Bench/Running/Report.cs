using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WalletGrains.Bench.Running;

/// <summary>One row of the results: what the issue targets, what was measured, and the figures behind it.</summary>
internal sealed record Row(string Id, string Title, string Target, string Measured, bool? Met, string Details, JsonNode? Figures);

/// <summary>The results of one run, written as <c>latest.json</c> and a Markdown table, <c>latest.md</c>.</summary>
internal sealed class Report(BenchSettings settings, Machine machine, string command)
{
    private static readonly JsonSerializerOptions Json = new(BenchJson.Options) { WriteIndented = true };

    // The table follows the order, whatever order the rows were measured in.
    private static readonly string[] Order =
        ["ceiling", "sticky", "assign", "store", "in-silo", "memory", "expiry-active", "expiry-deactivated", "import", "peer-sticky", "peer-assign", "shutdown"];

    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
    private readonly List<Row> _rows = [];
    private readonly List<string> _notes = [];

    public IReadOnlyList<Row> Rows => [.. _rows.OrderBy(r => Array.IndexOf(Order, r.Id) is var i && i < 0 ? Order.Length : i)];

    public void Add(Row row)
    {
        _rows.Add(row);
        Console.WriteLine($"== {row.Title}: {row.Measured} (target {row.Target}){(row.Met is { } met ? met ? " MET" : " NOT MET" : "")}");
    }

    public void Note(string note) => _notes.Add(note);

    public static JsonNode? Figures<T>(T value) => JsonSerializer.SerializeToNode(value, Json);

    public (string Json, string Markdown) Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var finished = DateTimeOffset.UtcNow;
        var document = new JsonObject
        {
            ["mode"] = settings.Mode,
            ["started"] = _started,
            ["finished"] = finished,
            ["command"] = command,
            ["commit"] = machine.Commit,
            ["machine"] = Figures(machine with { LoadAverage = $"{machine.LoadAverage} at start, {Machine.LoadAverageNow()} at end" }),
            ["settings"] = Figures(settings),
            ["rows"] = Figures(Rows),
            ["notes"] = Figures(_notes),
        };
        var jsonPath = Path.Combine(directory, "latest.json");
        File.WriteAllText(jsonPath, document.ToJsonString(Json) + "\n");

        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# WalletGrains benchmark ({settings.Mode} run)");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- Date: {_started:yyyy-MM-dd HH:mm} UTC, {(finished - _started).TotalMinutes:0.0} minutes");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Commit: {machine.Commit}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Command: `{command}`");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {machine.Cpu}, {machine.Cores} cores, memory {machine.Memory}, .NET SDK {machine.Dotnet}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Load average (1/5/15 min): {machine.LoadAverage} at start, {Machine.LoadAverageNow()} at end");
        md.AppendLine(CultureInfo.InvariantCulture,
            $"- Server, store, load generator and anything else running on the machine share its {machine.Cores} cores; each row says how many cores each used.");
        md.AppendLine();
        md.AppendLine("| Row | Target | Measured | Met |");
        md.AppendLine("|---|---|---|---|");
        foreach (var row in Rows)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {row.Title} | {row.Target} | {row.Measured} | {(row.Met is { } met ? met ? "yes" : "**no**" : "—")} |");
        }

        md.AppendLine();
        md.AppendLine("## Details");
        md.AppendLine();
        foreach (var row in Rows)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- **{row.Title}**: {row.Details}");
        }

        if (_notes.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## Notes");
            md.AppendLine();
            foreach (var note in _notes)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
            }
        }

        var mdPath = Path.Combine(directory, "latest.md");
        File.WriteAllText(mdPath, md.ToString());
        return (jsonPath, mdPath);
    }
}
