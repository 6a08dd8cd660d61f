using System.Net;
using System.Security.Cryptography;
using System.Text;
using Orleans.Runtime;
using WalletGrains.Abstractions.Contacts;
using WalletGrains.Abstractions.Webhooks;

namespace WalletGrains.UnitTests.Webhooks;

/// <summary>
/// Issue #6, Events: every membership and ownership change reaches the account's webhook subscriptions, signed, at
/// least once, in per-contact order, retried with exponential backoff on the fake clock (10 s doubling, capped at an
/// hour, for three days). Requests land on <see cref="WebhookNetwork"/> and are timed by the fake clock.
/// </summary>
[Collection(SharedClock.Name)]
public sealed class WebhookDeliveryTests(ClusterFixture fixture)
{
    private const string Secret = "test-secret-0123456789-abcdefghij";

    private sealed record Setup(Tenant Tenant, UserView Ana, TeamView Team, WalletView Wallet);

    private async Task<Setup> Arrange(bool automatic = false, string? timeLimit = null)
    {
        var tenant = await Tenant.Create(fixture.Grains);
        var ana = await tenant.User("Ana");
        var team = await tenant.Team(ana);
        return new Setup(tenant, ana, team, await tenant.SingleWallet(team, [ana], automatic, timeLimit));
    }

    private static async Task<WebhookView> Subscribe(Tenant tenant, string url, params string[] types) =>
        Tenant.Value(await tenant.Webhooks().Create(tenant.Admin, new CreateWebhook(url, types.Length == 0 ? null : types, Secret)));

