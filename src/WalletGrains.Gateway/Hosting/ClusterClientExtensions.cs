using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using StackExchange.Redis;
using WalletGrains.ServiceDefaults;

namespace WalletGrains.Gateway.Hosting;

/// <summary>Connects a gateway-only process to the cluster's silos through the shared membership table.</summary>
public static class ClusterClientExtensions
{
    /// <summary>
    /// How long a grain call may take before the gateway answers 503. Orleans' default (30 s) outlasts what HTTP
    /// clients wait; a call stuck on a silo that just died fails within this time and the client retries.
    /// </summary>
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How often the gateway rereads the membership table for silos' client ports: a silo that joins (or comes back) takes requests this soon.</summary>
    public static readonly TimeSpan GatewayListRefreshPeriod = TimeSpan.FromSeconds(10);

    public static TBuilder AddWalletGrainsClient<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        var cluster = builder.Configuration.GetSection(ClusterSettings.Section).Get<ClusterSettings>() ?? new ClusterSettings();
        if (string.IsNullOrWhiteSpace(cluster.StoreConnectionString))
        {
            throw new InvalidOperationException(
                $"{ClusterSettings.Section}:{nameof(ClusterSettings.StoreConnectionString)} must name the shared Redis-protocol store in Gateway mode.");
        }

        var store = ConfigurationOptions.Parse(cluster.StoreConnectionString);
        store.AbortOnConnectFail = false;
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            client.UseRedisClustering(o => o.ConfigurationOptions = store);
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = ResponseTimeout);
            client.Configure<Orleans.Configuration.GatewayOptions>(o => o.GatewayListRefreshPeriod = GatewayListRefreshPeriod);
        });
        return builder;
    }
}
