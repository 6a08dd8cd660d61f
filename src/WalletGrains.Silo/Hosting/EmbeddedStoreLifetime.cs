using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WalletGrains.Silo.Storage;

namespace WalletGrains.Silo.Hosting;

/// <summary>Stops the embedded store last, after the silo, so every acknowledged write is committed.</summary>
internal sealed class EmbeddedStoreLifetime(EmbeddedGarnet garnet, ILoggerFactory loggers) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        garnet.Dispose();
        loggers.Dispose();
        return Task.CompletedTask;
    }
}
