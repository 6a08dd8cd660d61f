using Orleans.Runtime;

namespace WalletGrains.Gateway.Hosting;

/// <summary>
/// References to Guid-keyed grains without the per-call interface lookup of <c>GetGrain&lt;T&gt;(Guid)</c>, which
/// reads the interface's attributes by reflection every time: the grain and interface types are resolved once per
/// interface, then each reference is built from its id. For the per-request references of the hot paths.
/// </summary>
internal static class GrainReferences
{
    public static T ByGuid<T>(this IGrainFactory grains, Guid key)
        where T : IGrainWithGuidKey
    {
        var (grainType, interfaceType) = Types<T>.Of(grains);
        return (T)grains.GetGrain(GrainId.Create(grainType, GrainIdKeyExtensions.CreateGuidKey(key)), interfaceType);
    }

    private static class Types<T>
        where T : IGrainWithGuidKey
    {
        private static (GrainType, GrainInterfaceType)? _types;

        public static (GrainType, GrainInterfaceType) Of(IGrainFactory grains)
        {
            if (_types is { } known)
            {
                return known;
            }

            var sample = (GrainReference)(object)grains.GetGrain<T>(Guid.Empty);
            return (_types = (sample.GrainId.Type, sample.InterfaceType)).Value;
        }
    }
}
