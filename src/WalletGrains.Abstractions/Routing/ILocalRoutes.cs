using WalletGrains.Abstractions.Common;
using WalletGrains.Abstractions.Contacts;

namespace WalletGrains.Abstractions.Routing;

/// <summary>
/// Routes a silo answers in its own process without calling the contact, for a gateway hosted with it: a contact's
/// answer, or null when the contact must be asked.
/// </summary>
public interface ILocalRoutes
{
    ValueTask<RouteDecision?> TryRoute(Guid contactId, Caller caller);
}
