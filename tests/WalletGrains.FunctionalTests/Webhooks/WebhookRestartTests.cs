using WalletGrains.FunctionalTests.Contacts;

namespace WalletGrains.FunctionalTests.Webhooks;

/// <summary>
/// Issue #6 durability: the embedded default as a real process, killed with SIGKILL while deliveries are pending and
/// changes are still being handed off, then restarted on the same data directory. Nothing calls it afterwards: the
/// dispatchers' reminders resume delivery and the expiry sweep wakes contacts whose events were still in their outbox.
/// </summary>
public sealed class WebhookRestartTests
{
    private const int Contacts = 8;

    [Fact]
    public async Task Events_pending_when_the_server_is_killed_reach_the_receiver_once_and_in_order_after_a_restart()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("walletgrains-webhooks-").FullName;
        try
        {
            var httpPort = RunningGateway.FreePort();
            string[] settings =
            [
                $"--Store:DataDirectory={dataDirectory}",
                $"--Cluster:SiloPort={RunningGateway.FreePort()}",
                "--Webhooks:AllowLoopback=true",
                "--Webhooks:SubscriptionCacheTime=00:00:00",
                "--Webhooks:RetryBaseDelay=00:00:00.500",
                "--Webhooks:RetryMaxDelay=00:00:02",
                "--Webhooks:ReminderPeriod=00:00:05",
                "--Expiry:SweepPeriod=00:00:05",
            ];
            await using var receiver = await WebhookReceiver.Start();
            receiver.Answer = HttpStatusCode.ServiceUnavailable;
            string adminToken;
            Guid webhook;
            Guid ana;
            Guid wallet;
            Guid[] contacts;

            await using (var first = await ServerProcess.Start(httpPort, settings))
            {
                using var api = new Api(new HttpClient { BaseAddress = first.Address }, File.ReadAllText(Path.Combine(dataDirectory, "operator-token")).Trim());
                var account = await api.CreateAccount();
                adminToken = account.AdminToken;
                webhook = await account.Subscribe(receiver);
                (ana, var team) = await account.CreateCrew();
                wallet = await account.CreateWalletId(team, [ana]);
                contacts = await account.CreateContacts(Contacts);
                foreach (var contact in contacts)
                {
                    Expect.Status(HttpStatusCode.OK, await account.Include(wallet, new { contactId = contact, ownerUserId = ana }));
                }

                // Joined and bound of every contact are stored by the dispatchers; each joined fails at the receiver and holds its bound back...
                await WaitFor(
                    async () => await account.AllDeliveries(webhook) is var log && log.Count == 2 * Contacts && log.Count(d => d["attempts"]!.GetValue<int>() >= 1) == Contacts,
                    "every contact's first delivery stored and tried");

                // ...and the sales conclude right before the kill, so some releases may still be on their way out of the contacts.
                foreach (var contact in contacts)
                {
                    Expect.Status(HttpStatusCode.OK, await account.Completed(contact, ana, "WON"));
                }

                await first.Kill();
            }

            Assert.Empty(receiver.All);
            receiver.Answer = HttpStatusCode.OK;
            await using var second = await ServerProcess.Start(httpPort, settings);
            var events = await receiver.Until(e => e.Count == 3 * Contacts, "every event of before the kill", TimeSpan.FromMinutes(4));

            Assert.Equal(0, receiver.BadSignatures);
            var byContact = WebhookSteps.InContactOrder(events);
            Assert.All(contacts, contact => Assert.Equal([1L, 2L, 3L], byContact[contact]));
            Assert.All(events.Where(e => e.Sequence == 3), e => Assert.Equal(("contact.released", "sale"), (e.Type, e.Reason)));

            // The restarted server goes on delivering new changes.
            using var client = new Api(new HttpClient { BaseAddress = second.Address }, GatewayFixture.OperatorToken);
            var again = new Account(client, Guid.Empty, adminToken, Guid.Empty);
            Expect.Status(HttpStatusCode.NoContent, await again.Delete($"/api/v1/wallets/{wallet}/contacts/{contacts[0]}"));
            var after = await receiver.Until(e => e.Count == (3 * Contacts) + 1, "the change made after the restart");
            Assert.Equal(("contact.left", 4L), (after[^1].Type, after[^1].Sequence));
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static async Task WaitFor(Func<Task<bool>> done, string what)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await done())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromMinutes(2), $"Gave up waiting: {what}.");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
