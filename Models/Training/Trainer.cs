using System.Diagnostics;
using AutoGrad.Models.Data;
using AutoGrad.Models.IO;
using AutoGrad.Models.Layers;
using AutoGrad.Models.Reporting;
using AutoGrad.Models.Specs;
using AutoGrad.Ops;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutoGrad.Models.Training;

/// <summary>
/// Mini-batch training with a seeded shuffle each epoch, fused softmax cross-entropy, backprop and the
/// chosen optimiser; evaluates after every epoch and writes the run folder (checkpoints, metrics, plots,
/// confusion matrix, spec). Stops cleanly after the current batch when cancelled.
/// </summary>
public sealed class Trainer
{
    private readonly Model<float> model;
    private readonly DataSplits data;
    private readonly TrainOptions options;
    private readonly ILogger logger;
    private readonly Normalization norm;
    private readonly Optimizer optimizer;
    private readonly LearningRateSchedule schedule;
    private readonly RunFolder run;
    private readonly TrainingStep step;

    public Trainer(Model<float> model, DataSplits data, TrainOptions options, ILogger? logger = null, Normalization? normalization = null)
    {
        options.Validate();
        this.model = model;
        this.data = data;
        this.options = options;
        this.logger = logger ?? NullLogger.Instance;
        norm = normalization ?? Normalization.Compute(data.Train);   // training split only
        optimizer = OptimizerFactory.Create(options.Optimizer, model.Parameters, options.Momentum, options.WeightDecay);
        schedule = LearningRateSchedule.Parse(options.Schedule, options.LearningRate, options.Epochs, options.WarmupEpochs);
        MemoryCheck.EnsureFits(model, options.BatchSize);
        if (data.Train.Classes.Count != model.Classes)
            throw new AutoGradException($"model {model.Spec.Name} has {model.Classes} outputs but {data.Train.Name} has {data.Train.Classes.Count} classes");
        step = new TrainingStep(model, optimizer, new CrossEntropyLoss(options.LabelSmoothing), options.ClipNorm);
        // Only after every check, so bad input leaves no folder.
        run = new RunFolder(options.OutputDirectory) { EvaluationLabel = data.Validation is null ? "test" : "validation" };
    }

    public event Action<TrainProgress>? Progress;

    public Normalization Normalization => norm;
    public Optimizer Optimizer => optimizer;
    public ImageDataset EvaluationSplit => data.Validation ?? data.Test;

