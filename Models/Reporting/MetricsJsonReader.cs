using System.Globalization;
using System.Text.Json;

namespace AutoGrad.Models.Reporting;

/// <summary>Parses and validates the metrics JSON written by <see cref="MetricsWriter.WriteJson"/>.</summary>
internal static class MetricsJsonReader
{
    /// <summary>Reads every row of <paramref name="path"/>, raising <see cref="AutoGradException"/> on any fault.</summary>
    public static IReadOnlyList<EpochMetrics> Read(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new AutoGradException("MetricsWriter.ReadJson: expected a file path, got an empty one");
        if (!File.Exists(path))
            throw new AutoGradException($"{path}: metrics file not found");
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AutoGradException($"{path}: cannot read metrics file ({e.GetType().Name})");
        }
        return Parse(bytes, path);
    }

    /// <summary>Parses metrics JSON; <paramref name="path"/> names the source in errors.</summary>
    public static IReadOnlyList<EpochMetrics> Parse(byte[] bytes, string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new AutoGradException($"{path}: not valid JSON (line {(e.LineNumber ?? 0) + 1})");
        }
        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
                throw new AutoGradException($"{path}: expected a JSON array of epoch objects, got {root.ValueKind}");
            var rows = new List<EpochMetrics>(root.GetArrayLength());
            foreach (JsonElement item in root.EnumerateArray())
                rows.Add(ReadRow(path, rows.Count, item));
            return rows;
        }
    }

    private static EpochMetrics ReadRow(string path, int index, JsonElement item)
    {
        string where = $"{path}: row {index}";
        if (item.ValueKind != JsonValueKind.Object)
            throw new AutoGradException($"{where}: expected an object, got {item.ValueKind}");
        if (!item.TryGetProperty("epoch", out JsonElement epoch) || epoch.ValueKind != JsonValueKind.Number
            || !epoch.TryGetInt32(out int epochNumber))
            throw new AutoGradException($"{where}: 'epoch' must be an integer");
        return new EpochMetrics(
            epochNumber,
            Required(item, "train_loss", where),
            Required(item, "train_accuracy", where),
            Optional(item, "val_loss", where),
            Optional(item, "val_accuracy", where),
            Required(item, "lr", where),
            Required(item, "seconds", where));
    }

    private static double Required(JsonElement item, string key, string where) =>
        Optional(item, key, where) ?? throw new AutoGradException($"{where}: '{key}' is required");

    private static double? Optional(JsonElement item, string key, string where)
    {
        if (!item.TryGetProperty(key, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double number))
            return number;
        // Non-finite values are written as strings because JSON numbers cannot hold them.
        if (value.ValueKind == JsonValueKind.String
            && value.GetString() is "NaN" or "Infinity" or "-Infinity")
            return double.Parse(value.GetString()!, CultureInfo.InvariantCulture);
        throw new AutoGradException($"{where}: '{key}' must be a number, got {value.ValueKind}");
    }
}
