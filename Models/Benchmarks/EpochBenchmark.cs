using System.Diagnostics;
using AutoGrad.Models.Data;
using AutoGrad.Models.Specs;
using AutoGrad.Models.Training;

namespace AutoGrad.Models.Benchmarks;

/// <summary>One W5 measurement: loading a dataset, then one training epoch with its test evaluation.</summary>
public sealed record EpochBenchmarkResult(string Model, string Data, int Batch, int Threads, int TrainImages,
    double LoadSeconds, double EpochSeconds, double TestAccuracy, double PeakRssMb)
{
    /// <summary>Training images per second over the whole pipeline: loading, the epoch and its evaluation.</summary>
    public double ImagesPerSecond => TrainImages / (LoadSeconds + EpochSeconds);
}

/// <summary>
/// The W5: one full epoch on a real dataset with the data pipeline included, through the same
/// <see cref="Trainer"/> as <c>autograd train</c> (default settings, one epoch), into a temporary run folder
/// that is deleted afterwards. Load time (decoding, conversion) is reported apart from the epoch (shuffled
/// batches, forward, backward, SGD, then the test evaluation).
/// </summary>
public static class EpochBenchmark
{
    public static EpochBenchmarkResult Run(ModelSpec spec, string data, int batch, int seed = 1)
    {
        var total = Stopwatch.StartNew();
        var splits = DatasetCatalog.Load(data, spec.Input[0], spec.Input[1], spec.Input[2]);
        double load = total.Elapsed.TotalSeconds;
        var model = ModelBuilder.Build<float>(spec, splits.Train.Classes.Count, seed);
        string folder = Path.Combine(Path.GetTempPath(), $"autograd-bench-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            var options = new TrainOptions { Epochs = 1, BatchSize = batch, Seed = seed, Threads = Threading.Threads, OutputDirectory = folder };
            var result = new Trainer(model, splits, options).Run();
            return new EpochBenchmarkResult(spec.Name, splits.Train.Name, batch, Threading.Threads, splits.Train.Count, load,
                result.Epochs[0].Seconds, result.Final!.Accuracy, TrainingBenchmark.PeakRssMb());
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
