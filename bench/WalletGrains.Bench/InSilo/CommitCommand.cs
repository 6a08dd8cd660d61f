using StackExchange.Redis;
using WalletGrains.Silo.Storage;

namespace WalletGrains.Bench.InSilo;

/// <summary>
/// Durable answers from a process that does not host the store: after each command, the benchmark's silo waits for a
/// <c>COMMITAOF</c> the server's embedded Garnet completes once its append-only file is committed. Waits are coalesced: one
/// commit is in flight at a time, and whoever comes while it runs waits for the next one, which starts after it.
/// </summary>
internal sealed class CommitCommand(IDatabase store)
{
    private readonly Lock _gate = new();
    private Task? _running;
    private Task? _next;

    public static async Task<StoreCommitWait> Connect(string store)
    {
        var connection = await ConnectionMultiplexer.ConnectAsync($"{store},abortConnect=false");
        var commits = new CommitCommand(connection.GetDatabase());
        return new StoreCommitWait(commits.UntilCommitted);
    }

    private Task UntilCommitted()
    {
        lock (_gate)
        {
            if (_running is null)
            {
                return _running = Commit();
            }

            return _next ??= _running.ContinueWith(_ => Commit(), TaskScheduler.Default).Unwrap();
        }
    }

    private async Task Commit()
    {
        try
        {
            await store.ExecuteAsync("COMMITAOF");
        }
        finally
        {
            lock (_gate)
            {
                _running = null;
                if (_next is { } next)
                {
                    _running = next;
                    _next = null;
                }
            }
        }
    }
}
