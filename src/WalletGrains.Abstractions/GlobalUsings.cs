global using System.Text.Json.Serialization;
global using Orleans;
global using Orleans.Concurrency;
global using WalletGrains.Abstractions.Common;
