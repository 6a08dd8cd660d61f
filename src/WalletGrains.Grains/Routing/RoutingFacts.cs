using System.Collections.Concurrent;
using WalletGrains.Abstractions.Routing;

namespace WalletGrains.Grains.Routing;

/// <summary>
/// This silo's copy of the facts every route reads — users' availability, teams' hours, wallets' routing settings —
/// so that the sticky path of a conversation calls no grain but the contact's own. The owning grains push every
/// change to every silo (<see cref="RoutingFactsPublisher"/>) before the change completes; a fact is taken only if it
/// is newer than the one held. A fact not refreshed for <see cref="MaxAge"/> is read again from its owner, which
/// bounds the damage of a push lost to a failure.
/// </summary>
public sealed class RoutingFacts(TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<Guid, Entry<UserFact>> _users = new();
    private readonly ConcurrentDictionary<Guid, Entry<TeamFact>> _teams = new();
    private readonly ConcurrentDictionary<Guid, Entry<WalletFact>> _wallets = new();

    public ValueTask<UserFact> User(IGrainFactory grains, Guid userId) =>
        Read(_users, userId, static (g, id) => g.GetGrain<IUserGrain>(id).Fact(), grains);

    public ValueTask<TeamFact> Team(IGrainFactory grains, Guid teamId) =>
        Read(_teams, teamId, static (g, id) => g.GetGrain<ITeamGrain>(id).Fact(), grains);

    public ValueTask<WalletFact> Wallet(IGrainFactory grains, Guid walletId) =>
        Read(_wallets, walletId, static (g, id) => g.GetGrain<IWalletGrain>(id).Fact(), grains);

    public void Put(UserFact fact) => Put(_users, fact.UserId, fact);

    public void Put(TeamFact fact) => Put(_teams, fact.TeamId, fact);

    public void Put(WalletFact fact) => Put(_wallets, fact.WalletId, fact);

    private ValueTask<T> Read<T>(ConcurrentDictionary<Guid, Entry<T>> facts, Guid id, Func<IGrainFactory, Guid, ValueTask<T>> load, IGrainFactory grains)
        where T : class, IRoutingFact
    {
        if (facts.TryGetValue(id, out var held) && clock.GetUtcNow() - held.ReadAt < MaxAge)
        {
            return ValueTask.FromResult(held.Fact);
        }

        return Load(facts, id, load, grains);
    }

    private async ValueTask<T> Load<T>(ConcurrentDictionary<Guid, Entry<T>> facts, Guid id, Func<IGrainFactory, Guid, ValueTask<T>> load, IGrainFactory grains)
        where T : class, IRoutingFact
    {
        var fact = await load(grains, id);
        return Put(facts, id, fact);
    }

    /// <summary>Keeps the newer of the held fact and this one (a fact just read again from its owner refreshes its age).</summary>
    private T Put<T>(ConcurrentDictionary<Guid, Entry<T>> facts, Guid id, T fact)
        where T : class, IRoutingFact
    {
        var now = clock.GetUtcNow();
        var entry = facts.AddOrUpdate(
            id,
            static (_, arg) => new Entry<T>(arg.Fact, arg.Now),
            static (_, held, arg) => arg.Fact.Version >= held.Fact.Version ? new Entry<T>(arg.Fact, arg.Now) : held with { ReadAt = arg.Now },
            (Fact: fact, Now: now));
        return entry.Fact;
    }

    private sealed record Entry<T>(T Fact, DateTimeOffset ReadAt);
}
