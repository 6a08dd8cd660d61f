using PeerGateway;
using StackExchange.Redis;
using WalletGrains.ServiceDefaults;

// The design most teams would build instead of actors: a stateless gateway in front of Redis, one Lua script per route.
// Same Kestrel defaults, server GC and telemetry as the WalletGrains gateway; the bearer token is one dictionary lookup.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddOptions<PeerOptions>().BindConfiguration(PeerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
var options = builder.Configuration.GetSection(PeerOptions.Section).Get<PeerOptions>() ?? new PeerOptions();

var redis = await ConnectionMultiplexer.ConnectAsync(options.Store);
var script = await OwnerScript.Load(redis, options.OwnerSeconds);
var tokens = new Dictionary<string, Guid>(StringComparer.Ordinal) { [options.Token] = Guid.NewGuid() };
var users = Enumerable.Range(0, options.Users).Select(_ => Guid.NewGuid()).ToArray();
var turn = 0L;

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGet("/ping", () => "pong");
app.MapPost("/api/v1/conversations/route", async (RouteBody body, HttpRequest request) =>
{
    string? header = request.Headers.Authorization;
    if (header is null || !header.StartsWith("Bearer ", StringComparison.Ordinal) || !tokens.ContainsKey(header[7..]))
    {
        return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "A valid bearer token is required.");
    }

    var candidate = users[(int)((ulong)Interlocked.Increment(ref turn) % (ulong)users.Length)];
    var (owner, reason) = await script.Route(body.ContactId, candidate);
    return Results.Ok(new RouteAnswer(reason, Guid.Parse(owner)));
});

app.Lifetime.ApplicationStopped.Register(redis.Dispose);
await app.RunAsync();

/// <summary>Body of a route request, as the WalletGrains API takes it.</summary>
internal sealed record RouteBody(Guid ContactId);

/// <summary>The peer's decision: the owner, and whether it was sticky or just assigned.</summary>
internal sealed record RouteAnswer(string Reason, Guid UserId);
