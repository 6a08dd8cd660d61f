namespace WalletGrains.Abstractions.Imports;

/// <summary>
/// One data row of a contact CSV as read from the file: the cells of the known columns, trimmed, empty cells null.
/// Nothing here is validated yet; the import grains decide what each row means. <see cref="Malformed"/> says why the
/// line could not be read as a row; <see cref="DuplicateOf"/> is the earlier line naming the same contact.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ImportRow(
    [property: Id(0)] int Line,
    [property: Id(1)] string? PhoneNumber = null,
    [property: Id(2)] string? ContactId = null,
    [property: Id(3)] string? Name = null,
    [property: Id(4)] string? Wallets = null,
    [property: Id(5)] string? Owner = null,
    [property: Id(6)] string? Region = null,
    [property: Id(7)] string? Revenue = null,
    [property: Id(8)] string? Segment = null,
    [property: Id(9)] string? Importance = null,
    [property: Id(10)] IReadOnlyDictionary<string, string>? Custom = null,
    [property: Id(11)] string? Malformed = null,
    [property: Id(12)] int? DuplicateOf = null);

/// <summary>A whole CSV file, read and ready to import, and whether contacts absent from it are archived.</summary>
[GenerateSerializer, Immutable]
public sealed record ImportFile(
    [property: Id(0)] IReadOnlyList<ImportRow> Rows,
    [property: Id(1)] bool ArchiveMissing = false)
{
    /// <summary>Most data rows one file may hold; larger files are refused whole.</summary>
    public const int MaxRows = 100_000;

    /// <summary>Separates several wallet names in the <c>wallet</c> column.</summary>
    public const char WalletSeparator = '|';
}

/// <summary>Where an import is.</summary>
public enum ImportStatus
{
    /// <summary>Rows are being applied.</summary>
    Running,

    /// <summary>Every row is done; contacts absent from the file are being archived.</summary>
    Archiving,

    /// <summary>Every row is applied or failed, and absent contacts are archived when that was asked.</summary>
    Completed,
}

/// <summary>Why one row of the file was not applied, with its line number in the file (the header is line 1).</summary>
[GenerateSerializer, Immutable]
public sealed record ImportRowError(
    [property: Id(0)] int Line,
    [property: Id(1)] string Code,
    [property: Id(2)] string Reason);

/// <summary>An import as the API shows it: progress, counts, throughput and the first per-row errors.</summary>
[GenerateSerializer, Immutable]
public sealed record ImportView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] ImportStatus Status,
    [property: Id(2)] bool ArchiveMissing,
    [property: Id(3)] int RowsRead,
    [property: Id(4)] int RowsApplied,
    [property: Id(5)] int RowsFailed,
    [property: Id(6)] int RowsPending,
    [property: Id(7)] int ContactsArchived,
    [property: Id(8)] double RowsPerSecond,
    [property: Id(9)] DateTimeOffset CreatedAt,
    [property: Id(10)] DateTimeOffset? CompletedAt,
    [property: Id(11)] IReadOnlyList<ImportRowError> Errors,
    [property: Id(12)] bool ErrorsTruncated)
{
    /// <summary>Most row errors an import keeps and shows (the lowest line numbers); all failures are counted.</summary>
    public const int MaxErrors = 1000;
}
