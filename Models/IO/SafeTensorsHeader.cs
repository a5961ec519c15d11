using System.Text.Json;
using System.Text.Unicode;

namespace AutoGrad.Models.IO;

/// <summary>
/// Parses and validates the JSON header of a safetensors file. Nothing here allocates in proportion to a number
/// read from the file: sizes are only compared against the real data length, so any input is handled in time and
/// memory bounded by the header's own size.
/// </summary>
internal sealed class SafeTensorsHeader
{
    private const string MetadataKey = "__metadata__";

    private SafeTensorsHeader(List<SafeTensorsEntry> entries, Dictionary<string, string> metadata)
    {
        Entries = entries;
        Metadata = metadata;
    }

    /// <summary>Tensor descriptions in header order.</summary>
    public List<SafeTensorsEntry> Entries { get; }

    /// <summary>The <c>__metadata__</c> string map, empty if the header has none.</summary>
    public Dictionary<string, string> Metadata { get; }

    /// <summary>
    /// Parses <paramref name="json"/> and checks that the tensors tile the <paramref name="dataLength"/>-byte data
    /// section exactly: no gaps, no overlaps, nothing past the end.
    /// </summary>
    public static SafeTensorsHeader Parse(string path, ReadOnlyMemory<byte> json, long dataLength)
    {
        if (!Utf8.IsValid(json.Span))
            throw new AutoGradException($"{path}: header is not valid UTF-8");
        JsonDocument document;
        try
        {
            // The schema nests three levels deep; a low limit stops hostile nesting early.
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new AutoGradException($"{path}: header is not valid JSON (byte {e.BytePositionInLine ?? 0})");
        }
        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new AutoGradException($"{path}: header must be a JSON object, got {root.ValueKind}");
            var entries = new List<SafeTensorsEntry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw new AutoGradException($"{path}: tensor '{property.Name}' appears twice in the header");
                if (property.Name == MetadataKey)
                    ReadMetadata(path, property.Value, metadata);
                else
                    entries.Add(ReadEntry(path, property.Name, property.Value));
            }
            CheckLayout(path, entries, dataLength);
            return new SafeTensorsHeader(entries, metadata);
        }
    }

    private static void ReadMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new AutoGradException($"{path}: {MetadataKey} must be an object of strings, got {value.ValueKind}");
        foreach (JsonProperty item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw new AutoGradException($"{path}: metadata '{item.Name}' must be a string, got {item.Value.ValueKind}");
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
                throw new AutoGradException($"{path}: metadata '{item.Name}' appears twice");
        }
    }

    private static SafeTensorsEntry ReadEntry(string path, string name, JsonElement value)
    {
        string where = $"{path}: tensor '{name}'";
        if (name.Length == 0)
            throw new AutoGradException($"{path}: a tensor has an empty name");
        if (value.ValueKind != JsonValueKind.Object)
            throw new AutoGradException($"{where}: expected an object with dtype, shape and data_offsets, got {value.ValueKind}");
        string? dtype = null;
        int[]? shape = null;
        long[]? offsets = null;
        foreach (JsonProperty field in value.EnumerateObject())
        {
            switch (field.Name)
            {
                case "dtype" when dtype is null:
                    dtype = field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString()! : "";
                    break;
                case "shape" when shape is null:
                    shape = ReadIntegers(field.Value, int.MaxValue, where, "shape")
                        .Select(d => (int)d).ToArray();
                    break;
                case "data_offsets" when offsets is null:
                    offsets = ReadIntegers(field.Value, long.MaxValue, where, "data_offsets");
                    break;
                default:
                    throw new AutoGradException($"{where}: unexpected or repeated key '{field.Name}' (expected dtype, shape, data_offsets)");
            }
        }
        if (dtype is null || shape is null || offsets is null)
            throw new AutoGradException($"{where}: missing {(dtype is null ? "dtype" : shape is null ? "shape" : "data_offsets")}");
        int size = TensorDType.ElementSize(dtype);
        if (size == 0)
            throw new AutoGradException($"{where}: unsupported dtype '{dtype}' (expected {TensorDType.Supported})");
        if (offsets.Length != 2 || offsets[0] > offsets[1])
            throw new AutoGradException($"{where}: data_offsets must be [begin, end] with begin <= end");
        int count = ElementCount(shape, where);
        long span = offsets[1] - offsets[0];
        if ((long)count * size != span)
            throw new AutoGradException(
                $"{where}: shape [{string.Join(", ", shape)}] needs {(long)count * size} bytes of {dtype} but data_offsets span {span}");
        return new SafeTensorsEntry(name, dtype, shape, count, offsets[0], offsets[1]);
    }

    private static long[] ReadIntegers(JsonElement value, long max, string where, string key)
    {
        if (value.ValueKind != JsonValueKind.Array)
            throw new AutoGradException($"{where}: {key} must be an array of integers, got {value.ValueKind}");
        var result = new long[value.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long n) || n < 0 || n > max)
                throw new AutoGradException($"{where}: {key}[{i}] must be an integer in 0..{max}");
            result[i++] = n;
        }
        return result;
    }

    private static int ElementCount(int[] shape, string where)
    {
        if (shape.Contains(0))
            return 0;
        long count = 1;
        foreach (int dim in shape)
        {
            // Each factor is below 2^31 and count stays below Array.MaxLength, so the product cannot overflow.
            count *= dim;
            if (count > Array.MaxLength)
                throw new AutoGradException($"{where}: shape [{string.Join(", ", shape)}] has too many elements for one array");
        }
        return (int)count;
    }

    private static void CheckLayout(string path, List<SafeTensorsEntry> entries, long dataLength)
    {
        long expected = 0;
        foreach (SafeTensorsEntry entry in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (entry.End > dataLength)
                throw new AutoGradException(
                    $"{path}: tensor '{entry.Name}': data_offsets end at {entry.End}, past the {dataLength}-byte data section");
            if (entry.Begin != expected)
                throw new AutoGradException(entry.Begin < expected
                    ? $"{path}: tensor '{entry.Name}': data_offsets [{entry.Begin}, {entry.End}] overlap the previous tensor"
                    : $"{path}: tensor '{entry.Name}': bytes {expected}..{entry.Begin} before it belong to no tensor");
            expected = entry.End;
        }
        if (expected != dataLength)
            throw new AutoGradException($"{path}: data section has {dataLength} bytes but the tensors cover only {expected}");
    }
}
