using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace WalletGrains.Grains.Webhooks;

/// <summary>Registers what webhook delivery needs in a silo; options come from <see cref="WebhookOptions"/>.</summary>
public static class WebhookServices
{
    /// <summary>
    /// The address policy, the per-silo subscription cache and the sender. Tests may put their own message handler in
    /// place of the network and their own resolver in place of DNS; a silo passes neither.
    /// </summary>
    public static IServiceCollection AddWebhookDelivery(
        this IServiceCollection services,
        HttpMessageHandler? handler = null,
        Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
    {
        services.TryAddSingleton(sp => new WebhookAddressPolicy(sp.GetRequiredService<IOptions<WebhookOptions>>(), resolve));
        services.TryAddSingleton<WebhookSubscribers>();
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<WebhookOptions>>();
            return new WebhookSender(
                handler ?? WebhookSender.CreateHandler(sp.GetRequiredService<WebhookAddressPolicy>(), options.Value.DeliveryTimeout),
                options,
                sp.GetRequiredService<TimeProvider>());
        });
        return services;
    }
}
