using WalletGrains.Server;

await WalletGrainsApp.Build(args).RunAsync();
