using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using StackExchange.Redis;
using WalletGrains.Abstractions.Contacts;
using WalletGrains.Grains.Common;
using WalletGrains.Grains.Contacts;
using WalletGrains.Grains.Expiry;
using WalletGrains.Grains.Indexes;
using WalletGrains.Grains.Routing;
using WalletGrains.Grains.Webhooks;
using WalletGrains.ServiceDefaults;
using WalletGrains.Silo.Storage;

namespace WalletGrains.Silo.Hosting;

/// <summary>Wires a WalletGrains silo: Redis-protocol clustering, grain storage and reminders.</summary>
public static class SiloExtensions
{
    /// <summary>
    /// Starts the embedded Garnet store under the data directory and points the cluster settings at it,
    /// so the embedded default runs exactly the providers a cluster runs.
    /// </summary>
    public static TBuilder AddEmbeddedStore<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        var options = builder.Configuration.GetSection(StoreOptions.Section).Get<StoreOptions>() ?? new StoreOptions();
        var invalid = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), invalid, validateAllProperties: true))
        {
            throw new InvalidOperationException("Invalid store settings: " + string.Join("; ", invalid.Select(r =>
                $"{string.Join(", ", r.MemberNames.Select(m => $"{StoreOptions.Section}:{m}"))}: {r.ErrorMessage}")));
        }

        // The store starts before the host exists, so it logs through a console logger of its own (warnings and up,
        // plus its one start-up line): recovery problems must be visible.
        var loggers = LoggerFactory.Create(logging => logging.AddSimpleConsole().AddFilter("WalletGrains.Silo.Storage", LogLevel.Information).SetMinimumLevel(LogLevel.Warning));
        var garnet = EmbeddedGarnet.Start(Path.Combine(options.DataDirectoryPath, "store"), options.EmbeddedPort, loggers.CreateLogger<EmbeddedGarnet>());
        builder.Configuration[$"{ClusterSettings.Section}:{nameof(ClusterSettings.StoreConnectionString)}"] = garnet.ConnectionString;
        builder.Properties[typeof(StoreCommitWait)] = new StoreCommitWait(garnet.UntilCommitted);
        builder.Configuration[$"{ClusterSettings.Section}:{nameof(ClusterSettings.GatewayPort)}"] ??= "0";

        // Registered before the silo, so it stops after the silo has handed off and written its last state.
        builder.Services.AddHostedService(_ => new EmbeddedStoreLifetime(garnet, loggers));
        return builder;
    }

    /// <summary>The durable expiry sweep: its period from the <c>Expiry</c> section, its sweepers started with the silo.</summary>
    public static ISiloBuilder AddWalletGrainsExpiry(this ISiloBuilder silo, IConfiguration configuration)
    {
        var expiry = configuration.GetSection(ExpiryOptions.Section).Get<ExpiryOptions>() ?? new ExpiryOptions();
        silo.Services.AddOptions<ExpiryOptions>().BindConfiguration(ExpiryOptions.Section);
        silo.Configure<ReminderOptions>(o =>
        {
            if (expiry.SweepPeriod < o.MinimumReminderPeriod)
            {
                o.MinimumReminderPeriod = expiry.SweepPeriod;
            }
        });
        silo.AddStartupTask((services, _) => ExpirySweep.Start(services.GetRequiredService<IGrainFactory>()));
        return silo;
    }

    /// <summary>Webhook delivery: its settings from the <c>Webhooks</c> section (checked at start), the sender and the subscription cache.</summary>
    public static ISiloBuilder AddWalletGrainsWebhooks(this ISiloBuilder silo, IConfiguration configuration)
    {
        var webhooks = configuration.GetSection(WebhookOptions.Section).Get<WebhookOptions>() ?? new WebhookOptions();
        silo.Services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        silo.Services.AddWebhookDelivery();
        silo.Configure<ReminderOptions>(o =>
        {
            if (webhooks.ReminderPeriod < o.MinimumReminderPeriod)
            {
                o.MinimumReminderPeriod = webhooks.ReminderPeriod;
            }
        });
        return silo;
    }

    public static TBuilder AddWalletGrainsSilo<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        var cluster = builder.Configuration.GetSection(ClusterSettings.Section).Get<ClusterSettings>() ?? new ClusterSettings();
        if (string.IsNullOrWhiteSpace(cluster.StoreConnectionString))
        {
            throw new InvalidOperationException(
                $"{ClusterSettings.Section}:{nameof(ClusterSettings.StoreConnectionString)} must name the shared Redis-protocol store in Silo mode.");
        }

        var store = ConfigurationOptions.Parse(cluster.StoreConnectionString);
        store.AbortOnConnectFail = false;
        builder.Services.AddOptions<ClusterSettings>().BindConfiguration(ClusterSettings.Section).ValidateDataAnnotations().ValidateOnStart();

        // Grain state and the indexes next to it share one set of connections to the store.
        var commits = builder.Properties.TryGetValue(typeof(StoreCommitWait), out var wait) ? (StoreCommitWait)wait : null;
        var pooled = store.Clone();

        // On the .NET thread pool rather than StackExchange.Redis' own dedicated threads, which on two cores spent a
        // third of the CPU of a write-heavy load waiting for work.
        pooled.SocketManager = SocketManager.ThreadPool;
        var connection = new StoreConnection(pooled, cluster.StorageConnections, commits, RedisIndexedGrainStorage.StatePrefix(cluster.ServiceId));
        builder.Services.AddSingleton(_ => connection);
        builder.Services.AddSingleton<IIndexStore, RedisIndexStore>();
        builder.Services.AddOptions<ContactEventOptions>().BindConfiguration(ContactEventOptions.Section);

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            silo.ConfigureEndpoints(IPAddress.Parse(cluster.AdvertisedAddress), cluster.SiloPort, cluster.GatewayPort);
            // Membership keeps a connection of its own, outside the commit wait of the embedded store: each start is a new
            // silo generation that writes its own row, so a row lost with a crash only leaves a stale entry to be declared dead.
            silo.UseRedisClustering(o => o.ConfigurationOptions = store.Clone());
            // Every grain's state (and the stream subscriptions) on the same store and connections, in Orleans' own
            // version-tolerant binary format (every state type is [GenerateSerializer] with stable ids; it reads back the
            // read-only collections and records that JSON serializers cannot rebuild). One storage for all: its writes
            // stay exclusive on a store that interleaves scripts (the embedded Garnet), and a contact's state is written
            // together with the index entries it names.
            silo.Services.AddSingleton(services => new RedisIndexedGrainStorage(
                connection,
                services.GetRequiredService<Serializer>(),
                services.GetRequiredService<IOptions<ClusterOptions>>()));
            foreach (var name in (string[])[Stores.Default, Stores.Contacts, "PubSubStore"])
            {
                silo.Services.AddKeyedSingleton<IGrainStorage>(name, (services, _) => services.GetRequiredService<RedisIndexedGrainStorage>());
            }

            // Contact events: on an in-memory stream, and durably to webhook subscriptions.
            silo.AddMemoryStreams(ContactEvents.StreamProvider);
            silo.UseRedisReminderService(o =>
            {
                o.ConfigurationOptions = store.Clone();
                o.CreateMultiplexer = async _ => (await connection.Get(), true);
            });
            silo.AddWalletGrainsExpiry(builder.Configuration);
            silo.AddWalletGrainsWebhooks(builder.Configuration);

            // A call that fails part-way (the store or a silo went away) leaves no half-applied state in memory.
            silo.AddIncomingGrainCallFilter<DeactivateOnFailureFilter>();
            silo.AddWalletGrainsRoutingFacts();
            if (cluster.KubernetesHosting)
            {
                silo.UseKubernetesHosting();
            }
        });
        return builder;
    }
}
