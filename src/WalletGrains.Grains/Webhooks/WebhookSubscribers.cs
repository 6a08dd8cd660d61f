using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using WalletGrains.Abstractions.Webhooks;

namespace WalletGrains.Grains.Webhooks;

/// <summary>
/// Per silo: whether an account has any webhook subscription, remembered for
/// <see cref="WebhookOptions.SubscriptionCacheTime"/>. Contacts ask it whenever they record a change, so an account
/// without subscriptions costs its contacts no grain call and no outbox: one call per account and silo per period.
/// </summary>
internal sealed class WebhookSubscribers(IGrainFactory grains, IOptions<WebhookOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<Guid, Entry> _accounts = new();

    public ValueTask<bool> Any(Guid accountId)
    {
        var now = clock.GetUtcNow();
        if (_accounts.TryGetValue(accountId, out var entry) && now - entry.ReadAt < options.Value.SubscriptionCacheTime && entry.Answer.IsCompletedSuccessfully)
        {
            return new ValueTask<bool>(entry.Answer.Result);
        }

        // Concurrent askers share one refresh; a failed one is not remembered.
        if (entry is null || entry.Answer.IsCompleted)
        {
            entry = new Entry(now, grains.GetGrain<IWebhookSubscriptionsGrain>(accountId).Any());
            _accounts[accountId] = entry;
        }

        return new ValueTask<bool>(entry.Answer);
    }

    private sealed record Entry(DateTimeOffset ReadAt, Task<bool> Answer);
}
