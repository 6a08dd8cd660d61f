using WalletGrains.Grains.Indexes;

namespace WalletGrains.Grains.Expiry;

/// <summary>
/// The contacts due in one slot, for one shard, as a durable index: each add is one entry, and nothing is held in
/// memory until the sweep fires the bucket. A bucket entry is only a hint to wake the contact, which itself decides
/// whether its owner is due (so stale entries are harmless).
/// </summary>
internal sealed class ExpiryBucketGrain(IIndexStore indexes, TimeProvider clock) : Grain, IExpiryBucketGrain
{
    private const int Parallelism = 64;

    private const string IndexPrefix = "expiryBucket/";

    private string Own => IndexPrefix + this.GetPrimaryKeyString();

    /// <summary>The durable index of a bucket, which contacts may also add themselves to directly.</summary>
    public static string Index(long slot, int shard) => IndexPrefix + IExpiryBucketGrain.Key(slot, shard);

    public Task Add(Guid contactId) => indexes.Set(Own, contactId);

    public async Task Fire()
    {
        var due = (await indexes.Read(Own)).Keys.ToList();
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
            var retry = Index(IExpiryBucketGrain.SlotOf(clock.GetUtcNow() + TimeSpan.FromMinutes(1)), KeyParts().Shard);
            await Task.WhenAll(failed.Select(id => indexes.Set(retry, id)));
        }

        await indexes.Delete(Own);
        DeactivateOnIdle();
    }

    private (long Slot, int Shard) KeyParts()
    {
        var parts = this.GetPrimaryKeyString().Split('/');
        return (long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}
