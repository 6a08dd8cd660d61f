namespace WalletGrains.Grains.Indexes;

/// <summary>
/// Durable indexes next to the grains' state: each index, named by its owning grain, maps grain ids to an optional id
/// (a wallet's members to their owners, a bucket's contacts to nothing). An entry is written on its own — one small
/// command, no script, no rewrite of the rest of the index — so an index of a million entries costs the same per change
/// as one of ten. Each index has one writer, the grain that owns it, which also keeps what it needs of it in memory.
/// </summary>
public interface IIndexStore
{
    /// <summary>Every entry of the index (empty when it has none).</summary>
    Task<Dictionary<Guid, Guid?>> Read(string index);

    /// <summary>Adds the entry or changes its value.</summary>
    Task Set(string index, Guid id, Guid? value = null);

    /// <summary>Removes the entry, if present.</summary>
    Task Remove(string index, Guid id);

    /// <summary>Removes the whole index.</summary>
    Task Delete(string index);
}
