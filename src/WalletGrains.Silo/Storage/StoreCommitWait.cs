namespace WalletGrains.Silo.Storage;

/// <summary>
/// How this process's connections make sure a command's effect is durable before they hand its answer back: the embedded
/// store commits its append-only file in the background, and each answer is released once the commit covers it. Without
/// it (a shared Redis or Garnet), the store's own settings decide when it answers.
/// </summary>
public sealed class StoreCommitWait(Func<Task> untilCommitted)
{
    /// <summary>Completes once everything the store has appended so far is committed.</summary>
    public Task UntilCommitted() => untilCommitted();
}
