using System.Net.Http.Headers;
using System.Text;

namespace WalletGrains.FunctionalTests.Infrastructure;

/// <summary>A thin HTTP client for the API: JSON in, <see cref="Reply"/> out, a bearer token per call.</summary>
public sealed class Api(HttpClient http, string operatorToken) : IDisposable
{
    public string OperatorToken { get; } = operatorToken;

    public HttpClient Http { get; } = http;

    public Task<Reply> Post(string path, object? body, string? token) => Send(HttpMethod.Post, path, body, token);

    public Task<Reply> Put(string path, object? body, string? token) => Send(HttpMethod.Put, path, body, token);

    public Task<Reply> Patch(string path, object? body, string? token) => Send(HttpMethod.Patch, path, body, token);

    public Task<Reply> Get(string path, string? token) => Send(HttpMethod.Get, path, null, token);

    public Task<Reply> Delete(string path, string? token) => Send(HttpMethod.Delete, path, null, token);

    /// <summary>Sends a raw body exactly as given (for malformed JSON and the like).</summary>
    public async Task<Reply> SendRaw(HttpMethod method, string path, string body, string? token, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        return await Send(request, token);
    }

    public async Task<Reply> Send(HttpMethod method, string path, object? body, string? token)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType());
        }

        return await Send(request, token);
    }

    private async Task<Reply> Send(HttpRequestMessage request, string? token)
    {
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var cancellation = TestContext.Current.CancellationToken;
        using var response = await Http.SendAsync(request, cancellation);
        var text = await response.Content.ReadAsStringAsync(cancellation);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var isJson = mediaType is not null && mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase);
        return new Reply(response.StatusCode, mediaType, text.Length > 0 && isJson ? JsonNode.Parse(text) : null)
        {
            Text = text,
            Location = response.Headers.Location,
            RetryAfter = response.Headers.RetryAfter?.ToString(),
        };
    }

    /// <summary>Creates an account on the given plan (wallets enabled when the plan allows) and returns it with its admin's token.</summary>
    public async Task<Account> CreateAccount(string plan = "Plus", bool enableWallets = true)
    {
        var created = await Post("/api/v1/accounts", new { name = "Acme " + Guid.NewGuid().ToString("N")[..6], plan }, OperatorToken);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var account = new Account(this, created.Id, created.Json!["adminToken"]!.GetValue<string>(), Guid.Parse(created.Json!["adminUserId"]!.GetValue<string>()));
        if (enableWallets)
        {
            var enabled = await Put("/api/v1/settings/wallets", new { enabled = true, restrictContactAccess = false }, account.AdminToken);
            Assert.Equal(HttpStatusCode.OK, enabled.Status);
        }

        return account;
    }

    public void Dispose() => Http.Dispose();
}

/// <summary>An answer: status, media type and parsed JSON body (null when empty).</summary>
public sealed record Reply(HttpStatusCode Status, string? MediaType, JsonNode? Json)
{
    /// <summary>The raw body, whatever its media type.</summary>
    public string Text { get; init; } = "";

    /// <summary>The <c>Location</c> header, if any.</summary>
    public Uri? Location { get; init; }

    /// <summary>The <c>Retry-After</c> header, if any.</summary>
    public string? RetryAfter { get; init; }

    public Guid Id => Guid.Parse(Json!["id"]!.GetValue<string>());

    /// <summary>A string field of the JSON body (null when absent or null).</summary>
    public string? this[string field] => Json?[field]?.GetValue<string>();

    /// <summary>The stable error code of a problem answer.</summary>
    public string? Code => Json?["code"]?.GetValue<string>();

    public bool IsProblem => MediaType == "application/problem+json";

    public override string ToString() => $"{(int)Status} {Json?.ToJsonString()}";
}

/// <summary>An account created for one test, with helpers for its users, teams and wallets.</summary>
public sealed record Account(Api Api, Guid Id, string AdminToken, Guid AdminUserId)
{
    public async Task<(Guid Id, string Token)> CreateUser(string name = "Ana", string profile = "Agent")
    {
        var user = await Api.Post("/api/v1/users", new { name, profile, availability = "Available" }, AdminToken);
        Assert.Equal(HttpStatusCode.Created, user.Status);
        return (user.Id, user.Json!["token"]!.GetValue<string>());
    }

    public async Task<Guid> CreateTeam(params Guid[] agents)
    {
        var team = await Api.Post("/api/v1/teams", new
        {
            name = "Sales",
            members = agents.Select(a => new { userId = a, isAgent = true, isSupervisor = false }),
            distribution = new { strategy = "roundRobin" },
        }, AdminToken);
        Assert.Equal(HttpStatusCode.Created, team.Status);
        return team.Id;
    }

    public Task<Reply> CreateWallet(object body) => Api.Post("/api/v1/wallets", body, AdminToken);

    /// <summary>Creates a wallet of the given name and type served by one team and its responsible users.</summary>
    public Task<Reply> CreateWallet(string name, Guid team, Guid[] users, string type = "Single", string? timeLimit = null) =>
        CreateWallet(new { name, type, timeLimit, teams = new[] { new { teamId = team, userIds = users } } });

    /// <summary>A user and a team holding them, ready to be named by wallets.</summary>
    public async Task<(Guid User, Guid Team)> CreateCrew(string userName = "Ana")
    {
        var (user, _) = await CreateUser(userName);
        return (user, await CreateTeam(user));
    }

    /// <summary>How many wallets the account's list reports.</summary>
    public async Task<int> WalletCount()
    {
        var list = await Get("/api/v1/wallets?pageSize=100");
        Assert.Equal(HttpStatusCode.OK, list.Status);
        return list.Json!["totalItems"]!.GetValue<int>();
    }

    // Calls made as this account's first admin.
    public Task<Reply> Get(string path) => Api.Get(path, AdminToken);

    public Task<Reply> Post(string path, object? body) => Api.Post(path, body, AdminToken);

    public Task<Reply> Put(string path, object? body) => Api.Put(path, body, AdminToken);

    public Task<Reply> Patch(string path, object? body) => Api.Patch(path, body, AdminToken);

    public Task<Reply> Delete(string path) => Api.Delete(path, AdminToken);

    public Task<Reply> SendRaw(HttpMethod method, string path, string body, string contentType = "application/json") =>
        Api.SendRaw(method, path, body, AdminToken, contentType);
}
