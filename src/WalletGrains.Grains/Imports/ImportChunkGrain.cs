using System.Buffers.Binary;
using System.Security.Cryptography;
using WalletGrains.Abstractions.Imports;
using WalletGrains.Grains.Common;

namespace WalletGrains.Grains.Imports;

/// <summary>Persisted rows of one import chunk, written once when the file is accepted.</summary>
[GenerateSerializer]
public sealed record ImportChunkRows
{
    [Id(0)] public IReadOnlyList<ImportRow> Rows { get; init; } = [];
}

/// <summary>Persisted outcome of one import chunk, written once its every row is applied or failed.</summary>
[GenerateSerializer]
public sealed record ImportChunkResult
{
    [Id(0)] public ImportChunkOutcome? Outcome { get; init; }

    [Id(1)] public IReadOnlyList<Guid> Contacts { get; init; } = [];
}

/// <summary>
/// Applies one slice of an import with many rows in flight. Both steps of a row are idempotent (the phone claim, and
/// the contact's one call, which creates it under an id derived from the import and the line, writes only what changes
/// and skips a membership already there), so a chunk cut short by a crash is simply applied again; its outcome is
/// stored once, after the last row, and answered from then on.
/// </summary>
internal sealed class ImportChunkGrain(
    [PersistentState("importRows", Stores.Default)] IPersistentState<ImportChunkRows> rows,
    [PersistentState("importOutcome", Stores.Default)] IPersistentState<ImportChunkResult> result) : Grain, IImportChunkGrain
{
    // Rows of one chunk in flight at once; the import runs a few chunks at a time.
    private const int Parallelism = 64;

    private Guid ImportId => Guid.ParseExact(this.GetPrimaryKeyString().AsSpan(0, 32), "N");

    public async Task Store(IReadOnlyList<ImportRow> chunk)
    {
        rows.State = new ImportChunkRows { Rows = chunk };
        await rows.WriteStateAsync();
    }

    public async Task<ImportChunkOutcome> Apply(Caller caller, ImportDirectory directory)
    {
        if (result.State.Outcome is { } recorded)
        {
            return recorded;
        }

        var lookup = new ImportLookup(directory);
        var all = rows.State.Rows;
        var outcomes = new (Guid? Contact, ImportRowError? Error)[all.Count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Math.Min(Parallelism, all.Count)).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < all.Count; i = Interlocked.Increment(ref next))
            {
                outcomes[i] = await ApplyRow(caller, lookup, all[i]);
            }
        }));

        var outcome = new ImportChunkOutcome(outcomes.Count(o => o.Error is null), [.. outcomes.Select(o => o.Error).OfType<ImportRowError>()]);
        result.State = new ImportChunkResult { Outcome = outcome, Contacts = [.. outcomes.Select(o => o.Contact).OfType<Guid>().Distinct()] };
        await result.WriteStateAsync();
        return outcome;
    }

    public Task<IReadOnlyList<Guid>> Contacts() => Task.FromResult(result.State.Contacts);

    /// <summary>
    /// The id a new contact of this import's line gets: the same on every attempt, so a row applied again after a crash
    /// finds the contact (or the phone claim) its first attempt made instead of making another.
    /// </summary>
    internal static Guid ContactIdFor(Guid importId, int line)
    {
        Span<byte> input = stackalloc byte[20];
        importId.TryWriteBytes(input);
        BinaryPrimitives.WriteInt32LittleEndian(input[16..], line);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        hash[7] = (byte)((hash[7] & 0x0F) | 0x80); // RFC 9562 version 8 (custom)
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(hash[..16]);
    }

    private async Task<(Guid? Contact, ImportRowError? Error)> ApplyRow(Caller caller, ImportLookup lookup, ImportRow row)
    {
        var read = lookup.Read(row);
        if (!read.IsSuccess)
        {
            return (null, Failure(row.Line, read.Error!));
        }

        var command = read.Value!;
        var claimant = ContactIdFor(ImportId, row.Line);
        var id = command.ContactId
            ?? await GrainFactory.ByString<IContactPhoneGrain>(PhoneNumbers.Key(caller.AccountId, command.Phone!)).Claim(claimant);

        // A phone this row has just claimed (or claimed on an attempt cut short) names a contact still to create; the
        // contact applies the whole row in one call, so a row that fails changes nothing.
        var wallets = command.Wallets.Select(t => new ImportMembership(t.Wallet.Id, t.Wallet.Name, t.Owner)).ToArray();
        var error = await GrainFactory.ByGuid<IContactGrain>(id)
            .Import(caller, new ImportContact(id == claimant ? command.Phone : null, command.Name, command.Attributes, wallets));
        return (id, error is null ? null : Failure(row.Line, error));
    }

    private static ImportRowError Failure(int line, DomainError error) => new(line, error.Code, error.Message);
}
