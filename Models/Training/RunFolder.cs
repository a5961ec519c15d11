using System.Globalization;
using AutoGrad.Models.IO;
using AutoGrad.Models.Reporting;
using AutoGrad.Models.Specs;

namespace AutoGrad.Models.Training;

/// <summary>The files of a run folder. Every write is atomic (temporary file, then rename).</summary>
public sealed class RunFolder
{
    public const string StateFile = "trainer.json", MetricsJson = "metrics.json", OptimizerFile = "optimizer.safetensors";

    public RunFolder(string directory)
    {
        Directory = directory;
        try { System.IO.Directory.CreateDirectory(directory); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AutoGradException($"--out: cannot create run folder '{directory}': {e.Message}");
        }
    }

    public string Directory { get; }
    public string Best => Path.Combine(Directory, "best.safetensors");
    public string Last => Path.Combine(Directory, "last.safetensors");

    public void SaveSpec(ModelSpec spec) => AtomicFile.WriteAllText(Path.Combine(Directory, "model.json"), SpecJson.Write(spec));

    public void SaveEpoch(Checkpoint checkpoint, Optimizer optimizer, RunState state, IReadOnlyList<EpochMetrics> metrics, IReadOnlyList<double> stepLosses)
    {
        checkpoint.Save(Last);
        SafeTensors.Save(Path.Combine(Directory, OptimizerFile),
            optimizer.State().Select(s => new NamedTensor(s.Name, [s.Data.Length], s.Data)),
            new Dictionary<string, string> { ["steps"] = optimizer.Steps.ToString(CultureInfo.InvariantCulture) });
        MetricsWriter.WriteCsv(Path.Combine(Directory, "metrics.csv"), metrics);
        MetricsWriter.WriteJson(Path.Combine(Directory, MetricsJson), metrics);
        AtomicFile.WriteAllText(Path.Combine(Directory, StateFile), state.ToJson());
        if (metrics.Count > 0)
        {
            TrainingPlots.SaveLoss(Path.Combine(Directory, "loss.png"), metrics, stepLosses);
            TrainingPlots.SaveAccuracy(Path.Combine(Directory, "accuracy.png"), metrics);
        }
    }

    public void SaveConfusion(int[,] confusion, IReadOnlyList<string> classes)
    {
        ConfusionMatrix.WriteCsv(Path.Combine(Directory, "confusion.csv"), confusion, classes);
        TrainingPlots.SaveConfusion(Path.Combine(Directory, "confusion.png"), confusion, classes);
    }

    /// <summary>Restores optimiser state saved by <see cref="SaveEpoch"/>.</summary>
    public static void LoadOptimizer(string directory, Optimizer optimizer)
    {
        string path = Path.Combine(directory, OptimizerFile);
        if (!File.Exists(path)) throw new AutoGradException($"--resume: {path} not found");
        var file = SafeTensors.Load(path);
        if (!file.Metadata.TryGetValue("steps", out var s) || !long.TryParse(s, CultureInfo.InvariantCulture, out long steps) || steps < 0)
            throw new AutoGradException($"{path}: metadata 'steps' is missing or not a count");
        optimizer.LoadState(file.Tensors.ToDictionary(t => t.Name, t => t.Data), steps);
    }
}
