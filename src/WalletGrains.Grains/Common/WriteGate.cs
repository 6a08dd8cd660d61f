namespace WalletGrains.Grains.Common;

/// <summary>
/// Serializes the storage writes of one activation. Interleaved calls (<see cref="AlwaysInterleaveAttribute"/>)
/// may otherwise write at once with the same ETag, and the second write would fail as inconsistent.
/// </summary>
internal sealed class WriteGate : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Task? _pending;

    public async Task Write<T>(IPersistentState<T> state)
    {
        await _gate.WaitAsync();
        try
        {
            await state.WriteStateAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Group commit for interleaving grains: every change made before the next write starts rides on that write, and
    /// every caller awaits it, so a burst of changes costs a few writes and each caller still waits for durability.
    /// </summary>
    public Task WriteSoon<T>(IPersistentState<T> state) => _pending ??= WriteAfterYield(state);

    public void Dispose() => _gate.Dispose();

    private async Task WriteAfterYield<T>(IPersistentState<T> state)
    {
        await Task.Yield();
        _pending = null;
        await Write(state);
    }
}
