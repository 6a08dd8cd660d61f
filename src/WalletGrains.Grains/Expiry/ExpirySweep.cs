namespace WalletGrains.Grains.Expiry;

/// <summary>Starts the expiry sweepers; the silo calls this once it runs (registering reminders is idempotent).</summary>
public static class ExpirySweep
{
    public static Task Start(IGrainFactory grains) =>
        Task.WhenAll(Enumerable.Range(0, IExpiryBucketGrain.Shards).Select(shard => grains.GetGrain<IExpirySweeperGrain>(shard).Start()));
}
