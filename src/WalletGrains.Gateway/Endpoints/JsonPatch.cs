using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace WalletGrains.Gateway.Endpoints;

/// <summary>
/// Reads a PATCH body as merge-patch: the fields present, and which of them were sent as null (to clear).
/// Plain deserialization cannot tell an absent field from a null one. Bodies bind as <see cref="JsonElement"/>, which
/// (with duplicate properties disallowed) refuses a repeated field as malformed.
/// </summary>
internal static class JsonPatch
{
    private static JsonSerializerOptions? s_options;

    public static void Configure(IServiceProvider services) =>
        s_options = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;

    public static (T Value, IReadOnlySet<string> Cleared) Read<T>(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("The body must be a JSON object.");
        }

        var value = body.Deserialize<T>(s_options) ?? throw new JsonException("The body must be a JSON object.");
        var cleared = body.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Null)
            .Select(p => p.Name.Length == 0 ? p.Name : char.ToLowerInvariant(p.Name[0]) + p.Name[1..])
            .ToHashSet(StringComparer.Ordinal);
        return (value, cleared);
    }
}
