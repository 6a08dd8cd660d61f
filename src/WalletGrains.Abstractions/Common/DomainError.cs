namespace WalletGrains.Abstractions.Common;

/// <summary>How a domain error maps onto HTTP: the kind of failure, not its cause.</summary>
public enum ErrorKind
{
    Invalid,
    NotFound,
    Conflict,
    Forbidden,
    Unavailable,
}

/// <summary>A rule broken by a request, with a stable code clients can switch on (e.g. <c>wallet.name_taken</c>).</summary>
[GenerateSerializer, Immutable]
public sealed record DomainError(
    [property: Id(0)] string Code,
    [property: Id(1)] string Message,
    [property: Id(2)] ErrorKind Kind,
    [property: Id(3)] IReadOnlyDictionary<string, string[]>? Fields = null)
{
    public static DomainError Invalid(string code, string message, string? field = null) =>
        new(code, message, ErrorKind.Invalid, field is null ? null : new Dictionary<string, string[]> { [field] = [message] });

    public static DomainError NotFound(string code, string message) => new(code, message, ErrorKind.NotFound);

    public static DomainError Conflict(string code, string message) => new(code, message, ErrorKind.Conflict);

    public static DomainError Forbidden(string code, string message) => new(code, message, ErrorKind.Forbidden);
}
