using WalletGrains.FunctionalTests.Contacts;

namespace WalletGrains.FunctionalTests.Webhooks;

/// <summary>The embedded default with loopback receivers allowed, new subscriptions seen at once and quick retries.</summary>
public sealed class WebhookGateway : IAsyncLifetime
{
    private RunningGateway? _gateway;

    public Api Api => _gateway!.Api;

    public async ValueTask InitializeAsync() => _gateway = await RunningGateway.Start(
        "--Webhooks:AllowLoopback=true",
        "--Webhooks:SubscriptionCacheTime=00:00:00",
        "--Webhooks:RetryBaseDelay=00:00:00.200",
        "--Webhooks:RetryMaxDelay=00:00:01",
        "--Webhooks:DeliveryTimeout=00:00:02");

    public async ValueTask DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
    }
}

/// <summary>
/// Issue #6 over real HTTP: a receiver on loopback (a Kestrel app in the test) gets every membership and ownership
/// change exactly once after deduping by id, in each contact's order, with a signature it verifies, also when it
/// answers 500 for a while and then is down altogether; the delivery log shows what happened meanwhile.
/// </summary>
public sealed class WebhookDeliveryTests(WebhookGateway gateway) : IClassFixture<WebhookGateway>
{
    private const int Contacts = 10;

    private static readonly string[] ReleasesOnly = ["contact.released"];

    [Fact]
    public async Task Every_change_reaches_the_receiver_once_in_contact_order_across_an_outage()
    {
        await using var receiver = await WebhookReceiver.Start();
        var account = await gateway.Api.CreateAccount();
        var webhook = await account.Subscribe(receiver);
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana]);
        var contacts = await account.CreateContacts(Contacts);

        // Up: each contact joins the wallet with Ana as its owner (joined, bound).
        foreach (var contact in contacts)
        {
            Expect.Status(HttpStatusCode.OK, await account.Include(wallet, new { contactId = contact, ownerUserId = ana }));
        }

        await receiver.Until(e => e.Count == 2 * Contacts, "joined and bound of every contact");

        // Failing: each sale concludes (released, sale) while the receiver answers 500.
        receiver.Answer = HttpStatusCode.InternalServerError;
        foreach (var contact in contacts)
        {
            Expect.Status(HttpStatusCode.OK, await account.Completed(contact, ana, "WON"));
        }

        await LogShows(account, webhook, d => d["lastStatusCode"]?.GetValue<int>() == 500 && d["attempts"]!.GetValue<int>() >= 2, "retries answered 500");

        // Down: every contact leaves the wallet (left, removed) while nothing listens.
        await receiver.Stop();
        foreach (var contact in contacts)
        {
            Expect.Status(HttpStatusCode.NoContent, await account.Delete($"/api/v1/wallets/{wallet}/contacts/{contact}"));
        }

        var refused = await LogShows(account, webhook, d => d["lastStatusCode"] is null && d["lastError"] is not null && d["status"]!.GetValue<string>() == "pending", "attempts that could not connect");
        Assert.NotNull(refused["nextAttemptAt"]);

        // Back: everything arrives, each event once after deduping, each contact's events in order.
        receiver.Answer = HttpStatusCode.OK;
        await receiver.Resume();
        var events = await receiver.Until(e => e.Count == 4 * Contacts, "every event after the outage");

        Assert.Equal(0, receiver.BadSignatures);
        var byContact = WebhookSteps.InContactOrder(events);
        Assert.Equal(contacts.Order(), byContact.Keys.Order());
        Assert.All(byContact.Values, sequences => Assert.Equal([1L, 2L, 3L, 4L], sequences));
        foreach (var contact in contacts)
        {
            var mine = events.Where(e => e.ContactId == contact).ToList();
            Assert.Equal(["contact.joined", "contact.bound", "contact.released", "contact.left"], mine.Select(e => e.Type));
            Assert.Equal(["manual", "included", "sale", "removed"], mine.Select(e => e.Reason));
        }

        // The log: one entry per event, all delivered in the end, the outage's ones after several attempts.
        await LogShows(account, webhook, d => d["status"]!.GetValue<string>() == "delivered", "every delivery marked delivered", all: true);
        var entries = await account.AllDeliveries(webhook);
        Assert.Equal(4 * Contacts, entries.Count);
        Assert.All(entries.Where(d => d["eventType"]!.GetValue<string>() == "contact.released"), d => Assert.True(d["attempts"]!.GetValue<int>() >= 2, d.ToJsonString()));
        Assert.All(entries, d => Assert.Equal(200, d["lastStatusCode"]!.GetValue<int>()));
        Assert.All(entries, d => Assert.Null(d["nextAttemptAt"]));
        var firstPage = await account.Deliveries(webhook, pageNumber: 1, pageSize: 15);
        Assert.Equal((4 * Contacts, 15, true), (firstPage["totalItems"]!.GetValue<int>(), firstPage["items"]!.AsArray().Count, firstPage["hasMorePages"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task A_subscription_for_some_types_gets_only_those_and_a_disabled_one_gets_nothing()
    {
        await using var releases = await WebhookReceiver.Start();
        await using var disabled = await WebhookReceiver.Start();
        var account = await gateway.Api.CreateAccount();
        var created = Expect.Status(HttpStatusCode.Created, await account.Post("/api/v1/webhooks", new { url = releases.Url, eventTypes = ReleasesOnly }));
        releases.Secret = created["secret"];
        var off = await account.Subscribe(disabled);
        Expect.Status(HttpStatusCode.OK, await account.Patch($"/api/v1/webhooks/{off}", new { enabled = false }));
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana]);
        var contact = await account.CreateContact();

        Expect.Status(HttpStatusCode.OK, await account.Include(wallet, new { contactId = contact, ownerUserId = ana }));
        Expect.Status(HttpStatusCode.OK, await account.Completed(contact, ana, "WON"));

        var events = await releases.Until(e => e.Count == 1, "the release");
        Assert.Equal(("contact.released", "sale", 3L), (events[0].Type, events[0].Reason, events[0].Sequence));
        Assert.Equal(0, (await account.Deliveries(off))["totalItems"]!.GetValue<int>());
        Assert.Empty(disabled.All);
    }

    /// <summary>Polls the delivery log until one entry (or, with <paramref name="all"/>, every entry) matches; answers the first match.</summary>
    private static async Task<JsonNode> LogShows(Account account, Guid webhook, Func<JsonNode, bool> match, string what, bool all = false)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var entries = await account.AllDeliveries(webhook);
            if (entries.Count > 0 && (all ? entries.All(match) : entries.Any(match)))
            {
                return entries.First(match);
            }

            Assert.True(waited.Elapsed < TimeSpan.FromMinutes(2), $"Gave up waiting for the log to show {what}: {string.Join("\n", entries.Select(e => e.ToJsonString()))}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
