using WalletGrains.Grains.Common;

namespace WalletGrains.Bench.InSilo;

/// <summary>A grain whose only work is one persisted state write per call: the raw persisted-write rate of a store.</summary>
public interface IProbeGrain : IGrainWithIntegerKey
{
    /// <summary>Activates the grain (reading its state) without writing.</summary>
    Task Touch();

    /// <summary>Changes the state and writes it through the grain storage provider.</summary>
    Task Write();
}

/// <summary>The probe's state: a version and a payload the size of a small contact's state.</summary>
[GenerateSerializer]
public sealed record ProbeState
{
    public const int PayloadBytes = 256;

    [Id(0)] public long Version { get; init; }

    [Id(1)] public byte[] Payload { get; init; } = [];
}

/// <summary>Writes its state on every call, through the same provider and store as the product's grains (<see cref="Stores.Default"/>).</summary>
internal sealed class ProbeGrain([PersistentState("probe", Stores.Default)] IPersistentState<ProbeState> probe) : Grain, IProbeGrain
{
    private static readonly byte[] Payload = [.. Enumerable.Range(0, ProbeState.PayloadBytes).Select(i => (byte)i)];

    public Task Touch() => Task.CompletedTask;

    public Task Write()
    {
        probe.State = probe.State with { Version = probe.State.Version + 1, Payload = Payload };
        return probe.WriteStateAsync();
    }
}
