namespace WalletGrains.Abstractions.Common;

/// <summary>The one rule for display names: trimmed, 1–128 characters.</summary>
public static class Names
{
    public const int MaxLength = 128;

    private static readonly char[] InvisibleCharacters = ['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD'];

    public static Result<string> Validate(string? raw, string code, string field)
    {
        // Invisible format characters (zero-width spaces, joiners) count as blank at the ends.
        var name = raw?.Trim().Trim(InvisibleCharacters).Trim();
        if (string.IsNullOrEmpty(name))
        {
            return DomainError.Invalid(code, $"{field} is required and cannot be blank.", field);
        }

        return name.Length > MaxLength
            ? DomainError.Invalid(code, $"{field} must be at most {MaxLength} characters.", field)
            : name;
    }
}
