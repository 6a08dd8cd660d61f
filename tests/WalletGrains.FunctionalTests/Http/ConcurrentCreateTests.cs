namespace WalletGrains.FunctionalTests.Http;

/// <summary>§5: names stay unique under case folding also under concurrency.</summary>
public sealed class ConcurrentCreateTests(GatewayFixture gateway)
{
    private Api Api => gateway.Api;

    [Fact]
    public async Task Of_100_simultaneous_creates_of_one_name_in_different_cases_exactly_one_wins()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        const string name = "campanha de promoção";
        var random = new Random(20_240_601);
        var spellings = Enumerable.Range(0, 100)
            .Select(i => new string([.. name.Select(c => random.Next(2) == 0 ? char.ToUpperInvariant(c) : c)]))
            .ToList();

        using var start = new SemaphoreSlim(0);
        var creates = spellings.Select(async (spelling, i) =>
        {
            await start.WaitAsync(TestContext.Current.CancellationToken);
            return await account.CreateWallet(spelling, team, [ana], type: i % 2 == 0 ? "Single" : "Multiple");
        }).ToList();
        start.Release(creates.Count);
        var replies = await Task.WhenAll(creates);

        var winner = Assert.Single(replies, r => r.Status == HttpStatusCode.Created);
        var losers = replies.Where(r => r.Status != HttpStatusCode.Created).ToList();
        Assert.Equal(99, losers.Count);
        Assert.All(losers, loser => Expect.Problem(HttpStatusCode.Conflict, "wallet.name_taken", loser));

        var list = Expect.Status(HttpStatusCode.OK, await account.Get("/api/v1/wallets?pageSize=100"));
        Assert.Equal(1, list.Json!["totalItems"]!.GetValue<int>());
        var only = Assert.Single(list.Json["items"]!.AsArray())!;
        Assert.Equal(winner.Id, Guid.Parse(only["id"]!.GetValue<string>()));
        Assert.Equal(winner["name"], only["name"]!.GetValue<string>());

        // The team knows exactly one wallet: deleting that one frees it.
        Expect.Problem(HttpStatusCode.Conflict, "team.in_use", await account.Delete($"/api/v1/teams/{team}"));
        Expect.Status(HttpStatusCode.NoContent, await account.Delete($"/api/v1/wallets/{winner.Id}"));
        Expect.Status(HttpStatusCode.NoContent, await account.Delete($"/api/v1/teams/{team}"));
    }

    [Fact]
    public async Task Of_100_simultaneous_renames_to_one_name_exactly_one_wins()
    {
        var account = await Api.CreateAccount();
        var (ana, team) = await account.CreateCrew();
        var wallets = new List<Guid>();
        for (var i = 0; i < 100; i++)
        {
            wallets.Add(Expect.Status(HttpStatusCode.Created, await account.CreateWallet($"Carteira {i:D3}", team, [ana])).Id);
        }

        using var start = new SemaphoreSlim(0);
        var renames = wallets.Select(async (id, i) =>
        {
            await start.WaitAsync(TestContext.Current.CancellationToken);
            return (Id: id, Reply: await account.Patch($"/api/v1/wallets/{id}", new { name = i % 2 == 0 ? "Destino" : "DESTINO" }));
        }).ToList();
        start.Release(renames.Count);
        var results = await Task.WhenAll(renames);

        var winner = Assert.Single(results, r => r.Reply.Status == HttpStatusCode.OK);
        Assert.All(results.Where(r => r.Id != winner.Id), r => Expect.Problem(HttpStatusCode.Conflict, "wallet.name_taken", r.Reply));

        var list = Expect.Status(HttpStatusCode.OK, await account.Get("/api/v1/wallets?pageSize=100"));
        var names = list.Json!["items"]!.AsArray().Select(w => w!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(100, names.Count);
        Assert.Single(names, n => n.Equals("destino", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(99, names.Count(n => n.StartsWith("Carteira ", StringComparison.Ordinal)));
    }
}
