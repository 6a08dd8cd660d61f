namespace WalletGrains.FunctionalTests.Webhooks;

/// <summary>
/// <c>/api/v1/webhooks</c> over HTTP on the default settings (loopback and private receivers refused): create, list,
/// read, edit and delete, admins only, the secret shown once, and a problem for every bad subscription.
/// </summary>
public sealed class WebhookApiTests(GatewayFixture gateway)
{
    // A public address literal: accepted by the URL rules without asking DNS.
    private const string ReceiverUrl = "https://203.0.113.10/hooks/wallets";

    private static readonly string[] BoundAndReleased = ["contact.bound", "contact.released"];
    private static readonly string[] WithABlankType = ["contact.bound", ""];

    private Api Api => gateway.Api;

    [Fact]
    public async Task A_subscription_is_created_read_listed_edited_and_deleted_and_its_secret_is_shown_only_once()
    {
        var account = await Api.CreateAccount();

        var created = Expect.Status(HttpStatusCode.Created, await account.Post("/api/v1/webhooks", new
        {
            url = ReceiverUrl,
            eventTypes = BoundAndReleased,
            description = "CRM",
        }));
        var id = created.Id;
        Assert.Equal($"/api/v1/webhooks/{id}", created.Location?.OriginalString);
        Assert.StartsWith("whsec_", created["secret"], StringComparison.Ordinal);
        Assert.Equal(["contact.bound", "contact.released"], created.Json!["eventTypes"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.True(created.Json!["enabled"]!.GetValue<bool>());

        var read = Expect.Status(HttpStatusCode.OK, await account.Get($"/api/v1/webhooks/{id}"));
        Assert.Null(read.Json!["secret"]);
        Assert.DoesNotContain(created["secret"]!, read.Text, StringComparison.Ordinal);
        Assert.Equal(ReceiverUrl, read["url"]);

        var list = Expect.Status(HttpStatusCode.OK, await account.Get("/api/v1/webhooks?pageNumber=1&pageSize=10"));
        Assert.Equal(1, list.Json!["totalItems"]!.GetValue<int>());
        Assert.DoesNotContain(created["secret"]!, list.Text, StringComparison.Ordinal);

        var edited = Expect.Status(HttpStatusCode.OK, await account.Patch($"/api/v1/webhooks/{id}", new { enabled = false, secret = "a-brand-new-secret-of-32-chars!!", description = (string?)null }));
        Assert.False(edited.Json!["enabled"]!.GetValue<bool>());
        Assert.Null(edited.Json!["description"]);
        Assert.DoesNotContain("a-brand-new-secret", edited.Text, StringComparison.Ordinal);

        var log = Expect.Status(HttpStatusCode.OK, await account.Get($"/api/v1/webhooks/{id}/deliveries"));
        Assert.Equal(0, log.Json!["totalItems"]!.GetValue<int>());

        Expect.Status(HttpStatusCode.NoContent, await account.Delete($"/api/v1/webhooks/{id}"));
        Expect.Problem(HttpStatusCode.NotFound, "webhook.not_found", await account.Get($"/api/v1/webhooks/{id}"));
        Expect.Problem(HttpStatusCode.NotFound, "webhook.not_found", await account.Get($"/api/v1/webhooks/{id}/deliveries"));
    }

    [Fact]
    public async Task Only_admins_manage_webhooks_and_other_accounts_see_none_of_them()
    {
        var account = await Api.CreateAccount();
        var other = await Api.CreateAccount();
        var (_, agentToken) = await account.CreateUser("Ana");
        var id = Expect.Status(HttpStatusCode.Created, await account.Post("/api/v1/webhooks", new { url = ReceiverUrl })).Id;

        Expect.Problem(HttpStatusCode.Forbidden, "auth.forbidden", await Api.Post("/api/v1/webhooks", new { url = ReceiverUrl }, agentToken));
        Expect.Problem(HttpStatusCode.Forbidden, "auth.forbidden", await Api.Get($"/api/v1/webhooks/{id}", agentToken));
        Expect.Problem(HttpStatusCode.Forbidden, "auth.forbidden", await Api.Get($"/api/v1/webhooks/{id}/deliveries", agentToken));
        Expect.Problem(HttpStatusCode.Unauthorized, "auth.unauthenticated", await Api.Get("/api/v1/webhooks", null));
        Expect.Problem(HttpStatusCode.NotFound, "webhook.not_found", await other.Get($"/api/v1/webhooks/{id}"));
        Expect.Problem(HttpStatusCode.NotFound, "webhook.not_found", await other.Delete($"/api/v1/webhooks/{id}"));
        Assert.Equal(0, Expect.Status(HttpStatusCode.OK, await other.Get("/api/v1/webhooks")).Json!["totalItems"]!.GetValue<int>());
        Expect.Status(HttpStatusCode.OK, await account.Get($"/api/v1/webhooks/{id}"));
    }

    [Theory]
    [InlineData("""{"url": "ftp://203.0.113.10/hooks"}""", "webhook.url_invalid")]
    [InlineData("""{"url": "not a url"}""", "webhook.url_invalid")]
    [InlineData("""{"url": "https://user:pw@203.0.113.10/hooks"}""", "webhook.url_invalid")]
    [InlineData("""{}""", "webhook.url_invalid")]
    [InlineData("""{"url": "http://169.254.169.254/latest/meta-data/"}""", "webhook.url_not_allowed")]
    [InlineData("""{"url": "http://[fe80::1]/hooks"}""", "webhook.url_not_allowed")]
    [InlineData("""{"url": "http://127.0.0.1:8080/hooks"}""", "webhook.url_not_allowed")]
    [InlineData("""{"url": "http://localhost:8080/hooks"}""", "webhook.url_not_allowed")]
    [InlineData("""{"url": "http://192.168.0.10/hooks"}""", "webhook.url_not_allowed")]
    [InlineData("""{"url": "https://203.0.113.10/hooks", "eventTypes": ["contact.exploded"]}""", "webhook.event_types_invalid")]
    [InlineData("""{"url": "https://203.0.113.10/hooks", "eventTypes": []}""", "webhook.event_types_invalid")]
    [InlineData("""{"url": "https://203.0.113.10/hooks", "secret": "too-short"}""", "webhook.secret_invalid")]
    [InlineData("""{"url": "https://203.0.113.10/hooks", "eventTypes": "contact.bound"}""", "request.malformed")]
    [InlineData("""{"url": "https://203.0.113.10/hooks", "enabled": "yes"}""", "request.malformed")]
    [InlineData("""{"url": 42}""", "request.malformed")]
    [InlineData("""{"url": "https://203.0.113.10/hooks",""", "request.malformed")]
    public async Task A_bad_subscription_answers_400_with_a_stable_code_and_creates_nothing(string body, string code)
    {
        var account = await Api.CreateAccount();

        Expect.Problem(HttpStatusCode.BadRequest, code, await account.SendRaw(HttpMethod.Post, "/api/v1/webhooks", body));

        Assert.Equal(0, Expect.Status(HttpStatusCode.OK, await account.Get("/api/v1/webhooks")).Json!["totalItems"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_bad_edit_or_page_answers_400_and_changes_nothing()
    {
        var account = await Api.CreateAccount();
        var id = Expect.Status(HttpStatusCode.Created, await account.Post("/api/v1/webhooks", new { url = ReceiverUrl })).Id;

        Expect.Problem(HttpStatusCode.BadRequest, "webhook.url_not_allowed", await account.Patch($"/api/v1/webhooks/{id}", new { url = "http://10.1.2.3/hooks", enabled = false }));
        Expect.Problem(HttpStatusCode.BadRequest, "webhook.event_types_invalid", await account.Patch($"/api/v1/webhooks/{id}", new { eventTypes = WithABlankType, enabled = false }));
        Expect.Problem(HttpStatusCode.BadRequest, "request.malformed", await account.SendRaw(HttpMethod.Patch, $"/api/v1/webhooks/{id}", """{"enabled": false, "enabled": true}"""));
        Expect.Problem(HttpStatusCode.BadRequest, "request.page_invalid", await account.Get($"/api/v1/webhooks/{id}/deliveries?pageSize=101"));
        Expect.Problem(HttpStatusCode.BadRequest, "request.page_invalid", await account.Get("/api/v1/webhooks?pageNumber=0"));

        var unchanged = Expect.Status(HttpStatusCode.OK, await account.Get($"/api/v1/webhooks/{id}"));
        Assert.Equal(ReceiverUrl, unchanged["url"]);
        Assert.True(unchanged.Json!["enabled"]!.GetValue<bool>());
        Assert.Equal(["*"], unchanged.Json!["eventTypes"]!.AsArray().Select(t => t!.GetValue<string>()));
    }

    [Fact]
    public async Task The_webhook_paths_are_in_the_OpenAPI_document()
    {
        var document = Expect.Status(HttpStatusCode.OK, await Api.Get("/openapi/v1.json", token: null));

        var paths = document.Json!["paths"]!.AsObject();
        Assert.Contains("/api/v1/webhooks", paths.Select(p => p.Key));
        Assert.Contains("/api/v1/webhooks/{id}", paths.Select(p => p.Key));
        Assert.Contains("/api/v1/webhooks/{id}/deliveries", paths.Select(p => p.Key));
    }
}
