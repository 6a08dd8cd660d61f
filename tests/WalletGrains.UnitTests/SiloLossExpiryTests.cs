using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Storage;
using Orleans.TestingHost;
using WalletGrains.Abstractions.Contacts;
using WalletGrains.Grains.Common;
using WalletGrains.Grains.Indexes;
using WalletGrains.Grains.Routing;
using WalletGrains.Grains.Webhooks;
using WalletGrains.UnitTests.Infrastructure;
using WalletGrains.UnitTests.Webhooks;

namespace WalletGrains.UnitTests;

/// <summary>
/// Spec §2 expiry and §5: deadlines of contacts whose silo is gone still fire on the surviving silos. This test stops a
/// silo, so it runs on a cluster and a clock of its own (stopping a silo of the shared fixture would disturb other
/// tests), with grain storage held by the process so that the stopped silo takes no data with it.
/// </summary>
public sealed class SiloLossExpiryTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Contacts_whose_silo_was_stopped_are_released_by_the_sweep_on_the_surviving_silo()
    {
        var builder = new TestClusterBuilder(initialSilosCount: 1);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync(TestContext.Current.CancellationToken);
        try
        {
            var grains = cluster.GrainFactory;
            var tenant = await Tenant.Create(grains);
            var ana = await tenant.User("Ana");
            var wallet = await tenant.SingleWallet(await tenant.Team(ana), [ana], timeLimit: "PT1M");
            var extra = await cluster.StartAdditionalSiloAsync();

            // Bind contacts until enough of them live on the extra silo (placement is the cluster's choice).
            var onExtra = new List<Guid>();
            var all = new List<Guid>();
            var deadline = DateTimeOffset.MinValue;
            for (var i = 0; i < 400 && onExtra.Count < 10; i++)
            {
                var contact = await tenant.Include(await tenant.Contact(), wallet, ana.Id);
                all.Add(contact.Id);
                deadline = contact.In(wallet).Deadline!.Value > deadline ? contact.In(wallet).Deadline!.Value : deadline;
                if (await grains.ActivationOf(tenant.ContactGrain(contact.Id)) == extra.SiloAddress)
                {
                    onExtra.Add(contact.Id);
                }
            }

            Assert.True(onExtra.Count > 0, $"None of {all.Count} contacts was placed on the extra silo.");
            TestContext.Current.TestOutputHelper?.WriteLine($"{onExtra.Count} of {all.Count} contacts were placed on the extra silo.");
            await cluster.StopSiloAsync(extra, TestContext.Current.CancellationToken);
            Assert.All(await Task.WhenAll(onExtra.Select(id => grains.IsActive(tenant.ContactGrain(id)))), Assert.False);

            // Past every deadline's bucket slot, then the sweepers run on the surviving silo.
            Clock.Advance(deadline - Clock.GetUtcNow() + TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
            await Task.WhenAll(Enumerable.Range(0, IExpiryBucketGrain.Shards).Select(shard => grains.GetGrain<IExpirySweeperGrain>(shard).Sweep()));

            // The member index is written by each contact as it expires; no contact was called by the test.
            Assert.Empty(await tenant.OwnedInIndex(wallet.Id, ana.Id));
            Assert.Equal(all.Count, await tenant.WalletGrain(wallet.Id).CountContacts());
            foreach (var id in onExtra)
            {
                var now = await tenant.Read(id);
                Assert.True(now.IsIn(wallet));
                Assert.Empty(now.Owners());
                var expired = (await tenant.History(id))[0];
                Assert.Equal((HistoryKind.Expired, (Guid?)ana.Id, (Guid?)null, "time-limit"), (expired.Kind, expired.UserId, expired.ActorUserId, expired.Reason));
            }
        }
        finally
        {
            await ClusterFixture.StopAndDispose(cluster);
        }
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo) => silo
            .AddMemoryStreams(ContactEvents.StreamProvider)
            .AddWalletGrainsRoutingFacts()
            .Configure<SiloMessagingOptions>(ClusterFixture.OnFakeClock)
            .ConfigureServices(services => ProcessIndexStore.Register(services)
                .AddSingleton<TimeProvider>(Clock)
                .AddKeyedSingleton<IGrainStorage>(Stores.Default, (sp, _) => new ProcessGrainStorage(sp.GetRequiredService<Orleans.Serialization.Serializer>()))
                .AddKeyedSingleton<IGrainStorage>(Stores.Contacts, (sp, _) => new IndexedGrainStorage(
                    new ProcessGrainStorage(sp.GetRequiredService<Orleans.Serialization.Serializer>()), sp.GetRequiredService<IIndexStore>()))
                .AddKeyedSingleton<IGrainStorage>("PubSubStore", (sp, _) => new ProcessGrainStorage(sp.GetRequiredService<Orleans.Serialization.Serializer>()))
                .AddWebhookDelivery(WebhookNetwork.Handler, WebhookNetwork.Resolve));
    }
}
