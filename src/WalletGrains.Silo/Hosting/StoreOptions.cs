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
    /// Not a setting any more: the embedded store holds all its data in memory (as a Redis server does), so there is no
    /// amount of log memory to choose, and a value given here stops the start rather than being ignored.
    /// </summary>
    [NotSet("the embedded store holds all its data in memory and has no memory size to set (README: Configuration); remove it")]
    public int? MemoryMiB { get; set; }

    public string DataDirectoryPath => Path.GetFullPath(DataDirectory);
}

/// <summary>Refuses any value: for a setting that was removed, so that a configuration still naming it is told so.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class NotSetAttribute(string why) : ValidationAttribute($"no longer a setting: {why}.")
{
    public override bool IsValid(object? value) => value is null;
}
