namespace WalletGrains.Abstractions.Wallets;

/// <summary>Single: one owner per contact (sales). Multiple: several users serve the same contacts.</summary>
public enum WalletType
{
    Single,
    Multiple,
}

/// <summary>A team named by a wallet and, within it, the users responsible for the wallet's contacts.</summary>
[GenerateSerializer, Immutable]
public sealed record WalletTeam(
    [property: Id(0)] Guid TeamId,
    [property: Id(1)] IReadOnlyList<Guid>? UserIds);

/// <summary>An inclusive numeric range; either end may be open.</summary>
[GenerateSerializer, Immutable]
public sealed record NumericRange(
    [property: Id(0)] decimal? Min,
    [property: Id(1)] decimal? Max);

/// <summary>
/// Segmentation rules of a Multiple wallet over contact attributes. A contact matches when every
/// rule that is set holds; a list rule holds when the attribute equals one of its values.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record WalletCriteria(
    [property: Id(0)] IReadOnlyList<string>? Regions = null,
    [property: Id(1)] NumericRange? Revenue = null,
    [property: Id(2)] IReadOnlyList<string>? Segments = null,
    [property: Id(3)] IReadOnlyList<string>? Importances = null,
    [property: Id(4)] IReadOnlyDictionary<string, string>? Custom = null)
{
    /// <summary>How many rules are set: more rules rank a matching wallet higher.</summary>
    public int RuleCount =>
        (Regions is { Count: > 0 } ? 1 : 0) + (Revenue is not null ? 1 : 0) + (Segments is { Count: > 0 } ? 1 : 0)
        + (Importances is { Count: > 0 } ? 1 : 0) + (Custom?.Count ?? 0);

    /// <summary>Whether every rule that is set holds for the attributes (text compared ignoring case).</summary>
    public bool Matches(Contacts.ContactAttributes attributes)
    {
        static bool In(IReadOnlyList<string>? allowed, string? value) =>
            allowed is not { Count: > 0 } || (value is not null && allowed.Contains(value, StringComparer.OrdinalIgnoreCase));

        return In(Regions, attributes.Region) && In(Segments, attributes.Segment) && In(Importances, attributes.Importance)
            && (Revenue is null || (attributes.Revenue is { } revenue && (Revenue.Min is null || revenue >= Revenue.Min) && (Revenue.Max is null || revenue <= Revenue.Max)))
            && (Custom is null || Custom.All(rule => attributes.Custom?.TryGetValue(rule.Key, out var value) == true
                && string.Equals(value, rule.Value, StringComparison.OrdinalIgnoreCase)));
    }
}

/// <summary>Body of <c>POST /api/v1/wallets</c>. <c>timeLimit</c> is an ISO 8601 duration; null means indefinite.</summary>
[GenerateSerializer, Immutable]
public sealed record CreateWallet(
    [property: Id(0)] string? Name,
    [property: Id(1)] WalletType? Type,
    [property: Id(2)] bool AutomaticAttribution = false,
    [property: Id(3)] string? TimeLimit = null,
    [property: Id(4)] IReadOnlyList<WalletTeam>? Teams = null,
    [property: Id(5)] WalletCriteria? Criteria = null,
    [property: Id(6)] Guid? ManagerUserId = null,
    [property: Id(7)] string? Journey = null,
    [property: Id(8)] bool IsDefault = false,
    [property: Id(9)] int? ExpirationDurationInMonths = null);

/// <summary>
/// Body of <c>PATCH /api/v1/wallets/{id}</c>. Absent fields stay; the nullable ones named in
/// <see cref="Cleared"/> (<c>timeLimit</c>, <c>criteria</c>, <c>managerUserId</c>, <c>journey</c>) were sent as null and are cleared.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record UpdateWallet(
    [property: Id(0)] string? Name = null,
    [property: Id(1)] WalletType? Type = null,
    [property: Id(2)] bool? AutomaticAttribution = null,
    [property: Id(3)] string? TimeLimit = null,
    [property: Id(4)] IReadOnlyList<WalletTeam>? Teams = null,
    [property: Id(5)] WalletCriteria? Criteria = null,
    [property: Id(6)] Guid? ManagerUserId = null,
    [property: Id(7)] string? Journey = null,
    [property: Id(8)] bool? IsDefault = null,
    [property: Id(9)] int? ExpirationDurationInMonths = null,
    [property: Id(10), JsonIgnore] IReadOnlySet<string>? Cleared = null)
{
    public bool Clears(string field) => Cleared?.Contains(field) == true;
}

