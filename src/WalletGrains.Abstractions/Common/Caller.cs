namespace WalletGrains.Abstractions.Common;

/// <summary>Who is asking: the authenticated user of one account. Grains use it to keep accounts apart.</summary>
[GenerateSerializer, Immutable]
public sealed record Caller(
    [property: Id(0)] Guid AccountId,
    [property: Id(1)] Guid UserId,
    [property: Id(2)] Users.UserProfile Profile)
{
    public bool IsAdmin => Profile == Users.UserProfile.Admin;
}
