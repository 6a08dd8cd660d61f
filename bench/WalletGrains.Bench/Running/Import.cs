using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WalletGrains.Bench.Running;

/// <summary>What an import did: how many rows, how long, and the contacts it made (in row order).</summary>
internal sealed record ImportOutcome(int Rows, TimeSpan Elapsed, IReadOnlyList<Guid> ContactIds, CpuUse Cpu, string Method, string Breakdown)
{
    public double RowsPerSecond => Rows / Elapsed.TotalSeconds;
}

/// <summary>
/// Loads the benchmark's CSV (<c>phoneNumber,name,wallet</c>) into the durable store: <see cref="CsvImport"/> through
/// the product's import (the row of the benchmark), or <see cref="ApiBatchImport"/> through the per-contact API.
/// </summary>
internal interface IImportDriver
{
    Task<ImportOutcome> Import(string csvFile, HttpTenant tenant, IEnumerable<int> serverProcessIds);
}

/// <summary>The import's CSV: one row per contact, with a phone number unique in the account, a name and the wallet's name.</summary>
internal static class ImportCsv
{
    public static string Write(string directory, int rows, string walletName)
    {
        var path = Path.Combine(directory, "import.csv");
        using var writer = new StreamWriter(path, append: false, Encoding.UTF8);
        writer.WriteLine("phoneNumber,name,wallet");
        for (var i = 0; i < rows; i++)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Phone(i)},Contact {i + 1},{walletName}"));
        }

        return path;
    }

    public static string Phone(int row) => string.Create(CultureInfo.InvariantCulture, $"+55119{row:D8}");

    public static IReadOnlyList<(string Phone, string Name, string Wallet)> Read(string path) =>
        [.. File.ReadLines(path).Skip(1).Select(line => line.Split(',')).Select(f => (f[0], f[1], f[2]))];
}

/// <summary>
/// The import over today's API: every row's contact is created (<c>POST /api/v1/contacts</c>, 64 in flight), then the
/// rows join their wallet by phone number in batches of 1,000 (<c>POST /api/v1/wallets/{id}/contacts/batch</c>).
/// </summary>
internal sealed class ApiBatchImport(Api api) : IImportDriver
{
    private const int CreatesInFlight = 64;
    private const int BatchesInFlight = 4;

    public async Task<ImportOutcome> Import(string csvFile, HttpTenant tenant, IEnumerable<int> serverProcessIds)
    {
        var rows = ImportCsv.Read(csvFile);
        var ids = new Guid[rows.Count];
        var meter = CpuMeter.Start(serverProcessIds, clientIsSelf: true);
        var clock = Stopwatch.StartNew();

        await Parallel.ForEachAsync(Enumerable.Range(0, rows.Count), new ParallelOptions { MaxDegreeOfParallelism = CreatesInFlight }, async (i, _) =>
            ids[i] = Api.Id(await api.Post("/api/v1/contacts", new { phoneNumber = rows[i].Phone, name = rows[i].Name }, tenant.AdminToken, HttpStatusCode.Created)));
        var created = clock.Elapsed;

        var batches = rows.Select(r => r.Phone).Chunk(IContactBatchGrain.MaxItems);
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = BatchesInFlight }, async (phones, _) =>
        {
            var answer = await api.Post($"/api/v1/wallets/{tenant.WalletId}/contacts/batch", new { phoneNumbers = phones }, tenant.AdminToken);
            var failed = answer!.AsArray().Where(item => !item!["succeeded"]!.GetValue<bool>()).ToList();
            if (failed.Count > 0)
            {
                throw new InvalidOperationException($"{failed.Count} rows of a batch were refused, such as {failed[0]!.ToJsonString()}");
            }
        });

        var elapsed = clock.Elapsed;
        var cpu = meter.Stop();
        var breakdown = string.Create(CultureInfo.InvariantCulture,
            $"{rows.Count:N0} creates in {created.TotalSeconds:0.0} s ({rows.Count / created.TotalSeconds:N0}/s, {CreatesInFlight} in flight), " +
            $"then batch includes of {IContactBatchGrain.MaxItems:N0} in {(elapsed - created).TotalSeconds:0.0} s ({rows.Count / (elapsed - created).TotalSeconds:N0}/s, {BatchesInFlight} in flight)");
        return new ImportOutcome(rows.Count, elapsed, ids, cpu,
            "API: POST /api/v1/contacts per row, then POST /api/v1/wallets/{id}/contacts/batch by phone",
            breakdown);
    }
}

/// <summary>
/// The product's CSV import: the file is posted as <c>text/csv</c> (202 with an id), <c>GET /api/v1/imports/{id}</c> is
/// polled until it is done, and the contact ids are read back from the wallet's member list. The elapsed time runs from
/// the post to the poll that sees every row applied.
/// </summary>
internal sealed class CsvImport(Api api) : IImportDriver
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(200);

    public async Task<ImportOutcome> Import(string csvFile, HttpTenant tenant, IEnumerable<int> serverProcessIds)
    {
        var body = await File.ReadAllBytesAsync(csvFile);
        var meter = CpuMeter.Start(serverProcessIds, clientIsSelf: true);
        var clock = Stopwatch.StartNew();
        var id = Api.Id(await api.PostCsv("/api/v1/imports", body, tenant.AdminToken));
        JsonNode? report;
        while (true)
        {
            report = await api.Send(HttpMethod.Get, $"/api/v1/imports/{id}", null, tenant.AdminToken, HttpStatusCode.OK);
            if (Api.Text(report, "status") is not ("Running" or "Archiving"))
            {
                break;
            }

            await Task.Delay(PollEvery);
        }

        var elapsed = clock.Elapsed;
        var cpu = meter.Stop();
        var applied = report!["rowsApplied"]!.GetValue<int>();
        var failed = report["rowsFailed"]!.GetValue<int>();
        if (failed > 0 || Api.Text(report, "status") != "Completed")
        {
            throw new InvalidOperationException($"The import ended {Api.Text(report, "status")} with {failed} failed rows: {report.ToJsonString()}");
        }

        var ids = new List<Guid>(applied);
        for (var page = 1; ids.Count < applied; page++)
        {
            var items = (await api.Send(HttpMethod.Get, $"/api/v1/wallets/{tenant.WalletId}/contacts?pageNumber={page}&pageSize=100", null, tenant.AdminToken, HttpStatusCode.OK))!["items"]!.AsArray();
            if (items.Count == 0)
            {
                break;
            }

            ids.AddRange(items.Select(item => item!.GetValueKind() == JsonValueKind.String ? item.GetValue<Guid>() : Api.Id(item)));
        }

        var breakdown = string.Create(CultureInfo.InvariantCulture,
            $"{applied:N0} rows applied; the import's own figure: {report["rowsPerSecond"]!.GetValue<double>():N0} rows/s");
        return new ImportOutcome(applied, elapsed, ids, cpu, "POST /api/v1/imports (text/csv), polled until done", breakdown);
    }
}
