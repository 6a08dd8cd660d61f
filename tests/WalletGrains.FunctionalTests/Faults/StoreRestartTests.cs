using System.Collections.Concurrent;
using System.Diagnostics;
using WalletGrains.FunctionalTests.Contacts;
using static WalletGrains.FunctionalTests.Faults.Script;

namespace WalletGrains.FunctionalTests.Faults;

/// <summary>
/// The shared store dies (SIGKILL of redis-server) under load and comes back from its AOF: requests meanwhile fail as
/// 503 problems and none half-applies; afterwards the cluster serves again with no manual step.
/// </summary>
public sealed class StoreRestartTests
{
    [Fact]
    public async Task The_store_restarts_from_its_AOF_requests_during_the_outage_fail_as_503_and_none_half_applies()
    {
        await using var scenario = await FaultScenario.Start();
        var crew = scenario.Crew;
        var account = crew.Account;
        var before = await scenario.Contacts(seed: 21, (OwnedThenTransferred, 8), (IncludedThenRouted, 8), (AssumedThenRouted, 8), (OwnedThenConflict, 8));
        var during = await scenario.Contacts(seed: 22, (OwnedThenTransferred, 10), (IncludedThenRouted, 10), (AssumedThenRouted, 10), (OwnedThenConflict, 10));
        var after = await scenario.Contacts(seed: 23, (OwnedThenTransferred, 6), (IncludedThenRouted, 6), (AssumedThenRouted, 6), (OwnedThenConflict, 6));

        // Probes: contacts in wallet A without an owner. Routing one binds an owner, a write that needs the store. Each
        // probe is routed once and never retried, so a failed one shows whatever its failed request left behind.
        var probes = await FaultLoad.CreateCases(crew, Enumerable.Repeat(IncludedThenRouted, 100));
        foreach (var probe in probes)
        {
            Expect.Status(HttpStatusCode.OK, await account.Include(crew.WalletA, new { contactId = probe.Id }));
            probe.Wallets.Add(crew.WalletA);
        }

        scenario.Cases.AddRange(probes);
        scenario.StartLoad();
        scenario.Load.Enqueue(before);
        await FaultScenario.WhenDone(before, before.Count / 2);

        var fault = DateTimeOffset.UtcNow;
        await scenario.Cluster.KillStore();
        scenario.Load.Enqueue(during);
        var outcomes = new ConcurrentQueue<(DateTimeOffset At, ContactCase Probe, Reply? Reply, string? Failure)>();
        using var stopProbing = new CancellationTokenSource();
        var probing = Task.Run(async () =>
        {
            // One probe every 200 ms, each on its own: during the outage a request takes seconds to fail.
            var running = new List<Task>();
            foreach (var probe in probes.TakeWhile(_ => !stopProbing.IsCancellationRequested))
            {
                running.Add(Task.Run(async () =>
                {
                    var (reply, failure) = await scenario.Load.Attempt(() => account.Route(probe.Id));
                    if (failure is null && Expect.Status(HttpStatusCode.OK, reply!).Json.GuidOf("userId") is { } owner)
                    {
                        probe.Owner = (crew.WalletA, owner);
                    }

                    outcomes.Enqueue((DateTimeOffset.UtcNow, probe, reply, failure));
                }));
                await Task.Delay(2 * FaultScenario.Pace, TestContext.Current.CancellationToken);
            }

            await Task.WhenAll(running);
        }, TestContext.Current.CancellationToken);

        // The store stays down until the outage has shown itself: failed probes and failed load requests.
        var outage = Stopwatch.StartNew();
        while (outcomes.Count(o => o.Failure is not null) < 5 || scenario.Load.Failures.Count(f => f.At >= fault) < 5)
        {
            Assert.True(outage.Elapsed < TimeSpan.FromSeconds(60), $"The outage showed no failures: {outcomes.Count} probes, {scenario.Load.Failures.Count} failures.");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        var restart = DateTimeOffset.UtcNow;
        await scenario.Cluster.RestartStore();
        while (!outcomes.Any(o => o.At >= restart && o.Failure is null))
        {
            Assert.True(!probing.IsCompleted, "The probes ran out before a route succeeded after the store came back.");
            Assert.True(DateTimeOffset.UtcNow - restart < TimeSpan.FromSeconds(90), "Routes did not succeed within 90 s of the store's restart.");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        await stopProbing.CancelAsync();
        await probing;
        var recovered = outcomes.First(o => o.At >= restart && o.Failure is null).At;
        scenario.Load.Enqueue(after);
        await scenario.FinishLoad();

        // Requests during the outage: every failure a 503 problem (the load and the probes check each answer).
        var failedProbes = outcomes.Where(o => o.Failure is not null).ToList();
        var during503 = scenario.Load.Failures.Count(f => f.At >= fault && f.At < recovered);

        // The member index agrees with the memberships before anything reads the contacts.
        await scenario.VerifyWallet(crew.WalletA);

        // None half-applied: a failed probe either bound an owner completely (history, owner, member index) or not at all.
        var applied = 0;
        foreach (var (_, probe, _, _) in failedProbes)
        {
            var view = await scenario.Read($"/api/v1/contacts/{probe.Id}");
            var history = await scenario.History(probe);
            var bound = history.Where(h => h!["kind"]!.GetValue<string>() == "bound").ToList();
            var owner = view.OwnerIn(crew.WalletA);
            if (owner is { } user && bound.Count == 1 && bound[0].GuidOf("userId") == user)
            {
                probe.Owner = (crew.WalletA, user);
                applied++;
            }
            else if (owner is not null || bound.Count > 0)
            {
                scenario.Load.Violation($"probe {probe.Id} half-applied: owner {owner}, history {history.ToJsonString()}");
            }
        }

        await scenario.VerifyContacts(scenario.Cases, expired: false);
        await scenario.VerifyWallet(crew.WalletA);
        await scenario.VerifyWallet(crew.WalletE);
        await scenario.VerifyOwnerIndex(crew.A1);

        scenario.Figure("contacts", scenario.Cases.Count);
        scenario.Figure("requests sent", scenario.Load.Sent + outcomes.Count);
        scenario.Figure("acknowledged (2xx)", scenario.Load.Acknowledged + outcomes.Count(o => o.Failure is null));
        scenario.Figure("refused as expected (409 second owner)", scenario.Load.Rejected);
        scenario.Figure("errors during the outage", $"{during503 + failedProbes.Count(o => o.At < recovered)} ({scenario.Load.FailureSummary()}; probes: {string.Join(", ", failedProbes.GroupBy(o => o.Failure).Select(g => $"{g.Key} ×{g.Count()}"))})");
        scenario.Figure("store down", $"{(restart - fault).TotalSeconds:0.0} s");
        scenario.Figure("time until routes succeeded again", $"{(recovered - restart).TotalSeconds:0.0} s after the store's restart ({(recovered - fault).TotalSeconds:0.0} s after its kill)");
        scenario.Figure("failed probes found applied completely / not at all", $"{applied} / {failedProbes.Count - applied}");
        scenario.AssertNoViolations();
    }
}
