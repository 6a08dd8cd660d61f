using WalletGrains.Grains.Common;

namespace WalletGrains.Grains.Contacts;

/// <summary>Persisted state of one phone number: the contact holding it.</summary>
[GenerateSerializer]
public sealed record ContactPhoneState
{
    [Id(0)] public Guid ContactId { get; init; }
}

/// <summary>Makes a phone number identify one contact per account, also under concurrent creates.</summary>
internal sealed class ContactPhoneGrain(
    [PersistentState("contactPhone", Stores.Default)] IPersistentState<ContactPhoneState> phone) : Grain, IContactPhoneGrain
{
    public async Task<Guid> Claim(Guid contactId)
    {
        if (phone.RecordExists && phone.State.ContactId != contactId)
        {
            // A claim whose contact died before storing itself is abandoned; the holder says so itself.
            var number = this.GetPrimaryKeyString()[(this.GetPrimaryKeyString().IndexOf('/', StringComparison.Ordinal) + 1)..];
            if (await GrainFactory.GetGrain<IContactGrain>(phone.State.ContactId).HoldsPhone(number))
            {
                return phone.State.ContactId;
            }
        }

        if (!phone.RecordExists || phone.State.ContactId != contactId)
        {
            phone.State = new ContactPhoneState { ContactId = contactId };
            await phone.WriteStateAsync();
        }

        return contactId;
    }

    public Task<Guid?> Resolve() => Task.FromResult(phone.RecordExists ? phone.State.ContactId : (Guid?)null);
}
