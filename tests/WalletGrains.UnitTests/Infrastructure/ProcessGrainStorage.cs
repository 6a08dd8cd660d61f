using System.Collections.Concurrent;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;

namespace WalletGrains.UnitTests.Infrastructure;

/// <summary>
/// Grain storage held by the test process rather than by any silo (the in-memory provider keeps its data in grains,
/// which die with their silo). It stands in for the shared durable store when a test stops a silo. States are kept
/// serialized in Orleans' binary format, as the real store keeps them, with optimistic concurrency on an ETag.
/// </summary>
public sealed class ProcessGrainStorage(Serializer serializer) : IGrainStorage
{
    private static readonly ConcurrentDictionary<string, (byte[] Data, string ETag)> Records = new();
    private static readonly Lock Gate = new();

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (Records.TryGetValue(Key(stateName, grainId), out var record))
        {
            grainState.State = serializer.Deserialize<T>(record.Data);
            grainState.ETag = record.ETag;
            grainState.RecordExists = true;
        }
        else
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = Key(stateName, grainId);
        var etag = Guid.NewGuid().ToString("N");
        lock (Gate)
        {
            CheckETag(key, grainState.ETag);
            Records[key] = (serializer.SerializeToArray(grainState.State), etag);
        }

        grainState.ETag = etag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = Key(stateName, grainId);
        lock (Gate)
        {
            CheckETag(key, grainState.ETag);
            Records.TryRemove(key, out _);
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private static void CheckETag(string key, string? expected)
    {
        var stored = Records.TryGetValue(key, out var record) ? record.ETag : null;
        if (stored != expected)
        {
            throw new InconsistentStateException($"ETag mismatch for {key}.", stored, expected);
        }
    }

    private static string Key(string stateName, GrainId grainId) => $"{stateName}/{grainId}";
}