    [Fact]
    public async Task Every_change_is_delivered_once_signed_in_its_stable_shape_and_in_the_contacts_order()
    {
        var s = await Arrange();
        var url = WebhookNetwork.Receiver();
        var webhook = await Subscribe(s.Tenant, url);

        var contact = await s.Tenant.Include(await s.Tenant.Contact(), s.Wallet, s.Ana.Id);
        Tenant.Value(await s.Tenant.ContactGrain(contact.Id).Complete(s.Tenant.Admin, s.Ana.Id, Classification.Won));
        Tenant.Value(await s.Tenant.ContactGrain(contact.Id).Remove(s.Tenant.Admin, s.Wallet.Id));

        var requests = await WebhookKit.Received(url, 4);
        Assert.Equal([1L, 2L, 3L, 4L], requests.Select(r => r.Sequence));
        Assert.Equal([WebhookEventTypes.Joined, WebhookEventTypes.Bound, WebhookEventTypes.Released, WebhookEventTypes.Left], requests.Select(r => r.Type));
        Assert.Equal(["manual", "included", "sale", "removed"], requests.Select(r => r.Json["reason"]!.GetValue<string>()));
        Assert.Equal(4, requests.Select(r => r.Json["id"]!.GetValue<Guid>()).Distinct().Count());
        foreach (var request in requests)
        {
            Assert.Equal(
                ["id", "type", "accountId", "contactId", "sequence", "occurredAt", "walletId", "userId", "actorId", "reason"],
                request.Json.Select(p => p.Key));
            Assert.Equal(s.Tenant.Account.Id, request.Json["accountId"]!.GetValue<Guid>());
            Assert.Equal(contact.Id, request.ContactId);
            Assert.Equal(s.Wallet.Id, request.Json["walletId"]!.GetValue<Guid>());
            Assert.Equal(s.Tenant.Admin.UserId, request.Json["actorId"]!.GetValue<Guid>());
            Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
            Assert.Equal(request.Json["id"]!.GetValue<string>(), request.Headers[WebhookHeaders.EventId]);
            Assert.Equal(request.Type, request.Headers[WebhookHeaders.EventType]);
            Assert.Equal("1", request.Headers[WebhookHeaders.Attempt]);

            // What a receiver does: recompute the HMAC of "timestamp.body" with the secret and compare.
            var timestamp = request.Headers[WebhookHeaders.Timestamp];
            Assert.Equal(request.At.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), timestamp);
            byte[] signed = [.. Encoding.UTF8.GetBytes(timestamp + "."), .. request.Body];
            var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), signed);
            Assert.Equal("sha256=" + Convert.ToHexStringLower(expected), request.Headers[WebhookHeaders.Signature]);
        }

        Assert.Null(requests[0].Json["userId"]);
        Assert.Equal(s.Ana.Id, requests[1].Json["userId"]!.GetValue<Guid>());
        var log = await s.Tenant.Log(webhook);
        Assert.Equal(4, log.Count);
        Assert.All(log, d => Assert.Equal((DeliveryStatus.Delivered, 1, 200), (d.Status, d.Attempts, d.LastStatusCode)));
        Assert.Equal([4L, 3L, 2L, 1L], log.Select(d => d.Sequence));
    }

    [Fact]
    public async Task A_failed_delivery_is_retried_after_10_20_and_40_seconds()
    {
        var s = await Arrange();
        var url = WebhookNetwork.Receiver(r => r.Headers[WebhookHeaders.Attempt] == "4" ? HttpStatusCode.NoContent : HttpStatusCode.InternalServerError);
        var webhook = await Subscribe(s.Tenant, url);
        var contact = await s.Tenant.Include(await s.Tenant.Contact(), s.Wallet);

        var first = (await WebhookKit.Received(url, 1))[0];
        for (var attempt = 1; attempt < 4; attempt++)
        {
            var pending = await s.Tenant.LogEventually(webhook, contact.Id, 1, d => d.Attempts == attempt, $"attempt {attempt} logged");
            Assert.Equal((DeliveryStatus.Pending, 500), (pending.Status, pending.LastStatusCode));
            Assert.Equal("The receiver answered 500.", pending.LastError);
            Assert.Equal(pending.LastAttemptAt + TimeSpan.FromSeconds(10 * Math.Pow(2, attempt - 1)), pending.NextAttemptAt);
            Assert.Single(WebhookNetwork.ReceivedBy(url), r => r.Headers[WebhookHeaders.Attempt] == attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(attempt, WebhookNetwork.ReceivedBy(url).Count);
            SharedClock.AdvanceTo(pending.NextAttemptAt!.Value);
            await WebhookKit.Received(url, attempt + 1);
        }

        var times = WebhookNetwork.ReceivedBy(url).Select(r => r.At - first.At);
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(70)], times);
        var delivered = await s.Tenant.LogEventually(webhook, contact.Id, 1, d => d.Status == DeliveryStatus.Delivered, "delivered");
        Assert.Equal((4, 204, (string?)null, (DateTimeOffset?)null), (delivered.Attempts, delivered.LastStatusCode, delivered.LastError, delivered.NextAttemptAt));
        Assert.Equal(first.At + TimeSpan.FromSeconds(70), delivered.FinishedAt);
    }

    [Fact]
    public async Task A_failing_event_holds_back_its_contacts_later_events_but_not_other_contacts()
    {
        var s = await Arrange();
        var stuck = await s.Tenant.Contact("Stuck");
        var failing = true;
        var url = WebhookNetwork.Receiver(r => failing && r.ContactId == stuck.Id ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK);
        var webhook = await Subscribe(s.Tenant, url);

        await s.Tenant.Include(stuck, s.Wallet, s.Ana.Id);
        var other = await s.Tenant.Include(await s.Tenant.Contact("Flowing"), s.Wallet, s.Ana.Id);

        await s.Tenant.LogEventually(webhook, other.Id, 2, d => d.Status == DeliveryStatus.Delivered, "the other contact's events delivered");
        var head = await s.Tenant.LogEventually(webhook, stuck.Id, 1, d => d.Attempts == 1, "the stuck contact's first event tried");
        var held = await s.Tenant.LogOf(webhook, stuck.Id, 2);
        Assert.Equal((DeliveryStatus.Pending, 0), (held.Status, held.Attempts));
        Assert.DoesNotContain(WebhookNetwork.ReceivedBy(url), r => r.ContactId == stuck.Id && r.Sequence == 2);

        failing = false;
        SharedClock.AdvanceTo(head.NextAttemptAt!.Value);
        await s.Tenant.LogEventually(webhook, stuck.Id, 2, d => d.Status == DeliveryStatus.Delivered, "the stuck contact's events delivered", NudgeClock);

        var delivered = WebhookNetwork.ReceivedBy(url).Where(r => r.ContactId == stuck.Id).Select(r => r.Sequence);
        Assert.Equal([1L, 1L, 2L], delivered);
    }

    [Fact]
    public async Task After_three_days_of_failures_an_event_is_marked_failed_and_the_contacts_next_event_goes_out()
    {
        var s = await Arrange();
        var url = WebhookNetwork.Receiver(r => r.Sequence == 1 ? HttpStatusCode.BadGateway : HttpStatusCode.OK);
        var webhook = await Subscribe(s.Tenant, url);
        var contact = await s.Tenant.Include(await s.Tenant.Contact(), s.Wallet, s.Ana.Id);

        var head = await s.Tenant.LogEventually(webhook, contact.Id, 1, d => d.Attempts == 1, "first attempt");
        var gaps = new List<TimeSpan>();
        while (head.Status == DeliveryStatus.Pending)
        {
            gaps.Add(head.NextAttemptAt!.Value - head.LastAttemptAt!.Value);
            SharedClock.AdvanceTo(head.NextAttemptAt.Value);
            var attempts = head.Attempts;
            // A retry timer armed just as the clock jumped is due a little after the jump: keep time moving while waiting.
            head = await s.Tenant.LogEventually(webhook, contact.Id, 1, d => d.Attempts > attempts, $"attempt {attempts + 1}", NudgeClock);
        }

        Assert.Equal(DeliveryStatus.Failed, head.Status);
        Assert.True(head.FinishedAt - head.CreatedAt >= TimeSpan.FromDays(3), $"gave up after {head.FinishedAt - head.CreatedAt}");
        Assert.True(head.FinishedAt - head.CreatedAt < TimeSpan.FromDays(3) + TimeSpan.FromHours(1));
        Assert.Equal(TimeSpan.FromHours(1), gaps.Max());
        Assert.Equal(gaps.Order(), gaps);
        await s.Tenant.LogEventually(webhook, contact.Id, 2, d => d.Status == DeliveryStatus.Delivered, "the next event delivered");
    }

    [Fact]
    public async Task A_subscription_gets_only_the_types_it_asked_for_and_an_expiry_reads_as_a_release_with_reason_expired()
    {
        SharedClock.AlignEarlyInMinute();
        var s = await Arrange(timeLimit: "PT2M");
        var releases = WebhookNetwork.Receiver();
        var everything = WebhookNetwork.Receiver();
        await Subscribe(s.Tenant, releases, WebhookEventTypes.Released);
        await Subscribe(s.Tenant, everything);

        var contact = await s.Tenant.Include(await s.Tenant.Contact(), s.Wallet, s.Ana.Id);
        await WebhookKit.Received(everything, 2);
        SharedClock.AdvanceTo(contact.In(s.Wallet).Deadline!.Value + TimeSpan.FromSeconds(1));

        var released = Assert.Single(await WebhookKit.Received(releases, 1));
        Assert.Equal((WebhookEventTypes.Released, "expired", 3L), (released.Type, released.Json["reason"]!.GetValue<string>(), released.Sequence));
        Assert.Equal(s.Ana.Id, released.Json["userId"]!.GetValue<Guid>());
        Assert.Null(released.Json["actorId"]);
        Assert.Equal([1L, 2L, 3L], (await WebhookKit.Received(everything, 3)).Select(r => r.Sequence));
    }

    [Fact]
    public async Task Events_handed_off_twice_are_delivered_once()
    {
        var tenant = await Tenant.Create(fixture.Grains);
        var url = WebhookNetwork.Receiver();
        var webhook = await Subscribe(tenant, url);
        var contactId = Guid.NewGuid();
        var events = Enumerable.Range(1, 3).Select(i => new ContactEvent(
            Guid.CreateVersion7(), tenant.Account.Id, contactId, i, SharedClock.Now, HistoryKind.Joined, Guid.NewGuid(), null, null, "api")).ToArray();
        var dispatcher = fixture.Grains.GetGrain<IWebhookDispatcherGrain>(IWebhookDispatcherGrain.Key(tenant.Account.Id, IWebhookDispatcherGrain.ShardOf(contactId)));

        await dispatcher.Accept(events[..2]);
        await dispatcher.Accept(events);
        await dispatcher.Accept(events[1..2]);

        Assert.Equal([3L, 2L, 1L], (await tenant.Log(webhook)).Select(d => d.Sequence));
        Assert.Equal([1L, 2L, 3L], (await WebhookKit.Received(url, 3)).Select(r => r.Sequence));
        await tenant.LogEventually(webhook, contactId, 3, d => d.Status == DeliveryStatus.Delivered, "delivered");
        Assert.Equal(3, WebhookNetwork.ReceivedBy(url).Count);
    }

    [Fact]
    public async Task An_account_without_subscriptions_makes_no_webhook_calls_when_contacts_are_bound()
    {
        var s = await Arrange(automatic: true);
        var account = s.Tenant.Account.Id;
        bool Subscriptions(GrainId grain) => grain.TryGetGuidKey(out var key, out _) && key == account;
        bool Shards(GrainId grain) => grain.Key.ToString()!.StartsWith(account.ToString("N"), StringComparison.Ordinal);

        for (var i = 0; i < 10; i++)
        {
            var contact = await s.Tenant.Include(await s.Tenant.Contact(), s.Wallet);
            Assert.Equal(RouteDecision.AutoAssigned, (await s.Tenant.Route(contact.Id)).Reason);
        }

        // At most one question per silo, answered from the silo's cache afterwards; no hand-off at all.
        Assert.InRange(GrainCalls.To<IWebhookSubscriptionsGrain>(Subscriptions), 1, 2);
        Assert.Equal(0, GrainCalls.To<IWebhookDispatcherGrain>(Shards));

        // Once the account subscribes (and the silos' answers are older than their five seconds), changes are handed off.
        var url = WebhookNetwork.Receiver();
        await Subscribe(s.Tenant, url);
        ClusterFixture.Clock.Advance(TimeSpan.FromSeconds(6));
        await s.Tenant.Include(await s.Tenant.Contact(), s.Wallet);
        await WebhookKit.Received(url, 1);
        Assert.True(GrainCalls.To<IWebhookDispatcherGrain>(Shards) > 0);
    }

    [Fact]
    public async Task A_deleted_subscription_loses_its_pending_deliveries_and_gets_nothing_more()
    {
        var s = await Arrange();
        var url = WebhookNetwork.Receiver(_ => HttpStatusCode.InternalServerError);
        var kept = WebhookNetwork.Receiver();
        var webhook = await Subscribe(s.Tenant, url);
        var other = await Subscribe(s.Tenant, kept);
        var contact = await s.Tenant.Include(await s.Tenant.Contact(), s.Wallet);
        var head = await s.Tenant.LogEventually(webhook, contact.Id, 1, d => d.Attempts == 1, "first attempt");

        Tenant.Value(await s.Tenant.Webhooks().Delete(s.Tenant.Admin, webhook.Id));
        SharedClock.AdvanceTo(head.NextAttemptAt!.Value + TimeSpan.FromSeconds(10));
        Tenant.Value(await s.Tenant.ContactGrain(contact.Id).Remove(s.Tenant.Admin, s.Wallet.Id));

        await s.Tenant.LogEventually(other, contact.Id, 2, d => d.Status == DeliveryStatus.Delivered, "the other subscription still delivered");
        var shard = fixture.Grains.GetGrain<IWebhookDispatcherGrain>(IWebhookDispatcherGrain.Key(s.Tenant.Account.Id, IWebhookDispatcherGrain.ShardOf(contact.Id)));
        Assert.Empty(await shard.Deliveries(webhook.Id));
        Assert.Single(WebhookNetwork.ReceivedBy(url));
    }

    private static void NudgeClock() => ClusterFixture.Clock.Advance(TimeSpan.FromSeconds(1));
}
