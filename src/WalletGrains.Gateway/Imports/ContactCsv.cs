using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using WalletGrains.Abstractions.Imports;

namespace WalletGrains.Gateway.Imports;

/// <summary>
/// Reads a contact CSV (UTF-8 with or without BOM, <c>,</c> or <c>;</c> separated, RFC 4180 quoting) into rows: the
/// header names the columns, each later record is one row with its line number. It only reads: what the cells mean is
/// for the import grains. A file it cannot read at all (bad encoding, unknown columns, no rows, too many rows) is
/// refused whole; a record it cannot read as a row becomes a row marked malformed.
/// </summary>
internal static class ContactCsv
{
    private const string CustomPrefix = "custom.";

    private static readonly Dictionary<string, Column> Columns = new(StringComparer.OrdinalIgnoreCase)
    {
        ["phoneNumber"] = Column.Phone,
        ["phone"] = Column.Phone,
        ["contactId"] = Column.ContactId,
        ["name"] = Column.Name,
        ["wallet"] = Column.Wallets,
        ["wallets"] = Column.Wallets,
        ["owner"] = Column.Owner,
        ["region"] = Column.Region,
        ["revenue"] = Column.Revenue,
        ["segment"] = Column.Segment,
        ["importance"] = Column.Importance,
    };

    private enum Column
    {
        Phone,
        ContactId,
        Name,
        Wallets,
        Owner,
        Region,
        Revenue,
        Segment,
        Importance,
        Custom,
    }

    /// <summary>The rows of the file, or the problem that refuses it (with the HTTP status to answer).</summary>
    public static async Task<(IReadOnlyList<ImportRow>? Rows, int Status, DomainError? Error)> Read(Stream body, CancellationToken cancellation)
    {
        var badData = false;
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            DetectDelimiter = true,
            DetectDelimiterValues = [",", ";"],
            BadDataFound = _ => badData = true,
        };
        using var text = new StreamReader(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
        using var csv = new CsvParser(text, configuration);
        try
        {
            if (!await csv.ReadAsync())
            {
                return Refused(StatusCodes.Status400BadRequest, ErrorCodes.ImportEmpty, "The file is empty: send a header line and rows.");
            }

            var header = Header(csv.Record ?? []);
            if (!header.IsSuccess)
            {
                return Refused(StatusCodes.Status400BadRequest, header.Error!.Code, header.Error.Message);
            }

            var columns = header.Value!;
            var rows = new List<ImportRow>();
            while (await csv.ReadAsync())
            {
                cancellation.ThrowIfCancellationRequested();
                if (rows.Count == ImportFile.MaxRows)
                {
                    return Refused(StatusCodes.Status413RequestEntityTooLarge, ErrorCodes.ImportTooManyRows,
                        $"The file has more than {ImportFile.MaxRows:N0} rows; split it into files of at most {ImportFile.MaxRows:N0}.");
                }

                // Fields are parsed when read, so bad data is only known once the record has been read.
                var cells = csv.Record ?? [];
                var line = csv.RawRow - (csv.RawRecord ?? "").TrimEnd('\r', '\n').Count(c => c == '\n');
                rows.Add(Row(line, cells, columns, badData));
                badData = false;
            }

            return rows.Count == 0
                ? Refused(StatusCodes.Status400BadRequest, ErrorCodes.ImportEmpty, "The file has a header but no rows.")
                : (rows, StatusCodes.Status202Accepted, null);
        }
        catch (DecoderFallbackException)
        {
            return Refused(StatusCodes.Status400BadRequest, ErrorCodes.ImportCsvMalformed, $"The file is not valid UTF-8 (near line {csv.RawRow}).");
        }
    }

    /// <summary>The column of each header cell; unknown or repeated names and a missing contact reference refuse the file.</summary>
    private static Result<(Column Column, string? Key)[]> Header(string[] names)
    {
        var columns = new (Column Column, string? Key)[names.Length];
        var unknown = new List<string>();
        for (var i = 0; i < names.Length; i++)
        {
            var name = names[i].Trim();
            if (name.StartsWith(CustomPrefix, StringComparison.OrdinalIgnoreCase) && name.Length > CustomPrefix.Length)
            {
                columns[i] = (Column.Custom, name[CustomPrefix.Length..]);
            }
            else if (Columns.TryGetValue(name, out var column))
            {
                columns[i] = (column, null);
            }
            else
            {
                unknown.Add($"'{name}'");
            }
        }

        if (unknown.Count > 0)
        {
            return DomainError.Invalid(ErrorCodes.ImportColumnsInvalid,
                $"Unknown column(s) {string.Join(", ", unknown)}. Columns are phoneNumber or contactId, name, wallet, owner, region, revenue, segment, importance and custom.<field>.");
        }

        var repeated = columns.GroupBy(c => (c.Column, c.Key?.ToUpperInvariant())).Where(g => g.Count() > 1).Select(g => $"'{g.First().Key ?? g.Key.Column.ToString()}'").ToList();
        if (repeated.Count > 0)
        {
            return DomainError.Invalid(ErrorCodes.ImportColumnsInvalid, $"Column(s) {string.Join(", ", repeated)} appear more than once.");
        }

        return columns.Any(c => c.Column is Column.Phone or Column.ContactId)
            ? columns
            : DomainError.Invalid(ErrorCodes.ImportColumnsInvalid, "The header needs a phoneNumber or a contactId column to name each row's contact.");
    }

    /// <summary>One record as a row; <paramref name="line"/> is where it starts (a quoted field may hold line breaks).</summary>
    private static ImportRow Row(int line, string[] cells, (Column Column, string? Key)[] columns, bool badData)
    {
        if (badData)
        {
            return new ImportRow(line, Malformed: "A quote inside an unquoted field: quote the whole field and double the quotes inside it.");
        }

        if (cells.Length != columns.Length)
        {
            return new ImportRow(line, Malformed: $"The line has {cells.Length} fields; the header has {columns.Length}.");
        }

        var row = new ImportRow(line);
        Dictionary<string, string>? custom = null;
        for (var i = 0; i < columns.Length; i++)
        {
            var cell = cells[i].Trim();
            if (cell.Length == 0)
            {
                continue;
            }

            row = columns[i].Column switch
            {
                Column.Phone => row with { PhoneNumber = cell },
                Column.ContactId => row with { ContactId = cell },
                Column.Name => row with { Name = cell },
                Column.Wallets => row with { Wallets = cell },
                Column.Owner => row with { Owner = cell },
                Column.Region => row with { Region = cell },
                Column.Revenue => row with { Revenue = cell },
                Column.Segment => row with { Segment = cell },
                Column.Importance => row with { Importance = cell },
                _ => row,
            };
            if (columns[i].Column == Column.Custom)
            {
                (custom ??= [])[columns[i].Key!] = cell;
            }
        }

        return row with { Custom = custom };
    }

    private static (IReadOnlyList<ImportRow>?, int, DomainError?) Refused(int status, string code, string message) =>
        (null, status, DomainError.Invalid(code, message));
}
