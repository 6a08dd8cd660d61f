using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WalletGrains.Abstractions.Webhooks;

namespace WalletGrains.Grains.Webhooks;

/// <summary>The outcome of one attempt: the receiver's status code, or why there was none.</summary>
internal readonly record struct AttemptOutcome(int? StatusCode, string? Error)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}

/// <summary>
/// POSTs one event to one receiver, signed with the subscription's secret, within the attempt timeout. One pooled
/// client per silo; its connections go only to addresses <see cref="WebhookAddressPolicy"/> allows at connect time,
/// never through a proxy, and redirects are not followed (a redirect could lead anywhere).
/// </summary>
internal sealed class WebhookSender(HttpMessageHandler handler, IOptions<WebhookOptions> options, TimeProvider clock) : IDisposable
{
    private const int MaxErrorLength = 300;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly Meter Meter = new("WalletGrains");
    private static readonly Counter<long> Attempts = Meter.CreateCounter<long>("walletgrains.webhook.attempts", description: "Webhook delivery attempts, by outcome.");

    private readonly HttpClient _http = new(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>The production handler: pooled connections that connect only to allowed addresses.</summary>
    public static SocketsHttpHandler CreateHandler(WebhookAddressPolicy policy, TimeSpan connectTimeout) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        ConnectTimeout = connectTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = async (context, cancellation) =>
        {
            var addresses = await policy.Resolve(context.DnsEndPoint.Host, cancellation);
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellation);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    /// <summary>The body of a delivery: the event's stable JSON shape.</summary>
    public static byte[] Body(ContactEvent change) => JsonSerializer.SerializeToUtf8Bytes(WebhookEvent.Of(change), Json);

    /// <summary><c>sha256=</c> and the hex HMAC-SHA256 of <c>timestamp + "." + body</c>, keyed by the secret.</summary>
    public static string Sign(string secret, string timestamp, byte[] body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed, prefix.Length);
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    public async Task<AttemptOutcome> Send(WebhookTarget target, ContactEvent change, int attempt)
    {
        var body = Body(change);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        request.Headers.UserAgent.ParseAdd("WalletGrains-Webhooks/1");
        request.Headers.Add(WebhookHeaders.EventId, change.Id.ToString());
        request.Headers.Add(WebhookHeaders.EventType, WebhookEventTypes.Of(change.Kind));
        request.Headers.Add(WebhookHeaders.Timestamp, timestamp);
        request.Headers.Add(WebhookHeaders.Signature, Sign(target.Secret, timestamp, body));
        request.Headers.Add(WebhookHeaders.Attempt, attempt.ToString(CultureInfo.InvariantCulture));

        using var timeout = new CancellationTokenSource(options.Value.DeliveryTimeout, clock);
        AttemptOutcome outcome;
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            outcome = new AttemptOutcome((int)response.StatusCode, response.IsSuccessStatusCode ? null : $"The receiver answered {(int)response.StatusCode}.");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            outcome = new AttemptOutcome(null, $"No answer within {options.Value.DeliveryTimeout.TotalSeconds:0.###} s.");
        }
        catch (HttpRequestException e)
        {
            outcome = new AttemptOutcome(null, Describe(e));
        }

        Attempts.Add(1, new KeyValuePair<string, object?>("outcome", outcome.Succeeded ? "delivered" : "failed"));
        return outcome;
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The innermost message of a connection failure, short; it names the host, never the secret.</summary>
    private static string Describe(Exception e)
    {
        var message = e.InnerException is { } inner && e.Message.Contains("error occurred while sending", StringComparison.Ordinal) ? inner.Message : e.Message;
        return message.Length <= MaxErrorLength ? message : message[..MaxErrorLength];
    }
}
