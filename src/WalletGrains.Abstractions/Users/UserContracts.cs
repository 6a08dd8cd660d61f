namespace WalletGrains.Abstractions.Users;

/// <summary>What a user may do: admins manage wallets, teams and users.</summary>
public enum UserProfile
{
    Admin,
    Agent,
    RestrictedAgent,
}

/// <summary>Whether a user may work at all.</summary>
public enum UserStatus
{
    Active,
    Blocked,
    Deleted,
}

/// <summary>A manual flag the attendant sets; not the same as being logged in.</summary>
public enum Availability
{
    Available,
    Unavailable,
}

/// <summary>Body of <c>POST /api/v1/users</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record CreateUser(
    [property: Id(0)] string? Name,
    [property: Id(1)] UserProfile? Profile,
    [property: Id(2)] Availability? Availability,
    [property: Id(3)] string? Email = null);

/// <summary>Body of <c>PATCH /api/v1/users/{id}</c>; absent fields stay as they are.</summary>
[GenerateSerializer, Immutable]
public sealed record UpdateUser(
    [property: Id(0)] string? Name = null,
    [property: Id(1)] UserProfile? Profile = null,
    [property: Id(2)] Availability? Availability = null,
    [property: Id(3)] UserStatus? Status = null);

/// <summary>A user as the API shows it. <see cref="Token"/> is only set in the creation answer.</summary>
[GenerateSerializer, Immutable]
public sealed record UserView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid AccountId,
    [property: Id(2)] string Name,
    [property: Id(3)] string? Email,
    [property: Id(4)] UserProfile Profile,
    [property: Id(5)] UserStatus Status,
    [property: Id(6)] Availability Availability,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] DateTimeOffset UpdatedAt,
    [property: Id(9), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Token = null)
{
    /// <summary>Active and flagged available: may receive conversations now (team hours aside).</summary>
    [JsonIgnore]
    public bool CanServe => Status == UserStatus.Active && Availability == Availability.Available;
}

/// <summary>A user's readiness to take work, read on every route.</summary>
[GenerateSerializer, Immutable]
public sealed record Presence(
    [property: Id(0)] bool Exists,
    [property: Id(1)] bool CanServe,
    [property: Id(2)] long OwnedContacts,
    [property: Id(3)] bool Blocked = false)
{
    /// <summary>May own contacts: exists and is not blocked (availability aside).</summary>
    public bool CanOwn => Exists && !Blocked;
}

/// <summary>Who a bearer token speaks for, as kept by its token grain.</summary>
[GenerateSerializer, Immutable]
public sealed record Principal(
    [property: Id(0)] Guid AccountId,
    [property: Id(1)] Guid UserId,
    [property: Id(2)] UserProfile Profile,
    [property: Id(3)] UserStatus Status);
