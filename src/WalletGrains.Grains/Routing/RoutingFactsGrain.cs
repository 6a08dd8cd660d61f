using WalletGrains.Abstractions.Routing;

namespace WalletGrains.Grains.Routing;

/// <summary>The door into one silo's <see cref="RoutingFacts"/>: keyed by the silo's address and placed on it.</summary>
[SiloLocalPlacement]
internal sealed class RoutingFactsGrain(RoutingFacts facts) : Grain, IRoutingFactsGrain
{
    public Task PutUser(UserFact fact)
    {
        facts.Put(fact);
        return Task.CompletedTask;
    }

    public Task PutTeam(TeamFact fact)
    {
        facts.Put(fact);
        return Task.CompletedTask;
    }

    public Task PutWallet(WalletFact fact)
    {
        facts.Put(fact);
        return Task.CompletedTask;
    }
}
