using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WalletGrains.Silo.Storage;

namespace WalletGrains.Silo.Hosting;

/// <summary>Stops the embedded store last, after the silo, so every acknowledged write is committed.</summary>
internal sealed partial class EmbeddedStoreLifetime(EmbeddedGarnet garnet, ILogger<EmbeddedStoreLifetime> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogStarted(logger, garnet.Port);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        garnet.Dispose();
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded store listening on 127.0.0.1:{Port}")]
    private static partial void LogStarted(ILogger logger, int port);
}
