using System.Net.Http.Headers;

namespace WalletGrains.FunctionalTests;

/// <summary>The embedded default as users run it: a real process on a data directory, killed and restarted.</summary>
public sealed class EmbeddedDefaultTests
{
    [Fact]
    public async Task A_wallet_survives_a_kill_9_and_restart_of_the_embedded_default()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("walletgrains-e2e-").FullName;
        try
        {
            var httpPort = RunningGateway.FreePort();
            string[] settings = [$"--Store:DataDirectory={dataDirectory}", $"--Cluster:SiloPort={RunningGateway.FreePort()}"];

            Guid walletId;
            string adminToken;
            await using (var first = await ServerProcess.Start(httpPort, settings))
            {
                // No operator token configured: the embedded default generates one into a file only its owner can read.
                var tokenFile = Path.Combine(dataDirectory, "operator-token");
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tokenFile));
                using var api = new Api(new HttpClient { BaseAddress = first.Address }, File.ReadAllText(tokenFile).Trim());

                var account = await api.CreateAccount();
                adminToken = account.AdminToken;
                var (ana, _) = await account.CreateUser();
                var team = await account.CreateTeam(ana);
                var wallet = await account.CreateWallet(new
                {
                    name = "Survivor",
                    type = "Single",
                    timeLimit = "P6M",
                    teams = new[] { new { teamId = team, userIds = new[] { ana } } },
                });
                Assert.Equal(HttpStatusCode.Created, wallet.Status);
                walletId = wallet.Id;

                await first.Kill();
            }

            await using var second = await ServerProcess.Start(httpPort, settings);
            using var client = new HttpClient { BaseAddress = second.Address };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);

            var reread = JsonNode.Parse(await client.GetStringAsync($"/api/v1/wallets/{walletId}", TestContext.Current.CancellationToken))!;
            Assert.Equal("Survivor", reread["name"]!.GetValue<string>());
            Assert.Equal("P6M", reread["timeLimit"]!.GetValue<string>());

            var list = JsonNode.Parse(await client.GetStringAsync("/api/v1/wallets", TestContext.Current.CancellationToken))!;
            Assert.Equal(1, list["totalItems"]!.GetValue<int>());

            // The name index survived too: the same name in other case is still taken.
            using var again = await client.PostAsJsonAsync("/api/v1/wallets", new { name = "SURVIVOR", type = "Multiple", teams = reread["teams"] }, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Theory]
    [InlineData("--Store:EmbeddedPort=70000", "Store:EmbeddedPort")]
    [InlineData("--Store:MemoryMiB=128", "Store:MemoryMiB")]
    public async Task The_embedded_default_refuses_to_start_with_store_settings_out_of_range_or_no_longer_honoured(string setting, string named)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("walletgrains-e2e-").FullName;
        try
        {
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() =>
                ServerProcess.Start(RunningGateway.FreePort(), $"--Store:DataDirectory={dataDirectory}", setting));

            Assert.Contains($"Invalid store settings: {named}:", refused.Message, StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(dataDirectory, "store")));
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
