using WalletGrains.Grains.Common;

namespace WalletGrains.Grains.Expiry;

/// <summary>Persisted state of one expiry bucket: the contacts whose deadline falls in its minute.</summary>
[GenerateSerializer]
public sealed record ExpiryBucketState
{
    [Id(0)] public HashSet<Guid> Contacts { get; init; } = [];
}

/// <summary>
/// The contacts due in one minute, for one shard. Adds interleave and share a storage write; a bucket entry is
/// only a hint to wake the contact, which itself decides whether its owner is due (so stale entries are harmless).
/// </summary>
internal sealed class ExpiryBucketGrain(
    [PersistentState("expiryBucket", Stores.Default)] IPersistentState<ExpiryBucketState> bucket) : Grain, IExpiryBucketGrain, IDisposable
{
    private const int Parallelism = 64;

    private readonly WriteGate _writes = new();
    private Task? _pendingWrite;

    public Task Add(Guid contactId) => bucket.State.Contacts.Add(contactId) ? Flush() : Task.CompletedTask;

    public async Task Fire()
    {
        var due = bucket.State.Contacts.ToList();
        foreach (var chunk in due.Chunk(Parallelism))
        {
            await Task.WhenAll(chunk.Select(id => GrainFactory.GetGrain<IContactGrain>(id).ExpireIfDue()));
        }

        if (bucket.RecordExists)
        {
            await bucket.ClearStateAsync();
        }

        bucket.State = new ExpiryBucketState();
        DeactivateOnIdle();
    }

    public void Dispose() => _writes.Dispose();

    private Task Flush() => _pendingWrite ??= WriteSoon();

    private async Task WriteSoon()
    {
        await Task.Yield();
        _pendingWrite = null;
        await _writes.Write(bucket);
    }
}
