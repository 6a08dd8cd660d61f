using System.Security.Claims;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using WalletGrains.Abstractions.Imports;
using WalletGrains.Gateway.Hosting;
using WalletGrains.Gateway.Imports;

namespace WalletGrains.Gateway.Endpoints;

/// <summary>CSV imports of contacts: accepted at once, applied in the background, progress readable.</summary>
internal static class ImportEndpoints
{
    public static void MapImports(this IEndpointRouteBuilder api)
    {
        var imports = api.MapGroup("/imports").WithTags("Imports").RequireAuthorization(WalletClaims.AdminPolicy);

        imports.MapPost("/", async (HttpRequest request, bool? archiveMissing, ClaimsPrincipal user, IGrainFactory grains, IOptions<GatewayOptions> options) =>
            {
                if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase)
                    || (type.Charset.HasValue && !type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
                {
                    return Problem.From(DomainError.Invalid(ErrorCodes.UnsupportedMediaType, "Send the file as text/csv in UTF-8."), StatusCodes.Status415UnsupportedMediaType);
                }

                // Files are larger than JSON bodies: this endpoint has its own limit; past it Kestrel answers 413.
                if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                {
                    limit.MaxRequestBodySize = options.Value.MaxImportBytes;
                }

                var (rows, status, error) = await ContactCsv.Read(request.Body, request.HttpContext.RequestAborted);
                if (error is not null)
                {
                    return Problem.From(error, status);
                }

                var id = Guid.CreateVersion7();
                return (await grains.GetGrain<IImportGrain>(id).Create(user.ToCaller(), new ImportFile(rows!, archiveMissing ?? false)))
                    .ToHttp(import => TypedResults.Accepted($"/api/v1/imports/{id}", import));
            })
            .Accepts<string>("text/csv")
            .WithSummary("Imports contacts from a CSV file (up to 100,000 rows): upserts by phone, joins wallets; applied in the background.")
            .WithDescription("Columns: phoneNumber or contactId, name, wallet (names separated by '|'), owner (user id or e-mail), region, revenue, "
                + "segment, importance, custom.<field>. Separator ',' or ';'. With archiveMissing=true, the account's active contacts absent from the file are archived.")
            .Produces<ImportView>(StatusCodes.Status202Accepted).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        imports.MapGet("/{id:guid}", async (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
                (await grains.GetGrain<IImportGrain>(id).Get(user.ToCaller())).ToOk())
            .WithSummary("An import's progress: state, rows read, applied and failed, throughput, and per-row errors with line numbers.")
            .Produces<ImportView>().ProducesProblem(StatusCodes.Status404NotFound);
    }
}
