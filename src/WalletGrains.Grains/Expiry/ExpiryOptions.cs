namespace WalletGrains.Grains.Expiry;

/// <summary>How often the durable expiry sweep runs, bound from the <c>Expiry</c> section.</summary>
public sealed class ExpiryOptions
{
    public const string Section = "Expiry";

    /// <summary>Period of each sweeper's reminder: a deactivated contact expires at most about this much late (plus a bucket's slot).</summary>
    public TimeSpan SweepPeriod { get; set; } = TimeSpan.FromMinutes(1);
}
