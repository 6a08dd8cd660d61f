using WalletGrains.Grains.Common;

namespace WalletGrains.Grains.Contacts;

/// <summary>Makes a phone number identify one contact per account, also under simultaneous creates.</summary>
internal sealed class ContactPhoneGrain(
    [PersistentState("contactPhone", Stores.Default)] IPersistentState<ClaimState> phone) : UniqueClaimGrain(phone), IContactPhoneGrain
{
    public Task<Guid> Claim(Guid contactId) => ClaimFor(contactId);

    public Task<Guid?> Resolve() => Task.FromResult(Holder);

    protected override Task<bool> StillHolds(Guid holder) => GrainFactory.GetGrain<IContactGrain>(holder).HoldsPhone(Value);
}
