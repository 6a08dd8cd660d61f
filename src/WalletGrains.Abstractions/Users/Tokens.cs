using System.Security.Cryptography;

namespace WalletGrains.Abstractions.Users;

/// <summary>Issues bearer tokens and derives the key they are stored under.</summary>
public static class Tokens
{
    private const string Prefix = "wg_";

    public static string Issue() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>The SHA-256 of the token, hex: the only form of a token that is ever stored.</summary>
    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
