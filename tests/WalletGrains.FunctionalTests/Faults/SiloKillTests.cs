using static WalletGrains.FunctionalTests.Faults.Script;

namespace WalletGrains.FunctionalTests.Faults;

/// <summary>
/// SPEC §5: a silo SIGKILLed mid-load loses no acknowledged write, never leaves a contact with two owners, and its
/// contacts' deadlines still fire on the surviving silos. Real processes: redis-server, three silos, one gateway.
/// </summary>
public sealed class SiloKillTests
{
    [Fact]
    public async Task A_silo_killed_mid_load_loses_no_acknowledged_write_and_its_deadlines_fire_on_the_survivors()
    {
        await using var scenario = await FaultScenario.Start();
        var crew = scenario.Crew;
        var first = await scenario.Contacts(seed: 1,
            (AssumedExpiring, 12), (RoutedExpiring, 12), (TransferredExpiring, 12),
            (OwnedThenTransferred, 8), (IncludedThenRouted, 8), (AssumedThenRouted, 8), (OwnedThenConflict, 8));
        var during = await scenario.Contacts(seed: 2, (OwnedThenTransferred, 12), (IncludedThenRouted, 12), (AssumedThenRouted, 12), (OwnedThenConflict, 12));
        var after = await scenario.Contacts(seed: 3, (OwnedThenTransferred, 8), (IncludedThenRouted, 8), (AssumedThenRouted, 8), (OwnedThenConflict, 8));
        var expiring = first.Where(c => c.Expiring).ToList();

        scenario.StartLoad();
        scenario.Load.Enqueue(first);
        await FaultScenario.WhenDone(first, first.Count);

        // Wallet E's owners expire a minute after their binds. The silo dies just before the first of those deadlines,
        // so they fall due while it is down and after; the router keeps routing meanwhile.
        await FaultScenario.Until(FaultScenario.FirstDeadline(expiring) - TimeSpan.FromSeconds(5));
        scenario.Load.Enqueue(during);
        await FaultScenario.WhenDone(during, during.Count / 5);
        var pendingBuckets = await scenario.PendingExpiryBuckets();
        var fault = DateTimeOffset.UtcNow;
        await scenario.Cluster.KillSilo(1);

        await scenario.Load.WaitForRoutesToRecover(fault, streak: 20, TimeSpan.FromSeconds(90));
        scenario.Load.Enqueue(after);
        await scenario.FinishLoad();
        var failedAfterFault = scenario.Load.Failures.Count(f => f.At >= fault);

        // Every acknowledged write is there, no contact has two owners, counts and member lists match the memberships.
        await scenario.VerifyWallet(crew.WalletA);
        await scenario.VerifyContacts(scenario.Cases.Where(c => !c.Expiring), expired: false);

        // The deadlines were released by the two surviving silos: every bucket swept, every owner expired before anyone read it.
        await scenario.WaitForSweeps(TimeSpan.FromSeconds(150));
        var (timers, sweeps, sweptUntouched) = await scenario.VerifyExpired(expiring, fault);
        await scenario.VerifyContacts(expiring, expired: true);
        await scenario.VerifyWallet(crew.WalletE);
        if (sweptUntouched == 0)
        {
            scenario.Load.Violation($"no contact left alone since before the kill was released by a sweep (timers {timers}, sweeps {sweeps}): the killed silo's contacts were not shown to expire");
        }

        // The wallet's member index knows every owner: blocking A1 releases all of A1's contacts.
        await scenario.VerifyOwnerIndex(crew.A1);

        scenario.Figure("contacts", scenario.Cases.Count);
        scenario.Figure("requests sent", scenario.Load.Sent);
        scenario.Figure("acknowledged (2xx)", scenario.Load.Acknowledged);
        scenario.Figure("refused as expected (409 second owner)", scenario.Load.Rejected);
        scenario.Figure("errors during failover", $"{failedAfterFault} ({scenario.Load.FailureSummary()}); {scenario.Load.FailureWindow(fault)}");
        scenario.Figure("time until routes succeeded again", $"{scenario.Load.RouteRecovery(fault).TotalSeconds:0.0} s after the SIGKILL");
        scenario.Figure("expiry buckets pending at the kill", pendingBuckets);
        scenario.Figure("deadlines released by timers / by the survivors' sweeps (of which untouched since before the kill)", $"{timers} / {sweeps} ({sweptUntouched})");
        scenario.AssertNoViolations();
    }
}
