using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace WalletGrains.Gateway.Endpoints;

/// <summary>
/// Reads a PATCH body as merge-patch: the fields present, and which of them were sent as null (to clear).
/// Plain deserialization cannot tell an absent field from a null one.
/// </summary>
internal static class JsonPatch
{
    private static JsonSerializerOptions? s_options;

    public static void Configure(IServiceProvider services) =>
        s_options = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;

    public static (T Value, IReadOnlySet<string> Cleared) Read<T>(JsonObject body)
    {
        var value = body.Deserialize<T>(s_options) ?? throw new JsonException("The body must be a JSON object.");
        var cleared = body.Where(p => p.Value is null)
            .Select(p => p.Key.Length == 0 ? p.Key : char.ToLowerInvariant(p.Key[0]) + p.Key[1..])
            .ToHashSet(StringComparer.Ordinal);
        return (value, cleared);
    }
}
