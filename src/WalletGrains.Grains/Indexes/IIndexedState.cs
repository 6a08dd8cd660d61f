namespace WalletGrains.Grains.Indexes;

/// <summary>One entry of a durable index (see <see cref="IIndexStore"/>): in index <paramref name="Index"/>, id → value.</summary>
public readonly record struct IndexEntry(string Index, Guid Id, Guid? Value = null);

/// <summary>
/// A grain state that names the index entries it is to be found under (a contact: its wallets' member lists, its
/// account's directory, the expiry bucket of its owner's deadline). Its storage keeps those entries in line with each
/// stored state: every write adds the entries the new state names and removes those the stored one named and the new
/// one does not, in the same store operation as the state where the store allows it (<see cref="IndexedGrainStorage"/>
/// when it does not). No grain writes them itself, so no failure between two writes can leave them behind the state.
/// </summary>
public interface IIndexedState
{
    /// <summary>Adds the entries of this state, for the grain <paramref name="grainId"/>, to <paramref name="entries"/>.</summary>
    void AddIndexEntries(GrainId grainId, List<IndexEntry> entries);
}
