namespace WalletGrains.Grains.Contacts;

/// <summary>Applies one include or remove to up to 1,000 contacts, each named by id or phone, with a result per item.</summary>
[StatelessWorker]
internal sealed class ContactBatchGrain : Grain, IContactBatchGrain
{
    private const int Parallelism = 32;

    public Task<Result<IReadOnlyList<BatchItemResult>>> Include(
        Caller caller, Guid walletId, IReadOnlyList<ContactRef> contacts, MembershipSource source, Guid? ownerUserId) =>
        Apply(caller, contacts, (contact, id) => GrainFactory.GetGrain<IContactGrain>(id).Include(caller, walletId, source, ownerUserId));

    public Task<Result<IReadOnlyList<BatchItemResult>>> Remove(Caller caller, Guid walletId, IReadOnlyList<ContactRef> contacts) =>
        Apply(caller, contacts, (contact, id) => GrainFactory.GetGrain<IContactGrain>(id).Remove(caller, walletId));

    public async Task<Result<ContactView>> IncludeOne(Caller caller, Guid walletId, ContactRef contact, MembershipSource source, Guid? ownerUserId)
    {
        if (!caller.IsAdmin)
        {
            return DomainError.Forbidden(ErrorCodes.Forbidden, "Only admins change wallet memberships.");
        }

        var id = await Resolve(caller, contact);
        return id.IsSuccess ? await GrainFactory.GetGrain<IContactGrain>(id.Value).Include(caller, walletId, source, ownerUserId) : id.Error!;
    }

    public async Task<Result<ContactView>> RemoveOne(Caller caller, Guid walletId, ContactRef contact)
    {
        if (!caller.IsAdmin)
        {
            return DomainError.Forbidden(ErrorCodes.Forbidden, "Only admins change wallet memberships.");
        }

        var id = await Resolve(caller, contact);
        return id.IsSuccess ? await GrainFactory.GetGrain<IContactGrain>(id.Value).Remove(caller, walletId) : id.Error!;
    }

    public async Task<Result<Page<ContactView>>> List(Caller caller, Guid walletId, PageRequest page)
    {
        var ids = await GrainFactory.GetGrain<IWalletGrain>(walletId).Contacts(caller, page);
        if (!ids.IsSuccess)
        {
            return ids.Error!;
        }

        var views = await Task.WhenAll(ids.Value!.Items.Select(id => GrainFactory.GetGrain<IContactGrain>(id).Get(caller)));
        return new Page<ContactView>([.. views.Where(v => v.IsSuccess).Select(v => v.Value!)], page.PageNumber, page.PageSize, ids.Value.TotalItems);
    }

    public async Task<Result<Guid>> Resolve(Caller caller, ContactRef contact)
    {
        if (contact is { ContactId: { } id, PhoneNumber: null })
        {
            return id;
        }

        if (contact is not { ContactId: null, PhoneNumber: { } raw })
        {
            return DomainError.Invalid(ErrorCodes.ContactRefInvalid, "Name a contact by contactId or by phoneNumber, not both.", "contactId");
        }

        var phone = PhoneNumbers.Validate(raw);
        if (!phone.IsSuccess)
        {
            return phone.Error!;
        }

        return await GrainFactory.GetGrain<IContactPhoneGrain>(PhoneNumbers.Key(caller.AccountId, phone.Value!)).Resolve() is { } holder
            ? holder
            : DomainError.NotFound(ErrorCodes.ContactNotFound, $"No contact has phone number {phone.Value}.");
    }

    private async Task<Result<IReadOnlyList<BatchItemResult>>> Apply(
        Caller caller, IReadOnlyList<ContactRef> contacts, Func<ContactRef, Guid, Task<Result<ContactView>>> command)
    {
        if (!caller.IsAdmin)
        {
            return DomainError.Forbidden(ErrorCodes.Forbidden, "Only admins change wallet memberships.");
        }

        if (contacts.Count is 0 or > IContactBatchGrain.MaxItems)
        {
            return DomainError.Invalid(ErrorCodes.BatchTooLarge, $"Send 1 to {IContactBatchGrain.MaxItems} contacts per call.", "contacts");
        }

        var results = new BatchItemResult[contacts.Count];
        foreach (var chunk in Enumerable.Range(0, contacts.Count).Chunk(Parallelism))
        {
            await Task.WhenAll(chunk.Select(async i =>
            {
                var contact = contacts[i] ?? new ContactRef();
                var id = await Resolve(caller, contact);
                var outcome = id.IsSuccess ? (await command(contact, id.Value)).Error : id.Error;
                results[i] = new BatchItemResult(i, id.IsSuccess ? id.Value : null, contact.PhoneNumber, outcome is null, outcome);
            }));
        }

        return results;
    }
}
