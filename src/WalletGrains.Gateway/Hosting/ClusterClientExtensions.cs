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
        });
        return builder;
    }
}
