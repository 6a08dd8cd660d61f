namespace WalletGrains.FunctionalTests.Contacts;

/// <summary>§1 exclusive sticky ownership over HTTP: concurrent requests never give a contact two owners.</summary>
public sealed class OwnershipRaceTests(GatewayFixture gateway)
{
    private const int Contacts = 20;

    private Api Api => gateway.Api;

    [Fact]
    public async Task Two_users_assuming_one_contact_at_once_leave_it_with_exactly_one_owner()
    {
        var account = await Api.CreateAccount();
        var (ana, anaToken) = await account.CreateUser();
        var (bia, biaToken) = await account.CreateUser("Bia");
        var anaWallet = await account.CreateWalletId(await account.CreateTeam(ana), [ana], automatic: true, name: "Ana");
        var biaWallet = await account.CreateWalletId(await account.CreateTeam(bia), [bia], automatic: true, name: "Bia");
        var contacts = await account.CreateContacts(Contacts);

        // Every contact assumed by both users at once, each with their own token, all contacts in flight together.
        var races = contacts.Select(async contact =>
        {
            var replies = await Task.WhenAll(
                Api.Post("/api/v1/conversations/assumed", new { contactId = contact, userId = ana }, anaToken),
                Api.Post("/api/v1/conversations/assumed", new { contactId = contact, userId = bia }, biaToken));
            return (contact, replies);
        });
        var outcomes = await Task.WhenAll(races);

        var owners = new Dictionary<Guid, Guid>();
        foreach (var (contact, replies) in outcomes)
        {
            Assert.All(replies, reply => Expect.Status(HttpStatusCode.OK, reply));
            var read = await account.ReadContact(contact);
            var owner = Assert.Single(read.Owners());
            Assert.Contains(owner, new[] { ana, bia });

            // Both answers agree with the stored owner: the loser saw the winner's binding, not its own.
            Assert.All(replies, reply => Assert.Equal([owner], reply.Json!.Owners()));

            // The contact joined only the winner's wallet.
            var (mine, other) = owner == ana ? (anaWallet, biaWallet) : (biaWallet, anaWallet);
            Assert.Equal(owner, read.OwnerIn(mine));
            Assert.Null(read.MembershipOf(other));
            owners[contact] = owner;
        }

        Assert.Equal(owners.Count(o => o.Value == ana), await account.ContactsCount(anaWallet));
        Assert.Equal(owners.Count(o => o.Value == bia), await account.ContactsCount(biaWallet));
    }

    [Fact]
    public async Task Concurrent_routes_of_unowned_contacts_bind_each_to_exactly_one_owner()
    {
        var account = await Api.CreateAccount();
        var (ana, _) = await account.CreateUser();
        var (bia, _) = await account.CreateUser("Bia");
        var team = await account.CreateTeam(ana, bia);
        var wallet = await account.CreateWalletId(team, [ana, bia], automatic: true);
        var contacts = await account.CreateContacts(Contacts);
        Expect.Status(HttpStatusCode.OK, await account.Post($"/api/v1/wallets/{wallet}/contacts/batch", new { contactIds = contacts }));

        var outcomes = await Task.WhenAll(contacts.Select(async contact =>
            (contact, replies: await Task.WhenAll(account.Route(contact), account.Route(contact), account.Route(contact)))));

        foreach (var (contact, replies) in outcomes)
        {
            Assert.All(replies, reply => Expect.Status(HttpStatusCode.OK, reply));
            var owner = Assert.Single((await account.ReadContact(contact)).Owners());
            Assert.Equal(1, replies.Count(r => r["reason"] == "auto-assigned"));
            Assert.Equal(2, replies.Count(r => r["reason"] == "sticky-owner"));
            Assert.All(replies, reply => Assert.Equal(owner, reply.Json.GuidOf("userId")));
        }
    }

    [Fact]
    public async Task Of_simultaneous_creates_of_one_phone_exactly_one_wins()
    {
        var account = await Api.CreateAccount();
        var phone = ContactSteps.NewPhone();

        var replies = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => account.Post("/api/v1/contacts", new { phoneNumber = phone, name = $"Contato {i}" })));

        var winner = Assert.Single(replies, r => r.Status == HttpStatusCode.Created);
        Assert.All(replies.Where(r => r != winner), r => Expect.Problem(HttpStatusCode.Conflict, "contact.phone_taken", r));
        var (ana, team) = await account.CreateCrew();
        var wallet = await account.CreateWalletId(team, [ana], type: "Multiple");
        Assert.Equal(winner.Id, Expect.Status(HttpStatusCode.OK, await account.Include(wallet, new { phoneNumber = phone })).Id);
    }

    [Fact]
    public async Task Two_admin_includes_binding_one_contact_to_different_owners_at_once_leave_exactly_one_owner()
    {
        var account = await Api.CreateAccount();
        var (ana, anaTeam) = await account.CreateCrew();
        var (bia, biaTeam) = await account.CreateCrew("Bia");
        var anaWallet = await account.CreateWalletId(anaTeam, [ana]);
        var biaWallet = await account.CreateWalletId(biaTeam, [bia]);
        var contacts = await account.CreateContacts(Contacts);

        var outcomes = await Task.WhenAll(contacts.Select(async contact => (contact, replies: await Task.WhenAll(
            account.Post($"/api/v1/contacts/{contact}/wallets", new { walletId = anaWallet, ownerUserId = ana }),
            account.Include(biaWallet, new { contactId = contact, ownerUserId = bia })))));

        foreach (var (contact, replies) in outcomes)
        {
            var won = Assert.Single(replies, r => r.Status == HttpStatusCode.OK);
            Expect.Problem(HttpStatusCode.Conflict, "contact.already_owned", Assert.Single(replies, r => r != won));
            var read = await account.ReadContact(contact);
            Assert.Equal(won.Json!.Owners(), read.Owners());
            Assert.Single(read.Owners());
        }

        Assert.Equal(Contacts, await account.ContactsCount(anaWallet) + await account.ContactsCount(biaWallet));
    }
}
