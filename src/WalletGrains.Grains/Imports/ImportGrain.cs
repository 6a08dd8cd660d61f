using Microsoft.Extensions.Logging;
using WalletGrains.Abstractions.Imports;
using WalletGrains.Grains.Common;

namespace WalletGrains.Grains.Imports;

/// <summary>Persisted state of one import: where it is, what is done, and the first row errors. Rows live in the chunks.</summary>
[GenerateSerializer]
public sealed record ImportState
{
    [Id(0)] public Caller? Caller { get; init; }
    [Id(1)] public ImportStatus Status { get; init; }
    [Id(2)] public bool ArchiveMissing { get; init; }
    [Id(3)] public int RowsRead { get; init; }
    [Id(4)] public int Chunks { get; init; }
    [Id(5)] public HashSet<int> ChunksDone { get; init; } = [];
    [Id(6)] public int RowsApplied { get; init; }
    [Id(7)] public int RowsFailed { get; init; }
    [Id(8)] public IReadOnlyList<ImportRowError> Errors { get; init; } = [];
    [Id(9)] public int ArchiveShardsDone { get; init; }
    [Id(10)] public int ContactsArchived { get; init; }
    [Id(11)] public DateTimeOffset CreatedAt { get; init; }
    [Id(12)] public DateTimeOffset? RowsDoneAt { get; init; }
    [Id(13)] public DateTimeOffset? CompletedAt { get; init; }
}

