namespace WalletGrains.Abstractions.Common;

/// <summary>One page of a list, in the shape every list endpoint answers with.</summary>
[GenerateSerializer, Immutable]
public sealed record Page<T>(
    [property: Id(0)] IReadOnlyList<T> Items,
    [property: Id(1)] int PageNumber,
    [property: Id(2)] int PageSize,
    [property: Id(3)] int TotalItems)
{
    public int TotalPages => PageSize == 0 ? 0 : (TotalItems + PageSize - 1) / PageSize;

    public bool HasMorePages => PageNumber < TotalPages;

    public static Page<T> Of(IEnumerable<T> ordered, PageRequest request)
    {
        var all = ordered as IReadOnlyCollection<T> ?? ordered.ToList();
        var skip = ((long)request.PageNumber - 1) * request.PageSize;
        var items = skip >= all.Count ? [] : all.Skip((int)skip).Take(request.PageSize).ToList();
        return new Page<T>(items, request.PageNumber, request.PageSize, all.Count);
    }
}

/// <summary>Which page a caller asked for; <see cref="Validate"/> enforces the 1–100 page size.</summary>
[GenerateSerializer, Immutable]
public sealed record PageRequest([property: Id(0)] int PageNumber, [property: Id(1)] int PageSize)
{
    public const int MaxPageSize = 100;

    public DomainError? Validate()
    {
        if (PageNumber < 1)
        {
            return DomainError.Invalid(ErrorCodes.PageInvalid, "pageNumber must be 1 or more.", "pageNumber");
        }

        return PageSize is < 1 or > MaxPageSize
            ? DomainError.Invalid(ErrorCodes.PageInvalid, $"pageSize must be between 1 and {MaxPageSize}.", "pageSize")
            : null;
    }
}
