using WalletGrains.Gateway.Hosting;
using WalletGrains.ServiceDefaults;
using WalletGrains.Silo.Hosting;

namespace WalletGrains.Server;

/// <summary>Builds the WalletGrains process for its mode: embedded (silo + gateway), silo only, or gateway only.</summary>
public static class WalletGrainsApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var mode = builder.Configuration.GetValue("Mode", ServiceMode.Embedded);
        string? operatorTokenFile = null;

        builder.AddServiceDefaults();
        switch (mode)
        {
            case ServiceMode.Embedded:
                var store = builder.Configuration.GetSection(StoreOptions.Section).Get<StoreOptions>() ?? new StoreOptions();
                operatorTokenFile = OperatorToken.EnsureConfigured(builder.Configuration, store.DataDirectoryPath);
                builder.AddEmbeddedStore();
                builder.AddWalletGrainsSilo();
                break;
            case ServiceMode.Silo:
                builder.AddWalletGrainsSilo();
                break;
            case ServiceMode.Gateway:
                builder.AddWalletGrainsClient();
                break;
        }

        if (mode != ServiceMode.Silo)
        {
            builder.AddWalletGrainsGateway();
        }

        builder.Services.AddReadinessCheck<ClusterReadinessCheck>("cluster");

        var app = builder.Build();
        app.MapDefaultEndpoints();
        if (mode != ServiceMode.Silo)
        {
            app.MapWalletGrainsApi();
        }

        if (operatorTokenFile is not null)
        {
            app.Logger.LogInformation("Operator token (for POST /api/v1/accounts) is in {OperatorTokenFile}", operatorTokenFile);
        }

        app.Logger.LogInformation("WalletGrains starting in {Mode} mode", mode);
        return app;
    }
}
