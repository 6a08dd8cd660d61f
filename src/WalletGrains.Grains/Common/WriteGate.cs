namespace WalletGrains.Grains.Common;

/// <summary>
/// Serializes the storage writes of one activation. Interleaved calls (<see cref="AlwaysInterleaveAttribute"/>)
/// may otherwise write at once with the same ETag, and the second write would fail as inconsistent.
/// </summary>
internal sealed class WriteGate : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

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

    public void Dispose() => _gate.Dispose();
}
