using Orleans.Runtime;

namespace WalletGrains.Abstractions.Common;

/// <summary>
/// References to grains without the per-call interface lookup of <c>GetGrain&lt;T&gt;(key)</c>, which reads the
/// interface's attributes by reflection every time: the grain and interface types are resolved once per interface, then
/// each reference is built from its key. For the per-request references of the hot paths (gateway and grains alike).
/// </summary>
public static class GrainReferences
{
    public static T ByGuid<T>(this IGrainFactory grains, Guid key)
        where T : IGrainWithGuidKey
    {
        var (grainType, interfaceType) = Types<T>.Of(grains, static g => g.GetGrain<T>(Guid.Empty));
        return (T)grains.GetGrain(GrainId.Create(grainType, GrainIdKeyExtensions.CreateGuidKey(key)), interfaceType);
    }

    public static T ByString<T>(this IGrainFactory grains, string key)
        where T : IGrainWithStringKey
    {
        var (grainType, interfaceType) = Types<T>.Of(grains, static g => g.GetGrain<T>("-"));
        return (T)grains.GetGrain(GrainId.Create(grainType, key), interfaceType);
    }

    private static class Types<T>
        where T : IGrain
    {
        private static (GrainType, GrainInterfaceType)? _types;

        public static (GrainType, GrainInterfaceType) Of(IGrainFactory grains, Func<IGrainFactory, T> sample)
        {
            if (_types is { } known)
            {
                return known;
            }

            var reference = (GrainReference)(object)sample(grains);
            return (_types = (reference.GrainId.Type, reference.InterfaceType)).Value;
        }
    }
}
