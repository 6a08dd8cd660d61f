namespace WalletGrains.Grains.Common;

/// <summary>Answers readiness probes from whichever silo is closest.</summary>
[StatelessWorker]
internal sealed class HealthGrain : Grain, IHealthGrain
{
    public ValueTask<string> Ping() => ValueTask.FromResult("pong");
}