    /// <summary>
    /// Trains from <paramref name="state"/> (a resumed run) or from scratch. Kernels run with the options'
    /// <see cref="TrainOptions.Compute"/> settings, made current for this call only.
    /// </summary>
    public TrainResult Run(CancellationToken cancel = default, RunState? state = null)
    {
        using var compute = Compute.Use(options.Compute);
        state ??= RunState.Start;
        var metrics = state.Metrics.ToList();
        var stepLosses = state.StepLosses.ToList();
        double best = state.BestAccuracy;
        var checkpoint = new Checkpoint(model, data.Train.Classes, norm);
        var iterator = new BatchIterator(data.Train, norm, options.BatchSize, shuffle: true, options.Seed,
            options.Augment ? new Augmentation(2, true) : default);
        int sample = data.Train.SampleSize, batches = iterator.BatchesPerEpoch;
        if (state.Batch > batches) throw new AutoGradException($"`Resume`: saved position batch {state.Batch} is past the {batches} batches of an epoch; were `{nameof(TrainOptions.BatchSize)}` or `{nameof(TrainOptions.Data)}` changed?");
        var images = new float[options.BatchSize * sample];
        var labels = new int[options.BatchSize];
        var total = Stopwatch.StartNew();
        long imagesDone = 0;
        int stepsDone = 0, stepsLeft = (options.Epochs - state.Epoch) * batches - state.Batch;
        run.SaveSpec(model.Spec);
        logger.LogInformation("training {Model} ({Params:N0} parameters) on {Data}: {Count:N0} images, {Classes} classes, {Epochs} epochs",
            model.Spec.Name, model.ParameterCount, data.Train.Name, data.Train.Count, model.Classes, options.Epochs);
        EvaluationResult? lastEval = null;
        for (int epoch = state.Epoch; epoch < options.Epochs; epoch++)
        {
            bool resumed = epoch == state.Epoch;
            double lossSum = resumed ? state.LossSum : 0, secondsBefore = resumed ? state.EpochSeconds : 0;
            int correct = resumed ? state.Correct : 0, seen = resumed ? state.Seen : 0;
            var timer = Stopwatch.StartNew();
            RunState Position(int nextBatch) => new(epoch, nextBatch, lossSum, correct, seen, secondsBefore + timer.Elapsed.TotalSeconds, best, metrics, stepLosses);
            for (int b = resumed ? state.Batch : 0; b < batches; b++)
            {
                if (cancel.IsCancellationRequested)
                {
                    logger.LogWarning("stopped in epoch {Epoch} before batch {Batch}; saving {Path}", epoch + 1, b + 1, run.Last);
                    run.SaveCheckpoint(checkpoint, optimizer, Position(b), stepLosses, options);
                    return new TrainResult(metrics, null, true, run.Directory, best);
                }
                double lr = schedule.At(epoch + (double)b / batches);
                int n = iterator.Fill(epoch, b, images, labels);
                var (loss, hits) = Step(images.AsSpan(0, n * sample), labels[..n], new StepPosition(options.Seed, epoch, b), lr);
                lossSum += loss * n; correct += hits; seen += n; imagesDone += n; stepsDone++;
                stepLosses.Add(loss);
                double rate = imagesDone / Math.Max(1e-9, total.Elapsed.TotalSeconds);
                Progress?.Invoke(new TrainProgress(epoch + 1, options.Epochs, b + 1, batches, lossSum / seen, (double)correct / seen, rate,
                    total.Elapsed, TimeSpan.FromSeconds((stepsLeft - stepsDone) * total.Elapsed.TotalSeconds / stepsDone), lr));
                if (options.CheckpointEvery > 0 && optimizer.Steps % options.CheckpointEvery == 0 && b + 1 < batches)
                    run.SaveCheckpoint(checkpoint, optimizer, Position(b + 1), stepLosses, options);
            }
            var eval = lastEval = Evaluation.Run(model, EvaluationSplit, norm);
            var row = new EpochMetrics(epoch + 1, lossSum / seen, (double)correct / seen, eval.Loss, eval.Accuracy, schedule.At(epoch),
                secondsBefore + timer.Elapsed.TotalSeconds);
            metrics.Add(row);
            logger.LogInformation("epoch {Epoch}/{Epochs}: train loss {Loss:F4} acc {Acc:P2} | {Split} loss {VLoss:F4} acc {VAcc:P2} | {Sec:F1}s",
                epoch + 1, options.Epochs, row.TrainLoss, row.TrainAccuracy, EvaluationSplit.Name, eval.Loss, eval.Accuracy, row.Seconds);
            // ≥ 0 accuracy never beats the initial best of 0, so also save when there is no best checkpoint yet.
            if (eval.Accuracy > best || !File.Exists(run.Best)) { best = Math.Max(best, eval.Accuracy); checkpoint.Save(run.Best); }
            run.SaveCheckpoint(checkpoint, optimizer, new RunState(epoch + 1, 0, 0, 0, 0, 0, best, metrics, stepLosses), stepLosses, options);
        }
        // The last epoch's evaluation is the final one; only a resume with no epoch left needs its own.
        var final = lastEval ?? Evaluation.Run(model, EvaluationSplit, norm);
        run.SaveConfusion(final.Confusion, data.Train.Classes);
        return new TrainResult(metrics, final, false, run.Directory, best);
    }

    private (double Loss, int Correct) Step(ReadOnlySpan<float> images, int[] labels, StepPosition position, double lr)
    {
        try
        {
            var result = step.Run(images, labels, position, lr);
            return (result.Loss, result.Correct);
        }
        catch (NonFiniteException e)
        {
            throw new NonFiniteException($"{e.What}; training stopped, last checkpoint kept", e.Fix, e.Position, e.Loss, e.FirstNode, e.Parameters);
        }
    }
}
