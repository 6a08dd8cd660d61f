namespace WalletGrains.Grains.Common;

/// <summary>Names of the storage providers grains persist to; the silo registers them.</summary>
public static class Stores
{
    /// <summary>The durable store of every grain's state.</summary>
    public const string Default = "store";
}
