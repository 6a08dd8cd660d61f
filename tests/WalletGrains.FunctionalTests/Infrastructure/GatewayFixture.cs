using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using WalletGrains.Server;

[assembly: AssemblyFixture(typeof(GatewayFixture))]

// The functional tests drive real processes with POSIX signals; they run on Linux, like CI.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace WalletGrains.FunctionalTests.Infrastructure;

/// <summary>
/// The embedded default (silo + gateway + embedded Garnet on a temp data directory) served by real Kestrel
/// on loopback, shared by the HTTP tests. Tests isolate themselves by creating their own account.
/// </summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public const string OperatorToken = "test-operator-token-0123456789abcdef";

    private RunningGateway? _gateway;

    public Api Api => _gateway!.Api;

    public async ValueTask InitializeAsync() => _gateway = await RunningGateway.Start();

    public async ValueTask DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
    }
}

/// <summary>One in-process WalletGrains embedded default on real Kestrel; extra settings are command-line style.</summary>
public sealed class RunningGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dataDirectory;

    private RunningGateway(WebApplication app, string dataDirectory, Uri address)
    {
        _app = app;
        _dataDirectory = dataDirectory;
        Api = new Api(new HttpClient { BaseAddress = address }, GatewayFixture.OperatorToken);
    }

    public Api Api { get; }

    public static async Task<RunningGateway> Start(params string[] settings)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("walletgrains-http-").FullName;
        string[] args =
        [
            "--Urls=http://127.0.0.1:0",
            $"--Store:DataDirectory={dataDirectory}",
            $"--Auth:OperatorToken={GatewayFixture.OperatorToken}",
            $"--Cluster:SiloPort={FreePort()}",
            "--Logging:LogLevel:Default=Warning",
            .. settings,
        ];
        var app = WalletGrainsApp.Build(args);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new RunningGateway(app, dataDirectory, new Uri(address));
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
    }
}
