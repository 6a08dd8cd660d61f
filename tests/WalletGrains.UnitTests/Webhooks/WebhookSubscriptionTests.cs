using WalletGrains.Abstractions.Webhooks;

namespace WalletGrains.UnitTests.Webhooks;

/// <summary>Webhook subscriptions per account: admins only, validated, and the secret shown once, at creation.</summary>
public sealed class WebhookSubscriptionTests(ClusterFixture fixture)
{
    [Fact]
    public async Task The_secret_is_shown_at_creation_and_never_again()
    {
        var tenant = await Tenant.Create(fixture.Grains);

        var generated = Tenant.Value(await tenant.Webhooks().Create(tenant.Admin, new CreateWebhook(WebhookNetwork.Receiver())));
        var chosen = Tenant.Value(await tenant.Webhooks().Create(tenant.Admin, new CreateWebhook(WebhookNetwork.Receiver(), Secret: "a-secret-of-our-own-choosing-123")));

        Assert.StartsWith("whsec_", generated.Secret, StringComparison.Ordinal);
        Assert.True(generated.Secret!.Length >= 40);
        Assert.Equal("a-secret-of-our-own-choosing-123", chosen.Secret);
        Assert.Null(Tenant.Value(await tenant.Webhooks().Get(tenant.Admin, generated.Id)).Secret);
        Assert.All(Tenant.Value(await tenant.Webhooks().List(tenant.Admin, new PageRequest(1, 10))).Items, w => Assert.Null(w.Secret));
        var rotated = Tenant.Value(await tenant.Webhooks().Update(tenant.Admin, generated.Id, new UpdateWebhook(Secret: "another-secret-of-our-own-456")));
        Assert.Null(rotated.Secret);
    }

    [Fact]
    public async Task Without_event_types_a_subscription_gets_every_type_and_an_edit_changes_what_it_gets()
    {
        var tenant = await Tenant.Create(fixture.Grains);
        var webhook = await tenant.Subscribe(WebhookNetwork.Receiver());

        Assert.Equal([WebhookEventTypes.All], webhook.EventTypes);
        Assert.True(webhook.Enabled);

        var edited = Tenant.Value(await tenant.Webhooks().Update(tenant.Admin, webhook.Id, new UpdateWebhook(
            EventTypes: [WebhookEventTypes.Bound, WebhookEventTypes.Released, WebhookEventTypes.Bound], Description: "  CRM  ", Enabled: false)));

        Assert.Equal([WebhookEventTypes.Bound, WebhookEventTypes.Released], edited.EventTypes);
        Assert.Equal("CRM", edited.Description);
        Assert.False(edited.Enabled);
        Assert.True(edited.UpdatedAt >= webhook.UpdatedAt);
        var cleared = Tenant.Value(await tenant.Webhooks().Update(tenant.Admin, webhook.Id, new UpdateWebhook { ClearDescription = true }));
        Assert.Null(cleared.Description);
        Assert.Equal(edited.EventTypes, cleared.EventTypes);
    }

    [Fact]
    public async Task Only_admins_manage_webhooks_and_another_accounts_subscription_is_not_found()
    {
        var tenant = await Tenant.Create(fixture.Grains);
        var other = await Tenant.Create(fixture.Grains);
        var agent = tenant.CallerOf(await tenant.User("Ana"));
        var webhook = await tenant.Subscribe(WebhookNetwork.Receiver());

        Tenant.Refused(await tenant.Webhooks().Create(agent, new CreateWebhook(WebhookNetwork.Receiver())), ErrorCodes.Forbidden);
        Tenant.Refused(await tenant.Webhooks().Get(agent, webhook.Id), ErrorCodes.Forbidden);
        Tenant.Refused(await tenant.Webhooks().Delete(agent, webhook.Id), ErrorCodes.Forbidden);
        Tenant.Refused(await other.Webhooks().Get(other.Admin, webhook.Id), ErrorCodes.WebhookNotFound);
        Tenant.Refused(await tenant.Webhooks().Get(other.Admin, webhook.Id), ErrorCodes.WebhookNotFound);
        Tenant.Refused(await other.Webhooks().Deliveries(other.Admin, webhook.Id, new PageRequest(1, 10)), ErrorCodes.WebhookNotFound);
        Tenant.Value(await tenant.Webhooks().Get(tenant.Admin, webhook.Id));
    }

