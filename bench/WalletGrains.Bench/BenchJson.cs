using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WalletGrains.Bench;

/// <summary>How results travel from the benchmark's child processes to the runner and into the results file.</summary>
internal static class BenchJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Prints the result line a child process answers with.</summary>
    public static void PrintResult<T>(T result) => Console.WriteLine(Running.ChildProcess.ResultPrefix + JsonSerializer.Serialize(result, Options));

    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)
        ?? throw new InvalidOperationException($"Not a {typeof(T).Name}: {json}");
}
