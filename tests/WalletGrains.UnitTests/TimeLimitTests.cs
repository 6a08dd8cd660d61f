using System.Globalization;

namespace WalletGrains.UnitTests;

/// <summary>Spec §1 timeLimit: an ISO 8601 duration from 1 minute to 3 years, kept in calendar parts (pure, no cluster).</summary>
public sealed class TimeLimitTests
{
    [Theory]
    [InlineData("PT1M", "PT1M")]
    [InlineData("PT60S", "PT1M")]
    [InlineData("PT1H", "PT1H")]
    [InlineData("PT90M", "PT1H30M")]
    [InlineData("P30D", "P30D")]
    [InlineData("P2W", "P14D")]
    [InlineData("P6M", "P6M")]
    [InlineData("P1Y", "P1Y")]
    [InlineData("P3Y", "P3Y")]
    [InlineData("P36M", "P36M")]
    [InlineData("P2Y12M", "P2Y12M")]
    [InlineData("P1095D", "P1095D")]
    [InlineData("P1Y2M3DT4H5M6.5S", "P1Y2M3DT4H5M6.5S")]
    [InlineData("  P6M ", "P6M")]
    public void Durations_from_one_minute_to_three_years_are_accepted(string text, string canonical)
    {
        var parsed = TimeLimit.Parse(text);

        Assert.True(parsed.IsSuccess, parsed.Error?.ToString());
        Assert.Equal(canonical, parsed.Value.ToString());
        Assert.Equal(parsed.Value, TimeLimit.Parse(canonical).Value);
    }

    [Theory]
    [InlineData("PT59S")]
    [InlineData("PT59.9999999S")]
    [InlineData("PT0S")]
    [InlineData("P0D")]
    [InlineData("P3Y1D")]
    [InlineData("P3YT1M")]
    [InlineData("P37M")]
    [InlineData("P4Y")]
    [InlineData("P2Y13M")]
    [InlineData("P1096D")]
    [InlineData("PT26281H")]
    [InlineData("P999999999Y")]
    [InlineData("PT999999999H")]
    [InlineData("-P1M")]
    [InlineData("P-1M")]
    [InlineData("PT-5M")]
    [InlineData("P1.5M")]
    [InlineData("garbage")]
    [InlineData("6 months")]
    [InlineData("")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("P1DT")]
    [InlineData("P1H")]
    [InlineData("PT1D")]
    [InlineData("P1M1Y")]
    public void Durations_outside_one_minute_to_three_years_or_not_ISO_8601_are_refused(string text)
    {
        var parsed = TimeLimit.Parse(text);

        Assert.False(parsed.IsSuccess, $"'{text}' was accepted as {parsed.Value}.");
        Assert.Equal(ErrorCodes.WalletTimeLimitInvalid, parsed.Error!.Code);
        Assert.Equal(ErrorKind.Invalid, parsed.Error.Kind);
    }

    [Theory]
    [InlineData("2026-01-31T10:00:00Z", "2026-02-28T10:00:00Z")]
    [InlineData("2028-01-31T10:00:00Z", "2028-02-29T10:00:00Z")]
    [InlineData("2026-03-31T10:00:00Z", "2026-04-30T10:00:00Z")]
    [InlineData("2026-12-15T23:30:00Z", "2027-01-15T23:30:00Z")]
    public void One_month_is_one_calendar_month_clamped_to_the_end_of_a_shorter_month(string start, string end)
    {
        var oneMonth = TimeLimit.Parse("P1M").Value;

        Assert.Equal(Instant(end), oneMonth.AddTo(Instant(start)));
    }

    [Fact]
    public void Six_months_are_six_calendar_months_not_180_days()
    {
        var start = Instant("2026-01-05T12:00:00Z");

        Assert.Equal(Instant("2026-07-05T12:00:00Z"), TimeLimit.Parse("P6M").Value.AddTo(start));
        Assert.Equal(Instant("2026-07-04T12:00:00Z"), TimeLimit.Parse("P180D").Value.AddTo(start));
    }

    [Fact]
    public void Time_parts_add_exact_time_and_keep_the_offset()
    {
        var start = new DateTimeOffset(2026, 1, 5, 23, 50, 0, TimeSpan.FromHours(-3));

        var end = TimeLimit.Parse("P1DT1H15M30S").Value.AddTo(start);

        Assert.Equal(new DateTimeOffset(2026, 1, 7, 1, 5, 30, TimeSpan.FromHours(-3)), end);
        Assert.Equal(TimeSpan.FromHours(-3), end.Offset);
    }

    [Fact]
    public void A_year_from_a_leap_day_ends_on_the_last_day_of_February()
    {
        Assert.Equal(Instant("2029-02-28T00:00:00Z"), TimeLimit.Parse("P1Y").Value.AddTo(Instant("2028-02-29T00:00:00Z")));
    }

    [Fact]
    public void Whole_months_are_written_as_months()
    {
        Assert.Equal("P6M", TimeLimit.FromMonths(6).ToString());
        Assert.Equal("P36M", TimeLimit.FromMonths(36).ToString());
        Assert.Equal(TimeLimit.Parse("P6M").Value, TimeLimit.FromMonths(6));
    }

    [Fact]
    public void Fractional_seconds_survive_a_round_trip()
    {
        var parsed = TimeLimit.Parse("PT1M0.25S").Value;

        Assert.Equal("PT1M0.25S", parsed.ToString());
        Assert.Equal(TimeSpan.FromSeconds(60.25).Ticks, parsed.TimeTicks);
    }

    private static DateTimeOffset Instant(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
}
