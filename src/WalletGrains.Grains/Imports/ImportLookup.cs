using System.Globalization;
using WalletGrains.Abstractions.Imports;

namespace WalletGrains.Grains.Imports;

/// <summary>A row that passed validation: the contact it names, what to set on it, and the wallets it joins.</summary>
internal sealed record ImportCommand(
    int Line,
    Guid? ContactId,
    string? Phone,
    string? Name,
    ContactAttributes? Attributes,
    IReadOnlyList<ImportTarget> Wallets);

/// <summary>A wallet a row's contact joins and, in a Single wallet, the owner to bind.</summary>
internal sealed record ImportTarget(WalletView Wallet, Guid? Owner);

/// <summary>
/// The account's wallets and users indexed the way CSV rows name them (wallets by folded name, owners by id or
/// e-mail), and the rules that turn a row into an <see cref="ImportCommand"/> or say why it cannot be applied.
/// </summary>
internal sealed class ImportLookup
{
    private readonly Dictionary<string, WalletView> _wallets;
    private readonly Dictionary<Guid, ImportUser> _users;
    private readonly Dictionary<string, ImportUser?> _byEmail;

    public ImportLookup(ImportDirectory directory)
    {
        _wallets = directory.Wallets.ToDictionary(w => WalletNames.Fold(w.Name), StringComparer.Ordinal);
        _users = directory.Users.ToDictionary(u => u.Id);

        // An e-mail two users share names neither.
        _byEmail = new Dictionary<string, ImportUser?>(StringComparer.OrdinalIgnoreCase);
        foreach (var user in directory.Users.Where(u => u.Email is not null))
        {
            _byEmail[user.Email!] = _byEmail.ContainsKey(user.Email!) ? null : user;
        }
    }

    public Result<ImportCommand> Read(ImportRow row)
    {
        if (row.Malformed is { } malformed)
        {
            return DomainError.Invalid(ErrorCodes.ImportRowMalformed, malformed);
        }

        if (row.DuplicateOf is { } first)
        {
            return DomainError.Invalid(ErrorCodes.ImportRowDuplicated, $"The same contact is on line {first}; a file names each contact once.");
        }

        var contact = Reference(row);
        if (!contact.IsSuccess)
        {
            return contact.Error!;
        }

        decimal? revenue = null;
        if (row.Revenue is { } text)
        {
            if (!decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var number))
            {
                return DomainError.Invalid(ErrorCodes.ImportValueInvalid, $"revenue '{text}' is not a number such as 1250.50.", "revenue");
            }

            revenue = number;
        }

        var wallets = Wallets(row);
        if (!wallets.IsSuccess)
        {
            return wallets.Error!;
        }

        var attributes = row is { Region: null, Revenue: null, Segment: null, Importance: null, Custom: null or { Count: 0 } }
            ? null
            : new ContactAttributes(row.Region, revenue, row.Segment, row.Importance, row.Custom);
        var (id, phone) = contact.Value;
        return new ImportCommand(row.Line, id, phone, row.Name, attributes, wallets.Value!);
    }

    /// <summary>The contact a row names: by contactId (an existing contact) or by phone number (created when new).</summary>
    private static Result<(Guid? Id, string? Phone)> Reference(ImportRow row)
    {
        if ((row.ContactId is null) == (row.PhoneNumber is null))
        {
            return DomainError.Invalid(ErrorCodes.ContactRefInvalid, "Name the contact by phoneNumber or by contactId: one of them, not both.", "phoneNumber");
        }

        if (row.ContactId is { } text)
        {
            return Guid.TryParse(text, out var id)
                ? (id, null)
                : DomainError.Invalid(ErrorCodes.ContactRefInvalid, $"contactId '{text}' is not a contact id.", "contactId");
        }

        var phone = PhoneNumbers.Validate(row.PhoneNumber);
        return phone.IsSuccess ? (null, phone.Value) : phone.Error!;
    }

    private Result<IReadOnlyList<ImportTarget>> Wallets(ImportRow row)
    {
        var wallets = new List<WalletView>();
        foreach (var name in (row.Wallets ?? "").Split(ImportFile.WalletSeparator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!_wallets.TryGetValue(WalletNames.Fold(name), out var wallet))
            {
                return DomainError.Invalid(ErrorCodes.ImportWalletUnknown, $"No wallet is named '{name}'.", "wallet");
            }

            if (!wallets.Contains(wallet))
            {
                wallets.Add(wallet);
            }
        }

        if (row.Owner is not { } ownerText)
        {
            return wallets.Select(w => new ImportTarget(w, null)).ToList();
        }

        var owner = Owner(ownerText);
        if (owner is null)
        {
            return DomainError.Invalid(ErrorCodes.ImportOwnerUnknown, $"No user responsible for a wallet is '{ownerText}' (give a user id or e-mail).", "owner");
        }

        var single = wallets.Where(w => w.Type == WalletType.Single).ToList();
        if (single.Count != 1)
        {
            return DomainError.Invalid(ErrorCodes.OwnerNotAllowed, "An owner needs exactly one Single wallet in the wallet column: a contact has one owner.", "owner");
        }

        if (!owner.CanOwn || !single[0].Teams.Any(t => t.UserIds?.Contains(owner.Id) == true))
        {
            return DomainError.Invalid(ErrorCodes.OwnerNotInWallet, $"User '{ownerText}' is not responsible for wallet '{single[0].Name}' (or is blocked).", "owner");
        }

        return wallets.Select(w => new ImportTarget(w, w == single[0] ? owner.Id : null)).ToList();
    }

    private ImportUser? Owner(string text) =>
        Guid.TryParse(text, out var id)
            ? _users.GetValueOrDefault(id)
            : _byEmail.GetValueOrDefault(text);
}
