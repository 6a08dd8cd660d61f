global using Orleans;
global using WalletGrains.Abstractions.Accounts;
global using WalletGrains.Abstractions.Common;
global using WalletGrains.Abstractions.Teams;
global using WalletGrains.Abstractions.Users;
global using WalletGrains.Abstractions.Wallets;
global using WalletGrains.UnitTests.Infrastructure;
global using Xunit;
