using System.Globalization;
using AutoGrad.Models.IO;
using AutoGrad.Models.Reporting;
using AutoGrad.Models.Specs;

namespace AutoGrad.Models.Training;

/// <summary>The files of a run folder. Every write is atomic (temporary file, then rename).</summary>
public sealed class RunFolder
{
    public const string MetricsJson = "metrics.json", OptimizerKey = "autograd.optimizer", OptionsKey = "autograd.options", StopFile = "stop.json";

    public RunFolder(string directory)
    {
        Directory = directory;
        try { System.IO.Directory.CreateDirectory(directory); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AutoGradException($"`OutputDirectory`: cannot create run folder '{directory}': {e.Message}");
        }
    }

    /// <summary>Refuses to start a new run in a folder that already holds files (another run's, or the user's).</summary>
    public static void EnsureNew(string directory)
    {
        if (System.IO.Directory.Exists(directory) && System.IO.Directory.EnumerateFileSystemEntries(directory).Any())
            throw new AutoGradException($"`OutputDirectory`: {directory} already holds files; choose a new folder, or continue that run with `Resume` {directory}");
    }

    public string Directory { get; }
    /// <summary>How the plots name the evaluated split: "validation", or "test" when the data has none.</summary>
    public string EvaluationLabel { get; init; } = "validation";
    public string Best => Path.Combine(Directory, "best.safetensors");
    public string Last => Path.Combine(Directory, "last.safetensors");

    /// <summary>File in a run folder listing the images a skip-bad-images load left out, one "path: reason" a line.</summary>
    public const string SkippedImages = "skipped-images.txt";

    /// <summary>Writes <see cref="SkippedImages"/> when any split left images out; returns how many it lists.</summary>
    public static int SaveSkipped(string directory, Data.DataSplits splits)
    {
        var skipped = new[] { splits.Train, splits.Validation, splits.Test }.SelectMany(s => s?.SkippedFiles ?? []).ToList();
        if (skipped.Count > 0)
            AtomicFile.WriteAllText(Path.Combine(directory, SkippedImages), string.Concat(skipped.Select(f => $"{f.Path}: {f.Reason}\n")));
        return skipped.Count;
    }

    public void SaveSpec(ModelSpec spec) => AtomicFile.WriteAllText(Path.Combine(Directory, "model.json"), SpecJson.Write(spec));

    /// <summary>
    /// Saves a resumable checkpoint. Order matters for crash safety: the optimiser state goes to a new file
    /// named after its step count, then <c>last.safetensors</c> (weights plus the run position, pointing to
    /// that optimiser file) replaces the old one by an atomic rename, and only then are older optimiser
    /// files deleted. A kill at any moment leaves a last.safetensors whose optimiser file exists and matches.
    /// Metrics and plots are derived outputs, written after.
    /// </summary>
    public void SaveCheckpoint(Checkpoint checkpoint, Optimizer optimizer, RunState state, IReadOnlyList<double> stepLosses, TrainOptions options, WeightAverage? average = null,
        IEnumerable<(string Name, float[] Data)>? residuals = null)
    {
        // Temporary files of a write a kill interrupted are garbage: nothing else names them.
        foreach (var stale in System.IO.Directory.EnumerateFiles(Directory, "*.tmp-*")) File.Delete(stale);
        string optimizerFile = $"optimizer-{optimizer.Steps.ToString(CultureInfo.InvariantCulture)}.safetensors";
        SafeTensors.Save(Path.Combine(Directory, optimizerFile),
            optimizer.State().Concat(average?.State() ?? []).Concat(residuals ?? []).Select(s => new NamedTensor(s.Name, [s.Data.Length], s.Data)),
            new Dictionary<string, string> { ["steps"] = optimizer.Steps.ToString(CultureInfo.InvariantCulture), ["optimizer"] = options.Optimizer });
        // Threads and the folder are not part of a run's identity (a resume may change them); everything else is.
        var identity = options with { OutputDirectory = "", Threads = 0, CheckpointEvery = 0 };
        checkpoint.Save(Last, new Dictionary<string, string>
        {
            [RunState.MetadataKey] = state.ToJson(), [OptimizerKey] = optimizerFile, [OptionsKey] = identity.ToJson(),
        });
        foreach (var old in System.IO.Directory.EnumerateFiles(Directory, "optimizer-*.safetensors"))
            if (Path.GetFileName(old) != optimizerFile) File.Delete(old);
        var metrics = state.Metrics;
        MetricsWriter.WriteCsv(Path.Combine(Directory, "metrics.csv"), metrics);
        MetricsWriter.WriteJson(Path.Combine(Directory, MetricsJson), metrics);
        if (metrics.Count > 0)
        {
            TrainingPlots.SaveLoss(Path.Combine(Directory, "loss.png"), metrics, stepLosses, EvaluationLabel);
            TrainingPlots.SaveAccuracy(Path.Combine(Directory, "accuracy.png"), metrics, EvaluationLabel);
        }
    }

