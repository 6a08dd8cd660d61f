global using Orleans;
global using Orleans.Concurrency;
global using Orleans.Runtime;
global using WalletGrains.Abstractions.Accounts;
global using WalletGrains.Abstractions.Common;
global using WalletGrains.Abstractions.Teams;
global using WalletGrains.Abstractions.Users;
global using WalletGrains.Abstractions.Wallets;
