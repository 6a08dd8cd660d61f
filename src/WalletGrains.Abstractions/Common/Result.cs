namespace WalletGrains.Abstractions.Common;

/// <summary>The outcome of a grain command: a value or a <see cref="DomainError"/>, never both.</summary>
[GenerateSerializer, Immutable]
public sealed record Result<T>
{
    [Id(0)] public T? Value { get; init; }

    [Id(1)] public DomainError? Error { get; init; }

    public bool IsSuccess => Error is null;

    public static Result<T> Ok(T value) => new() { Value = value };

    public static Result<T> Fail(DomainError error) => new() { Error = error };

#pragma warning disable CA2225 // Conversions are the point: grains return values or errors directly.
    public static implicit operator Result<T>(T value) => Ok(value);

    public static implicit operator Result<T>(DomainError error) => Fail(error);
#pragma warning restore CA2225
}

/// <summary>A command outcome that carries no value.</summary>
[GenerateSerializer, Immutable]
public sealed record Done
{
    public static readonly Done Value = new();
}
