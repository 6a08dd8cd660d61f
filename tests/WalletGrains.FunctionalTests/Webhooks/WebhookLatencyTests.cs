using System.Collections.Concurrent;
using System.Globalization;
using WalletGrains.FunctionalTests.Contacts;

namespace WalletGrains.FunctionalTests.Webhooks;

/// <summary>
/// Measures webhook delivery latency on the embedded default as a real process (built in the test's configuration:
/// run it from a Release build for figures), default webhook settings but loopback allowed: from the moment a change
/// is requested to the moment the receiver has it. Prints percentiles; asserts only that every event arrived in order.
/// Set <c>WEBHOOK_LATENCY_CONTACTS</c> for a larger run (each contact makes two events).
/// </summary>
public sealed class WebhookLatencyTests
{
    private const int Workers = 8;

    [Fact]
    public async Task Delivery_latency_from_change_to_receiver_is_measured()
    {
        var contactsCount = int.TryParse(Environment.GetEnvironmentVariable("WEBHOOK_LATENCY_CONTACTS"), CultureInfo.InvariantCulture, out var n) ? n : 1500;
        var dataDirectory = Directory.CreateTempSubdirectory("walletgrains-latency-").FullName;
        try
        {
            await using var receiver = await WebhookReceiver.Start();
            await using var server = await ServerProcess.Start(
                RunningGateway.FreePort(),
                $"--Store:DataDirectory={dataDirectory}",
                $"--Cluster:SiloPort={RunningGateway.FreePort()}",
                $"--Auth:OperatorToken={GatewayFixture.OperatorToken}",
                "--Webhooks:AllowLoopback=true");
            using var api = new Api(new HttpClient { BaseAddress = server.Address }, GatewayFixture.OperatorToken);
            var account = await api.CreateAccount();
            await account.Subscribe(receiver);
            var (ana, team) = await account.CreateCrew();
            var wallet = await account.CreateWalletId(team, [ana]);
            var contacts = await CreateContacts(account, contactsCount + 1);

            // The silo learns of the new subscription within its cache time: a probe change shows when it has.
            var probe = contacts[^1];
            Expect.Status(HttpStatusCode.OK, await account.Include(wallet, new { contactId = probe }));
            await receiver.Until(e => e.Any(x => x.ContactId == probe), "the probe's event");

            var requestedAt = new ConcurrentDictionary<Guid, TimeSpan>();
            var answeredAt = new ConcurrentDictionary<Guid, TimeSpan>();
            var started = receiver.Now;
            await Parallel.ForEachAsync(contacts[..^1], new ParallelOptions { MaxDegreeOfParallelism = Workers }, async (contact, _) =>
            {
                requestedAt[contact] = receiver.Now;
                Expect.Status(HttpStatusCode.OK, await account.Include(wallet, new { contactId = contact, ownerUserId = ana }));
                answeredAt[contact] = receiver.Now;
            });
            var changesDone = receiver.Now;
            var events = await receiver.Until(e => e.Count == (2 * contactsCount) + 1, "every measured event", TimeSpan.FromMinutes(5));
            var finished = receiver.Now;

            WebhookSteps.InContactOrder(events);
            var measured = events.Where(e => e.ContactId != probe).ToList();
            var latencies = measured.Select(e => (e.ArrivedAt - requestedAt[e.ContactId]).TotalMilliseconds).Order().ToArray();
            var afterAnswer = measured.Select(e => Math.Max(0, (e.ArrivedAt - answeredAt[e.ContactId]).TotalMilliseconds)).Order().ToArray();
            Assert.Equal(2 * contactsCount, latencies.Length);
            var report = string.Create(CultureInfo.InvariantCulture,
                $"Webhook latency, change requested -> receiver got it, {latencies.Length} events ({contactsCount} includes with an owner, {Workers} concurrent clients): " +
                $"p50 {Percentile(latencies, 0.50):0.0} ms, p90 {Percentile(latencies, 0.90):0.0} ms, p99 {Percentile(latencies, 0.99):0.0} ms, max {latencies[^1]:0.0} ms " +
                $"(after the change's answer: p50 {Percentile(afterAnswer, 0.50):0.0} ms, p99 {Percentile(afterAnswer, 0.99):0.0} ms); " +
                $"changes took {(changesDone - started).TotalSeconds:0.00} s, last event arrived {(finished - started).TotalSeconds:0.00} s after the first change; " +
                $"{receiver.All.Count - events.Count} duplicate deliveries.");
            TestContext.Current.TestOutputHelper?.WriteLine(report);
            TestContext.Current.SendDiagnosticMessage(report);
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static async Task<Guid[]> CreateContacts(Account account, int count)
    {
        var ids = new Guid[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = Workers }, async (i, _) =>
            ids[i] = await account.CreateContact(phone: "+5511" + (900_000_000 + i).ToString(CultureInfo.InvariantCulture), name: $"Contact {i}"));
        return ids;
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