/// <summary>Body of <c>POST /api/v1/wallets/per-user</c>: one Single wallet for each agent of a team, named after the user.</summary>
[GenerateSerializer, Immutable]
public sealed record CreatePerUserWallets(
    [property: Id(0)] Guid TeamId,
    [property: Id(1)] bool AutomaticAttribution = false,
    [property: Id(2)] string? TimeLimit = null,
    [property: Id(3)] Guid? ManagerUserId = null,
    [property: Id(4)] string? Journey = null,
    [property: Id(5)] int? ExpirationDurationInMonths = null);

/// <summary>A wallet as the API shows it.</summary>
[GenerateSerializer, Immutable]
public sealed record WalletView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid AccountId,
    [property: Id(2)] string Name,
    [property: Id(3)] WalletType Type,
    [property: Id(4)] bool AutomaticAttribution,
    [property: Id(5)] string? TimeLimit,
    [property: Id(6)] IReadOnlyList<WalletTeam> Teams,
    [property: Id(7)] WalletCriteria? Criteria,
    [property: Id(8)] Guid? ManagerUserId,
    [property: Id(9)] string? Journey,
    [property: Id(10)] bool IsDefault,
    [property: Id(11)] bool Available,
    [property: Id(12)] long ContactsCount,
    [property: Id(13)] DateTimeOffset CreatedAt,
    [property: Id(14)] DateTimeOffset UpdatedAt)
{
    /// <summary>Helena's whole-month view of the time limit, when the limit is a whole number of months.</summary>
    [JsonIgnore]
    public int? ExpirationDurationInMonths =>
        TimeLimit is null ? null
        : Wallets.TimeLimit.Parse(TimeLimit) is { IsSuccess: true, Value: var v } && v.Days == 0 && v.TimeTicks == 0
            ? (v.Years * 12) + v.Months
            : null;
}

/// <summary>The catalog's ruling on a manager's default wallet after an upsert.</summary>
[GenerateSerializer, Immutable]
public sealed record DefaultVerdict(
    [property: Id(0)] Guid? LostDefault,
    [property: Id(1)] bool DropDefault)
{
    public static readonly DefaultVerdict None = new(null, false);
}

/// <summary>A wallet's definition as routing reads it.</summary>
[GenerateSerializer, Immutable]
public sealed record WalletRouting(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid AccountId,
    [property: Id(2)] WalletType Type,
    [property: Id(3)] bool AutomaticAttribution,
    [property: Id(4)] TimeLimit? TimeLimit,
    [property: Id(5)] IReadOnlyList<WalletTeam> Teams,
    [property: Id(6)] WalletCriteria? Criteria,
    [property: Id(7)] bool Available,
    [property: Id(8)] DateTimeOffset CreatedAt)
{
    /// <summary>The team through which the user is responsible for this wallet, if any.</summary>
    public Guid? TeamOf(Guid userId) => Teams.FirstOrDefault(t => t.UserIds?.Contains(userId) == true)?.TeamId;

    public bool Names(Guid userId) => TeamOf(userId) is not null;

    /// <summary>The wallet's first team: its queue when nobody is picked.</summary>
    public WalletTeam? FirstTeam => Teams.Count > 0 ? Teams[0] : null;
}

/// <summary>Wallets created one per user: those made, and those refused with the reason.</summary>
[GenerateSerializer, Immutable]
public sealed record PerUserWallets(
    [property: Id(0)] IReadOnlyList<WalletView> Created,
    [property: Id(1)] IReadOnlyList<PerUserWalletFailure> Failed);

/// <summary>Why the wallet of one user was not created.</summary>
[GenerateSerializer, Immutable]
public sealed record PerUserWalletFailure(
    [property: Id(0)] Guid UserId,
    [property: Id(1)] DomainError Error);

/// <summary>How to list an account's wallets.</summary>
[GenerateSerializer, Immutable]
public sealed record WalletListQuery(
    [property: Id(0)] PageRequest Page,
    [property: Id(1)] Guid? ManagerUserId = null,
    [property: Id(2)] Guid? ViewerUserId = null,
    [property: Id(3)] WalletOrder OrderBy = WalletOrder.Name,
    [property: Id(4)] bool Descending = false);

/// <summary>What a wallet list is sorted by.</summary>
public enum WalletOrder
{
    Name,
    CreatedAt,
    UpdatedAt,
}
