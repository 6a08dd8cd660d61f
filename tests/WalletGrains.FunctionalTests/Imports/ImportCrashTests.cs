using WalletGrains.FunctionalTests.Contacts;

namespace WalletGrains.FunctionalTests.Imports;

/// <summary>§2 "an import that fails half-way": the embedded default killed with SIGKILL mid-import, restarted on its data.</summary>
public sealed class ImportCrashTests
{
    private const int Rows = 10_000;

    [Fact]
    public async Task An_import_cut_short_by_a_kill_9_resumes_after_restart_and_applies_every_row_exactly_once()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("walletgrains-import-").FullName;
        try
        {
            var httpPort = RunningGateway.FreePort();
            string[] settings = [$"--Store:DataDirectory={dataDirectory}", $"--Cluster:SiloPort={RunningGateway.FreePort()}"];

            Account account;
            Guid wallet;
            Guid import;
            await using (var first = await ServerProcess.Start(httpPort, settings))
            {
                var api = new Api(new HttpClient { BaseAddress = first.Address }, File.ReadAllText(Path.Combine(dataDirectory, "operator-token")).Trim());
                account = await api.CreateAccount();
                var (ana, team) = await account.CreateCrew();
                wallet = await account.CreateWalletId(team, [ana], type: "Multiple", name: "Crash");
                import = Expect.Status(HttpStatusCode.Accepted, await account.Import(ImportSteps.ManyRows(Rows, "Crash"))).Id;

                // Kill as soon as some chunks are recorded as done, while others are not.
                JsonNode progress;
                do
                {
                    progress = Expect.Status(HttpStatusCode.OK, await account.Get($"/api/v1/imports/{import}")).Json!;
                }
                while (progress.Count("rowsApplied") == 0 && await Pause());

                await first.Kill();
                Assert.Equal("Running", progress["status"]!.GetValue<string>());
                Assert.InRange(progress.Count("rowsApplied"), 1, Rows - 1);
                api.Dispose();
            }

            await using var second = await ServerProcess.Start(httpPort, settings);
            using var client = new Api(new HttpClient { BaseAddress = second.Address }, "");
            var restarted = account with { Api = client };

            var done = await restarted.WaitForImport(import);
            Assert.Equal(Rows, done.Count("rowsApplied"));
            Assert.Equal(0, done.Count("rowsFailed"));
            Assert.Empty(done.Errors());

            // Exactly once: one contact per phone, all in the wallet, none twice.
            Assert.Equal(Rows, await restarted.ContactsCount(wallet));
            Assert.Equal(Rows, (await restarted.WalletContacts(wallet)).Count);

            // Importing the same file again finds every contact: nothing new is created.
            var again = await restarted.ImportAndWait(ImportSteps.ManyRows(Rows, "Crash"));
            Assert.Equal(Rows, again.Count("rowsApplied"));
            Assert.Equal(Rows, await restarted.ContactsCount(wallet));
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static async Task<bool> Pause()
    {
        await Task.Delay(20, TestContext.Current.CancellationToken);
        return true;
    }
}
