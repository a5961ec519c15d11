namespace AutoGrad.Models.Training;

/// <summary>A progress report after each training step, for progress bars.</summary>
public readonly record struct TrainProgress(int Epoch, int Epochs, int Batch, int Batches, double Loss, double Accuracy,
    double ImagesPerSecond, TimeSpan Elapsed, TimeSpan Remaining, double LearningRate);
