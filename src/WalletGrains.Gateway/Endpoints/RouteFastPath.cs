using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using WalletGrains.Abstractions.Routing;
using WalletGrains.Gateway.Auth;
using WalletGrains.Gateway.Hosting;

namespace WalletGrains.Gateway.Endpoints;

/// <summary>
/// Answers the hottest request, <c>POST /api/v1/conversations/route</c>, in its common shape without the general
/// pipeline: a user token this gateway already knows (<see cref="TokenCache"/>), an active user of an account, a small
/// JSON body naming a contact, a rate-limit permit. It applies the same rules as the endpoint it stands in front of —
/// the same cache, policy, rate limiter, JSON options, grain call and result mapping — and hands every other request,
/// untouched and with none of its body consumed, to the general pipeline, which answers the problems (unknown token,
/// blocked user, malformed body, limit reached).
/// </summary>
internal sealed class RouteFastPath(
    RequestDelegate next,
    TokenCache tokens,
    IGrainFactory grains,
    IOptions<JsonOptions> json,
    IOptions<RateLimiterOptions> limits,
    EndpointDataSource endpoints,
    IServiceProvider services)
{
    public const string Path = "/api/v1/conversations/route";

    // A route body is one property; a longer one is left to the general pipeline.
    private const int MaxBody = 512;

    private const string JsonContentType = "application/json; charset=utf-8";

    // An answer names at most a team's candidates; a buffer grown beyond this is not kept.
    private const int MaxKeptBody = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_body;

    private readonly JsonSerializerOptions _json = json.Value.SerializerOptions;
    private readonly JsonTypeInfo<RouteDecision> _decision = (JsonTypeInfo<RouteDecision>)json.Value.SerializerOptions.GetTypeInfo(typeof(RouteDecision));
    private readonly JsonWriterOptions _writer = new() { Encoder = json.Value.SerializerOptions.Encoder, Indented = json.Value.SerializerOptions.WriteIndented };
    private readonly RateLimiterOptions _limits = limits.Value;
    private readonly PartitionedRateLimiter<HttpContext>? _limiter = limits.Value.GlobalLimiter;
    private Endpoint? _endpoint;

    // A silo in this process answers its active owned contacts' sticky routes without a grain call; a gateway-only process has none.
    private readonly ILocalRoutes? _local = services.GetService<ILocalRoutes>();

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method)
            || !string.Equals(request.Path.Value, Path, StringComparison.Ordinal)
            || request.ContentLength > MaxBody
            || !IsJson(request.ContentType)
            || Caller(request) is not { } principal)
        {
            await next(context);
            return;
        }

        var reader = request.BodyReader;

        // The whole body (with a Content-Length or chunked), or more than a route body can be.
        var read = await reader.ReadAtLeastAsync(MaxBody + 1, context.RequestAborted);
        var body = read.Buffer;
        if (!read.IsCompleted || body.Length > MaxBody || Contact(body) is not { } contact)
        {
            // Nothing consumed: the endpoint reads the same body and answers its problem.
            reader.AdvanceTo(body.Start);
            await next(context);
            return;
        }

        reader.AdvanceTo(body.End);
        context.User = principal;

        // The endpoint this stands for, so the request metrics name its route as for any other request.
        context.SetEndpoint(_endpoint ??= endpoints.Endpoints.OfType<RouteEndpoint>().FirstOrDefault(e =>
            e.RoutePattern.RawText == Path && e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(HttpMethods.Post) == true));
        using var permit = _limiter?.AttemptAcquire(context);
        if (permit is { IsAcquired: false })
        {
            // Refused as the rate limiter middleware refuses.
            context.Response.StatusCode = _limits.RejectionStatusCode;
            if (_limits.OnRejected is { } onRejected)
            {
                await onRejected(new OnRejectedContext { HttpContext = context, Lease = permit }, context.RequestAborted);
            }

            return;
        }

        var local = _local is null ? null : await _local.TryRoute(contact, principal.Caller);
        var decision = local is not null ? local : await grains.ByGuid<IContactGrain>(contact).Route(principal.Caller);
        if (decision.IsSuccess)
        {
            await Write(context.Response, decision.Value!);
        }
        else
        {
            await decision.ToOk().ExecuteAsync(context);
        }
    }

    // What the endpoint's 200 writes (the same JSON options and content type), as one body of known length: serialized
    // into this thread's buffer, then copied into the response before anything is awaited.
    private ValueTask<FlushResult> Write(HttpResponse response, RouteDecision decision)
    {
        var buffer = t_body ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer, _writer))
        {
            JsonSerializer.Serialize(writer, decision, _decision);
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = JsonContentType;
        response.ContentLength = buffer.WrittenCount;
        response.BodyWriter.Write(buffer.WrittenSpan);
        if (buffer.Capacity > MaxKeptBody)
        {
            // An unusually long answer does not leave its buffer behind on this thread.
            t_body = null;
        }

        return response.BodyWriter.FlushAsync(response.HttpContext.RequestAborted);
    }

    private WalletPrincipal? Caller(HttpRequest request) =>
        // The endpoint's policy: an active user of an account (the operator and blocked users take the general path).
        BearerAuthenticationHandler.TryReadToken(request.Headers.Authorization, out var token)
            && tokens.TryGet(token, out var known) && known is WalletPrincipal principal && !principal.IsBlocked()
            ? principal
            : null;

    private Guid? Contact(ReadOnlySequence<byte> body)
    {
        try
        {
            var route = JsonSerializer.Deserialize<ContactEndpoints.RouteBody>(body.IsSingleSegment ? body.FirstSpan : body.ToArray(), _json);
            return route is { ContactId: var id } && id != Guid.Empty ? id : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media) && media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);
}
