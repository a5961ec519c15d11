using AutoGrad.Models.Data;
using AutoGrad.Models.IO;
using AutoGrad.Models.Reporting;
using AutoGrad.Models.Specs;
using Microsoft.Extensions.Logging;

namespace AutoGrad.Models.Training;

/// <summary>
/// A run folder opened to continue training: its <c>last.safetensors</c> (weights, normalisation, run position),
/// the options it was started with and the optimiser state it points to. <see cref="Open"/> checks everything
/// that can be checked before data is loaded; <see cref="CreateTrainer"/> restores the optimiser;
/// <see cref="Trainer.Run"/> with <see cref="State"/> continues where the run stopped.
/// </summary>
public sealed class ResumedRun
{
    private ResumedRun(string directory, Checkpoint checkpoint, TrainOptions options, RunState state)
    {
        Directory = directory;
        Checkpoint = checkpoint;
        Options = options;
        State = state;
    }

    public string Directory { get; }
    /// <summary>The checkpoint the run continues from: its model, classes and normalisation.</summary>
    public Checkpoint Checkpoint { get; }
    public ModelSpec Spec => Checkpoint.Model.Spec;
    /// <summary>The run's own options, with the settings a resume may change taken from the request.</summary>
    public TrainOptions Options { get; }
    /// <summary>Where the run stands: the next epoch and batch, running sums, metrics so far.</summary>
    public RunState State { get; }

    /// <summary>
    /// Opens <paramref name="directory"/> to continue its run. <paramref name="requested"/> are the options asked for
    /// now and <paramref name="given"/> the names of those that were set explicitly (e.g. <c>LearningRate</c>); one
    /// that differs from the run's own value is refused (see <see cref="TrainOptions.ForResume"/>). A
    /// <paramref name="model"/> name, when given, must be the run's.
    /// </summary>
    public static ResumedRun Open(string directory, TrainOptions requested, IReadOnlySet<string> given, string? model = null)
    {
        string last = Path.Combine(directory, "last.safetensors");
        if (!File.Exists(last)) throw new AutoGradException($"`Resume`: {last} not found; expected a run folder written by autograd train");
        var checkpoint = Checkpoint.Load(last);
        var options = RunFolder.LoadOptions(checkpoint, last).ForResume(requested, given, directory);
        if (model is not null && model != checkpoint.Model.Spec.Name)
            throw new AutoGradException($"`Model`: the run in {directory} trains {checkpoint.Model.Spec.Name}; a resume keeps its model");
        // Epoch timings are not in the checkpoint (equal runs give equal bytes); metrics.json, a derived output, has them.
        string metricsJson = Path.Combine(directory, RunFolder.MetricsJson);
        var timings = File.Exists(metricsJson) ? MetricsWriter.ReadJson(metricsJson) : null;
        var state = RunState.FromCheckpoint(checkpoint, last, timings);
        return new ResumedRun(directory, checkpoint, options, state);
    }

    /// <summary>A trainer for the run's model and normalisation on <paramref name="data"/>, its optimiser state restored.</summary>
    public Trainer CreateTrainer(DataSplits data, ILogger? logger = null, Distributed.DataParallel? parallel = null)
    {
        var trainer = new Trainer(Checkpoint.Model, data, Options, logger, Checkpoint.Normalization, parallel);
        RunFolder.LoadOptimizer(Checkpoint, Directory, trainer.Optimizer, Options.Optimizer);
        if (trainer.Average is { } average) RunFolder.LoadAverage(Checkpoint, Directory, average);
        trainer.LoadResiduals(Checkpoint, Directory);
        logger?.LogInformation("resuming {Dir} at epoch {Epoch}, batch {Batch}", Directory, State.Epoch + 1, State.Batch + 1);
        return trainer;
    }
}
