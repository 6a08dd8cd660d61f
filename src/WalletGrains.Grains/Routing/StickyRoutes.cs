using System.Collections.Concurrent;
using WalletGrains.Abstractions.Routing;
using WalletGrains.Grains.Contacts;

namespace WalletGrains.Grains.Routing;

/// <summary>What an owned contact active on this silo last published for sticky routes: its stored owner.</summary>
/// <param name="AccountId">The contact's account: a caller of another account gets no answer here.</param>
/// <param name="Owner">The stored owner (the state's own record, not a copy).</param>
/// <param name="OpenToAgentsUntil">
/// Until when the contact may answer an agent without checking wallets: the account did not restrict contact access
/// when the contact last read it, and the contact trusts that reading until then. Null when it did, or was not read.
/// </param>
internal sealed record StickyRoute(Guid AccountId, Ownership Owner, DateTimeOffset? OpenToAgentsUntil);

/// <summary>
/// The sticky answers of the owned contacts active on this silo, so that a gateway in the same process answers a route
/// to one of them without a grain call. The contact stays the only writer: it publishes its stored owner after a route
/// it answered itself, and withdraws it before any write (and when it deactivates), so a change under way or done is
/// never answered from here; such a route, and every route this cannot answer the way the contact would (another
/// account, an agent the contact would check, a deadline reached, an owner who can no longer own), goes to the contact.
/// Answers are the contact's own: the same rule (<see cref="Sticky"/>) over the same silo's routing facts and clock.
/// </summary>
/// <remarks>
/// Routes answered here are not calls to the contact, so a contact routed only here is collected as idle after its
/// collection age, and its next route activates it again. Its deadline needs no call either: a deadline reached is
/// never answered here (the contact's timer or, once it is collected, the expiry sweep releases the owner).
/// </remarks>
public sealed class StickyRoutes(RoutingFacts facts, IGrainFactory grains, TimeProvider clock) : ILocalRoutes
{
    private readonly ConcurrentDictionary<Guid, StickyRoute> _routes = new();

    /// <summary>The contact's answer when this silo can give it without calling the contact; otherwise null.</summary>
    public async ValueTask<RouteDecision?> TryRoute(Guid contactId, Caller caller)
    {
        if (!_routes.TryGetValue(contactId, out var route) || route.AccountId != caller.AccountId)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        if (route.Owner.IsDue(now) || (!caller.IsAdmin && !(route.OpenToAgentsUntil >= now)))
        {
            return null;
        }

        return (await Sticky(facts, grains, route.Owner, now)).Decision;
    }

    /// <summary>
    /// The route of a contact with a bound owner: to the owner when the owner serves and its team is open, to nobody
    /// (the owner kept) when not; no decision when the owner can no longer own (blocked or deleted), which the contact
    /// itself must act on. The user's fact comes back for that case.
    /// </summary>
    internal static async ValueTask<(RouteDecision? Decision, UserFact User)> Sticky(RoutingFacts facts, IGrainFactory grains, Ownership owner, DateTimeOffset now)
    {
        var who = await facts.User(grains, owner.UserId);
        if (!who.CanOwn)
        {
            return (null, who);
        }

        var isOpen = owner.TeamId is not { } teamId || (await facts.Team(grains, teamId)).IsOpen(now);
        return (who.CanServe && isOpen
            ? new RouteDecision(RouteDecision.StickyOwner, owner.WalletId, owner.UserId, owner.TeamId, [])
            : new RouteDecision(RouteDecision.OwnerUnavailable, owner.WalletId, null, owner.TeamId, []), who);
    }

    internal void Publish(Guid contactId, StickyRoute route) => _routes[contactId] = route;

    /// <summary>Removes the contact's route if it is still this one (a newer activation's stays).</summary>
    internal void Withdraw(Guid contactId, StickyRoute route) => _routes.TryRemove(KeyValuePair.Create(contactId, route));
}
