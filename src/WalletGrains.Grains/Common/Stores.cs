namespace WalletGrains.Grains.Common;

/// <summary>Names of the storage providers grains persist to; the silo registers them.</summary>
public static class Stores
{
    /// <summary>The durable store of every grain's state but the contacts'.</summary>
    public const string Default = "store";

    /// <summary>
    /// The contacts' state, on the same store: a storage that writes each state together with the index entries it
    /// names (<see cref="Indexes.IIndexedState"/>).
    /// </summary>
    public const string Contacts = "contacts";
}
