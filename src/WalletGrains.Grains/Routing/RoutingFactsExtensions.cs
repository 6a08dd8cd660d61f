using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;

namespace WalletGrains.Grains.Routing;

/// <summary>Registers the per-silo routing facts and the placement that puts each silo's door on that silo.</summary>
public static class RoutingFactsExtensions
{
    public static ISiloBuilder AddWalletGrainsRoutingFacts(this ISiloBuilder silo)
    {
        silo.Services.AddSingleton<RoutingFacts>();
        silo.Services.AddSingleton<RoutingFactsPublisher>();
        silo.AddPlacementDirector<SiloLocalPlacement, SiloLocalPlacementDirector>();
        return silo;
    }
}
