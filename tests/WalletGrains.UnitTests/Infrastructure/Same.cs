namespace WalletGrains.UnitTests.Infrastructure;

/// <summary>Structural comparisons of records whose lists do not take part in record equality.</summary>
public static class Same
{
    public static void Hours(BusinessHours? expected, BusinessHours? actual)
    {
        Assert.Equal(expected is null, actual is null);
        if (expected is not null)
        {
            Assert.Equal(expected.TimeZone, actual!.TimeZone);
            Assert.Equal(expected.Periods ?? [], actual.Periods ?? []);
        }
    }

    public static void Criteria(WalletCriteria? expected, WalletCriteria? actual)
    {
        Assert.Equal(expected is null, actual is null);
        if (expected is not null)
        {
            Assert.Equal(expected.Regions, actual!.Regions);
            Assert.Equal(expected.Revenue, actual.Revenue);
            Assert.Equal(expected.Segments, actual.Segments);
            Assert.Equal(expected.Importances, actual.Importances);
            Assert.Equal(expected.Custom, actual.Custom);
        }
    }
}
