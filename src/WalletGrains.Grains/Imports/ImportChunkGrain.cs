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
/// Applies one slice of an import with many rows in flight. Every step of a row is idempotent (the phone claim, a
/// create under an id derived from the import and the line, an update that only writes a change, an include that skips
/// a membership already there), so a chunk cut short by a crash is simply applied again; its outcome is stored once,
/// after the last row, and answered from then on.
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
        var contact = GrainFactory.ByGuid<IContactGrain>(id);
        var found = await contact.Get(caller);

        // A phone this row has just claimed (or claimed on an attempt cut short) names a contact still to create.
        var isNew = id == claimant && found.Error?.Code == ErrorCodes.ContactNotFound;
        if (!found.IsSuccess && !isNew)
        {
            return (null, Failure(row.Line, found.Error!));
        }

        var existing = found.Value;
        if (Refusal(command, existing) is { } refused)
        {
            return (existing?.Id, Failure(row.Line, refused));
        }

        var saved = existing is null
            ? await contact.Create(caller, new CreateContact(command.Phone, command.Name, command.Attributes))
            : Changes(command, existing) is { } update ? await contact.Update(caller, update) : existing;
        if (!saved.IsSuccess)
        {
            return (existing?.Id, Failure(row.Line, saved.Error!));
        }

        var view = saved.Value!;
        foreach (var (wallet, owner) in command.Wallets)
        {
            var member = view.Memberships.FirstOrDefault(m => m.WalletId == wallet.Id);
            if (member is not null && (owner is null || member.Owner == owner))
            {
                continue;
            }

            var included = await contact.Include(caller, wallet.Id, MembershipSource.Import, owner);
            if (!included.IsSuccess)
            {
                return (id, Failure(row.Line, included.Error! with { Message = $"Wallet '{wallet.Name}': {included.Error!.Message}" }));
            }

            view = included.Value!;
        }

        return (id, null);
    }

    /// <summary>What would make the row fail part-way through, checked before anything is written.</summary>
    private static DomainError? Refusal(ImportCommand command, ContactView? existing)
    {
        foreach (var (wallet, owner) in command.Wallets)
        {
            var member = existing?.Memberships.FirstOrDefault(m => m.WalletId == wallet.Id);
            if (member is null && !wallet.Available)
            {
                return DomainError.Conflict(ErrorCodes.WalletUnavailable, $"Wallet '{wallet.Name}' has no responsible user and no manager, so it accepts no new contacts.");
            }

            if (owner is not null && existing?.Memberships.FirstOrDefault(m => m.Owner is not null) is { } owned && (owned.WalletId != wallet.Id || owned.Owner != owner))
            {
                return DomainError.Conflict(ErrorCodes.ContactAlreadyOwned, $"The contact is already owned by user {owned.Owner} in wallet {owned.WalletId}.");
            }
        }

        return null;
    }

    /// <summary>The update the row makes to an existing contact: its non-empty cells replace what they name; null when nothing changes.</summary>
    private static UpdateContact? Changes(ImportCommand command, ContactView existing)
    {
        var name = command.Name is { } given && given != existing.Name ? given : null;
        if (command.Attributes is not { } set)
        {
            return name is null ? null : new UpdateContact(name);
        }

        var now = existing.Attributes;
        var custom = new Dictionary<string, string>(now.Custom ?? new Dictionary<string, string>());
        foreach (var (key, value) in set.Custom ?? new Dictionary<string, string>())
        {
            custom[key] = value;
        }

        var merged = new ContactAttributes(
            set.Region ?? now.Region, set.Revenue ?? now.Revenue, set.Segment ?? now.Segment, set.Importance ?? now.Importance,
            custom.Count > 0 ? custom : null);
        var changed = merged.Region != now.Region || merged.Revenue != now.Revenue || merged.Segment != now.Segment
            || merged.Importance != now.Importance || custom.Count != (now.Custom?.Count ?? 0)
            || custom.Any(c => now.Custom?.GetValueOrDefault(c.Key) != c.Value);
        return name is null && !changed ? null : new UpdateContact(name, changed ? merged : null);
    }

    private static ImportRowError Failure(int line, DomainError error) => new(line, error.Code, error.Message);
}
