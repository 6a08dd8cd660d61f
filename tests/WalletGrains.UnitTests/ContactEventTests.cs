using System.Collections.Concurrent;
using Orleans.Runtime;
using WalletGrains.Abstractions.Contacts;
using Orleans.Streams;

namespace WalletGrains.UnitTests;

/// <summary>
/// §2 Events: every membership and ownership change is published on the account's stream. The memory stream's
/// pulling agents run on the silos' clock, so this test moves the shared clock in small steps to let them deliver.
/// </summary>
[Collection(SharedClock.Name)]
public sealed class ContactEventTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Every_membership_and_ownership_change_is_published_with_a_unique_id_and_the_contacts_sequence()
    {
        var tenant = await Tenant.Create(fixture.Grains);
        var ana = await tenant.User("Ana");
        var team = await tenant.Team(ana);
        var wallet = await tenant.SingleWallet(team, [ana], name: "Vendas");

        var received = new ConcurrentQueue<ContactEvent>();
        var threeArrived = new TaskCompletionSource();
        var stream = fixture.Cluster.Client.GetStreamProvider(ContactEvents.StreamProvider)
            .GetStream<ContactEvent>(StreamId.Create(ContactEvents.Namespace, tenant.Account.Id));
        var subscription = await stream.SubscribeAsync((change, _) =>
        {
            received.Enqueue(change);
            if (received.Count >= 3)
            {
                threeArrived.TrySetResult();
            }

            return Task.CompletedTask;
        });

        try
        {
            var contact = await tenant.Include(await tenant.Contact(), wallet, ana.Id);
            Tenant.Value(await tenant.ContactGrain(contact.Id).Complete(tenant.Admin, ana.Id, Classification.Won));

            // The pulling agents poll on the fake clock: step it until the events are delivered (bounded; liveness only).
            for (var step = 0; step < 200 && !threeArrived.Task.IsCompleted; step++)
            {
                ClusterFixture.Clock.Advance(TimeSpan.FromMilliseconds(200));
                await Task.Delay(10, TestContext.Current.CancellationToken);
            }

            var events = received.Where(e => e.ContactId == contact.Id).ToList();
            Assert.Equal([HistoryKind.Joined, HistoryKind.Bound, HistoryKind.Released], events.Select(e => e.Kind));
            Assert.Equal([1L, 2L, 3L], events.Select(e => e.Sequence));
            Assert.Equal(3, events.Select(e => e.Id).Distinct().Count());
            Assert.All(events, e => Assert.Equal(wallet.Id, e.WalletId));
            Assert.Equal("sale", events[2].Reason);
        }
        finally
        {
            await subscription.UnsubscribeAsync();
        }
    }
}
