using WalletGrains.Grains.Common;

namespace WalletGrains.Grains.Wallets;

/// <summary>Persisted state of an account's wallet list.</summary>
[GenerateSerializer]
public sealed record WalletCatalogState
{
    [Id(0)] public Dictionary<Guid, WalletView> Wallets { get; init; } = [];
}

/// <summary>
/// An account's wallets, for listing and for keeping one default wallet per manager. Wallet grains are
/// the source of truth and push their view here after each change; routing never calls this grain.
/// </summary>
internal sealed class WalletCatalogGrain(
    [PersistentState("walletCatalog", Stores.Default)] IPersistentState<WalletCatalogState> catalog) : Grain, IWalletCatalogGrain
{
    public async Task<DefaultVerdict> Upsert(WalletView wallet, bool claimsDefault)
    {
        var verdict = DefaultVerdict.None;
        if (wallet is { IsDefault: true, ManagerUserId: { } manager }
            && catalog.State.Wallets.Values.FirstOrDefault(w => w.IsDefault && w.ManagerUserId == manager && w.Id != wallet.Id) is { } other)
        {
            // One default per manager: the wallet that asked for it last wins; a stale belief loses.
            if (claimsDefault)
            {
                catalog.State.Wallets[other.Id] = other with { IsDefault = false };
                verdict = new DefaultVerdict(other.Id, false);
            }
            else
            {
                wallet = wallet with { IsDefault = false };
                verdict = new DefaultVerdict(null, true);
            }
        }

        catalog.State.Wallets[wallet.Id] = wallet;
        await catalog.WriteStateAsync();
        return verdict;
    }

    public async Task Remove(Guid walletId)
    {
        if (catalog.State.Wallets.Remove(walletId))
        {
            await catalog.WriteStateAsync();
        }
    }

    public async Task<Result<Page<WalletView>>> List(Caller caller, WalletListQuery query)
    {
        if (query.Page.Validate() is { } invalid)
        {
            return invalid;
        }

        var accountId = this.GetPrimaryKey();
        if (await GrainFactory.GetGrain<IAccountGrain>(accountId).EnsureWalletsEnabled(caller.AccountId) is { } disabled)
        {
            return disabled;
        }

        IEnumerable<WalletView> wallets = catalog.State.Wallets.Values;
        if (query.ManagerUserId is { } manager)
        {
            wallets = wallets.Where(w => w.ManagerUserId == manager);
        }

        var ordered = query.OrderBy switch
        {
            WalletOrder.CreatedAt => Order(wallets, w => w.CreatedAt, query.Descending),
            WalletOrder.UpdatedAt => Order(wallets, w => w.UpdatedAt, query.Descending),
            _ => query.Descending
                ? wallets.OrderByDescending(w => WalletNames.Fold(w.Name), StringComparer.Ordinal)
                : wallets.OrderBy(w => WalletNames.Fold(w.Name), StringComparer.Ordinal),
        };

        // The manager's default wallet comes first for that manager, whatever the order.
        var viewer = query.ManagerUserId ?? query.ViewerUserId;
        var list = ordered.ThenBy(w => w.Id).ToList();
        var index = list.FindIndex(w => w.IsDefault && w.ManagerUserId == viewer);
        if (index > 0)
        {
            var first = list[index];
            list.RemoveAt(index);
            list.Insert(0, first);
        }

        var page = Page<WalletView>.Of(list, query.Page);
        var counts = await Task.WhenAll(page.Items.Select(w => GrainFactory.GetGrain<IWalletGrain>(w.Id).CountContacts()));
        return page with { Items = [.. page.Items.Select((w, i) => w with { ContactsCount = counts[i] })] };
    }

    public Task<IReadOnlyList<WalletView>> AutomaticMultiple() => Task.FromResult<IReadOnlyList<WalletView>>(
        [.. catalog.State.Wallets.Values.Where(w => w is { Type: WalletType.Multiple, AutomaticAttribution: true })]);

    private static IOrderedEnumerable<WalletView> Order<TKey>(IEnumerable<WalletView> wallets, Func<WalletView, TKey> key, bool descending) =>
        descending ? wallets.OrderByDescending(key) : wallets.OrderBy(key);
}
