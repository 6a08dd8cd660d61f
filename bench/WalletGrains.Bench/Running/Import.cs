using System.Net;
using System.Text;

namespace WalletGrains.Bench.Running;

/// <summary>What an import did: how many rows, how long, and the contacts it made (in row order).</summary>
internal sealed record ImportOutcome(int Rows, TimeSpan Elapsed, IReadOnlyList<Guid> ContactIds, CpuUse Cpu, string Method, string Breakdown)
{
    public double RowsPerSecond => Rows / Elapsed.TotalSeconds;
}

/// <summary>
/// Loads the benchmark's CSV (<c>phone,name,wallet</c>) into the durable store. The CSV import endpoint
/// (<c>POST /api/v1/imports</c>) is built in parallel and not in this branch, so <see cref="ApiBatchImport"/> does what an
/// import does through the existing API. Switching the row to the real import is a new implementation of this interface:
/// post the file as <c>text/csv</c> (202 with an id), poll <c>GET /api/v1/imports/{id}</c> until done, take rows/s from its
/// report and the contact ids from <c>GET /api/v1/wallets/{id}/contacts</c>.
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
        writer.WriteLine("phone,name,wallet");
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
            "API: POST /api/v1/contacts per row, then POST /api/v1/wallets/{id}/contacts/batch by phone (the CSV import endpoint is not in this branch)",
            breakdown);
    }
}
