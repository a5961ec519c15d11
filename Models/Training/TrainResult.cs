using AutoGrad.Models.Reporting;

namespace AutoGrad.Models.Training;

/// <summary>What a run produced: per-epoch metrics, the final evaluation, and whether it was stopped early.</summary>
public sealed record TrainResult(IReadOnlyList<EpochMetrics> Epochs, EvaluationResult? Final, bool Cancelled, string OutputDirectory, double BestAccuracy)
{
    /// <summary>Why the run ended before its last epoch (early stopping), or null.</summary>
    public string? StopReason { get; init; }
}
