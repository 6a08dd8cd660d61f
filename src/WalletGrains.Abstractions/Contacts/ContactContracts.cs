using WalletGrains.Abstractions.Wallets;
using System.Text.RegularExpressions;

namespace WalletGrains.Abstractions.Contacts;

/// <summary>Whether a contact is live.</summary>
public enum ContactStatus
{
    Active,
    Archived,
    Blocked,
}

/// <summary>How a contact entered a wallet.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MembershipSource>))]
public enum MembershipSource
{
    [JsonStringEnumMemberName("manual")]
    Manual,

    [JsonStringEnumMemberName("automatic")]
    Automatic,

    [JsonStringEnumMemberName("import")]
    Import,

    [JsonStringEnumMemberName("api")]
    Api,
}

/// <summary>What segmentation criteria read: region, revenue, segment, importance and custom fields.</summary>
[GenerateSerializer, Immutable]
public sealed record ContactAttributes(
    [property: Id(0)] string? Region = null,
    [property: Id(1)] decimal? Revenue = null,
    [property: Id(2)] string? Segment = null,
    [property: Id(3)] string? Importance = null,
    [property: Id(4)] IReadOnlyDictionary<string, string>? Custom = null)
{
    public static readonly ContactAttributes None = new();
}

/// <summary>Body of <c>POST /api/v1/contacts</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record CreateContact(
    [property: Id(0)] string? PhoneNumber,
    [property: Id(1)] string? Name = null,
    [property: Id(2)] ContactAttributes? Attributes = null,
    [property: Id(3)] ContactStatus? Status = null);

/// <summary>Body of <c>PATCH /api/v1/contacts/{id}</c>; absent fields stay. Attributes replace the whole set.</summary>
[GenerateSerializer, Immutable]
public sealed record UpdateContact(
    [property: Id(0)] string? Name = null,
    [property: Id(1)] ContactAttributes? Attributes = null,
    [property: Id(2)] ContactStatus? Status = null);

/// <summary>One wallet a contact is in; in a Single wallet, with its owner and the owner's deadline.</summary>
[GenerateSerializer, Immutable]
public sealed record MembershipView(
    [property: Id(0)] Guid WalletId,
    [property: Id(1)] WalletType WalletType,
    [property: Id(2)] MembershipSource Source,
    [property: Id(3)] DateTimeOffset JoinedAt,
    [property: Id(4)] Guid? Owner,
    [property: Id(5)] DateTimeOffset? Deadline);

/// <summary>A contact as the API shows it.</summary>
[GenerateSerializer, Immutable]
public sealed record ContactView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid AccountId,
    [property: Id(2)] string PhoneNumber,
    [property: Id(3)] string? Name,
    [property: Id(4)] ContactStatus Status,
    [property: Id(5)] ContactAttributes Attributes,
    [property: Id(6)] IReadOnlyList<MembershipView> Memberships,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] DateTimeOffset UpdatedAt);

/// <summary>What happened to a contact's ownership or membership.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HistoryKind>))]
public enum HistoryKind
{
    [JsonStringEnumMemberName("joined")]
    Joined,

    [JsonStringEnumMemberName("left")]
    Left,

    [JsonStringEnumMemberName("bound")]
    Bound,

    [JsonStringEnumMemberName("released")]
    Released,

    [JsonStringEnumMemberName("expired")]
    Expired,

    [JsonStringEnumMemberName("transferred")]
    Transferred,
}

/// <summary>One change of a contact's memberships or ownership, with who did it and why.</summary>
[GenerateSerializer, Immutable]
public sealed record HistoryEntry(
    [property: Id(0)] long Sequence,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] HistoryKind Kind,
    [property: Id(3)] Guid WalletId,
    [property: Id(4)] Guid? UserId,
    [property: Id(5)] Guid? ActorUserId,
    [property: Id(6)] string Reason);

/// <summary>Where a conversation goes, and why (SPEC §2's five cases).</summary>
[GenerateSerializer, Immutable]
public sealed record RouteDecision(
    [property: Id(0)] string Reason,
    [property: Id(1)] Guid? WalletId,
    [property: Id(2)] Guid? UserId,
    [property: Id(3)] Guid? TeamId,
    [property: Id(4)] IReadOnlyList<Guid> Candidates)
{
    public const string StickyOwner = "sticky-owner";
    public const string OwnerUnavailable = "owner-unavailable";
    public const string AutoAssigned = "auto-assigned";
    public const string WalletQueue = "wallet-queue";
    public const string SharedWallet = "shared-wallet";
    public const string NoWallet = "no-wallet";
}

/// <summary>Classification of a completed conversation; <see cref="Won"/> concludes the sale and releases the owner.</summary>
public enum Classification
{
    [JsonStringEnumMemberName("WON")]
    Won,

    [JsonStringEnumMemberName("LOST")]
    Lost,

    [JsonStringEnumMemberName("INFO")]
    Info,

    [JsonStringEnumMemberName("OTHER")]
    Other,
}

/// <summary>A contact named by id or by phone number, as the batch endpoints accept them.</summary>
[GenerateSerializer, Immutable]
public sealed record ContactRef(
    [property: Id(0)] Guid? ContactId = null,
    [property: Id(1)] string? PhoneNumber = null);

/// <summary>The outcome for one contact of a batch.</summary>
[GenerateSerializer, Immutable]
public sealed record BatchItemResult(
    [property: Id(0)] int Index,
    [property: Id(1)] Guid? ContactId,
    [property: Id(2)] string? PhoneNumber,
    [property: Id(3)] bool Succeeded,
    [property: Id(4)] DomainError? Error);

/// <summary>Phone numbers in E.164: '+', a country code, up to 15 digits in all.</summary>
public static partial class PhoneNumbers
{
    public static Result<string> Validate(string? raw)
    {
        var phone = raw?.Trim();
        return phone is not null && E164().IsMatch(phone)
            ? phone
            : DomainError.Invalid(ErrorCodes.ContactPhoneInvalid, "phoneNumber must be in E.164 form, such as +5511999990000.", "phoneNumber");
    }

    public static string Key(Guid accountId, string phone) => $"{accountId:N}/{phone}";

    [GeneratedRegex(@"^\+[1-9][0-9]{7,14}$", RegexOptions.CultureInvariant)]
    private static partial Regex E164();
}
