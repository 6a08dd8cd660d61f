using System.ComponentModel.DataAnnotations;

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

    public string DataDirectoryPath => Path.GetFullPath(DataDirectory);
}
