using Microsoft.AspNetCore.Mvc;
using System.Security.Claims;
using System.Text.Json.Serialization;

namespace WalletGrains.Gateway.Endpoints;

/// <summary>
/// Helena CRM's portfolio API on the same auth, so a platform integrated with Helena switches by changing its base
/// URL. Only the shapes differ from the native API; every rule is the same grain call.
/// </summary>
internal static class HelenaEndpoints
{
    private const int DefaultPageSize = 15;

    public static void MapHelenaPortfolio(this IEndpointRouteBuilder app)
    {
        var portfolio = app.MapGroup("/core/v1/portfolio").WithTags("Helena-compatible").RequireAuthorization(WalletClaims.UserPolicy);

        portfolio.MapGet("/", async ([AsParameters] PortfolioQuery query, ClaimsPrincipal user, IGrainFactory grains) =>
            {
                var caller = user.ToCaller();
                var request = new WalletListQuery(
                    new PageRequest(query.PageNumber ?? 1, query.PageSize ?? DefaultPageSize), null, caller.UserId,
                    query.OrderBy?.ToUpperInvariant() switch { "CREATEDAT" => WalletOrder.CreatedAt, "UPDATEDAT" => WalletOrder.UpdatedAt, _ => WalletOrder.Name },
                    string.Equals(query.OrderDirection, "DESCENDING", StringComparison.OrdinalIgnoreCase));
                var details = query.IncludeDetails ?? "";
                var withDepartments = details.Contains("Departments", StringComparison.OrdinalIgnoreCase);
                var withCount = details.Contains("ContactCount", StringComparison.OrdinalIgnoreCase);
                return (await grains.GetGrain<IWalletCatalogGrain>(caller.AccountId).List(caller, request)).ToHttp(page =>
                    TypedResults.Ok(new HelenaPage<Portfolio>(
                        page.PageNumber, page.PageSize, page.TotalItems, page.TotalPages, page.HasMorePages,
                        [.. page.Items.Select(w => Portfolio.From(w, withDepartments, withCount))])));
            })
            .WithSummary("Lists portfolios (wallets) in Helena's shape and paging.")
            .Produces<HelenaPage<Portfolio>>();

        portfolio.MapGet("/{id:guid}/contact", async (Guid id, int? pageNumber, int? pageSize, ClaimsPrincipal user, IGrainFactory grains) =>
                (await grains.GetGrain<IContactBatchGrain>(0).List(user.ToCaller(), id, new PageRequest(pageNumber ?? 1, pageSize ?? DefaultPageSize)))
                    .ToHttp(page => TypedResults.Ok(new HelenaPage<PortfolioContact>(
                        page.PageNumber, page.PageSize, page.TotalItems, page.TotalPages, page.HasMorePages,
                        [.. page.Items.Select(c => PortfolioContact.From(id, c))]))))
            .RequireAuthorization(WalletClaims.AdminPolicy)
            .WithSummary("Lists a portfolio's contacts in Helena's shape.")
            .Produces<HelenaPage<PortfolioContact>>();

        portfolio.MapPost("/{id:guid}/contact", async (Guid id, HelenaContactBody body, ClaimsPrincipal user, IGrainFactory grains) =>
                (await grains.GetGrain<IContactBatchGrain>(0).IncludeOne(user.ToCaller(), id, new ContactRef(body.ContactId, body.PhoneNumber), MembershipSource.Api, null))
                    .ToHttp(contact => TypedResults.Ok(PortfolioContact.From(id, contact))))
            .RequireAuthorization(WalletClaims.AdminPolicy)
            .WithSummary("Includes a contact in a portfolio (by contactId or phoneNumber).")
            .Produces<PortfolioContact>();

        portfolio.MapDelete("/{id:guid}/contact", async (Guid id, [FromBody] HelenaContactBody body, ClaimsPrincipal user, IGrainFactory grains) =>
                (await grains.GetGrain<IContactBatchGrain>(0).RemoveOne(user.ToCaller(), id, new ContactRef(body.ContactId, body.PhoneNumber)))
                    .ToHttp(_ => TypedResults.NoContent()))
            .RequireAuthorization(WalletClaims.AdminPolicy)
            .WithSummary("Removes a contact from a portfolio (by contactId or phoneNumber).")
            .Produces(StatusCodes.Status204NoContent);

        portfolio.MapPost("/{id:guid}/contact/batch", async (Guid id, HelenaBatchBody body, ClaimsPrincipal user, IGrainFactory grains) =>
                (await grains.GetGrain<IContactBatchGrain>(0).Include(user.ToCaller(), id, body.ToRefs(), MembershipSource.Api, null)).ToOk())
            .RequireAuthorization(WalletClaims.AdminPolicy)
            .WithSummary("Includes contacts in a portfolio by ids and phone numbers.")
            .Produces<IReadOnlyList<BatchItemResult>>();

        portfolio.MapDelete("/{id:guid}/contact/batch", async (Guid id, [FromBody] HelenaBatchBody body, ClaimsPrincipal user, IGrainFactory grains) =>
                (await grains.GetGrain<IContactBatchGrain>(0).Remove(user.ToCaller(), id, body.ToRefs())).ToOk())
            .RequireAuthorization(WalletClaims.AdminPolicy)
            .WithSummary("Removes contacts from a portfolio by ids and phone numbers.")
            .Produces<IReadOnlyList<BatchItemResult>>();
    }

