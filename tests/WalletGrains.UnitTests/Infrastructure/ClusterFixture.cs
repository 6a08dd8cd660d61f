using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Hosting;
using Orleans.TestingHost;
using WalletGrains.Grains.Common;

[assembly: AssemblyFixture(typeof(ClusterFixture))]

namespace WalletGrains.UnitTests.Infrastructure;

/// <summary>
/// An in-process test cluster of two silos on in-memory storage and reminders, with a fake clock shared
/// by every silo. Tests isolate themselves by creating their own account.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>The clock every silo of the cluster reads. Tests that move it must not rely on other tests' times.</summary>
    public static FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 5, 12, 0, 0, TimeSpan.Zero));

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.GrainFactory;

    public async ValueTask InitializeAsync()
    {
        var builder = new TestClusterBuilder(initialSilosCount: 2);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo) => silo
            .AddMemoryGrainStorage(Stores.Default)
            .UseInMemoryReminderService()
            .ConfigureServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}
