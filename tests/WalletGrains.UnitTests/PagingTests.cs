namespace WalletGrains.UnitTests;

/// <summary>Spec §3: paging with pageNumber/pageSize ≤ 100 answering items, totalItems, totalPages, hasMorePages.</summary>
public sealed class PagingTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Theory]
    [InlineData(1, 0)]
    [InlineData(1, -1)]
    [InlineData(1, 101)]
    [InlineData(0, 10)]
    [InlineData(-3, 10)]
    public void A_page_outside_the_allowed_range_is_refused(int pageNumber, int pageSize)
    {
        var error = new PageRequest(pageNumber, pageSize).Validate();

        Assert.Equal(ErrorCodes.PageInvalid, error?.Code);
        Assert.Equal(ErrorKind.Invalid, error!.Kind);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 100)]
    [InlineData(1000, 15)]
    public void A_page_inside_the_allowed_range_is_accepted(int pageNumber, int pageSize)
    {
        Assert.Null(new PageRequest(pageNumber, pageSize).Validate());
    }

    [Theory]
    [InlineData(1, new[] { 1, 10 }, 3, true)]
    [InlineData(2, new[] { 11, 20 }, 3, true)]
    [InlineData(3, new[] { 21, 25 }, 3, false)]
    public void A_page_of_25_items_10_at_a_time(int pageNumber, int[] firstAndLast, int totalPages, bool hasMore)
    {
        var page = Page<int>.Of(Enumerable.Range(1, 25), new PageRequest(pageNumber, 10));

        Assert.Equal(Enumerable.Range(firstAndLast[0], firstAndLast[1] - firstAndLast[0] + 1), page.Items);
        Assert.Equal(25, page.TotalItems);
        Assert.Equal(totalPages, page.TotalPages);
        Assert.Equal(hasMore, page.HasMorePages);
    }

    [Fact]
    public void A_page_past_the_end_is_empty_and_has_no_more_pages()
    {
        var page = Page<int>.Of(Enumerable.Range(1, 25), new PageRequest(4, 10));

        Assert.Empty(page.Items);
        Assert.Equal((25, 3, false), (page.TotalItems, page.TotalPages, page.HasMorePages));
    }

    [Fact]
    public void An_empty_list_has_no_pages()
    {
        var page = Page<int>.Of([], new PageRequest(1, 10));

        Assert.Empty(page.Items);
        Assert.Equal((0, 0, false), (page.TotalItems, page.TotalPages, page.HasMorePages));
    }

    [Fact]
    public void A_list_that_fills_its_last_page_exactly_has_no_more_pages_after_it()
    {
        var last = Page<int>.Of(Enumerable.Range(1, 20), new PageRequest(2, 10));

        Assert.Equal((2, false), (last.TotalPages, last.HasMorePages));
        Assert.Equal(10, last.Items.Count);
    }

    [Fact]
    public async Task Listing_25_wallets_10_at_a_time_gives_three_pages_in_name_order()
    {
        var tenant = await Tenant.Create(Grains);
        var team = await tenant.Team(await tenant.User());
        var names = Enumerable.Range(1, 25).Select(i => $"Carteira {i:00}").ToList();
        foreach (var name in names.AsEnumerable().Reverse())
        {
            Tenant.Value(await tenant.CreateWallet(new CreateWallet(name, WalletType.Multiple, Teams: [new WalletTeam(team.Id, [])])));
        }

        var pages = new List<Page<WalletView>>();
        for (var number = 1; number <= 4; number++)
        {
            pages.Add(Tenant.Value(await tenant.Catalog.List(tenant.Admin, new WalletListQuery(new PageRequest(number, 10)))));
        }

        Assert.All(pages, p => Assert.Equal((25, 3), (p.TotalItems, p.TotalPages)));
        Assert.Equal([10, 10, 5, 0], pages.Select(p => p.Items.Count));
        Assert.Equal([true, true, false, false], pages.Select(p => p.HasMorePages));
        Assert.Equal([1, 2, 3, 4], pages.Select(p => p.PageNumber));
        Assert.Equal(names, pages.SelectMany(p => p.Items).Select(w => w.Name));
    }

    [Fact]
    public async Task Listing_in_descending_name_order()
    {
        var tenant = await Tenant.Create(Grains);
        var team = await tenant.Team(await tenant.User());
        foreach (var name in new[] { "beta", "Alfa", "Gama" })
        {
            Tenant.Value(await tenant.CreateWallet(new CreateWallet(name, WalletType.Multiple, Teams: [new WalletTeam(team.Id, [])])));
        }

        var page = Tenant.Value(await tenant.Catalog.List(tenant.Admin, new WalletListQuery(new PageRequest(1, 2), Descending: true)));

        Assert.Equal(["Gama", "beta"], page.Items.Select(w => w.Name));
        Assert.True(page.HasMorePages);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(1, 101)]
    [InlineData(0, 10)]
    public async Task Listing_wallets_with_a_page_outside_the_allowed_range_is_refused(int pageNumber, int pageSize)
    {
        var tenant = await Tenant.Create(Grains);

        Tenant.Refused(await tenant.Catalog.List(tenant.Admin, new WalletListQuery(new PageRequest(pageNumber, pageSize))), ErrorCodes.PageInvalid);
    }
}
