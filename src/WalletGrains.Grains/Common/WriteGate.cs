namespace WalletGrains.Grains.Common;

/// <summary>
/// Serializes the storage writes of one activation. Interleaved calls (<see cref="AlwaysInterleaveAttribute"/>)
/// may otherwise write at once with the same ETag, and the second write would fail as inconsistent. Each write waits
/// for the one queued before it (whatever its outcome: that write's caller sees its failure); the gate holds nothing
/// once the last queued write has finished, as most resident contacts never write again.
/// </summary>
internal sealed class WriteGate
{
    private Task? _last;
    private Task? _pending;

    /// <summary>Writes the state once every write queued before this one has finished.</summary>
    public async Task Write<T>(IPersistentState<T> state)
    {
        var write = WriteAfter(_last, state);
        _last = write;
        try
        {
            await write;
        }
        finally
        {
            // The grain's calls run one turn at a time, so no other turn reads or sets the field meanwhile.
            if (ReferenceEquals(_last, write))
            {
                _last = null;
            }
        }
    }

    /// <summary>
    /// Group commit for interleaving grains: every change made before the next write starts rides on that write, and
    /// every caller awaits it, so a burst of changes costs a few writes and each caller still waits for durability.
    /// </summary>
    public Task WriteSoon<T>(IPersistentState<T> state) => _pending ??= WriteAfterYield(state);

    private static async Task WriteAfter<T>(Task? previous, IPersistentState<T> state)
    {
        if (previous is not null)
        {
            await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        }

        await state.WriteStateAsync();
    }

    private async Task WriteAfterYield<T>(IPersistentState<T> state)
    {
        await Task.Yield();
        _pending = null;
        await Write(state);
    }
}
