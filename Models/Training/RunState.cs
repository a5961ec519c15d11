using System.Text.Json;
using AutoGrad.Models.IO;
using AutoGrad.Models.Reporting;

namespace AutoGrad.Models.Training;

/// <summary>Where a run stands, saved as <c>trainer.json</c> beside the checkpoints so <c>--resume</c> can continue it.</summary>
public sealed record RunState(int EpochsCompleted, double BestAccuracy, IReadOnlyList<EpochMetrics> Metrics, IReadOnlyList<double> StepLosses)
{
    public string ToJson() => JsonSerializer.Serialize(new { epochs_completed = EpochsCompleted, best_accuracy = BestAccuracy, step_losses = StepLosses });

    /// <summary>Reads a run folder's trainer.json and metrics.json.</summary>
    public static RunState Load(string directory)
    {
        string path = Path.Combine(directory, RunFolder.StateFile);
        if (!File.Exists(path)) throw new AutoGradException($"--resume: {path} not found; expected a run folder written by autograd train");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            int epochs = root.GetProperty("epochs_completed").GetInt32();
            double best = root.GetProperty("best_accuracy").GetDouble();
            var losses = root.GetProperty("step_losses").EnumerateArray().Select(e => e.GetDouble()).ToList();
            string metricsPath = Path.Combine(directory, RunFolder.MetricsJson);
            var metrics = File.Exists(metricsPath) ? MetricsWriter.ReadJson(metricsPath) : [];
            if (epochs < 0 || metrics.Count != epochs)
                throw new AutoGradException($"{path}: says {epochs} epochs completed but metrics.json has {metrics.Count} rows");
            return new RunState(epochs, best, metrics, losses);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new AutoGradException($"{path}: malformed run state: {e.Message.Split('\n')[0]}");
        }
    }
}
