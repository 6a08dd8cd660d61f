using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using WalletGrains.Abstractions.Routing;

namespace WalletGrains.Grains.Routing;

/// <summary>Registers the per-silo routing facts, the sticky routes its gateway answers, and the placement that puts each silo's door on that silo.</summary>
public static class RoutingFactsExtensions
{
    public static ISiloBuilder AddWalletGrainsRoutingFacts(this ISiloBuilder silo)
    {
        silo.Services.AddSingleton<RoutingFacts>();
        silo.Services.AddSingleton<StickyRoutes>();
        silo.Services.AddSingleton<ILocalRoutes>(services => services.GetRequiredService<StickyRoutes>());
        silo.Services.AddSingleton<RoutingFactsPublisher>();
        silo.AddPlacementDirector<SiloLocalPlacement, SiloLocalPlacementDirector>();
        return silo;
    }
}
