using WalletGrains.Abstractions.Contacts;

namespace WalletGrains.UnitTests;

/// <summary>Spec §1 Contact: an E.164 phone unique per account, a name, a status and attributes.</summary>
public sealed class ContactRulesTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task A_new_contact_keeps_its_trimmed_phone_name_and_attributes_and_is_in_no_wallet()
    {
        var tenant = await Tenant.Create(Grains);
        var id = Guid.NewGuid();
        var attributes = new ContactAttributes("SP", 1500.50m, "Varejo", "Alta", new Dictionary<string, string> { ["plano"] = "ouro" });

        var created = Tenant.Value(await tenant.ContactGrain(id).Create(tenant.Admin, new CreateContact(" +5511987654321 ", "  Maria Souza ", attributes)));

        Assert.Equal((id, tenant.Account.Id, "+5511987654321", "Maria Souza", ContactStatus.Active), (created.Id, created.AccountId, created.PhoneNumber, created.Name, created.Status));
        Assert.Equal(("SP", 1500.50m, "Varejo", "Alta"), (created.Attributes.Region, created.Attributes.Revenue, created.Attributes.Segment, created.Attributes.Importance));
        Assert.Equal(attributes.Custom, created.Attributes.Custom);
        Assert.Empty(created.Memberships);
        var read = await tenant.Read(id);
        Assert.Equal((created.PhoneNumber, created.Name, created.CreatedAt), (read.PhoneNumber, read.Name, read.CreatedAt));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("5511987654321")]
    [InlineData("+05511987654321")]
    [InlineData("+1234567")]
    [InlineData("+1234567890123456")]
    [InlineData("+55 11 98765-4321")]
    [InlineData("+55(11)987654321")]
    [InlineData("+55119876543a1")]
    [InlineData("++5511987654321")]
    [InlineData("\u200B+5511987654321")]
    [InlineData("+５５１１９８７６５４３２１")]
    [InlineData("+٥٥١١٩٨٧٦٥٤٣٢١")]
    public async Task A_phone_number_not_in_E164_form_is_refused_and_nothing_is_created(string? phone)
    {
        var tenant = await Tenant.Create(Grains);
        var id = Guid.NewGuid();

        var error = Tenant.Refused(await tenant.ContactGrain(id).Create(tenant.Admin, new CreateContact(phone, "Maria")), ErrorCodes.ContactPhoneInvalid);

        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Tenant.Refused(await tenant.ContactGrain(id).Get(tenant.Admin), ErrorCodes.ContactNotFound);
    }

    [Theory]
    [InlineData("+12345678")]
    [InlineData("+123456789012345")]
    [InlineData("+5511987654321")]
    public async Task Phone_numbers_of_8_to_15_digits_after_the_plus_are_accepted(string phone)
    {
        var tenant = await Tenant.Create(Grains);

        Assert.Equal(phone, (await tenant.Contact(phone: phone)).PhoneNumber);
    }

    [Fact]
    public async Task A_phone_number_identifies_one_contact_per_account()
    {
        var tenant = await Tenant.Create(Grains);
        var first = await tenant.Contact("Maria");
        var id = Guid.NewGuid();

        var error = Tenant.Refused(await tenant.ContactGrain(id).Create(tenant.Admin, new CreateContact($" {first.PhoneNumber}", "Outra")), ErrorCodes.ContactPhoneTaken);

        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Tenant.Refused(await tenant.ContactGrain(id).Get(tenant.Admin), ErrorCodes.ContactNotFound);
        Assert.Equal("Maria", (await tenant.Read(first.Id)).Name);
        Assert.Equal(first.Id, Tenant.Value(await tenant.Batch().Resolve(tenant.Admin, new ContactRef(PhoneNumber: first.PhoneNumber))));
    }

    [Fact]
    public async Task Of_50_simultaneous_creates_of_one_phone_exactly_one_wins()
    {
        var tenant = await Tenant.Create(Grains);
        var phone = ContactKit.Phone();
        var ids = Enumerable.Range(0, 50).Select(_ => Guid.NewGuid()).ToList();

        var results = await Task.WhenAll(ids.Select(id => tenant.ContactGrain(id).Create(tenant.Admin, new CreateContact(phone, $"Cliente {id}"))));

        var winner = Assert.Single(results, r => r.IsSuccess).Value!;
        Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Equal(ErrorCodes.ContactPhoneTaken, r.Error!.Code));
        Assert.Equal(winner.Id, Tenant.Value(await tenant.Batch().Resolve(tenant.Admin, new ContactRef(PhoneNumber: phone))));
        var readable = await Task.WhenAll(ids.Select(id => tenant.ContactGrain(id).Get(tenant.Admin)));
        Assert.Equal([winner.Id], readable.Where(r => r.IsSuccess).Select(r => r.Value!.Id));
    }

    [Fact]
    public async Task The_same_phone_number_may_belong_to_a_contact_of_another_account()
    {
        var tenant = await Tenant.Create(Grains);
        var other = await Tenant.Create(Grains);
        var ours = await tenant.Contact("Nossa");

        var theirs = await other.Contact("Deles", phone: ours.PhoneNumber);

        Assert.NotEqual(ours.Id, theirs.Id);
        Assert.Equal(ours.Id, Tenant.Value(await tenant.Batch().Resolve(tenant.Admin, new ContactRef(PhoneNumber: ours.PhoneNumber))));
        Assert.Equal(theirs.Id, Tenant.Value(await other.Batch().Resolve(other.Admin, new ContactRef(PhoneNumber: ours.PhoneNumber))));
    }

    [Fact]
    public async Task Creating_a_contact_twice_under_one_id_is_refused()
    {
        var tenant = await Tenant.Create(Grains);
        var contact = await tenant.Contact("Maria");

        Tenant.Refused(await tenant.ContactGrain(contact.Id).Create(tenant.Admin, new CreateContact(ContactKit.Phone(), "Outra")), ErrorCodes.ContactExists);

        Assert.Equal(("Maria", contact.PhoneNumber), ((await tenant.Read(contact.Id)).Name, (await tenant.Read(contact.Id)).PhoneNumber));
    }

    [Fact]
    public async Task An_update_changes_what_it_names_and_replaces_the_whole_attribute_set()
    {
        var tenant = await Tenant.Create(Grains);
        var contact = await tenant.Contact("Maria", new ContactAttributes("SP", 100m, "Varejo", "Alta"));
        var grain = tenant.ContactGrain(contact.Id);

        var renamed = Tenant.Value(await grain.Update(tenant.Admin, new UpdateContact(Name: " Maria Lima ")));
        Assert.Equal(("Maria Lima", "SP", 100m), (renamed.Name, renamed.Attributes.Region, renamed.Attributes.Revenue));

        var attributes = new ContactAttributes(Region: "RJ", Custom: new Dictionary<string, string> { ["origem"] = "site" });
        var updated = Tenant.Value(await grain.Update(tenant.Admin, new UpdateContact(Attributes: attributes, Status: ContactStatus.Archived)));

        Assert.Equal(("Maria Lima", ContactStatus.Archived, contact.PhoneNumber), (updated.Name, updated.Status, updated.PhoneNumber));
        Assert.Equal(("RJ", (decimal?)null, (string?)null, (string?)null), (updated.Attributes.Region, updated.Attributes.Revenue, updated.Attributes.Segment, updated.Attributes.Importance));
        Assert.Equal(attributes.Custom, updated.Attributes.Custom);
        Assert.Equal(ContactStatus.Archived, (await tenant.Read(contact.Id)).Status);
    }

    [Fact]
    public async Task Overlong_names_and_attributes_are_refused_and_change_nothing()
    {
        var tenant = await Tenant.Create(Grains);
        var contact = await tenant.Contact("Maria", new ContactAttributes("SP"));
        var grain = tenant.ContactGrain(contact.Id);
        var tooManyFields = Enumerable.Range(0, 51).ToDictionary(i => $"campo{i}", i => "x");

        Tenant.Refused(await grain.Update(tenant.Admin, new UpdateContact(Name: new string('a', 129))), ErrorCodes.ContactNameInvalid);
        Tenant.Refused(await grain.Update(tenant.Admin, new UpdateContact(Attributes: new ContactAttributes(new string('r', 257)))), ErrorCodes.ContactAttributesInvalid);
        Tenant.Refused(await grain.Update(tenant.Admin, new UpdateContact(Attributes: new ContactAttributes(Custom: tooManyFields))), ErrorCodes.ContactAttributesInvalid);
        Tenant.Refused(await grain.Update(tenant.Admin, new UpdateContact(Attributes: new ContactAttributes(Custom: new Dictionary<string, string> { [" "] = "x" }))), ErrorCodes.ContactAttributesInvalid);
        Tenant.Refused(await tenant.CreateContact(new CreateContact(ContactKit.Phone(), new string('a', 129))), ErrorCodes.ContactNameInvalid);

        var now = await tenant.Read(contact.Id);
        Assert.Equal(("Maria", "SP", contact.UpdatedAt), (now.Name, now.Attributes.Region, now.UpdatedAt));
    }
}
