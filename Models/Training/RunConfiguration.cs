using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using AutoGrad.Models.IO;

namespace AutoGrad.Models.Training;

/// <summary>
/// A run configuration as data: a JSON object whose keys are <see cref="TrainOptions"/> property names in
/// camelCase (<c>"learningRate"</c>, <c>"batchSize"</c>, <c>"warmupEpochs"</c>, …) plus <c>"model"</c> (a zoo
/// name or a spec file, relative to the configuration's folder when it exists there). Reading is strict: an
/// unknown key or a value of the wrong type is an error naming the file and the key. <see cref="Keys"/> lists the
/// property names the file set, so a caller can let its own explicit settings win over the file.
/// </summary>
public sealed record RunConfiguration(string? Model, TrainOptions Options, IReadOnlySet<string> Keys)
{
    public const string FileName = "config.json", ModelKey = "model";

    /// <summary>The settable options by camelCase key (the JSON-ignored ones, e.g. convolution, are not run settings).</summary>
    public static readonly IReadOnlyDictionary<string, PropertyInfo> Settings = typeof(TrainOptions)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanWrite && p.GetCustomAttribute<JsonIgnoreAttribute>() is not { Condition: JsonIgnoreCondition.Always })
        .ToDictionary(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name), StringComparer.Ordinal);

    /// <summary>Reads <paramref name="path"/> over <paramref name="defaults"/>.</summary>
    public static RunConfiguration Load(string path, TrainOptions defaults)
    {
        if (!File.Exists(path)) throw new AutoGradException($"`Config`: {path} not found");
        string text = File.ReadAllText(path);
        return Parse(text, path, defaults);
    }

    public static RunConfiguration Parse(string json, string source, TrainOptions defaults)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (JsonException e) { throw new AutoGradException($"{source}: not valid JSON: {e.Message.Split('\n')[0]}"); }
        using var _ = doc;
        if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new AutoGradException($"{source}: expected a JSON object of training settings");
        var options = defaults with { };
        string? model = null;
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in doc.RootElement.EnumerateObject())
        {
            string key = property.Name;
            if (key == ModelKey)
            {
                model = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()
                    : throw new AutoGradException($"{source}: \"{key}\" must be a string (a zoo name or a spec file), got {property.Value.GetRawText()}");
                string beside = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(source)) ?? ".", model!);
                if (model!.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && !Path.IsPathRooted(model) && File.Exists(beside)) model = beside;
                continue;
            }
            if (!Settings.TryGetValue(key, out var setting))
                throw new AutoGradException($"{source}: unknown key \"{key}\" (expected {ModelKey} or one of {string.Join(", ", Settings.Keys)})");
            if (!keys.Add(setting.Name)) throw new AutoGradException($"{source}: key \"{key}\" appears twice");
            setting.SetValue(options, Value(property.Value, setting.PropertyType, key, source));
        }
        return new RunConfiguration(model, options, keys);
    }

    private static object? Value(JsonElement v, Type type, string key, string source)
    {
        if (type.IsEnum)
            return v.ValueKind == JsonValueKind.String && Enum.TryParse(type, v.GetString(), ignoreCase: true, out var named) && Enum.IsDefined(type, named!) ? named
                : throw new AutoGradException($"{source}: \"{key}\" must be one of {string.Join(", ", Enum.GetNames(type))}, got {v.GetRawText()}");
        object? value = Type.GetTypeCode(Nullable.GetUnderlyingType(type) ?? type) switch
        {
            TypeCode.Int32 when v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i) => i,
            TypeCode.Double when v.ValueKind == JsonValueKind.Number => v.GetDouble(),
            TypeCode.Boolean when v.ValueKind is JsonValueKind.True or JsonValueKind.False => v.GetBoolean(),
            TypeCode.String when v.ValueKind == JsonValueKind.String => v.GetString(),
            _ => null,
        };
        return value ?? throw new AutoGradException($"{source}: \"{key}\" must be {Expected(type)}, got {v.GetRawText()}");
    }

    private static string Expected(Type type) => Type.GetTypeCode(Nullable.GetUnderlyingType(type) ?? type) switch
    {
        TypeCode.Int32 => "an integer",
        TypeCode.Double => "a number",
        TypeCode.Boolean => "true or false",
        _ => "a string",
    };

    /// <summary>
    /// The resolved configuration as this format (every setting, the folder left out so the file can start a new
    /// run): what a run folder's <c>config.json</c> holds.
    /// </summary>
    public static string Write(string? model, TrainOptions options)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            if (model is not null) w.WriteString(ModelKey, model);
            foreach (var (key, setting) in Settings)
            {
                // Unset (null) settings are left out: the file then reads back to the same defaults.
                if (setting.Name == nameof(TrainOptions.OutputDirectory) || setting.GetValue(options) is null) continue;
                // A setting saved only when set (gradient transfer) is left out at its default, as in the checkpoint.
                if (setting.GetCustomAttribute<JsonIgnoreAttribute>() is { Condition: JsonIgnoreCondition.WhenWritingDefault }
                    && Equals(setting.GetValue(options), Activator.CreateInstance(setting.PropertyType))) continue;
                w.WritePropertyName(key);
                JsonSerializer.Serialize(w, setting.GetValue(options), setting.PropertyType);
            }
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>Writes <see cref="FileName"/> into a run folder.</summary>
    public static void Save(string directory, string? model, TrainOptions options) =>
        AtomicFile.WriteAllText(Path.Combine(directory, FileName), Write(model, options));
}
