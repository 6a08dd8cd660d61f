using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Orleans.Runtime;
using WalletGrains.Abstractions.Webhooks;

namespace WalletGrains.UnitTests.Webhooks;

/// <summary>One request that reached <see cref="WebhookNetwork"/>: where, when on the fake clock, its headers and body.</summary>
public sealed record ReceivedRequest(Uri Url, DateTimeOffset At, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();

    public Guid ContactId => Json["contactId"]!.GetValue<Guid>();

    public long Sequence => Json["sequence"]!.GetValue<long>();

    public string Type => Json["type"]!.GetValue<string>();
}

/// <summary>
/// The network as the test cluster's silos see it: every webhook request lands here instead of on a socket, and each
/// test decides per receiver URL what the receiver answers. Host names resolve to a public documentation address, so
/// subscriptions to <c>https://receiver.test/…</c> pass the address policy.
/// </summary>
public static class WebhookNetwork
{
    public static readonly IPAddress PublicAddress = IPAddress.Parse("203.0.113.10");

    private static readonly ConcurrentDictionary<string, Func<ReceivedRequest, HttpStatusCode>> Receivers = new();
    private static readonly ConcurrentDictionary<string, ConcurrentQueue<ReceivedRequest>> Requests = new();

    public static HttpMessageHandler Handler { get; } = new Network();

    public static Task<IPAddress[]> Resolve(string host, CancellationToken cancellation) => Task.FromResult(new[] { PublicAddress });

    /// <summary>A fresh receiver URL answering <paramref name="answer"/> (200 by default).</summary>
    public static string Receiver(Func<ReceivedRequest, HttpStatusCode>? answer = null)
    {
        var url = $"https://receiver.test/{Guid.NewGuid():N}";
        Answer(url, answer ?? (_ => HttpStatusCode.OK));
        return url;
    }

    /// <summary>Changes what the receiver answers from now on.</summary>
    public static void Answer(string url, Func<ReceivedRequest, HttpStatusCode> answer) => Receivers[url] = answer;

    public static IReadOnlyList<ReceivedRequest> ReceivedBy(string url) =>
        Requests.TryGetValue(url, out var requests) ? [.. requests] : [];

    private sealed class Network : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var url = request.RequestUri!.ToString();
            var headers = request.Headers.Concat(request.Content!.Headers).ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
            var received = new ReceivedRequest(request.RequestUri, ClusterFixture.Clock.GetUtcNow(), headers, await request.Content.ReadAsByteArrayAsync(cancellationToken));
            if (!Receivers.TryGetValue(url, out var answer))
            {
                throw new HttpRequestException($"Connection refused ({url}).");
            }

            Requests.GetOrAdd(url, _ => new ConcurrentQueue<ReceivedRequest>()).Enqueue(received);
            return new HttpResponseMessage(answer(received));
        }
    }
}

/// <summary>Counts the grain calls the silos receive, by target and method, so tests can show a path makes none.</summary>
public sealed class GrainCalls : IIncomingGrainCallFilter
{
    private static readonly ConcurrentQueue<(GrainId Target, string Method)> Calls = new();

    public static int To<TGrain>(Func<GrainId, bool> target) =>
        Calls.Count(c => c.Method.StartsWith(typeof(TGrain).Name + ".", StringComparison.Ordinal) && target(c.Target));

    public Task Invoke(IIncomingGrainCallContext context)
    {
        Calls.Enqueue((context.TargetId, $"{context.InterfaceName.Split('.')[^1]}.{context.MethodName}"));
        return context.Invoke();
    }
}

/// <summary>Helpers for webhook tests: subscriptions, delivery logs and waiting on the fake network.</summary>
public static class WebhookKit
{
    public static IWebhookSubscriptionsGrain Webhooks(this Tenant tenant) => tenant.Grains.GetGrain<IWebhookSubscriptionsGrain>(tenant.Account.Id);

    public static async Task<WebhookView> Subscribe(this Tenant tenant, string url, params string[] eventTypes) =>
        Tenant.Value(await tenant.Webhooks().Create(tenant.Admin, new CreateWebhook(url, eventTypes.Length == 0 ? null : eventTypes)));

    /// <summary>The whole delivery log of the subscription, newest first.</summary>
    public static async Task<IReadOnlyList<DeliveryView>> Log(this Tenant tenant, WebhookView webhook) =>
        Tenant.Value(await tenant.Webhooks().Deliveries(tenant.Admin, webhook.Id, new PageRequest(1, PageRequest.MaxPageSize))).Items;

    /// <summary>The log entry of one contact's event.</summary>
    public static async Task<DeliveryView> LogOf(this Tenant tenant, WebhookView webhook, Guid contactId, long sequence) =>
        Assert.Single(await tenant.Log(webhook), d => d.ContactId == contactId && d.Sequence == sequence);

    /// <summary>Waits until the receiver has had <paramref name="count"/> requests (or more) and answers them all.</summary>
    public static Task<IReadOnlyList<ReceivedRequest>> Received(string url, int count) =>
        ContactKit.Eventually(() => Task.FromResult(WebhookNetwork.ReceivedBy(url)), r => r.Count >= count, $"{count} requests at {url}");

    /// <summary>Waits until the log entry satisfies <paramref name="done"/>.</summary>
    public static async Task<DeliveryView> LogEventually(this Tenant tenant, WebhookView webhook, Guid contactId, long sequence, Func<DeliveryView, bool> done, string what, Action? everySecond = null) =>
        (await ContactKit.Eventually(
            async () => (await tenant.Log(webhook)).FirstOrDefault(d => d.ContactId == contactId && d.Sequence == sequence),
            d => d is not null && done(d),
            what,
            everySecond))!;
}
