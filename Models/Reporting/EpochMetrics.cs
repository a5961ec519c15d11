namespace AutoGrad.Models.Reporting;

/// <summary>
/// What one training epoch measured. Accuracies are fractions in [0, 1]; validation values are null when the
/// epoch was not evaluated.
/// </summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean training loss over the epoch.</param>
/// <param name="TrainAccuracy">Fraction of training samples classified correctly.</param>
/// <param name="ValLoss">Mean validation (or test) loss, if evaluated.</param>
/// <param name="ValAccuracy">Validation (or test) accuracy, if evaluated.</param>
/// <param name="LearningRate">Learning rate at the start of the epoch (schedules may change it within the epoch).</param>
/// <param name="Seconds">Wall-clock time the epoch took.</param>
public sealed record EpochMetrics(
    int Epoch,
    double TrainLoss,
    double TrainAccuracy,
    double? ValLoss,
    double? ValAccuracy,
    double LearningRate,
    double Seconds);
