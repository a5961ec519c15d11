using System.Text.Encodings.Web;
using System.Text.Json;

namespace AutoGrad.Cli.Commands;

internal static class Output
{
    public static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string ToJson(object value) => JsonSerializer.Serialize(value, Json);
}