    public void SaveConfusion(int[,] confusion, IReadOnlyList<string> classes)
    {
        ConfusionMatrix.WriteCsv(Path.Combine(Directory, "confusion.csv"), confusion, classes);
        TrainingPlots.SaveConfusion(Path.Combine(Directory, "confusion.png"), confusion, classes);
    }

    /// <summary>The training options a resumable checkpoint was written with.</summary>
    public static TrainOptions LoadOptions(Checkpoint checkpoint, string source)
    {
        if (!checkpoint.Metadata.TryGetValue(OptionsKey, out var json))
            throw new AutoGradException($"{source}: metadata '{OptionsKey}' is missing; not a checkpoint autograd train can resume");
        return TrainOptions.FromJson(json, source);
    }

    /// <summary>Restores the optimiser state that a resumable checkpoint points to.</summary>
    public static void LoadOptimizer(Checkpoint checkpoint, string directory, Optimizer optimizer, string optimizerName)
    {
        if (!checkpoint.Metadata.TryGetValue(OptimizerKey, out var name) || name.Contains('/') || name.Contains('\\'))
            throw new AutoGradException($"`Resume`: {Path.Combine(directory, "last.safetensors")} does not name its optimiser state file");
        string path = Path.Combine(directory, name);
        if (!File.Exists(path)) throw new AutoGradException($"`Resume`: optimiser state {path} not found");
        var file = SafeTensors.Load(path);
        if (!file.Metadata.TryGetValue("steps", out var s) || !long.TryParse(s, CultureInfo.InvariantCulture, out long steps) || steps < 0)
            throw new AutoGradException($"{path}: metadata 'steps' is missing or not a count");
        if (!file.Metadata.TryGetValue("optimizer", out var saved) || saved != optimizerName)
            throw new AutoGradException($"{path}: optimiser state is for '{saved ?? "unknown"}', the run uses '{optimizerName}'");
        optimizer.LoadState(file.Tensors.Where(t => !t.Name.StartsWith(WeightAverage.Prefix, StringComparison.Ordinal)
            && !t.Name.StartsWith(Distributed.DataParallel.ResidualPrefix, StringComparison.Ordinal)).ToDictionary(t => t.Name, t => t.Data), steps);
    }

    /// <summary>Rank <paramref name="rank"/>'s <paramref name="buckets"/> gradient-transfer residuals saved beside the optimiser state.</summary>
    public static IReadOnlyList<float[]> LoadResiduals(Checkpoint checkpoint, string directory, int rank, int buckets)
    {
        string path = Path.Combine(directory, checkpoint.Metadata.GetValueOrDefault(OptimizerKey, ""));
        if (!File.Exists(path)) throw new AutoGradException($"`Resume`: optimiser state {path} not found");
        var tensors = SafeTensors.Load(path).Tensors.ToDictionary(t => t.Name, t => t.Data);
        return Enumerable.Range(0, buckets).Select(b => tensors.GetValueOrDefault(Distributed.DataParallel.ResidualName(rank, b))
            ?? throw new AutoGradException($"{path}: gradient-transfer residual '{Distributed.DataParallel.ResidualName(rank, b)}' is missing")).ToArray();
    }

    /// <summary>Restores the weight average saved beside the optimiser state (see <see cref="SaveCheckpoint"/>).</summary>
    public static void LoadAverage(Checkpoint checkpoint, string directory, WeightAverage average)
    {
        string path = Path.Combine(directory, checkpoint.Metadata.GetValueOrDefault(OptimizerKey, ""));
        if (!File.Exists(path)) throw new AutoGradException($"`Resume`: optimiser state {path} not found");
        average.LoadState(SafeTensors.Load(path).Tensors.ToDictionary(t => t.Name, t => t.Data), path);
    }

    /// <summary>Writes stop.json: why training ended (<c>epochs</c>, <c>early_stop</c> or <c>cancelled</c>) and a sentence saying so.</summary>
    public void SaveStopReason(string reason, string message)
    {
        using var stream = new MemoryStream();
        using (var w = new System.Text.Json.Utf8JsonWriter(stream, new System.Text.Json.JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("stop_reason", reason);
            w.WriteString("message", message);
            w.WriteEndObject();
        }
        AtomicFile.WriteAllText(Path.Combine(Directory, StopFile), System.Text.Encoding.UTF8.GetString(stream.ToArray()) + "\n");
    }
}
