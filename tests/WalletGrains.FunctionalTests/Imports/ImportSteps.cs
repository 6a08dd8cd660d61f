using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace WalletGrains.FunctionalTests.Imports;

/// <summary>Steps shared by the import tests: sending a CSV file, waiting for the import to finish, reading contacts back.</summary>
internal static class ImportSteps
{
    /// <summary>Sends the CSV text as <c>text/csv</c> (UTF-8, no BOM unless the text starts with one).</summary>
    public static Task<Reply> Import(this Account account, string csv, bool archiveMissing = false) =>
        account.Api.SendRaw(HttpMethod.Post, archiveMissing ? "/api/v1/imports?archiveMissing=true" : "/api/v1/imports", csv, account.AdminToken, "text/csv");

    /// <summary>Sends raw bytes as the file, exactly as given.</summary>
    public static async Task<Reply> ImportBytes(this Account account, byte[] file)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/imports") { Content = new ByteArrayContent(file) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", account.AdminToken);
        using var response = await account.Api.Http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return new Reply(response.StatusCode, response.Content.Headers.ContentType?.MediaType, text.Length > 0 ? JsonNode.Parse(text) : null) { Text = text };
    }

    /// <summary>Imports the file and waits until the import has completed; answers its final progress.</summary>
    public static async Task<JsonNode> ImportAndWait(this Account account, string csv, bool archiveMissing = false)
    {
        var accepted = Expect.Status(HttpStatusCode.Accepted, await account.Import(csv, archiveMissing));
        return await account.WaitForImport(accepted.Id);
    }

    /// <summary>
    /// Reads the import's progress until it has completed. The import runs in the background of a real server, so this
    /// polls; the bound is generous (a loaded machine runs the whole suite at once), not a speed check.
    /// </summary>
    public static async Task<JsonNode> WaitForImport(this Account account, Guid import, TimeSpan? bound = null)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var progress = Expect.Status(HttpStatusCode.OK, await account.Get($"/api/v1/imports/{import}")).Json!;
            if (progress["status"]!.GetValue<string>() == "Completed")
            {
                return progress;
            }

            Assert.True(waited.Elapsed < (bound ?? TimeSpan.FromMinutes(30)), $"The import did not complete: {progress.ToJsonString()}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>The per-row errors of an import's progress, as (line, code) pairs.</summary>
    public static (int Line, string Code)[] Errors(this JsonNode progress) =>
        [.. progress["errors"]!.AsArray().Select(e => (e!["line"]!.GetValue<int>(), e["code"]!.GetValue<string>()))];

    public static int Count(this JsonNode progress, string field) => progress[field]!.GetValue<int>();

    /// <summary>Every contact of the wallet, by phone number, read page by page through the API.</summary>
    public static async Task<Dictionary<string, JsonNode>> WalletContacts(this Account account, Guid wallet)
    {
        var contacts = new Dictionary<string, JsonNode>();
        for (var page = 1; ; page++)
        {
            var listed = Expect.Status(HttpStatusCode.OK, await account.Get($"/api/v1/wallets/{wallet}/contacts?pageNumber={page}&pageSize=100")).Json!;
            foreach (var contact in listed["items"]!.AsArray())
            {
                contacts.Add(contact!["phoneNumber"]!.GetValue<string>(), contact);
            }

            if (!listed["hasMorePages"]!.GetValue<bool>())
            {
                return contacts;
            }
        }
    }

    /// <summary>A CSV of <paramref name="rows"/> new contacts with distinct phones, all joining one wallet.</summary>
    public static string ManyRows(int rows, string wallet, int firstPhone = 0)
    {
        var csv = new StringBuilder("phoneNumber,name,wallet\n");
        for (var i = 0; i < rows; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"+55218{firstPhone + i:D7},Contact {i},{wallet}\n");
        }

        return csv.ToString();
    }
}