    /// <summary>Helena's list query; query names match ignoring case, so IncludeDetails and includeDetails both work.</summary>
    internal sealed record PortfolioQuery(
        string? IncludeDetails,
        int? PageNumber,
        int? PageSize,
        string? OrderBy,
        string? OrderDirection);

    /// <summary>Helena's body naming one contact.</summary>
    internal sealed record HelenaContactBody(Guid? ContactId, string? PhoneNumber);

    /// <summary>Helena's batch body.</summary>
    internal sealed record HelenaBatchBody(IReadOnlyList<Guid>? ContactIds, IReadOnlyList<string>? PhoneNumbers)
    {
        public IReadOnlyList<ContactRef> ToRefs() =>
            [.. (ContactIds ?? []).Select(id => new ContactRef(id)), .. (PhoneNumbers ?? []).Select(phone => new ContactRef(PhoneNumber: phone))];
    }
}

/// <summary>Helena's paged answer.</summary>
public sealed record HelenaPage<T>(int PageNumber, int PageSize, int TotalItems, int TotalPages, bool HasMorePages, IReadOnlyList<T> Items);

/// <summary>Helena's portfolio DTO.</summary>
public sealed record Portfolio(
    Guid Id, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, bool Active, Guid CompanyId, string Name,
    bool AutomaticAttribution, int? ExpirationDurationInMonths, long? ContactsCount, string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<PortfolioDepartment>? Departments)
{
    public static Portfolio From(WalletView wallet, bool withDepartments, bool withCount) => new(
        wallet.Id, wallet.CreatedAt, wallet.UpdatedAt, wallet.Available, wallet.AccountId, wallet.Name,
        wallet.AutomaticAttribution, wallet.ExpirationDurationInMonths, withCount ? wallet.ContactsCount : null,
        wallet.Type == WalletType.Single ? "SINGLE" : "MULTIPLE",
        withDepartments ? [.. wallet.Teams.Select(t => new PortfolioDepartment(t.TeamId, t.UserIds ?? []))] : null);
}

/// <summary>Helena's department (team) of a portfolio, with its responsible users.</summary>
public sealed record PortfolioDepartment(Guid DepartmentId, IReadOnlyList<Guid> UserIds);

/// <summary>Helena's contact-portfolio DTO.</summary>
public sealed record PortfolioContact(Guid Id, bool Active, Guid PortfolioId, Guid ContactId, ContactView ContactDetails)
{
    public static PortfolioContact From(Guid portfolioId, ContactView contact) =>
        new(contact.Id, contact.Status == ContactStatus.Active, portfolioId, contact.Id, contact);
}
