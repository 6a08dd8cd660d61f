namespace WalletGrains.UnitTests;

/// <summary>Business hours are read in the team's own time zone (pure, no cluster).</summary>
public sealed class BusinessHoursTests
{
    // Asia/Tokyo is UTC+9 all year; America/Sao_Paulo is UTC-3 all year (no daylight saving since 2019).
    private static readonly BusinessHours TokyoMondayOfficeHours = new(
        "Asia/Tokyo",
        [new BusinessPeriod(DayOfWeek.Monday, new TimeOnly(9, 0), new TimeOnly(18, 0))]);

    private static readonly BusinessHours SaoPauloMondayNight = new(
        "America/Sao_Paulo",
        [new BusinessPeriod(DayOfWeek.Monday, new TimeOnly(22, 0), new TimeOnly(23, 30))]);

    [Theory]
    [InlineData("2026-01-04T23:59:00Z", false)] // Monday 08:59 in Tokyo
    [InlineData("2026-01-05T00:00:00Z", true)] // Monday 09:00 in Tokyo
    [InlineData("2026-01-05T08:59:59Z", true)] // Monday 17:59:59 in Tokyo
    [InlineData("2026-01-05T09:00:00Z", false)] // Monday 18:00 in Tokyo: the end is exclusive
    [InlineData("2026-01-05T12:00:00Z", false)] // Monday noon UTC is 21:00 in Tokyo
    [InlineData("2026-01-12T03:00:00Z", true)] // the next Monday, 12:00 in Tokyo
    [InlineData("2026-01-06T03:00:00Z", false)] // Tuesday 12:00 in Tokyo
    public void Business_hours_are_read_in_the_teams_time_zone(string instant, bool open)
    {
        Assert.Equal(open, TokyoMondayOfficeHours.IsOpen(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("2026-01-06T01:15:00Z", true)] // Tuesday in UTC, Monday 22:15 in São Paulo
    [InlineData("2026-01-05T22:15:00Z", false)] // Monday 22:15 UTC is Monday 19:15 in São Paulo
    [InlineData("2026-01-07T01:15:00Z", false)] // Tuesday 22:15 in São Paulo
    [InlineData("2026-01-06T02:30:00Z", false)] // Monday 23:30 in São Paulo: the end is exclusive
    public void The_weekday_is_the_weekday_in_the_teams_time_zone(string instant, bool open)
    {
        Assert.Equal(open, SaoPauloMondayNight.IsOpen(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void The_offset_an_instant_is_written_in_does_not_matter()
    {
        var utc = new DateTimeOffset(2026, 1, 6, 1, 15, 0, TimeSpan.Zero);

        Assert.True(SaoPauloMondayNight.IsOpen(utc.ToOffset(TimeSpan.FromHours(5))));
        Assert.True(SaoPauloMondayNight.IsOpen(utc.ToOffset(TimeSpan.FromHours(-10))));
    }

    [Fact]
    public void Several_periods_on_one_day_leave_the_gap_between_them_closed()
    {
        var lunchBreak = new BusinessHours(
            "America/Sao_Paulo",
            [
                new BusinessPeriod(DayOfWeek.Wednesday, new TimeOnly(8, 0), new TimeOnly(12, 0)),
                new BusinessPeriod(DayOfWeek.Wednesday, new TimeOnly(13, 0), new TimeOnly(17, 0)),
            ]);

        Assert.True(lunchBreak.IsOpen(new DateTimeOffset(2026, 1, 7, 11, 59, 0, TimeSpan.FromHours(-3))));
        Assert.False(lunchBreak.IsOpen(new DateTimeOffset(2026, 1, 7, 12, 30, 0, TimeSpan.FromHours(-3))));
        Assert.True(lunchBreak.IsOpen(new DateTimeOffset(2026, 1, 7, 13, 0, 0, TimeSpan.FromHours(-3))));
    }
}
