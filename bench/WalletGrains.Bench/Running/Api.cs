using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WalletGrains.Bench.Running;

/// <summary>The API over HTTP for seeding: JSON in and out, a bearer token per call, and a clear error on any other status.</summary>
internal sealed class Api(HttpClient http)
{
    public static Api For(Uri address) => new(new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 })
    {
        BaseAddress = address,
        Timeout = TimeSpan.FromSeconds(60),
    });

    public async Task<JsonNode?> Send(HttpMethod method, string path, object? body, string token, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType());
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}, not {(int)expected}: {text}");
        }

        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    /// <summary>Posts a CSV file; expects 202 Accepted.</summary>
    public async Task<JsonNode?> PostCsv(string path, byte[] csv, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(csv) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return response.StatusCode == HttpStatusCode.Accepted
            ? JsonNode.Parse(text)
            : throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}, not 202: {text}");
    }

    public Task<JsonNode?> Post(string path, object body, string token, HttpStatusCode expected = HttpStatusCode.OK) =>
        Send(HttpMethod.Post, path, body, token, expected);

    /// <summary>Answers once <c>/health/ready</c> answers 200, or fails after <paramref name="timeout"/>.</summary>
    public async Task WaitUntilReady(TimeSpan timeout, Func<bool> exited, string path = "/health/ready")
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout && !exited())
        {
            try
            {
                using var ready = await http.GetAsync(path);
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw exited()
            ? new InvalidOperationException($"{http.BaseAddress} stopped before it answered {path}.")
            : new TimeoutException($"{http.BaseAddress} did not answer {path} within {timeout}.");
    }

    public static Guid Id(JsonNode? node) => node!["id"]!.GetValue<Guid>();

    public static string Text(JsonNode? node, string property) => node![property]!.GetValue<string>();
}

/// <summary>The benchmark's account, made over the API: an admin, agents in one team, and an automatic Single wallet.</summary>
internal sealed record HttpTenant(string AdminToken, IReadOnlyList<Guid> Agents, Guid TeamId, Guid WalletId, string WalletName)
{
    public static async Task<HttpTenant> Create(Api api, string operatorToken, int agents)
    {
        var account = await api.Post("/api/v1/accounts", new { name = "Benchmark", plan = "Plus" }, operatorToken, HttpStatusCode.Created);
        var admin = Api.Text(account, "adminToken");
        await api.Send(HttpMethod.Put, "/api/v1/settings/wallets", new { enabled = true, restrictContactAccess = false }, admin, HttpStatusCode.OK);

        var users = new List<Guid>();
        for (var i = 0; i < agents; i++)
        {
            users.Add(Api.Id(await api.Post("/api/v1/users",
                new { name = $"Agent {i + 1}", profile = "Agent", availability = "Available" }, admin, HttpStatusCode.Created)));
        }

        var team = Api.Id(await api.Post("/api/v1/teams", new
        {
            name = "Sales",
            members = users.Select(u => new { userId = u, isAgent = true }),
            distribution = new { strategy = "roundRobin" },
        }, admin, HttpStatusCode.Created));

        const string walletName = "Sales (automatic)";
        var wallet = Api.Id(await api.Post("/api/v1/wallets", new
        {
            name = walletName,
            type = "Single",
            automaticAttribution = true,
            timeLimit = "P6M",
            teams = new[] { new { teamId = team, userIds = users } },
        }, admin, HttpStatusCode.Created));

        return new HttpTenant(admin, users, team, wallet, walletName);
    }
}
