namespace WalletGrains.Abstractions.Accounts;

/// <summary>The account's subscription; wallets exist only from <see cref="Plus"/> upwards.</summary>
public enum Plan
{
    Basic,
    Plus,
    Premium,
    Enterprise,
}

/// <summary>Body of <c>POST /api/v1/accounts</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record CreateAccount(
    [property: Id(0)] string? Name,
    [property: Id(1)] Plan? Plan);

/// <summary>Body of <c>PATCH /api/v1/accounts/{id}</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record UpdateAccount(
    [property: Id(0)] Plan? Plan,
    [property: Id(1)] string? Name);

/// <summary>Body of <c>PUT /api/v1/settings/wallets</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record WalletSettings(
    [property: Id(0)] bool? Enabled,
    [property: Id(1)] bool RestrictContactAccess,
    [property: Id(2)] Guid? DefaultTeamId = null);

/// <summary>An account as the API shows it. <see cref="AdminToken"/> is only set in the creation answer.</summary>
[GenerateSerializer, Immutable]
public sealed record AccountView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Name,
    [property: Id(2)] Plan Plan,
    [property: Id(3)] bool WalletsEnabled,
    [property: Id(4)] bool RestrictContactAccess,
    [property: Id(5)] Guid AdminUserId,
    [property: Id(6)] Guid? DefaultTeamId,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AdminToken = null)
{
    public static bool PlanAllowsWallets(Plan plan) => plan >= Plan.Plus;
}
