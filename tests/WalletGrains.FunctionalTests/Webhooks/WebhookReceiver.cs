using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using WalletGrains.Abstractions.Webhooks;

namespace WalletGrains.FunctionalTests.Webhooks;

/// <summary>One event as the receiver got it: the parsed body and when it arrived (on the test's stopwatch).</summary>
public sealed record ReceivedEvent(Guid Id, string Type, Guid ContactId, long Sequence, string Reason, JsonObject Body, TimeSpan ArrivedAt);

/// <summary>
/// A chat platform's webhook endpoint, as a tiny Kestrel app on loopback: it checks every delivery's signature the way
/// the README tells receivers to, records what it got, and answers what the test tells it to. It can be stopped and
/// started again on the same port, to play a receiver that is down.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private static readonly TimeSpan SignatureTolerance = TimeSpan.FromMinutes(5);

    private readonly ConcurrentQueue<ReceivedEvent> _events = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private WebApplication? _app;
    private int _badSignatures;

    private WebhookReceiver(int port) => Port = port;

    public int Port { get; }

    /// <summary>Where subscriptions point: a host name, so the service resolves it at every connection.</summary>
    public string Url => $"http://localhost:{Port}/hooks/wallets";

    /// <summary>The subscription's signing secret; until it is set every delivery counts as badly signed.</summary>
    public string? Secret { get; set; }

    /// <summary>What the receiver answers to a well-signed delivery; it records only those it answers 2xx.</summary>
    public HttpStatusCode Answer { get; set; } = HttpStatusCode.OK;

    /// <summary>Deliveries whose signature or timestamp did not verify; always answered 401.</summary>
    public int BadSignatures => Volatile.Read(ref _badSignatures);

    /// <summary>The time on the receiver's stopwatch, for latencies.</summary>
    public TimeSpan Now => _clock.Elapsed;

    /// <summary>Every delivery that verified and was acknowledged, duplicates included, in arrival order.</summary>
    public IReadOnlyList<ReceivedEvent> All => [.. _events];

    public static async Task<WebhookReceiver> Start()
    {
        var receiver = new WebhookReceiver(RunningGateway.FreePort());
        await receiver.Resume();
        return receiver;
    }

    /// <summary>What a receiver keeps after deduping by event id: the first copy of each event, in arrival order.</summary>
    public IReadOnlyList<ReceivedEvent> Deduped() => [.. All.DistinctBy(e => e.Id)];

    /// <summary>Stops listening: connections are refused until <see cref="Resume"/>.</summary>
    public async Task Stop()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    /// <summary>Listens again on the same port.</summary>
    public async Task Resume()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://localhost:{Port}");
        var app = builder.Build();
        app.MapPost("/hooks/wallets", Receive);
        await app.StartAsync();
        _app = app;
    }

    /// <summary>Waits until the deduped events satisfy <paramref name="done"/>; gives up after <paramref name="patience"/> (liveness only).</summary>
    public async Task<IReadOnlyList<ReceivedEvent>> Until(Func<IReadOnlyList<ReceivedEvent>, bool> done, string what, TimeSpan? patience = null)
    {
        var waited = Stopwatch.StartNew();
        var events = Deduped();
        while (!done(events) && waited.Elapsed < (patience ?? TimeSpan.FromMinutes(2)))
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
            events = Deduped();
        }

        Assert.True(done(events), $"Gave up waiting: {what}. The receiver has {events.Count} distinct events ({All.Count} deliveries).");
        return events;
    }

    public async ValueTask DisposeAsync() => await Stop();

    private async Task<IResult> Receive(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        if (!Verifies(request, body))
        {
            Interlocked.Increment(ref _badSignatures);
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        // Like a receiver that fails before processing: only deliveries it acknowledges count as received.
        var answer = (int)Answer;
        if (answer is >= 200 and < 300)
        {
            var json = JsonNode.Parse(body)!.AsObject();
            _events.Enqueue(new ReceivedEvent(
                json["id"]!.GetValue<Guid>(), json["type"]!.GetValue<string>(), json["contactId"]!.GetValue<Guid>(),
                json["sequence"]!.GetValue<long>(), json["reason"]!.GetValue<string>(), json, _clock.Elapsed));
        }

        return Results.StatusCode(answer);
    }

    /// <summary>The check the README describes: HMAC-SHA256 of "timestamp.body" with the secret, and a recent timestamp.</summary>
    private bool Verifies(HttpRequest request, byte[] body)
    {
        var timestamp = request.Headers[WebhookHeaders.Timestamp].ToString();
        var signature = request.Headers[WebhookHeaders.Signature].ToString();
        if (Secret is null || !long.TryParse(timestamp, out var seconds)
            || (DateTimeOffset.UtcNow - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > SignatureTolerance)
        {
            return false;
        }

        byte[] signed = [.. Encoding.UTF8.GetBytes(timestamp + "."), .. body];
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), signed));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature));
    }
}

/// <summary>Steps of the webhook tests: subscribing a receiver and reading delivery logs over HTTP.</summary>
internal static class WebhookSteps
{
    /// <summary>Subscribes the receiver to every event type and gives it the secret from the creation answer.</summary>
    public static async Task<Guid> Subscribe(this Account account, WebhookReceiver receiver)
    {
        var created = Expect.Status(HttpStatusCode.Created, await account.Post("/api/v1/webhooks", new { url = receiver.Url, description = "CRM" }));
        receiver.Secret = created["secret"];
        return created.Id;
    }

    public static async Task<JsonNode> Deliveries(this Account account, Guid webhook, int pageNumber = 1, int pageSize = 100) =>
        Expect.Status(HttpStatusCode.OK, await account.Get($"/api/v1/webhooks/{webhook}/deliveries?pageNumber={pageNumber}&pageSize={pageSize}")).Json!;

    /// <summary>Every entry of the delivery log.</summary>
    public static async Task<List<JsonNode>> AllDeliveries(this Account account, Guid webhook)
    {
        var all = new List<JsonNode>();
        for (var page = 1; ; page++)
        {
            var reply = await account.Deliveries(webhook, page);
            all.AddRange(reply["items"]!.AsArray().Select(i => i!));
            if (!reply["hasMorePages"]!.GetValue<bool>())
            {
                return all;
            }
        }
    }

    /// <summary>Asserts that, per contact, the deduped events came in sequence order, and answers them grouped by contact.</summary>
    public static Dictionary<Guid, long[]> InContactOrder(IReadOnlyList<ReceivedEvent> events)
    {
        var byContact = events.GroupBy(e => e.ContactId).ToDictionary(g => g.Key, g => g.Select(e => e.Sequence).ToArray());
        foreach (var (contact, sequences) in byContact)
        {
            Assert.True(sequences.Order().SequenceEqual(sequences), $"Contact {contact} got its events out of order: {string.Join(",", sequences)}");
        }

        return byContact;
    }
}