/// <summary>
/// One CSV import. Accepting a file stores its rows in chunks (<see cref="IImportChunkGrain"/>) and this small state;
/// then the rows are applied in the background, a few chunks at a time, each chunk's completion recorded durably here.
/// An activation of an unfinished import resumes it: the grain is activated by any read of its progress or by its
/// reminder, which ticks while it runs, so an import cut short by a crash carries on after the restart and re-applies
/// only the chunks not recorded as done (every row operation is idempotent).
/// </summary>
internal sealed partial class ImportGrain(
    [PersistentState("import", Stores.Default)] IPersistentState<ImportState> import,
    TimeProvider clock,
    ILogger<ImportGrain> logger) : Grain, IImportGrain, IRemindable
{
    private const string ResumeReminder = "resume";
    private static readonly TimeSpan ResumePeriod = TimeSpan.FromMinutes(1);

    // Chunks applied at once; each has its own rows in flight, so about ChunkParallelism × 64 rows are in flight.
    private const int ChunkParallelism = 4;

    // Contacts of the account checked at once when archiving those absent from the file.
    private const int ArchiveParallelism = 64;

    private Task? _run;

    private ImportState S => import.State;

    private Guid Id => this.GetPrimaryKey();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        EnsureRunning();
        return Task.CompletedTask;
    }

    public async Task<Result<ImportView>> Create(Caller caller, ImportFile file)
    {
        if (!caller.IsAdmin)
        {
            return DomainError.Forbidden(ErrorCodes.Forbidden, "Only admins import contacts.");
        }

        if (import.RecordExists)
        {
            return await Get(caller);
        }

        var createdAt = clock.GetUtcNow();
        if (file.Rows.Count is 0)
        {
            return DomainError.Invalid(ErrorCodes.ImportEmpty, "The file has a header but no rows.");
        }

        if (file.Rows.Count > ImportFile.MaxRows)
        {
            return DomainError.Invalid(ErrorCodes.ImportTooManyRows, $"A file holds at most {ImportFile.MaxRows:N0} rows; split it.");
        }

        var chunks = MarkDuplicates(file.Rows).Chunk(IImportChunkGrain.Size).ToList();
        await Task.WhenAll(chunks.Select((rows, i) => Chunk(i).Store(rows)));

        import.State = new ImportState
        {
            Caller = caller,
            Status = ImportStatus.Running,
            ArchiveMissing = file.ArchiveMissing,
            RowsRead = file.Rows.Count,
            Chunks = chunks.Count,
            CreatedAt = createdAt,
        };
        await import.WriteStateAsync();
        await this.RegisterOrUpdateReminder(ResumeReminder, ResumePeriod, ResumePeriod);
        EnsureRunning();
        return View();
    }

    public Task<Result<ImportView>> Get(Caller caller)
    {
        if (!import.RecordExists || S.Caller!.AccountId != caller.AccountId)
        {
            return Task.FromResult<Result<ImportView>>(DomainError.NotFound(ErrorCodes.ImportNotFound, "No such import in this account."));
        }

        return Task.FromResult<Result<ImportView>>(caller.IsAdmin ? View() : DomainError.Forbidden(ErrorCodes.Forbidden, "Only admins read imports."));
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (import.RecordExists && S.Status == ImportStatus.Completed)
        {
            await StopReminder();
            return;
        }

        EnsureRunning();
    }

    /// <summary>Later rows naming a contact an earlier row names (same phone or same id) are reported, not applied.</summary>
    private static IEnumerable<ImportRow> MarkDuplicates(IReadOnlyList<ImportRow> rows)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var key = row.ContactId is { } id ? (Guid.TryParse(id, out var parsed) ? $"id:{parsed}" : null) : row.PhoneNumber is { } phone ? $"phone:{phone}" : null;
            if (key is not null && row.Malformed is null && !first.TryAdd(key, row.Line))
            {
                yield return row with { DuplicateOf = first[key] };
            }
            else
            {
                yield return row;
            }
        }
    }

    private void EnsureRunning()
    {
        if (import.RecordExists && S.Status != ImportStatus.Completed && _run is not { IsCompleted: false })
        {
            _run = Run();
        }
    }

    /// <summary>Applies the chunks not yet done, then archives absent contacts if asked, then completes.</summary>
    private async Task Run()
    {
        try
        {
            var caller = S.Caller!;
            if (S.Status == ImportStatus.Running)
            {
                await ApplyChunks(caller);
                var now = clock.GetUtcNow();
                import.State = S.ArchiveMissing
                    ? S with { Status = ImportStatus.Archiving, RowsDoneAt = now }
                    : S with { Status = ImportStatus.Completed, RowsDoneAt = now, CompletedAt = now };
                await import.WriteStateAsync();
            }

            if (S.Status == ImportStatus.Archiving)
            {
                await ArchiveMissing(caller);
                import.State = S with { Status = ImportStatus.Completed, CompletedAt = clock.GetUtcNow() };
                await import.WriteStateAsync();
            }

            await StopReminder();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The store or a silo failed part-way: drop what memory holds; the reminder resumes from the stored state.
            LogInterrupted(logger, e, Id);
            this.DeactivateOnIdle();
        }
    }

    private async Task ApplyChunks(Caller caller)
    {
        var directory = await ReadDirectory(caller);
        var pending = new Queue<int>(Enumerable.Range(0, S.Chunks).Where(i => !S.ChunksDone.Contains(i)));
        var inFlight = new Dictionary<Task<ImportChunkOutcome>, int>();
        while (pending.Count > 0 || inFlight.Count > 0)
        {
            while (inFlight.Count < ChunkParallelism && pending.TryDequeue(out var next))
            {
                inFlight.Add(Chunk(next).Apply(caller, directory), next);
            }

            var done = await Task.WhenAny(inFlight.Keys);
            var chunk = inFlight[done];
            inFlight.Remove(done);
            if (done.Exception?.InnerException is TimeoutException)
            {
                // Still being applied (the chunk answers its recorded outcome once done): ask again.
                pending.Enqueue(chunk);
                continue;
            }

            var outcome = await done;
            S.ChunksDone.Add(chunk);
            import.State = S with
            {
                RowsApplied = S.RowsApplied + outcome.Applied,
                RowsFailed = S.RowsFailed + outcome.Errors.Count,
                Errors = [.. S.Errors.Concat(outcome.Errors).OrderBy(e => e.Line).Take(ImportView.MaxErrors)],
            };
            await import.WriteStateAsync();
        }
    }

    /// <summary>The account's wallets and the users they name, as rows name them; read once per run.</summary>
    private async Task<ImportDirectory> ReadDirectory(Caller caller)
    {
        var catalog = GrainFactory.GetGrain<IWalletCatalogGrain>(caller.AccountId);
        var wallets = new List<WalletView>();
        for (var page = 1; ; page++)
        {
            var listed = await catalog.List(caller, new WalletListQuery(new PageRequest(page, PageRequest.MaxPageSize)));
            wallets.AddRange(listed.Value?.Items ?? []);
            if (listed.Value is not { HasMorePages: true })
            {
                break;
            }
        }

        var users = await Task.WhenAll(wallets.SelectMany(w => w.Teams).SelectMany(t => t.UserIds ?? []).Distinct().Select(async id =>
        {
            var user = GrainFactory.GetGrain<IUserGrain>(id);
            var view = await user.Get(caller);
            return new ImportUser(id, view.Value?.Email, view.IsSuccess && (await user.Presence()).CanOwn);
        }));
        return new ImportDirectory(wallets, users);
    }

    /// <summary>
    /// Archives the account's active contacts that no row of the file named, shard by shard of the account's contact
    /// directory; each finished shard is recorded, so a crash repeats at most one shard (archiving twice changes nothing).
    /// </summary>
    private async Task ArchiveMissing(Caller caller)
    {
        var named = new HashSet<Guid>();
        foreach (var contacts in await Task.WhenAll(Enumerable.Range(0, S.Chunks).Select(i => Chunk(i).Contacts())))
        {
            named.UnionWith(contacts);
        }

        for (var shard = S.ArchiveShardsDone; shard < IAccountContactsGrain.Shards; shard++)
        {
            var absent = (await GrainFactory.GetGrain<IAccountContactsGrain>(IAccountContactsGrain.Key(caller.AccountId, shard)).All())
                .Where(id => !named.Contains(id)).ToList();
            var archived = 0;
            foreach (var batch in absent.Chunk(ArchiveParallelism))
            {
                var changed = await Task.WhenAll(batch.Select(id => Archive(caller, GrainFactory.GetGrain<IContactGrain>(id))));
                archived += changed.Count(c => c);
            }

            import.State = S with { ArchiveShardsDone = shard + 1, ContactsArchived = S.ContactsArchived + archived };
            await import.WriteStateAsync();
        }
    }

    /// <summary>Archives the contact if it is active; false when it was not (or never came to exist).</summary>
    private static async Task<bool> Archive(Caller caller, IContactGrain contact)
    {
        var current = await contact.Get(caller);
        return current.Value is { Status: ContactStatus.Active }
            && (await contact.Update(caller, new UpdateContact(Status: ContactStatus.Archived))).IsSuccess;
    }

    private async Task StopReminder()
    {
        if (await this.GetReminder(ResumeReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private IImportChunkGrain Chunk(int index) => GrainFactory.GetGrain<IImportChunkGrain>(IImportChunkGrain.Key(Id, index));

    private ImportView View()
    {
        var done = S.RowsApplied + S.RowsFailed;
        var seconds = ((S.RowsDoneAt ?? clock.GetUtcNow()) - S.CreatedAt).TotalSeconds;
        return new ImportView(
            Id, S.Status, S.ArchiveMissing, S.RowsRead, S.RowsApplied, S.RowsFailed, S.RowsRead - done, S.ContactsArchived,
            seconds > 0 ? Math.Round(done / seconds, 1) : 0, S.CreatedAt, S.CompletedAt, S.Errors, S.RowsFailed > S.Errors.Count);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Import {ImportId} was interrupted; its reminder resumes it")]
    private static partial void LogInterrupted(ILogger logger, Exception exception, Guid importId);
}
