using System.Security.Cryptography;
using WalletGrains.Gateway.Hosting;

namespace WalletGrains.Server;

/// <summary>
/// The embedded default's operator token when none is configured: generated once, kept in a file only
/// its owner can read, and reused on restart. The token itself is never printed.
/// </summary>
internal static class OperatorToken
{
    public const string FileName = "operator-token";

    /// <summary>Ensures an operator token is configured; returns the file it came from when one was generated or reused.</summary>
    public static string? EnsureConfigured(IConfigurationManager configuration, string dataDirectory)
    {
        var key = $"{AuthOptions.Section}:{nameof(AuthOptions.OperatorToken)}";
        if (!string.IsNullOrEmpty(configuration[key]))
        {
            return null;
        }

        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path))
        {
            var token = "op_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var writer = new StreamWriter(path, options);
            writer.Write(token);
        }

        configuration[key] = File.ReadAllText(path).Trim();
        return path;
    }
}
