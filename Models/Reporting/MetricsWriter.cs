using System.Globalization;
using System.Text;
using System.Text.Json;
using AutoGrad.Models.IO;

namespace AutoGrad.Models.Reporting;

/// <summary>
/// Writes per-epoch metrics as CSV (for spreadsheets and the report) and JSON (to resume training), both with
/// the columns <c>epoch,train_loss,train_accuracy,val_loss,val_accuracy,lr,seconds</c>, atomically.
/// </summary>
public static class MetricsWriter
{
    /// <summary>The CSV header line, also the JSON key order.</summary>
    public const string CsvHeader = "epoch,train_loss,train_accuracy,val_loss,val_accuracy,lr,seconds";

    /// <summary>
    /// Writes one CSV line per row in invariant culture with round-trip precision; a missing validation value is
    /// an empty field and a diverged loss is written as <c>NaN</c> or <c>Infinity</c>.
    /// </summary>
    public static void WriteCsv(string path, IReadOnlyList<EpochMetrics> rows)
    {
        CheckRows(path, rows);
        var text = new StringBuilder(CsvHeader).Append('\n');
        foreach (EpochMetrics row in rows)
        {
            text.Append(row.Epoch.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(Format(row.TrainLoss)).Append(',')
                .Append(Format(row.TrainAccuracy)).Append(',')
                .Append(row.ValLoss is double vl ? Format(vl) : "").Append(',')
                .Append(row.ValAccuracy is double va ? Format(va) : "").Append(',')
                .Append(Format(row.LearningRate)).Append(',')
                .Append(Format(row.Seconds)).Append('\n');
        }
        AtomicFile.WriteAllText(path, text.ToString());
    }

    /// <summary>
    /// Writes a JSON array with one object per row and the same snake_case keys as the CSV. Missing validation
    /// values are <c>null</c>; JSON has no NaN, so non-finite numbers are written as the strings
    /// <c>"NaN"</c>, <c>"Infinity"</c> and <c>"-Infinity"</c>, which <see cref="ReadJson"/> accepts.
    /// </summary>
    public static void WriteJson(string path, IReadOnlyList<EpochMetrics> rows)
    {
        CheckRows(path, rows);
        AtomicFile.WriteAllText(path, ToJson(rows));
    }

    /// <summary>The JSON text <see cref="WriteJson"/> writes (also embedded in checkpoints for resume).</summary>
    public static string ToJson(IReadOnlyList<EpochMetrics> rows)
    {
        CheckRows("metrics", rows);
        using var stream = new MemoryStream();
        {
            using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            json.WriteStartArray();
            foreach (EpochMetrics row in rows)
            {
                json.WriteStartObject();
                json.WriteNumber("epoch", row.Epoch);
                WriteNumber(json, "train_loss", row.TrainLoss);
                WriteNumber(json, "train_accuracy", row.TrainAccuracy);
                WriteNumber(json, "val_loss", row.ValLoss);
                WriteNumber(json, "val_accuracy", row.ValAccuracy);
                WriteNumber(json, "lr", row.LearningRate);
                WriteNumber(json, "seconds", row.Seconds);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Parses JSON written by <see cref="ToJson"/>; <paramref name="source"/> names it in errors.</summary>
    public static IReadOnlyList<EpochMetrics> ParseJson(string json, string source) => MetricsJsonReader.Parse(Encoding.UTF8.GetBytes(json), source);

    /// <summary>
    /// Reads a file written by <see cref="WriteJson"/>, e.g. to resume training. Unknown keys are ignored so that
    /// newer files still load; missing or mistyped required keys raise <see cref="AutoGradException"/>.
    /// </summary>
    public static IReadOnlyList<EpochMetrics> ReadJson(string path) => MetricsJsonReader.Read(path);

    private static void CheckRows(string path, IReadOnlyList<EpochMetrics> rows)
    {
        if (rows is null)
            throw new AutoGradException($"{path}: expected a list of epoch metrics, got null");
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows[i] is null)
                throw new AutoGradException($"{path}: metrics row {i} is null");
        }
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static void WriteNumber(Utf8JsonWriter json, string key, double? value)
    {
        if (value is not double v)
            json.WriteNull(key);
        else if (double.IsFinite(v))
            json.WriteNumber(key, v);
        else
            json.WriteString(key, Format(v));
    }
}
