using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace WalletGrains.Gateway.Problems;

/// <summary>The one place where domain errors and HTTP failures become RFC 9457 problem responses.</summary>
public static class Problem
{
    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Invalid => StatusCodes.Status400BadRequest,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static ProblemHttpResult From(DomainError error) => From(error, StatusOf(error.Kind));

    /// <summary>The problem for an error whose status its kind does not tell (a file too large, a media type refused).</summary>
    public static ProblemHttpResult From(DomainError error, int status)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = error.Code };
        if (error.Fields is not null)
        {
            extensions["errors"] = error.Fields;
        }

        return TypedResults.Problem(detail: error.Message, statusCode: status, extensions: extensions);
    }

    /// <summary>Writes a problem outside an endpoint (authentication, rate limiting, exception handling).</summary>
    public static async Task Write(HttpContext context, int status, string code, string detail)
    {
        context.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Detail = detail };
        problem.Extensions["code"] = code;
        var writer = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        if (!await writer.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }))
        {
            // The client's Accept header matched no writer; a problem is still a problem.
            Customize(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
            await context.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
        }
    }

    /// <summary>Adds the trace id and, where missing, a code to every problem the service writes.</summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Instance ??= context.HttpContext.Request.Path;
        problem.Extensions["traceId"] = Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
        if (!problem.Extensions.ContainsKey("code"))
        {
            problem.Extensions["code"] = problem.Status switch
            {
                StatusCodes.Status404NotFound => "request.not_found",
                StatusCodes.Status405MethodNotAllowed => "request.method_not_allowed",
                StatusCodes.Status413PayloadTooLarge => ErrorCodes.RequestTooLarge,
                StatusCodes.Status415UnsupportedMediaType => "request.unsupported_media_type",
                StatusCodes.Status401Unauthorized => ErrorCodes.Unauthenticated,
                StatusCodes.Status403Forbidden => ErrorCodes.Forbidden,
                _ => problem.Status >= 500 ? ErrorCodes.Internal : ErrorCodes.RequestMalformed,
            };
        }
    }
}

/// <summary>Turns grain results into HTTP results.</summary>
public static class ResultHttpExtensions
{
    public static IResult ToHttp<T>(this Result<T> result, Func<T, IResult> onSuccess) =>
        result.IsSuccess ? onSuccess(result.Value!) : Problem.From(result.Error!);

    public static IResult ToOk<T>(this Result<T> result) => result.ToHttp(value => TypedResults.Ok(value));

    public static IResult ToNoContent(this Result<Done> result) => result.ToHttp(_ => TypedResults.NoContent());
}
