using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace WalletGrains.Grains.Routing;

/// <summary>Places a grain keyed by a silo address on that silo (or, if it is gone, on the calling silo).</summary>
[GenerateSerializer, Immutable]
public sealed class SiloLocalPlacement : PlacementStrategy
{
    internal static readonly SiloLocalPlacement Instance = new();
}

/// <summary>Marks a grain class as placed by <see cref="SiloLocalPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloLocalPlacementAttribute() : PlacementAttribute(SiloLocalPlacement.Instance);

/// <summary>Chooses the silo whose address is the grain's key.</summary>
internal sealed class SiloLocalPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var wanted = SiloAddress.FromParsableString(target.GrainIdentity.Key.ToString());
        var silos = context.GetCompatibleSilos(target);
        return Task.FromResult(silos.Contains(wanted) ? wanted : context.LocalSilo);
    }
}
