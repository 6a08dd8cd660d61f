using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;
using WalletGrains.Abstractions.Contacts;
using WalletGrains.Grains.Common;
using WalletGrains.Grains.Contacts;
using WalletGrains.Grains.Expiry;
using WalletGrains.Grains.Indexes;
using WalletGrains.Grains.Routing;
using WalletGrains.Grains.Webhooks;
using WalletGrains.UnitTests.Webhooks;

[assembly: AssemblyFixture(typeof(ClusterFixture))]

namespace WalletGrains.UnitTests.Infrastructure;

/// <summary>
/// An in-process test cluster of two silos on in-memory storage, streams and reminders, with a fake clock shared
/// by every silo and the expiry sweep running as in the real silo. Tests isolate themselves by creating their own
/// account. The clock also drives grain timers and reminders, so tests that move it by more than a few seconds belong
/// to the <see cref="SharedClock"/> collection, which runs alone. It drives Orleans' own waits too, which a jump of the
/// clock must not cut short or leave hanging: a call still in flight when a test moves the clock by an hour would fail
/// as timed out, and so would a grain placement under way (a webhook dispatcher's queue write failed both ways, and the
/// activation reloaded an older queue). So the silos wait a year of fake time for a response and a day (the most
/// Orleans' placement pipeline accepts) for a placement, and a placement that fails for a moment is retried at once
/// rather than after a backoff on a clock that only tests move.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>The clock every silo of the cluster reads. Tests that move it must not rely on other tests' times.</summary>
    public static FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 5, 12, 0, 0, TimeSpan.Zero));

    public TestCluster Cluster { get; private set; } = null!;

    private static readonly TimeSpan FakeTimeResponseTimeout = TimeSpan.FromDays(365);

    private static readonly TimeSpan FakeTimePlacementTimeout = TimeSpan.FromDays(1);

    // The silos stop gracefully within this real time, or are stopped as they are: a stop waiting on the fake clock
    // would otherwise hold the test run forever.
    private static readonly TimeSpan StopTimeout = TimeSpan.FromMinutes(1);

    public IGrainFactory Grains => Cluster.GrainFactory;

    /// <summary>The waits of a silo whose clock only tests move (see the class remarks); any test cluster on a fake clock uses them.</summary>
    public static void OnFakeClock(SiloMessagingOptions options)
    {
        options.ResponseTimeout = FakeTimeResponseTimeout;
        options.PlacementTimeout = FakeTimePlacementTimeout;
        options.PlacementRetryBaseDelay = TimeSpan.Zero;
    }

    public async ValueTask InitializeAsync()
    {
        var builder = new TestClusterBuilder(initialSilosCount: 2);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public ValueTask DisposeAsync() => StopAndDispose(Cluster);

    /// <summary>Stops a test cluster on a fake clock, gracefully within <see cref="StopTimeout"/> or else as it is, and disposes it.</summary>
    public static async ValueTask StopAndDispose(TestCluster cluster)
    {
        using var stop = new CancellationTokenSource(StopTimeout);
        await cluster.StopAllSilosAsync(stop.Token);
        await cluster.DisposeAsync();
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(Microsoft.Extensions.Configuration.IConfiguration configuration, IClientBuilder client) =>
            client.AddMemoryStreams(ContactEvents.StreamProvider)
                .Configure<ClientMessagingOptions>(o => o.ResponseTimeout = FakeTimeResponseTimeout);
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        // Like the real silo (AddWalletGrainsExpiry): the expiry sweepers start with the silo and their reminder ticks
        // every minute of the fake clock. Orleans' reminder service reads the same clock (its keyed TimeProvider
        // falls back to the silo's), so advancing Clock past a minute boundary makes the sweep run.
        public void Configure(ISiloBuilder silo) => silo
            // Like the real silo's store: Orleans' binary format, which reads back the read-only collections that the
            // default JSON storage serializer cannot rebuild (without it a contact could not reactivate).
            .AddMemoryGrainStorage(Stores.Default, options => options.Configure<Serializer>(
                (o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer)))
            .AddMemoryGrainStorage("PubSubStore")
            .AddMemoryStreams(ContactEvents.StreamProvider)
            .UseInMemoryReminderService()
            .AddWalletGrainsRoutingFacts()
            .Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1))
            .Configure<SiloMessagingOptions>(OnFakeClock)
            .ConfigureServices(services => ProcessIndexStore.Register(services)
                // The contacts' storage keeps their index entries, as the store's does (on the same in-memory storage).
                .AddKeyedSingleton<IGrainStorage>(Stores.Contacts, (sp, _) => new IndexedGrainStorage(
                    sp.GetRequiredKeyedService<IGrainStorage>(Stores.Default), sp.GetRequiredService<IIndexStore>()))
                .AddSingleton<TimeProvider>(Clock)
                .Configure<ExpiryOptions>(o => o.SweepPeriod = TimeSpan.FromMinutes(1))
                .Configure<ContactEventOptions>(o => o.Stream = true)
                // Webhooks with their default settings, sent to the test's fake network instead of sockets.
                .AddWebhookDelivery(WebhookNetwork.Handler, WebhookNetwork.Resolve))
            .AddIncomingGrainCallFilter<GrainCalls>()
            .AddStartupTask((services, _) => ExpirySweep.Start(services.GetRequiredService<IGrainFactory>()));
    }
}
