using System.Globalization;
using System.Text.RegularExpressions;

namespace WalletGrains.Abstractions.Wallets;

/// <summary>
/// How long a contact stays bound to its owner: an ISO 8601 duration kept in calendar parts, so that
/// "P6M" means six calendar months from the bind, not 180 days.
/// </summary>
[GenerateSerializer, Immutable]
public readonly partial record struct TimeLimit(
    [property: Id(0)] int Years,
    [property: Id(1)] int Months,
    [property: Id(2)] int Days,
    [property: Id(3)] long TimeTicks)
{
    public static readonly TimeSpan Minimum = TimeSpan.FromMinutes(1);
    public const int MaximumYears = 3;

    // A fixed reference keeps the 1 minute – 3 years bounds independent of today's date.
    private static readonly DateTimeOffset Reference = new(2001, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public DateTimeOffset AddTo(DateTimeOffset start) =>
        start.AddYears(Years).AddMonths(Months).AddDays(Days).AddTicks(TimeTicks);

    public static TimeLimit FromMonths(int months) => new(0, months, 0, 0);

    /// <summary>Parses an ISO 8601 duration (<c>PnYnMnWnDTnHnMnS</c>) and checks the 1 minute – 3 years range.</summary>
    public static Result<TimeLimit> Parse(string text)
    {
        var match = DurationPattern().Match(text.Trim());
        if (!match.Success)
        {
            return Invalid($"'{Truncate(text)}' is not an ISO 8601 duration such as P6M, P30D or PT1H.");
        }

        try
        {
            var years = Part(match, "y");
            var months = Part(match, "mo");
            var days = checked((Part(match, "w") * 7) + Part(match, "d"));
            var seconds = match.Groups["s"].Success
                ? decimal.Parse(match.Groups["s"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture)
                : 0m;
            var ticks = checked((Part(match, "h") * TimeSpan.TicksPerHour) + (Part(match, "mi") * TimeSpan.TicksPerMinute)
                + (long)(seconds * TimeSpan.TicksPerSecond));
            if (years > MaximumYears || months > MaximumYears * 12 || days > MaximumYears * 366
                || ticks > MaximumYears * 366 * TimeSpan.TicksPerDay)
            {
                return TooLong();
            }

            var limit = new TimeLimit(years, months, days, ticks);
            var end = limit.AddTo(Reference);
            if (end - Reference < Minimum)
            {
                return Invalid("The time limit must be at least one minute (PT1M).");
            }

            return end > Reference.AddYears(MaximumYears) ? TooLong() : limit;
        }
        catch (Exception e) when (e is OverflowException or ArgumentOutOfRangeException or FormatException)
        {
            return TooLong();
        }
    }

    public override string ToString()
    {
        var text = new System.Text.StringBuilder("P");
        if (Years != 0) text.Append(CultureInfo.InvariantCulture, $"{Years}Y");
        if (Months != 0) text.Append(CultureInfo.InvariantCulture, $"{Months}M");
        if (Days != 0) text.Append(CultureInfo.InvariantCulture, $"{Days}D");
        if (TimeTicks != 0)
        {
            var time = TimeSpan.FromTicks(TimeTicks);
            text.Append('T');
            var hours = (long)time.TotalHours;
            if (hours != 0) text.Append(CultureInfo.InvariantCulture, $"{hours}H");
            if (time.Minutes != 0) text.Append(CultureInfo.InvariantCulture, $"{time.Minutes}M");
            var seconds = time.Seconds + (decimal)(time.Ticks % TimeSpan.TicksPerSecond) / TimeSpan.TicksPerSecond;
            if (seconds != 0) text.Append(CultureInfo.InvariantCulture, $"{seconds:0.#######}S");
        }

        return text.ToString();
    }

    private static int Part(Match match, string group) =>
        match.Groups[group].Success ? int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : 0;

    private static DomainError Invalid(string message) =>
        DomainError.Invalid(ErrorCodes.WalletTimeLimitInvalid, message, "timeLimit");

    private static DomainError TooLong() => Invalid("The time limit must be at most three years (P3Y).");

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";

    [GeneratedRegex(@"^P(?!$)(?:(?<y>\d{1,9})Y)?(?:(?<mo>\d{1,9})M)?(?:(?<w>\d{1,9})W)?(?:(?<d>\d{1,9})D)?(?:T(?=\d)(?:(?<h>\d{1,9})H)?(?:(?<mi>\d{1,9})M)?(?:(?<s>\d{1,9}(?:\.\d{1,7})?)S)?)?$", RegexOptions.CultureInvariant, 100)]
    private static partial Regex DurationPattern();
}
