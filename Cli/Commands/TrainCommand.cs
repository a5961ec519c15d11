using System.Runtime.InteropServices;
using System.CommandLine;
using AutoGrad.Models;
using AutoGrad.Models.Data;
using AutoGrad.Models.Distributed;
using AutoGrad.Models.IO;
using AutoGrad.Models.Training;
using AutoGrad.Models.Zoo;
using Microsoft.Extensions.Logging;

namespace AutoGrad.Cli.Commands;

internal static class TrainCommand
{
    public static Command Create()
    {
        var defaults = new TrainOptions { OutputDirectory = "" };
        var model = CommonOptions.Model();
        var data = CommonOptions.Data();
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training split", DefaultValueFactory = _ => defaults.Epochs };
        var batch = new Option<int>("--batch") { Description = "Images per step", DefaultValueFactory = _ => defaults.BatchSize };
        var lr = new Option<double>("--lr") { Description = "Base learning rate", DefaultValueFactory = _ => defaults.LearningRate };
        var optimizer = new Option<string>("--optimizer") { Description = "sgd, momentum, nesterov, adam or adamw", DefaultValueFactory = _ => defaults.Optimizer };
        var momentum = new Option<double>("--momentum") { Description = "Momentum for momentum/nesterov", DefaultValueFactory = _ => defaults.Momentum };
        var weightDecay = new Option<double>("--weight-decay") { Description = "L2 weight decay (decoupled for adamw)", DefaultValueFactory = _ => defaults.WeightDecay };
        var schedule = new Option<string>("--schedule") { Description = "constant, cosine or step:EVERY[:GAMMA]", DefaultValueFactory = _ => defaults.Schedule };
        var warmup = new Option<double>("--warmup") { Description = "Epochs of linear learning-rate warm-up", DefaultValueFactory = _ => 0 };
        var augment = new Option<bool>("--augment") { Description = "Random crop (padding 2) and horizontal flip" };
        var crop = new Option<int>("--crop") { Description = "Random crop after zero padding by this many pixels (0 = off; 2 with --augment)", DefaultValueFactory = _ => 0 };
        var flip = new Option<bool>("--flip") { Description = "Mirror training images left-right with probability 0.5 (on with --augment)" };
        var erase = new Option<double>("--erase") { Description = "Random erasing: probability of blanking one rectangle (2-40 % of the image) per training image (0 = off)", DefaultValueFactory = _ => 0 };
        var seed = new Option<int>("--seed") { Description = "Seed for initialisation, shuffling, dropout and augmentation", DefaultValueFactory = _ => defaults.Seed };
        var threads = CommonOptions.Threads();
        var clip = new Option<double>("--clip") { Description = "Clip the global gradient norm to this value (0 = off)", DefaultValueFactory = _ => 0 };
        var smoothing = new Option<double>("--label-smoothing") { Description = "Label smoothing ε for the cross-entropy", DefaultValueFactory = _ => 0 };
        var output = new Option<string?>("--out", "-o") { Description = "Run folder (default runs/<model>-<time>)" };
        var onBadImage = new Option<string>("--on-bad-image") { Description = "fail (default: list every bad file and stop) or skip (train on the rest)", DefaultValueFactory = _ => "fail" };
        onBadImage.AcceptOnlyFromAmong("fail", "skip");
        var cache = new Option<string?>("--cache") { Description = "Folder for decoded-image caches of large data sets, reused by later runs" };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Also save a resumable checkpoint every N steps", DefaultValueFactory = _ => 0 };
        var resume = new Option<string?>("--resume") { Description = "Continue the run in this folder from its last checkpoint" };
        var config = CommonOptions.Config();
        var earlyStop = new Option<int>("--early-stop") { Description = "Stop when validation (or test) accuracy has not improved for N epochs (0 = off)", DefaultValueFactory = _ => 0 };
        var ema = new Option<double>("--ema") { Description = "Evaluate and save an exponential moving average of the weights with this decay, e.g. 0.999 (0 = off)", DefaultValueFactory = _ => 0 };
        var command = new Command("train", "Train a model and write a run folder (checkpoints, metrics, plots, confusion matrix)")
        {
            model, data, epochs, batch, lr, optimizer, momentum, weightDecay, schedule, warmup, augment, crop, flip, erase, seed, threads, clip, smoothing, output, resume, checkpointEvery, onBadImage, cache, config, earlyStop, ema,
        };
        command.SetAction(parse =>
        {
            // Under mpiexec (more than one process) this process is one data-parallel rank; otherwise MPI is never loaded.
            using var parallel = DistributedRun.StartIfLaunched(parse);
            try { return Train(parse, parallel?.Parallel); }
            catch (Exception e) when (parallel is not null) { parallel.Fail(e, parse); throw; }
        });
        return command;

        int Train(ParseResult parse, DataParallel? parallel)
        {
            bool root = parallel is null || parallel.IsRoot;
            string? resumeDir = parse.GetValue(resume);
            bool Given(Option o) => parse.GetResult(o) is { Implicit: false };
            // The file's settings over the defaults, flags given on the command line over the file.
            var file = parse.GetValue(config) is { } path ? RunConfiguration.Load(path, defaults) : null;
            var basis = file?.Options ?? defaults;
            T Pick<T>(Option<T> o, T fromFile) => Given(o) ? parse.GetValue(o)! : fromFile;
            string modelName = Given(model) || file?.Model is null ? parse.GetValue(model)! : file.Model;
            var fromFlags = basis with
            {
                Epochs = Pick(epochs, basis.Epochs), BatchSize = Pick(batch, basis.BatchSize), LearningRate = Pick(lr, basis.LearningRate),
                Optimizer = Pick(optimizer, basis.Optimizer), Momentum = Pick(momentum, basis.Momentum), WeightDecay = Pick(weightDecay, basis.WeightDecay),
                Schedule = Pick(schedule, basis.Schedule), WarmupEpochs = Pick(warmup, basis.WarmupEpochs), Augment = Pick(augment, basis.Augment),
                CropPadding = Pick(crop, basis.CropPadding), Flip = Pick(flip, basis.Flip), RandomErasing = Pick(erase, basis.RandomErasing),
                Seed = Pick(seed, basis.Seed), Threads = Given(threads) || file?.Keys.Contains(nameof(TrainOptions.Threads)) != true ? DistributedRun.Threads(parse, threads) : basis.Threads, Ranks = parallel?.Size ?? 1, ClipNorm = Pick(clip, basis.ClipNorm),
                LabelSmoothing = Pick(smoothing, basis.LabelSmoothing), CheckpointEvery = Pick(checkpointEvery, basis.CheckpointEvery),
                Data = Given(data) || basis.Data is null ? parse.GetValue(data) : basis.Data,
                EarlyStop = Pick(earlyStop, basis.EarlyStop), Ema = Pick(ema, basis.Ema),
                OutputDirectory = parse.GetValue(output) ?? (file?.Keys.Contains(nameof(TrainOptions.OutputDirectory)) == true ? basis.OutputDirectory
                    : Path.Combine("runs", $"{Path.GetFileNameWithoutExtension(modelName)}-{DateTime.Now:yyyyMMdd-HHmmss}")),
            };
            fromFlags.Validate();
            ResumedRun? resumed = null;
            if (resumeDir is not null)
            {
                var given = new (Option Option, string Setting)[]
                {
                    (epochs, nameof(TrainOptions.Epochs)), (batch, nameof(TrainOptions.BatchSize)), (lr, nameof(TrainOptions.LearningRate)),
                    (optimizer, nameof(TrainOptions.Optimizer)), (momentum, nameof(TrainOptions.Momentum)), (weightDecay, nameof(TrainOptions.WeightDecay)),
                    (schedule, nameof(TrainOptions.Schedule)), (warmup, nameof(TrainOptions.WarmupEpochs)), (augment, nameof(TrainOptions.Augment)),
                    (crop, nameof(TrainOptions.CropPadding)), (flip, nameof(TrainOptions.Flip)), (erase, nameof(TrainOptions.RandomErasing)),
                    (seed, nameof(TrainOptions.Seed)), (clip, nameof(TrainOptions.ClipNorm)), (smoothing, nameof(TrainOptions.LabelSmoothing)), (data, nameof(TrainOptions.Data)),
                    (earlyStop, nameof(TrainOptions.EarlyStop)), (ema, nameof(TrainOptions.Ema)),
                }.Where(f => Given(f.Option)).Select(f => f.Setting)
                    .Concat(file?.Keys.Where(k => k is not (nameof(TrainOptions.Threads) or nameof(TrainOptions.OutputDirectory) or nameof(TrainOptions.CheckpointEvery))) ?? [])
                    .ToHashSet();
                resumed = ResumedRun.Open(resumeDir, fromFlags, given, Given(model) || file?.Model is not null ? ModelZoo.Resolve(modelName).Name : null);
            }
            else if (root) RunFolder.EnsureNew(fromFlags.OutputDirectory);   // rank 0 alone writes it
            var options = resumed?.Options ?? fromFlags;
            using var logging = Logging.Create(parse.GetValue(CliApp.Verbose));
            // Rank 0 alone logs and prints; the others train silently.
            ILogger logger = root ? logging.CreateLogger("autograd.train") : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
            if (parallel is not null)
            {
                parallel.CheckBatchSize(options.BatchSize);   // before any work
                DistributedRun.LogLayout(logger, parallel, options);
            }

            var spec = resumed?.Spec ?? ModelZoo.Resolve(modelName);
            using var splits = DatasetCatalog.Load(options.Data!, spec.Channels, spec.Height, spec.Width,
                new DataLoadOptions
                {
                    MaxDegreeOfParallelism = options.Threads, SkipBadImages = parse.GetValue(onBadImage) == "skip",
                    CacheDirectory = parse.GetValue(cache),
                    Log = m => logger.LogInformation("{Message}", m),
                    // Refused from the spec before any image is decoded or parameter allocated.
                    BeforeDecode = classes => MemoryCheck.EnsureFits(spec, classes, options.BatchSize, options.Optimizer),
                });
            var trainer = resumed?.CreateTrainer(splits, logger, parallel)
                ?? new Trainer(ModelBuilder.Build<float>(spec, splits.Train.Classes.Count, options.Seed), splits, options, logger, parallel: parallel);
            if (root && RunFolder.SaveSkipped(options.OutputDirectory, splits) is int skipped and > 0)
                parse.InvocationConfiguration.Output.WriteLine($"skipped {skipped} images that could not be decoded (train {splits.Train.Skipped}, test {splits.Test.Skipped}); " +
                    $"{Path.Combine(options.OutputDirectory, RunFolder.SkippedImages)} lists them");
            using var cancel = new CancellationTokenSource();
            // Ctrl-C (SIGINT) and SIGTERM (schedulers, `timeout`, container stops) both stop after the current
            // batch and save; a second signal falls through to the default action and ends the process.
            void OnSignal(PosixSignalContext context)
            {
                if (cancel.IsCancellationRequested) return;
                context.Cancel = true;
                cancel.Cancel();
                Console.Error.WriteLine();
                Console.Error.WriteLine("stopping after this batch and saving (Ctrl-C again to abort)…");
            }
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
            var bar = new ProgressBar(Console.Error);
            if (root) trainer.Progress += bar.Report;
            {
                var result = trainer.Run(resumed?.State, cancel.Token);
                if (!root) return result.Cancelled ? 130 : 0;
                bar.Finish();
                if (result.Final is { } final)
                    parse.InvocationConfiguration.Output.WriteLine(
                        $"{(result.StopReason is null ? "" : result.StopReason + "\n")}{trainer.EvaluationSplit.Name}: accuracy {final.Accuracy:P2}, top-5 {final.Top5:P2}, loss {final.Loss:F4} (best {result.BestAccuracy:P2}); run folder: {result.OutputDirectory}");
                else parse.InvocationConfiguration.Output.WriteLine($"stopped; resume with: autograd train --resume {result.OutputDirectory}");
                return result.Cancelled ? 130 : 0;
            }
        }
    }
}
