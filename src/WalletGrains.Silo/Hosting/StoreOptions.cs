using System.ComponentModel.DataAnnotations;
using WalletGrains.Silo.Storage;

namespace WalletGrains.Silo.Hosting;

/// <summary>The embedded store of the embedded default, bound from the <c>Store</c> section.</summary>
public sealed class StoreOptions
{
    public const string Section = "Store";

    /// <summary>Where the embedded store keeps its files (and the generated operator token). Relative paths are from the working directory.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>Loopback port of the embedded Garnet server; 0 picks a free one.</summary>
    [Range(0, 65535)]
    public int EmbeddedPort { get; set; }

    /// <summary>
    /// Memory of the embedded store's log, in MiB (rounded up to a power of two): the pages of records it holds in memory
    /// before older records go to its files on disk. The objects those records hold (each hash: a grain state, an index
    /// shard) take memory on top. Taken as it is needed, not at start. Records on disk are still served, but each one
    /// used is read back first.
    /// </summary>
    [Range(EmbeddedGarnet.MinMemoryMiB, EmbeddedGarnet.MaxMemoryMiB)]
    public int MemoryMiB { get; set; } = EmbeddedGarnet.DefaultMemoryMiB;

    public string DataDirectoryPath => Path.GetFullPath(DataDirectory);
}
