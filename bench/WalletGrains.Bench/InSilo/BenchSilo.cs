using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WalletGrains.Silo.Hosting;
using WalletGrains.Silo.Storage;

namespace WalletGrains.Bench.InSilo;

/// <summary>
/// A silo in the benchmark's own process, wired exactly as the product's (<see cref="SiloExtensions.AddWalletGrainsSilo"/>):
/// the product's grains, Redis-protocol clustering, grain storage and reminders, plus the benchmark's probe grain. It forms
/// a cluster of its own (its own cluster and service ids), so it can share a store with a running server.
/// </summary>
internal static class BenchSilo
{
    /// <summary>A silo on the Redis-protocol store at <paramref name="store"/> (host:port), leaving durability to its settings.</summary>
    public static Task<IHost> OnStore(string store, TimeSpan? sweepPeriod = null) =>
        Start(builder => builder.Configuration["Cluster:StoreConnectionString"] = $"{store},abortConnect=false", sweepPeriod);

    /// <summary>
    /// A silo on the server's embedded Garnet at <paramref name="store"/> (host:port) whose storage answers once the store has
    /// committed (<see cref="CommitCommand"/>), as the server's own silo does in-process.
    /// </summary>
    public static async Task<IHost> OnServerStore(string store)
    {
        var commits = await CommitCommand.Connect(store);
        return await Start(builder =>
        {
            builder.Configuration["Cluster:StoreConnectionString"] = $"{store},abortConnect=false";
            ((IHostApplicationBuilder)builder).Properties[typeof(StoreCommitWait)] = commits;
        }, sweepPeriod: null);
    }

    /// <summary>A silo on its own embedded Garnet store under <paramref name="dataDirectory"/>, as the embedded default runs.</summary>
    public static Task<IHost> OnEmbeddedStore(string dataDirectory, TimeSpan? sweepPeriod = null) =>
        Start(builder =>
        {
            builder.Configuration["Store:DataDirectory"] = dataDirectory;
            builder.AddEmbeddedStore();
        }, sweepPeriod);

    private static async Task<IHost> Start(Action<HostApplicationBuilder> store, TimeSpan? sweepPeriod)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var cluster = "bench-" + Guid.NewGuid().ToString("N")[..8];
        builder.Configuration["Cluster:ClusterId"] = cluster;
        builder.Configuration["Cluster:ServiceId"] = cluster;
        builder.Configuration["Cluster:SiloPort"] = Running.ChildProcess.FreePort().ToString(CultureInfo.InvariantCulture);
        builder.Configuration["Cluster:GatewayPort"] = "0";
        if (sweepPeriod is { } period)
        {
            builder.Configuration["Expiry:SweepPeriod"] = period.ToString("c", CultureInfo.InvariantCulture);
        }

        store(builder);
        builder.AddWalletGrainsSilo();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    public static IGrainFactory Grains(this IHost host) => host.Services.GetRequiredService<IGrainFactory>();
}
