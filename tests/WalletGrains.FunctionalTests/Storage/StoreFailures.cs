using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Serialization;

namespace WalletGrains.FunctionalTests.Storage;

/// <summary>What a store failure raised in a silo must be for a gateway in another process to answer it with a 503.</summary>
internal static class StoreFailures
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    /// <summary>
    /// The failure is an <see cref="OrleansException"/> that names the store's error and comes through Orleans'
    /// serialization whole, as it must to cross from a silo to a gateway (a client library's exception inside would not).
    /// </summary>
    public static void AssertCrossesToAGateway(OrleansException failure)
    {
        Assert.Contains("RedisConnectionException", failure.Message, StringComparison.Ordinal);
        var received = Serializer.Deserialize<Exception>(Serializer.SerializeToArray<Exception>(failure));
        Assert.IsType<OrleansException>(received);
        Assert.Equal(failure.Message, received.Message);
    }
}
