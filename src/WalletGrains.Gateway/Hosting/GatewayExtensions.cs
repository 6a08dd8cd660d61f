using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;
using WalletGrains.Gateway.Endpoints;
using WalletGrains.ServiceDefaults;

namespace WalletGrains.Gateway.Hosting;

/// <summary>Wires the HTTP gateway: JSON, problems, auth, rate limits, OpenAPI, and the endpoint groups.</summary>
public static class GatewayExtensions
{
    public static TBuilder AddWalletGrainsGateway<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;
        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<GatewayOptions>>((kestrel, gateway) =>
            kestrel.Limits.MaxRequestBodySize = gateway.Value.MaxRequestBodyBytes);

        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
            json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            json.SerializerOptions.AllowDuplicateProperties = false;
        });
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = Problem.Customize);
        services.AddExceptionHandler<GatewayExceptionHandler>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TokenCache>();
        services.AddAuthentication(WalletClaims.Scheme)
            .AddScheme<AuthenticationSchemeOptions, BearerAuthenticationHandler>(WalletClaims.Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(WalletClaims.OperatorPolicy, p => p.RequireClaim(WalletClaims.Operator))
            .AddPolicy(WalletClaims.UserPolicy, p => p.RequireClaim(WalletClaims.Account).RequireAssertion(c => !c.User.IsBlocked()))
            .AddPolicy(WalletClaims.AdminPolicy, p => p.RequireClaim(WalletClaims.Profile, nameof(UserProfile.Admin)).RequireAssertion(c => !c.User.IsBlocked()));

        services.AddRateLimiter(limiter => limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests);

        // The limit is read once, not from each request's services: asking a request for its services makes it a
        // dependency-injection scope of its own, which the route's fast path otherwise never needs.
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<GatewayOptions>>((limiter, gateway) =>
        {
            var perSecond = gateway.Value.RateLimitPerSecond;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                // Partitioned by the authenticated user (or the operator); requests whose token did not
                // authenticate share their client address's budget, so made-up tokens cannot dodge the limit.
                var key = context.User.FindFirst(WalletClaims.User)?.Value
                    ?? (context.User.HasClaim(c => c.Type == WalletClaims.Operator) ? "operator" : null)
                    ?? "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
                return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = perSecond,
                    TokensPerPeriod = perSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            limiter.OnRejected = async (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "1";
                await Problem.Write(context.HttpContext, StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited, "Too many requests for this token; retry after a second.");
            };
        });

        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "WalletGrains API";
            document.Info.Description = "Contact wallets for chat platforms: sticky ownership, expiry and routing.";
            return Task.CompletedTask;
        }));
        return builder;
    }

    public static WebApplication MapWalletGrainsApi(this WebApplication app)
    {
        JsonPatch.Configure(app.Services);
        app.UseExceptionHandler();
        app.UseMiddleware<RouteFastPath>();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();

        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference("/docs", o => o.WithTitle("WalletGrains API").WithOpenApiRoutePattern("/openapi/{documentName}.json")).AllowAnonymous();
        app.MapGet("/", () => TypedResults.Redirect("/docs")).ExcludeFromDescription().AllowAnonymous();

        // Liveness and latency probe: the whole HTTP pipeline above (problems, auth, rate limits, telemetry) and no grain
        // call, so its latency is the gateway's own and its throughput is the ceiling the API is benchmarked against.
        app.MapGet("/ping", () => "pong").AllowAnonymous().WithTags("Health")
            .WithSummary("Liveness and latency probe: answers 200 text/plain \"pong\" without a token or a grain call.")
            .Produces<string>(contentType: "text/plain");

        var api = app.MapGroup("/api/v1");
        api.MapAccounts();
        api.MapUsers();
        api.MapTeams();
        api.MapWallets();
        api.MapWalletContacts();
        api.MapContacts();
        api.MapWebhooks();
        api.MapImports();
        app.MapHelenaPortfolio();
        return app;
    }
}
