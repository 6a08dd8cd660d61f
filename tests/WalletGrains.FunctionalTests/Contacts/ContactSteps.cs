namespace WalletGrains.FunctionalTests.Contacts;

/// <summary>Steps shared by the contact tests: contacts, wallets and reading memberships out of contact answers.</summary>
internal static class ContactSteps
{
    /// <summary>A fresh Brazilian mobile number in E.164; unique enough inside one test's account.</summary>
    public static string NewPhone() => "+55119" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<Guid> CreateContact(this Account account, string? phone = null, string name = "Maria")
    {
        var created = await account.Post("/api/v1/contacts", new { phoneNumber = phone ?? NewPhone(), name });
        return Expect.Status(HttpStatusCode.Created, created).Id;
    }

    public static async Task<Guid[]> CreateContacts(this Account account, int count)
    {
        var ids = new Guid[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = await account.CreateContact(name: $"Contact {i}");
        }

        return ids;
    }

    /// <summary>Creates a wallet served by one team and its responsible users, and answers its id.</summary>
    public static async Task<Guid> CreateWalletId(
        this Account account, Guid team, Guid[] users, string type = "Single", bool automatic = false, string? timeLimit = null, string? name = null)
    {
        var created = await account.CreateWallet(new
        {
            name = name ?? $"{type} {Guid.NewGuid():N}",
            type,
            automaticAttribution = automatic,
            timeLimit,
            teams = new[] { new { teamId = team, userIds = users } },
        });
        return Expect.Status(HttpStatusCode.Created, created).Id;
    }

    public static async Task<JsonNode> ReadContact(this Account account, Guid contact) =>
        Expect.Status(HttpStatusCode.OK, await account.Get($"/api/v1/contacts/{contact}")).Json!;

    public static async Task<long> ContactsCount(this Account account, Guid wallet) =>
        Expect.Status(HttpStatusCode.OK, await account.Get($"/api/v1/wallets/{wallet}")).Json!["contactsCount"]!.GetValue<long>();

    public static Task<Reply> Include(this Account account, Guid wallet, object body) =>
        account.Post($"/api/v1/wallets/{wallet}/contacts", body);

    public static Task<Reply> Route(this Account account, Guid contact) =>
        account.Post("/api/v1/conversations/route", new { contactId = contact });

    public static Task<Reply> Assumed(this Account account, Guid contact, Guid user) =>
        account.Post("/api/v1/conversations/assumed", new { contactId = contact, userId = user });

    public static Task<Reply> Completed(this Account account, Guid contact, Guid user, string classification) =>
        account.Post("/api/v1/conversations/completed", new { contactId = contact, userId = user, classification });

    public static Task<Reply> SetAvailability(this Account account, Guid user, string availability) =>
        account.Patch($"/api/v1/users/{user}", new { availability });

    /// <summary>A DELETE that carries a JSON body (the batch and Helena removals).</summary>
    public static Task<Reply> DeleteWithBody(this Account account, string path, object body) =>
        account.Api.Send(HttpMethod.Delete, path, body, account.AdminToken);

    public static JsonArray Memberships(this JsonNode? contact) => contact!["memberships"]!.AsArray();

    /// <summary>The contact's membership of the wallet, or null when it is not in it.</summary>
    public static JsonNode? MembershipOf(this JsonNode? contact, Guid wallet) =>
        contact.Memberships().FirstOrDefault(m => m!["walletId"]!.GetValue<Guid>() == wallet);

    public static Guid? OwnerIn(this JsonNode? contact, Guid wallet) => contact.MembershipOf(wallet)?["owner"]?.GetValue<Guid>();

    /// <summary>Every owner the contact has across its memberships.</summary>
    public static Guid[] Owners(this JsonNode? contact) =>
        [.. contact.Memberships().Select(m => m!["owner"]?.GetValue<Guid>()).OfType<Guid>()];

    public static Guid? GuidOf(this JsonNode? node, string field) => node?[field]?.GetValue<Guid>();

    public static Guid[] Ids(this JsonNode page, string field = "id") =>
        [.. page["items"]!.AsArray().Select(item => item![field]!.GetValue<Guid>())];
}
