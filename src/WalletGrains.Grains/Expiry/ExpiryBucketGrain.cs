using WalletGrains.Grains.Common;

namespace WalletGrains.Grains.Expiry;

/// <summary>Persisted state of one expiry bucket: the contacts whose deadline falls in its slot.</summary>
[GenerateSerializer]
public sealed record ExpiryBucketState
{
    [Id(0)] public HashSet<Guid> Contacts { get; init; } = [];
}

/// <summary>
/// The contacts due in one slot, for one shard. Adds interleave and share a storage write; a bucket entry is
/// only a hint to wake the contact, which itself decides whether its owner is due (so stale entries are harmless).
/// </summary>
internal sealed class ExpiryBucketGrain(
    [PersistentState("expiryBucket", Stores.Default)] IPersistentState<ExpiryBucketState> bucket,
    TimeProvider clock) : Grain, IExpiryBucketGrain, IDisposable
{
    private const int Parallelism = 64;

    private readonly WriteGate _writes = new();

    public Task Add(Guid contactId) => bucket.State.Contacts.Add(contactId) ? Flush() : Task.CompletedTask;

    public async Task Fire()
    {
        var due = bucket.State.Contacts.ToList();
        var failed = new List<Guid>();
        foreach (var chunk in due.Chunk(Parallelism))
        {
            var calls = chunk.Select(id => (Id: id, Call: GrainFactory.GetGrain<IContactGrain>(id).ExpireIfDue())).ToList();
            try
            {
                await Task.WhenAll(calls.Select(c => c.Call));
            }
            catch (Exception) when (calls.Any(c => c.Call.IsFaulted))
            {
                failed.AddRange(calls.Where(c => c.Call.IsFaulted).Select(c => c.Id));
            }
        }

        // A contact that could not be woken is retried with the bucket of a minute from now (ahead of the sweep even
        // while it catches up), so one failure never stalls the sweep.
        if (failed.Count > 0)
        {
            var retry = IExpiryBucketGrain.Key(IExpiryBucketGrain.SlotOf(clock.GetUtcNow() + TimeSpan.FromMinutes(1)), KeyParts().Shard);
            await Task.WhenAll(failed.Select(id => GrainFactory.GetGrain<IExpiryBucketGrain>(retry).Add(id)));
        }

        if (bucket.RecordExists)
        {
            await bucket.ClearStateAsync();
        }

        bucket.State = new ExpiryBucketState();
        DeactivateOnIdle();
    }

    public void Dispose() => _writes.Dispose();

    private (long Slot, int Shard) KeyParts()
    {
        var parts = this.GetPrimaryKeyString().Split('/');
        return (long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    private Task Flush() => _writes.WriteSoon(bucket);
}
