using WalletGrains.Abstractions.Contacts;
using WalletGrains.Abstractions.Wallets;

namespace WalletGrains.Abstractions.Imports;

/// <summary>
/// One CSV import of contacts, keyed by import id. It stores the file's rows durably in chunks, then applies them in
/// the background; a crash resumes it from the chunks already recorded as done.
/// </summary>
public interface IImportGrain : IGrainWithGuidKey
{
    /// <summary>Stores the rows and starts applying them; answers at once with the import's progress.</summary>
    Task<Result<ImportView>> Create(Caller caller, [Immutable] ImportFile file);

    /// <summary>Progress, counts and per-row errors, for an admin of the import's account.</summary>
    [ReadOnly, AlwaysInterleave]
    Task<Result<ImportView>> Get(Caller caller);
}

/// <summary>
/// One slice of an import's rows, keyed by <c>{importId}/{chunk}</c>, and what applying it did. Applying is idempotent:
/// a chunk applied before answers its recorded outcome, and a chunk cut short by a crash is applied again whole.
/// </summary>
public interface IImportChunkGrain : IGrainWithStringKey
{
    /// <summary>Rows per chunk.</summary>
    public const int Size = 500;

    Task Store([Immutable] IReadOnlyList<ImportRow> rows);

    /// <summary>Applies the rows (once) as the caller and answers the outcome.</summary>
    Task<ImportChunkOutcome> Apply(Caller caller, [Immutable] ImportDirectory directory);

    /// <summary>The contacts the chunk's rows named (applied or not), so that archiving spares them.</summary>
    [ReadOnly]
    Task<IReadOnlyList<Guid>> Contacts();

    public static string Key(Guid importId, int chunk) => $"{importId:N}/{chunk}";
}

/// <summary>What applying one chunk did: how many rows were applied, and why the others were not.</summary>
[GenerateSerializer, Immutable]
public sealed record ImportChunkOutcome(
    [property: Id(0)] int Applied,
    [property: Id(1)] IReadOnlyList<ImportRowError> Errors);

/// <summary>What an import reads of its account once per run: the wallets (by name) and the users they name.</summary>
[GenerateSerializer, Immutable]
public sealed record ImportDirectory(
    [property: Id(0)] IReadOnlyList<WalletView> Wallets,
    [property: Id(1)] IReadOnlyList<ImportUser> Users);

/// <summary>A user a wallet names, as an import's <c>owner</c> column may name it: by id or by e-mail.</summary>
[GenerateSerializer, Immutable]
public sealed record ImportUser(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string? Email,
    [property: Id(2)] bool CanOwn);

/// <summary>
/// What one import row makes of its contact, applied by the contact in one call: created with <see cref="Phone"/> when
/// it does not exist yet (null: it must exist), its non-empty cells set, and its wallets joined, in a Single wallet
/// with the owner bound.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ImportContact(
    [property: Id(0)] string? Phone,
    [property: Id(1)] string? Name,
    [property: Id(2)] ContactAttributes? Attributes,
    [property: Id(3)] IReadOnlyList<ImportMembership> Wallets);

/// <summary>A wallet an import row's contact joins (named as the row names it, for the row's error) and the owner to bind there.</summary>
[GenerateSerializer, Immutable]
public sealed record ImportMembership(
    [property: Id(0)] Guid WalletId,
    [property: Id(1)] string WalletName,
    [property: Id(2)] Guid? Owner);
