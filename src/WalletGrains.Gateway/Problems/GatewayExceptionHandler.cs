using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace WalletGrains.Gateway.Problems;

/// <summary>
/// Maps what escapes an endpoint to a problem: unreadable requests to 400/413, an unreachable cluster
/// to 503 (safe to retry: nothing was acknowledged), anything else to 500 without internals.
/// </summary>
internal sealed partial class GatewayExceptionHandler(ILogger<GatewayExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, detail) = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                (StatusCodes.Status413PayloadTooLarge, ErrorCodes.RequestTooLarge, "The request body is larger than this endpoint accepts."),
            BadHttpRequestException { InnerException: JsonException json } => (StatusCodes.Status400BadRequest, ErrorCodes.RequestMalformed, Describe(json)),
            BadHttpRequestException bad => (bad.StatusCode, ErrorCodes.RequestMalformed, bad.Message),
            JsonException json => (StatusCodes.Status400BadRequest, ErrorCodes.RequestMalformed, Describe(json)),
            _ when IsUnavailable(exception) =>
                (StatusCodes.Status503ServiceUnavailable, ErrorCodes.ClusterUnavailable, "The cluster or its store did not answer; the request may be retried."),
            _ => (StatusCodes.Status500InternalServerError, ErrorCodes.Internal, "An unexpected error occurred."),
        };

        if (status >= 500)
        {
            LogFailure(logger, exception, context.Request.Method, context.Request.Path);
        }

        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = "1";
        }

        await Problem.Write(context, status, code, detail);
        return true;
    }

    /// <summary>
    /// A silo, the cluster or the shared store failed: Orleans' own errors (a storage provider's failure arrives
    /// wrapped in one), timeouts, and Redis connection errors, however deeply wrapped. Nothing was acknowledged, and the
    /// grains drop what a failed call changed in memory, so retrying is safe.
    /// </summary>
    private static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is OrleansException or TimeoutException or StackExchange.Redis.RedisException)
            {
                return true;
            }
        }

        return exception is AggregateException aggregate && aggregate.InnerExceptions.Any(IsUnavailable);
    }

    private static string Describe(JsonException json) =>
        json.Path is { Length: > 0 } path
            ? $"The JSON body is malformed or has a value of the wrong type at '{path}'."
            : "The JSON body is malformed.";

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {Method} {Path} failed")]
    private static partial void LogFailure(ILogger logger, Exception exception, string method, PathString path);
}
