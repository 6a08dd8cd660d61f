using Microsoft.Extensions.Logging;
using WalletGrains.Abstractions.Routing;

namespace WalletGrains.Grains.Routing;

/// <summary>
/// Puts a changed fact into this silo's facts and pushes it to every other active silo, waiting for them, so that the
/// change, once acknowledged, is what every silo routes by. A silo that cannot be reached is dying or gone; it refreshes on its own within
/// <see cref="RoutingFacts.MaxAge"/> if it comes back.
/// </summary>
public sealed class RoutingFactsPublisher(
    IClusterMembershipService membership,
    ILocalSiloDetails self,
    IGrainFactory grains,
    RoutingFacts local,
    ILogger<RoutingFactsPublisher> logger)
{
    public Task Publish(UserFact fact)
    {
        local.Put(fact);
        return Broadcast(silo => silo.PutUser(fact));
    }

    public Task Publish(TeamFact fact)
    {
        local.Put(fact);
        return Broadcast(silo => silo.PutTeam(fact));
    }

    public Task Publish(WalletFact fact)
    {
        local.Put(fact);
        return Broadcast(silo => silo.PutWallet(fact));
    }

    private async Task Broadcast(Func<IRoutingFactsGrain, Task> put)
    {
        var silos = membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active && !m.SiloAddress.Equals(self.SiloAddress))
            .Select(m => grains.GetGrain<IRoutingFactsGrain>(m.SiloAddress.ToParsableString()));
        await Task.WhenAll(silos.Select(async silo =>
        {
            try
            {
                await put(silo);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "A silo did not take a routing fact; it reads the fact again within {MaxAge}.", RoutingFacts.MaxAge);
            }
        }));
    }
}