    [Fact]
    public async Task Bad_subscriptions_are_refused_with_a_stable_code_and_change_nothing()
    {
        var tenant = await Tenant.Create(fixture.Grains);
        var url = WebhookNetwork.Receiver();
        var webhook = await tenant.Subscribe(url);

        Tenant.Refused(await tenant.Webhooks().Create(tenant.Admin, new CreateWebhook("ftp://receiver.test/x")), ErrorCodes.WebhookUrlInvalid);
        Tenant.Refused(await tenant.Webhooks().Create(tenant.Admin, new CreateWebhook("http://169.254.169.254/latest")), ErrorCodes.WebhookUrlNotAllowed);
        Tenant.Refused(await tenant.Webhooks().Create(tenant.Admin, new CreateWebhook(url, ["contact.exploded"])), ErrorCodes.WebhookEventTypesInvalid);
        Tenant.Refused(await tenant.Webhooks().Create(tenant.Admin, new CreateWebhook(url, [])), ErrorCodes.WebhookEventTypesInvalid);
        Tenant.Refused(await tenant.Webhooks().Create(tenant.Admin, new CreateWebhook(url, Secret: "short")), ErrorCodes.WebhookSecretInvalid);
        Tenant.Refused(await tenant.Webhooks().Create(tenant.Admin, new CreateWebhook(url, Secret: "a secret with spaces in it!!")), ErrorCodes.WebhookSecretInvalid);
        Tenant.Refused(await tenant.Webhooks().Create(tenant.Admin, new CreateWebhook(url, Description: new string('d', 257))), ErrorCodes.WebhookDescriptionInvalid);
        Tenant.Refused(await tenant.Webhooks().Update(tenant.Admin, webhook.Id, new UpdateWebhook(Url: "http://10.0.0.1/x", Enabled: false)), ErrorCodes.WebhookUrlNotAllowed);
        Tenant.Refused(await tenant.Webhooks().Update(tenant.Admin, webhook.Id, new UpdateWebhook(EventTypes: ["contact.bound", "nope"], Enabled: false)), ErrorCodes.WebhookEventTypesInvalid);
        Tenant.Refused(await tenant.Webhooks().List(tenant.Admin, new PageRequest(1, 101)), ErrorCodes.PageInvalid);

        var all = Tenant.Value(await tenant.Webhooks().List(tenant.Admin, new PageRequest(1, 100)));
        var unchanged = Assert.Single(all.Items);
        Assert.Equal((webhook.Url, webhook.Enabled, webhook.UpdatedAt), (unchanged.Url, unchanged.Enabled, unchanged.UpdatedAt));
        Assert.Equal(webhook.EventTypes, unchanged.EventTypes);
    }

    [Fact]
    public async Task An_account_has_at_most_twenty_subscriptions_and_a_deleted_one_is_gone()
    {
        var tenant = await Tenant.Create(fixture.Grains);
        var created = new List<WebhookView>();
        for (var i = 0; i < IWebhookSubscriptionsGrain.MaxSubscriptions; i++)
        {
            created.Add(await tenant.Subscribe(WebhookNetwork.Receiver()));
        }

        Tenant.Refused(await tenant.Webhooks().Create(tenant.Admin, new CreateWebhook(WebhookNetwork.Receiver())), ErrorCodes.WebhookLimitReached);
        Tenant.Value(await tenant.Webhooks().Delete(tenant.Admin, created[3].Id));

        Tenant.Refused(await tenant.Webhooks().Get(tenant.Admin, created[3].Id), ErrorCodes.WebhookNotFound);
        Tenant.Refused(await tenant.Webhooks().Delete(tenant.Admin, created[3].Id), ErrorCodes.WebhookNotFound);
        var page = Tenant.Value(await tenant.Webhooks().List(tenant.Admin, new PageRequest(2, 15)));
        Assert.Equal(19, page.TotalItems);
        Assert.Equal(created.Skip(16).Select(w => w.Id), page.Items.Select(w => w.Id));
        Tenant.Value(await tenant.Webhooks().Create(tenant.Admin, new CreateWebhook(WebhookNetwork.Receiver())));
    }
}
