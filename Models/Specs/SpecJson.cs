using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AutoGrad.Models.Specs;

/// <summary>
/// Reads and writes model specs as JSON. Reading is strict: unknown keys, wrong types and missing fields
/// are errors that name the source, the layer (index and name) and what was expected.
/// </summary>
public static class SpecJson
{
    private static readonly HashSet<string> LayerKeys = ["type", "name", "out", "kernel", "stride", "padding", "p", "slope", "init", "bias"];

    public static string Write(ModelSpec spec)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("name", spec.Name);
            if (spec.Description is not null) w.WriteString("description", spec.Description);
            w.WriteStartArray("input");
            foreach (int d in spec.Input) w.WriteNumberValue(d);
            w.WriteEndArray();
            w.WriteStartArray("layers");
            foreach (var l in spec.Layers) WriteLayer(w, l);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteLayer(Utf8JsonWriter w, LayerSpec l)
    {
        w.WriteStartObject();
        w.WriteString("type", l.Type);
        if (l.Name is not null) w.WriteString("name", l.Name);
        if (l.Out == LayerSpec.Classes) w.WriteString("out", "classes");
        else if (l.Out is int o) w.WriteNumber("out", o);
        if (l.Kernel is int k) w.WriteNumber("kernel", k);
        if (l.Stride is int s) w.WriteNumber("stride", s);
        if (l.Padding is int p) w.WriteNumber("padding", p);
        if (l.P is double prob) w.WriteNumber("p", prob);
        if (l.Slope is double slope) w.WriteNumber("slope", slope);
        if (l.Init is not null) w.WriteString("init", l.Init);
        if (l.Bias is bool b) w.WriteBoolean("bias", b);
        w.WriteEndObject();
    }

    public static ModelSpec ReadFile(string path)
    {
        if (!File.Exists(path)) throw new AutoGradException($"{path}: model spec file not found");
        var info = new FileInfo(path);
        if (info.Length > 1 << 20) throw new AutoGradException($"{path}: model spec is {info.Length:N0} bytes; expected a JSON file under 1 MB");
        return Parse(File.ReadAllText(path), path);
    }

    public static ModelSpec Parse(string json, string source)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 }); }
        catch (JsonException e) { throw new AutoGradException($"{source}: not valid JSON (line {e.LineNumber + 1}): {FirstLine(e.Message)}"); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new AutoGradException($"{source}: expected a JSON object with name, input and layers");
            foreach (var p in root.EnumerateObject())
                if (p.Name is not ("name" or "description" or "input" or "layers"))
                    throw new AutoGradException($"{source}: unknown key '{p.Name}' (expected name, description, input, layers)");
            string name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : Path.GetFileNameWithoutExtension(source);
            string? description = root.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            if (!root.TryGetProperty("input", out var input) || input.ValueKind != JsonValueKind.Array)
                throw new AutoGradException($"{source}: missing \"input\": expected [channels, height, width] or [features]");
            var dims = input.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int v) && v > 0 ? v : -1).ToArray();
            if (dims.Length is not (1 or 3) || dims.Any(v => v <= 0 || v > 8192))
                throw new AutoGradException($"{source}: \"input\" must be [channels, height, width] or [features] with positive sizes up to 8192, got {input.GetRawText()}");
            if (!root.TryGetProperty("layers", out var layers) || layers.ValueKind != JsonValueKind.Array || layers.GetArrayLength() == 0)
                throw new AutoGradException($"{source}: missing \"layers\": expected a non-empty array of layer objects");
            var list = new List<LayerSpec>();
            int index = 0;
            foreach (var layer in layers.EnumerateArray()) list.Add(ReadLayer(layer, source, ++index));
            return new ModelSpec { Name = name, Description = description, Input = dims, Layers = list };
        }
    }

    private static LayerSpec ReadLayer(JsonElement e, string source, int index)
    {
        string where = $"{source}: layer {index}";
        if (e.ValueKind != JsonValueKind.Object) throw new AutoGradException($"{where}: expected an object like {{\"type\": \"conv2d\", \"out\": 6, \"kernel\": 5}}");
        if (e.TryGetProperty("name", out var nm) && nm.ValueKind == JsonValueKind.String) where += $" ({nm.GetString()})";
        foreach (var p in e.EnumerateObject())
            if (!LayerKeys.Contains(p.Name)) throw new AutoGradException($"{where}: unknown key '{p.Name}' (expected one of {string.Join(", ", LayerKeys)})");
        if (!e.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            throw new AutoGradException($"{where}: missing \"type\" (one of {string.Join(", ", LayerTypes.All)})");
        string t = type.GetString()!;
        if (!LayerTypes.All.Contains(t)) throw new AutoGradException($"{where}: unknown layer type '{t}' (expected one of {string.Join(", ", LayerTypes.All)})");
        int? Int(string key)
        {
            if (!e.TryGetProperty(key, out var v)) return null;
            if (key == "out" && v.ValueKind == JsonValueKind.String && v.GetString() == "classes") return LayerSpec.Classes;
            if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i) && i >= 0) return i;
            throw new AutoGradException($"{where}: \"{key}\" must be a non-negative integer{(key == "out" ? " or \"classes\"" : "")}, got {v.GetRawText()}");
        }
        double? Real(string key)
        {
            if (!e.TryGetProperty(key, out var v)) return null;
            if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double x) && double.IsFinite(x)) return x;
            throw new AutoGradException($"{where}: \"{key}\" must be a number, got {v.GetRawText()}");
        }
        string? Text(string key)
        {
            if (!e.TryGetProperty(key, out var v)) return null;
            if (v.ValueKind == JsonValueKind.String) return v.GetString();
            throw new AutoGradException($"{where}: \"{key}\" must be a string, got {v.GetRawText()}");
        }
        bool? Flag(string key)
        {
            if (!e.TryGetProperty(key, out var v)) return null;
            if (v.ValueKind is JsonValueKind.True or JsonValueKind.False) return v.GetBoolean();
            throw new AutoGradException($"{where}: \"{key}\" must be true or false, got {v.GetRawText()}");
        }
        return new LayerSpec
        {
            Type = t, Name = Text("name"), Out = Int("out"), Kernel = Int("kernel"), Stride = Int("stride"), Padding = Int("padding"),
            P = Real("p"), Slope = Real("slope"), Init = Text("init"), Bias = Flag("bias"),
        };
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    internal static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
