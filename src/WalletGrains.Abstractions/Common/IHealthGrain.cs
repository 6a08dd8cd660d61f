namespace WalletGrains.Abstractions.Common;

/// <summary>A stateless grain the readiness check calls to prove the cluster answers.</summary>
public interface IHealthGrain : IGrainWithIntegerKey
{
    ValueTask<string> Ping();
}
