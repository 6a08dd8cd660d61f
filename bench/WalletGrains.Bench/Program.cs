using WalletGrains.Bench;
using WalletGrains.Bench.InSilo;
using WalletGrains.Bench.Running;

// bench/run.sh runs "run" with its own arguments (bench/README.md); the other modes are the child processes "run" starts
// for the in-silo rows.
var mode = args.FirstOrDefault() ?? "run";
var options = Arguments.Parse(args.Skip(1));
switch (mode)
{
    case "run":
        var settings = (args.Contains("--quick") ? BenchSettings.Quick : BenchSettings.Full).With(options);
        return await new BenchRun(settings, Arguments.Repository(), string.Join(' ', ["bench/run.sh", .. args.Skip(1)])).Run();
    case "store-rows":
        BenchJson.PrintResult(await StoreRows.Run(options.Text("store"), options.Number("contacts"), options.Time("warmup"), options.Time("duration")));
        return 0;
    case "memory":
        BenchJson.PrintResult(await MemoryRow.Run(options.Text("store"), options.Number("contacts")));
        return 0;
    case "expiry":
        BenchJson.PrintResult(await ExpiryRow.Run(options.Text("data"), options.Number("contacts"), options.Time("sweep")));
        return 0;
    default:
        Console.Error.WriteLine($"Unknown mode '{mode}'. Use: run [--quick] (see bench/README.md).");
        return 2;
}
