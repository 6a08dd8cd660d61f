namespace WalletGrains.FunctionalTests.Http;

/// <summary>§3: the OpenAPI document and its UI are served; health endpoints answer without auth.</summary>
public sealed class DocumentationAndHealthTests(GatewayFixture gateway)
{
    private Api Api => gateway.Api;

    [Fact]
    public async Task The_OpenAPI_document_is_valid_JSON_listing_the_wallet_and_account_paths()
    {
        var document = Expect.Status(HttpStatusCode.OK, await Api.Get("/openapi/v1.json", token: null));

        Assert.NotNull(document.Json);
        Assert.StartsWith("3.", document.Json!["openapi"]!.GetValue<string>(), StringComparison.Ordinal);
        var paths = document.Json["paths"]!.AsObject().Select(p => p.Key).ToList();
        foreach (var expected in new[] { "/api/v1/wallets", "/api/v1/wallets/{id}", "/api/v1/accounts", "/api/v1/users", "/api/v1/teams" })
        {
            Assert.True(paths.Contains(expected), $"'{expected}' is not among the documented paths: {string.Join(", ", paths)}");
        }

        var wallets = document.Json["paths"]!["/api/v1/wallets"]!.AsObject();
        Assert.True(wallets.ContainsKey("get"), "GET /api/v1/wallets is not documented");
        Assert.True(wallets.ContainsKey("post"), "POST /api/v1/wallets is not documented");
    }

    [Fact]
    public async Task The_API_reference_UI_answers_200_HTML_at_docs()
    {
        using var docs = await Api.Http.GetAsync("/docs", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Equal("text/html", docs.Content.Headers.ContentType?.MediaType);
        var html = await docs.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("<html", html, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_answer_200_without_a_token(string path)
    {
        using var health = await Api.Http.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Ping_answers_pong_as_plain_text_without_a_token()
    {
        using var ping = await Api.Http.GetAsync("/ping", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
        Assert.Equal("text/plain", ping.Content.Headers.ContentType?.MediaType);
        Assert.Equal("pong", await ping.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
