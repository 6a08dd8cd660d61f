using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using WalletGrains.Grains.Indexes;

namespace WalletGrains.UnitTests.Infrastructure;

/// <summary>
/// The grains' indexes held by the test process, one set per test cluster (so every silo of a cluster sees the same
/// indexes, and a stopped silo takes none with it), in place of the store's hashes.
/// </summary>
public sealed class ProcessIndexStore : IIndexStore
{
    private static readonly ConcurrentDictionary<string, ProcessIndexStore> Clusters = new();

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, Guid?>> _indexes = new();

    /// <summary>Registers the store of the silo's cluster.</summary>
    public static IServiceCollection Register(IServiceCollection services) =>
        services.AddSingleton<IIndexStore>(sp =>
        {
            var cluster = sp.GetRequiredService<IOptions<ClusterOptions>>().Value;
            return Clusters.GetOrAdd($"{cluster.ServiceId}/{cluster.ClusterId}", _ => new ProcessIndexStore());
        });

    public Task<Dictionary<Guid, Guid?>> Read(string index) =>
        Task.FromResult(_indexes.TryGetValue(index, out var entries) ? new Dictionary<Guid, Guid?>(entries) : []);

    public Task Set(string index, Guid id, Guid? value = null)
    {
        _indexes.GetOrAdd(index, _ => new())[id] = value;
        return Task.CompletedTask;
    }

    public Task Remove(string index, Guid id)
    {
        if (_indexes.TryGetValue(index, out var entries))
        {
            entries.TryRemove(id, out _);
        }

        return Task.CompletedTask;
    }

    public Task Delete(string index)
    {
        _indexes.TryRemove(index, out _);
        return Task.CompletedTask;
    }
}
