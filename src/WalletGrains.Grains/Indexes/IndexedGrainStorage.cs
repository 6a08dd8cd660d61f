using Orleans.Storage;

namespace WalletGrains.Grains.Indexes;

/// <summary>
/// Keeps the index entries of <see cref="IIndexedState"/> states in line with them, over a grain storage that cannot
/// write them in the same operation as the state (the in-memory storage of the unit tests, or a store without scripts):
/// the entries the new state adds are written first, then the state, then the entries it dropped are removed; what the
/// stored state named is read back from the inner storage before each write. The Redis storage
/// (<c>RedisIndexedGrainStorage</c>) does the same in one script. States of other types pass straight through.
/// </summary>
public sealed class IndexedGrainStorage(IGrainStorage inner, IIndexStore indexes) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (grainState.State is not IIndexedState next)
        {
            await inner.WriteStateAsync(stateName, grainId, grainState);
            return;
        }

        var before = await Stored<T>(stateName, grainId);
        var after = new List<IndexEntry>();
        next.AddIndexEntries(grainId, after);
        foreach (var entry in after.Except(before))
        {
            await indexes.Set(entry.Index, entry.Id, entry.Value);
        }

        await inner.WriteStateAsync(stateName, grainId, grainState);
        await RemoveDropped(before, after);
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var before = await Stored<T>(stateName, grainId);
        await inner.ClearStateAsync(stateName, grainId, grainState);
        await RemoveDropped(before, []);
    }

    /// <summary>The entries of the state as stored now (none when there is none).</summary>
    private async Task<List<IndexEntry>> Stored<T>(string stateName, GrainId grainId)
    {
        var stored = new GrainState<T>();
        await inner.ReadStateAsync(stateName, grainId, stored);
        var entries = new List<IndexEntry>();
        if (stored.RecordExists && stored.State is IIndexedState indexed)
        {
            indexed.AddIndexEntries(grainId, entries);
        }

        return entries;
    }

    private async Task RemoveDropped(List<IndexEntry> before, List<IndexEntry> after)
    {
        foreach (var entry in before.Where(b => !after.Any(a => a.Index == b.Index && a.Id == b.Id)))
        {
            await indexes.Remove(entry.Index, entry.Id);
        }
    }
}
