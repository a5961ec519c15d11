using AutoGrad.Models.IO;
using AutoGrad.Models.Reporting;
using AutoGrad.Models.Zoo;
using Microsoft.Extensions.Logging;

namespace AutoGrad.Models.Training;

/// <summary>The trainer's recipe parts: the weight average, early stopping and the run's recorded configuration.</summary>
public sealed partial class Trainer
{
    private readonly WeightAverage? average;
    private readonly EarlyStopping stopping;
    private string? stopReason;

    /// <summary>The exponential moving average of the weights, when <see cref="TrainOptions.Ema"/> &gt; 0.</summary>
    public WeightAverage? Average => average;

    /// <summary>
    /// Evaluates the averaged weights (the live ones without an average) and, with <paramref name="checkpoint"/>,
    /// saves them as best.safetensors when they beat <paramref name="best"/>. The live weights are back afterwards.
    /// </summary>
    private (EvaluationResult Result, double Best) EvaluateAveraged(Checkpoint? checkpoint, double best)
    {
        using var swapped = average?.Swap();
        var eval = parallel?.Evaluate(model, EvaluationSplit, norm) ?? Evaluation.Run(model, EvaluationSplit, norm);
        // ≥ 0 accuracy never beats the initial best of 0, so also save when there is no best checkpoint yet.
        if (checkpoint is not null && (eval.Accuracy > best || run is not null && !File.Exists(run.Best)))
        {
            best = Math.Max(best, eval.Accuracy);
            if (run is not null) checkpoint.Save(run.Best);   // rank 0 alone writes
        }
        return (eval, best);
    }

    /// <summary>
    /// Saves a resumable checkpoint (rank 0 writes it). With bfloat16 gradient transfer every rank's error-feedback
    /// residuals go into it too, gathered here by a collective that every rank reaches at the same step.
    /// </summary>
    private void SaveCheckpoint(Checkpoint checkpoint, RunState state, IReadOnlyList<double> stepLosses)
    {
        var residuals = buckets is { Transfer: Distributed.GradientTransfer.BFloat16 } ? parallel!.GatherResiduals(buckets) : [];
        run?.SaveCheckpoint(checkpoint, optimizer, state, stepLosses, options, average, residuals);
    }

    /// <summary>Restores this rank's error-feedback residuals from the optimiser file of a resumed run.</summary>
    internal void LoadResiduals(Checkpoint checkpoint, string directory)
    {
        if (buckets is not { Transfer: Distributed.GradientTransfer.BFloat16 }) return;
        buckets.LoadState(RunFolder.LoadResiduals(checkpoint, directory, parallel!.Rank, buckets.Count), directory);
    }

    /// <summary>Applies the early-stopping rule to the epochs so far (also on resume, before any training).</summary>
    private bool StopsEarly(IReadOnlyList<EpochMetrics> metrics)
    {
        var accuracies = metrics.Select(m => m.ValAccuracy ?? 0).ToList();
        if (!stopping.ShouldStop(accuracies)) return false;
        stopReason = stopping.Reason(accuracies);
        logger.LogInformation("{Reason}", stopReason);
        return true;
    }

    /// <summary>Writes config.json: the model (its zoo name, or the spec saved beside it) and every resolved setting.</summary>
    private void SaveConfiguration()
    {
        bool zoo = ModelZoo.TryGet(model.Spec.Name, out var known) && Specs.SpecJson.Write(known) == Specs.SpecJson.Write(model.Spec);
        if (run is null) return;   // a data-parallel rank other than 0
        RunConfiguration.Save(run.Directory, zoo ? model.Spec.Name : "model.json", options);
    }
}
