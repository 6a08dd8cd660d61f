using System.ComponentModel.DataAnnotations;

namespace WalletGrains.Grains.Webhooks;

/// <summary>Webhook delivery settings, bound from the <c>Webhooks</c> section.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Whether receivers on loopback addresses (127.0.0.0/8, ::1, <c>localhost</c>) are allowed. Off in production; tests turn it on.</summary>
    public bool AllowLoopback { get; set; }

    /// <summary>Whether receivers on private networks (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7) are allowed.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Host names or addresses allowed even when they are (or resolve to) loopback or private addresses. Never link-local or metadata ones.</summary>
    public IList<string> AllowedHosts { get; } = [];

    /// <summary>How long a silo trusts its answer to "does this account have a subscription?"; a new subscription sees changes from about this long after its creation.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan SubscriptionCacheTime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one delivery attempt may take, connection included.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Wait after the first failed attempt; each further failure doubles it, up to <see cref="RetryMaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest wait between two attempts.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long after an event is accepted its delivery is retried before it is marked failed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Deliveries in flight at once per dispatcher shard (an account has <c>IWebhookDispatcherGrain.Shards</c>).</summary>
    [Range(1, 1024)]
    public int MaxConcurrentDeliveries { get; set; } = 16;

    /// <summary>Period of the reminder that wakes a dispatcher holding pending deliveries after a deactivation or a lost silo.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The wait before the next attempt after <paramref name="attempts"/> failed ones.</summary>
    public TimeSpan Backoff(int attempts)
    {
        var doublings = Math.Clamp(attempts - 1, 0, 30);
        var delay = RetryBaseDelay * Math.Pow(2, doublings);
        return delay > RetryMaxDelay ? RetryMaxDelay : delay;
    }
}
