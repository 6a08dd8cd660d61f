using static WalletGrains.FunctionalTests.Faults.Script;

namespace WalletGrains.FunctionalTests.Faults;

/// <summary>
/// SPEC §5 with the cluster changing under load: a SIGKILLed silo comes back on its ports, then a different silo is
/// stopped gracefully (SIGTERM) while owners' deadlines fall due. Same guarantees as after a kill.
/// </summary>
public sealed class SiloRestartTests
{
    [Fact]
    public async Task A_killed_silo_restarts_and_another_stops_gracefully_without_losing_writes_or_deadlines()
    {
        await using var scenario = await FaultScenario.Start();
        var crew = scenario.Crew;
        var first = await scenario.Contacts(seed: 11,
            (AssumedExpiring, 12), (RoutedExpiring, 12), (TransferredExpiring, 12),
            (OwnedThenTransferred, 8), (IncludedThenRouted, 8), (AssumedThenRouted, 8), (OwnedThenConflict, 8));
        var killed = await scenario.Contacts(seed: 12, (OwnedThenTransferred, 8), (IncludedThenRouted, 8), (AssumedThenRouted, 8), (OwnedThenConflict, 8));
        var restarting = await scenario.Contacts(seed: 13, (OwnedThenTransferred, 6), (IncludedThenRouted, 6), (AssumedThenRouted, 6), (OwnedThenConflict, 6));
        var stopping = await scenario.Contacts(seed: 14, (OwnedThenTransferred, 8), (IncludedThenRouted, 8), (AssumedThenRouted, 8), (OwnedThenConflict, 8));
        var expiring = first.Where(c => c.Expiring).ToList();

        scenario.StartLoad();
        scenario.Load.Enqueue(first);
        await FaultScenario.WhenDone(first, first.Count / 2);
        var fault = DateTimeOffset.UtcNow;
        await scenario.Cluster.KillSilo(0);
        scenario.Load.Enqueue(killed);
        await scenario.Load.WaitForRoutesToRecover(fault, streak: 20, TimeSpan.FromSeconds(90));
        var killRecovery = scenario.Load.RouteRecovery(fault);

        // The killed silo comes back on the same ports while the load goes on.
        scenario.Load.Enqueue(restarting);
        await scenario.Cluster.RestartSilo(0);
        await FaultScenario.WhenDone(first, first.Count);

        // A different silo leaves gracefully just as wallet E's deadlines start falling due.
        await FaultScenario.Until(FaultScenario.FirstDeadline(expiring) - TimeSpan.FromSeconds(2));
        scenario.Load.Enqueue(stopping);
        await FaultScenario.WhenDone(stopping, stopping.Count / 5);
        var stop = DateTimeOffset.UtcNow;
        var stopClock = System.Diagnostics.Stopwatch.StartNew();
        var exitCode = await scenario.Cluster.StopSilo(1);
        var stopTime = stopClock.Elapsed;
        await scenario.Load.WaitForRoutesToRecover(stop, streak: 20, TimeSpan.FromSeconds(90));
        await scenario.FinishLoad();
        var failedAfterKill = scenario.Load.Failures.Count(f => f.At >= fault && f.At < stop);
        var failedAfterStop = scenario.Load.Failures.Count(f => f.At >= stop);
        if (exitCode != 0)
        {
            scenario.Load.Violation($"the silo stopped by SIGTERM exited with code {exitCode}");
        }

        await scenario.VerifyWallet(crew.WalletA);
        await scenario.VerifyContacts(scenario.Cases.Where(c => !c.Expiring), expired: false);
        await scenario.WaitForSweeps(TimeSpan.FromSeconds(150));
        var (timers, sweeps, sweptUntouched) = await scenario.VerifyExpired(expiring, fault);
        await scenario.VerifyContacts(expiring, expired: true);
        await scenario.VerifyWallet(crew.WalletE);
        await scenario.VerifyOwnerIndex(crew.A1);

        scenario.Figure("contacts", scenario.Cases.Count);
        scenario.Figure("requests sent", scenario.Load.Sent);
        scenario.Figure("acknowledged (2xx)", scenario.Load.Acknowledged);
        scenario.Figure("refused as expected (409 second owner)", scenario.Load.Rejected);
        scenario.Figure("errors after the kill, through the restart", $"{failedAfterKill}; {scenario.Load.FailureWindow(fault, stop)}");
        scenario.Figure("errors after the graceful stop", $"{failedAfterStop}; {scenario.Load.FailureWindow(stop)}");
        scenario.Figure("failures by kind", scenario.Load.FailureSummary());
        scenario.Figure("time until routes succeeded again", $"{killRecovery.TotalSeconds:0.0} s after the SIGKILL, {scenario.Load.RouteRecovery(stop).TotalSeconds:0.0} s after the SIGTERM");
        scenario.Figure("graceful stop", $"{stopTime.TotalSeconds:0.0} s, exit code {exitCode}");
        scenario.Figure("deadlines released by timers / by sweeps (of which untouched since before the kill)", $"{timers} / {sweeps} ({sweptUntouched})");
        scenario.AssertNoViolations();
    }
}
