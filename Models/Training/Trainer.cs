using System.Diagnostics;
using AutoGrad.Models.Data;
using AutoGrad.Models.Distributed;
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
public sealed partial class Trainer
{
    private readonly Model<float> model;
    private readonly DataSplits data;
    private readonly TrainOptions options;
    private readonly ILogger logger;
    private readonly Normalization norm;
    private readonly Optimizer optimizer;
    private readonly LearningRateSchedule schedule;
    private readonly RunFolder? run;   // rank 0's (or the only process's): other ranks write nothing
    private readonly TrainingStep step;
    private readonly DataParallel? parallel;
    private readonly GradientBuckets? buckets;
    private bool stopAgreed;   // data-parallel: some rank was asked to stop (summed with the last step)

    /// <param name="parallel">This process's place among data-parallel ranks; null for a single process.</param>
    public Trainer(Model<float> model, DataSplits data, TrainOptions options, ILogger? logger = null, Normalization? normalization = null,
        DataParallel? parallel = null)
    {
        options.Validate();
        int ranks = parallel?.Size ?? 1;
        if (options.Ranks != ranks)
            throw new AutoGradException($"the run is set up for {options.Ranks} rank(s) but {ranks} are running; a resumed run needs the rank count it started with");
        parallel?.CheckBatchSize(options.BatchSize, data.Train.Count);
        this.parallel = parallel;
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
        buckets = parallel?.CreateBuckets(model);
        step = new TrainingStep(model, optimizer, new CrossEntropyLoss(options.LabelSmoothing), options.ClipNorm) { Reduction = buckets };
        average = options.Ema > 0 ? new WeightAverage(model, options.Ema) : null;
        stopping = new EarlyStopping(options.EarlyStop);
        // Only after every check, so bad input leaves no folder.
        if (parallel is null || parallel.IsRoot)
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
    public TrainResult Run(RunState? state = null, CancellationToken cancel = default)
    {
        using var compute = Compute.Use(options.Compute);
        state ??= RunState.Start;
        var metrics = state.Metrics.ToList();
        var stepLosses = state.StepLosses.ToList();
        double best = state.BestAccuracy;
        var checkpoint = new Checkpoint(model, data.Train.Classes, norm);
        var iterator = new BatchIterator(data.Train, norm, options.BatchSize, shuffle: true, options.Seed,
            options.Augmentation);
        int sample = data.Train.SampleSize, batches = iterator.BatchesPerEpoch;
        parallel?.CheckInSync(model, "at the start");
        if (state.Batch > batches) throw new AutoGradException($"`Resume`: saved position batch {state.Batch} is past the {batches} batches of an epoch; were `{nameof(TrainOptions.BatchSize)}` or `{nameof(TrainOptions.Data)}` changed?");
        var images = new float[options.BatchSize * sample];
        var labels = new int[options.BatchSize];
        var total = Stopwatch.StartNew();
        long imagesDone = 0;
        int stepsDone = 0, stepsLeft = (options.Epochs - state.Epoch) * batches - state.Batch;
        run?.SaveSpec(model.Spec);
        SaveConfiguration();
        logger.LogInformation("training {Model} ({Params:N0} parameters) on {Data}: {Count:N0} images, {Classes} classes, {Epochs} epochs",
            model.Spec.Name, model.ParameterCount, data.Train.Name, data.Train.Count, model.Classes, options.Epochs);
        EvaluationResult? lastEval = null;
        for (int epoch = state.Epoch; epoch < options.Epochs; epoch++)
        {
            if (StopsEarly(metrics)) break;
            bool resumed = epoch == state.Epoch;
            double lossSum = resumed ? state.LossSum : 0, secondsBefore = resumed ? state.EpochSeconds : 0;
            int correct = resumed ? state.Correct : 0, seen = resumed ? state.Seen : 0;
            var timer = Stopwatch.StartNew();
            parallel?.Communicator.ResetWaitTime();
            RunState Position(int nextBatch) => new(epoch, nextBatch, lossSum, correct, seen, secondsBefore + timer.Elapsed.TotalSeconds, best, metrics, stepLosses);
            for (int b = resumed ? state.Batch : 0; b < batches; b++)
            {
                if (parallel is null ? cancel.IsCancellationRequested : stopAgreed)
                {
                    logger.LogWarning("stopped in epoch {Epoch} before batch {Batch}; saving {Path}", epoch + 1, b + 1, run?.Last);
                    run?.SaveCheckpoint(checkpoint, optimizer, Position(b), stepLosses, options, average);
                    run?.SaveStopReason("cancelled", $"stopped in epoch {epoch + 1} before batch {b + 1}; resumable");
                    return new TrainResult(metrics, null, true, options.OutputDirectory, best);
                }
                double lr = schedule.At(epoch + (double)b / batches);
                double loss;
                int n, hits;
                if (parallel is null)
                {
                    n = iterator.Fill(epoch, b, images, labels);
                    (loss, hits) = Step(images.AsSpan(0, n * sample), labels[..n], new StepPosition(options.Seed, epoch, b), lr);
                }
                else
                {
                    // This rank's slice of the global batch; the step's reduction sums the gradients, then the batch's loss and hits.
                    n = Math.Min(options.BatchSize, data.Train.Count - b * options.BatchSize);
                    var (first, local) = parallel.Slice(n);
                    iterator.Fill(epoch, b, images, labels, first, local);
                    buckets!.Begin(local, n);
                    (loss, hits) = Step(images.AsSpan(0, local * sample), labels[..local], new StepPosition(options.Seed, epoch, b, parallel.Rank), lr);
                    (loss, hits, stopAgreed) = parallel.SumStep(loss, hits, local, n, cancel.IsCancellationRequested);
                }
                average?.Update(optimizer.Steps);   // every rank holds the same weights, so the same average
                lossSum += loss * n; correct += hits; seen += n; imagesDone += n; stepsDone++;
                stepLosses.Add(loss);
                double rate = imagesDone / Math.Max(1e-9, total.Elapsed.TotalSeconds);
                Progress?.Invoke(new TrainProgress(epoch + 1, options.Epochs, b + 1, batches, lossSum / seen, (double)correct / seen, rate,
                    total.Elapsed, TimeSpan.FromSeconds((stepsLeft - stepsDone) * total.Elapsed.TotalSeconds / stepsDone), lr));
                if (options.CheckpointEvery > 0 && optimizer.Steps % options.CheckpointEvery == 0 && b + 1 < batches)
                    run?.SaveCheckpoint(checkpoint, optimizer, Position(b + 1), stepLosses, options, average);
            }
            var (eval, improved) = EvaluateAveraged(checkpoint, best);
            lastEval = eval;
            parallel?.CheckInSync(model, $"after epoch {epoch + 1}");
            var row = new EpochMetrics(epoch + 1, lossSum / seen, (double)correct / seen, eval.Loss, eval.Accuracy, schedule.At(epoch),
                secondsBefore + timer.Elapsed.TotalSeconds);
            metrics.Add(row);
            if (parallel is not null)
            {
                logger.LogInformation("rank 0 waited {Wait:F2} s of the epoch's {Sec:F1} s ({Share:P1}) for gradient sums and collectives",
                    parallel.Communicator.WaitTime.TotalSeconds, timer.Elapsed.TotalSeconds, parallel.Communicator.WaitTime.TotalSeconds / timer.Elapsed.TotalSeconds);
            }
            logger.LogInformation("epoch {Epoch}/{Epochs}: train loss {Loss:F4} acc {Acc:P2} | {Split} loss {VLoss:F4} acc {VAcc:P2} | {Sec:F1}s",
                epoch + 1, options.Epochs, row.TrainLoss, row.TrainAccuracy, EvaluationSplit.Name, eval.Loss, eval.Accuracy, row.Seconds);
            best = improved;
            run?.SaveCheckpoint(checkpoint, optimizer, new RunState(epoch + 1, 0, 0, 0, 0, 0, best, metrics, stepLosses), stepLosses, options, average);
        }
        // The last epoch's evaluation is the final one; only a resume with no epoch left needs its own.
        var final = lastEval ?? EvaluateAveraged(null, best).Result;
        run?.SaveConfusion(final.Confusion, data.Train.Classes);
        run?.SaveStopReason(stopReason is null ? "epochs" : "early_stop", stopReason ?? $"trained all {options.Epochs} epochs");
        return new TrainResult(metrics, final, false, options.OutputDirectory, best) { StopReason = stopReason };
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
