using System.Text;
using System.Text.Json;
using AutoGrad.Models.IO;
using AutoGrad.Models.Reporting;

namespace AutoGrad.Models.Training;

/// <summary>
/// Where a run stands: the next (epoch, batch) position, the running sums of the interrupted epoch, the
/// best accuracy so far, the finished epochs' metrics and the per-step losses. It is stored inside
/// <c>last.safetensors</c> (metadata <c>autograd.run</c>) so weights and position are written by one atomic
/// rename and can never disagree. Batches, dropout masks and augmentation derive from (seed, epoch, batch),
/// so no RNG state needs saving.
/// </summary>
public sealed record RunState(int Epoch, int Batch, double LossSum, int Correct, int Seen, double EpochSeconds,
    double BestAccuracy, IReadOnlyList<EpochMetrics> Metrics, IReadOnlyList<double> StepLosses)
{
    public const string MetadataKey = "autograd.run";

    public static RunState Start => new(0, 0, 0, 0, 0, 0, 0, [], []);

    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteNumber("epoch", Epoch);
            w.WriteNumber("batch", Batch);
            w.WriteNumber("loss_sum", LossSum);
            w.WriteNumber("correct", Correct);
            w.WriteNumber("seen", Seen);
            w.WriteNumber("best_accuracy", BestAccuracy);
            w.WritePropertyName("metrics");
            // Wall-clock seconds stay out of the checkpoint so equal runs give byte-identical files; a resume
            // takes them from metrics.json, a derived output.
            w.WriteRawValue(MetricsWriter.ToJson(Metrics.Select(m => m with { Seconds = 0 }).ToList()));
            w.WriteStartArray("step_losses");
            foreach (double l in StepLosses) w.WriteNumberValue(l);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Reads the run state stored in a checkpoint written by <c>autograd train</c>.</summary>
    public static RunState FromCheckpoint(Checkpoint checkpoint, string source, IReadOnlyList<EpochMetrics>? timings = null)
    {
        if (!checkpoint.Metadata.TryGetValue(MetadataKey, out var json))
            throw new AutoGradException($"{source}: metadata '{MetadataKey}' is missing; not a checkpoint autograd train can resume");
        try
        {
            using var doc = JsonDocument.Parse(json);
            var r = doc.RootElement;
            var metrics = MetricsWriter.ParseJson(r.GetProperty("metrics").GetRawText(), $"{source} ({MetadataKey})")
                .Select((m, i) => timings is not null && i < timings.Count && timings[i].Epoch == m.Epoch ? m with { Seconds = timings[i].Seconds } : m).ToList();
            var losses = r.GetProperty("step_losses").EnumerateArray().Select(e => e.GetDouble()).ToList();
            var state = new RunState(r.GetProperty("epoch").GetInt32(), r.GetProperty("batch").GetInt32(), r.GetProperty("loss_sum").GetDouble(),
                r.GetProperty("correct").GetInt32(), r.GetProperty("seen").GetInt32(), 0,
                r.GetProperty("best_accuracy").GetDouble(), metrics, losses);
            if (state.Epoch < 0 || state.Batch < 0 || metrics.Count != state.Epoch)
                throw new AutoGradException($"{source}: run position epoch {state.Epoch}, batch {state.Batch} does not match its {metrics.Count} epochs of metrics");
            return state;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new AutoGradException($"{source}: malformed run state in metadata '{MetadataKey}': {e.Message.Split('\n')[0]}");
        }
    }
}
