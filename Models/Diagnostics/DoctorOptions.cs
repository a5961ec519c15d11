using AutoGrad.Models.Training;

namespace AutoGrad.Models.Diagnostics;

/// <summary>
/// The user's training settings (the train flags) plus how much work each check may do. The hooks
/// (<see cref="OptimizerFactory"/>, <see cref="Loss"/>) let a library user diagnose their own optimiser or loss.
/// </summary>
public sealed record DoctorOptions
{
    /// <summary>The parts of a diagnosis, in the order they run; each may be skipped.</summary>
    public static readonly IReadOnlyList<string> Parts = ["data", "gradcheck", "health", "ladder"];

    /// <summary>Where the normalisation statistics come from: the training split (right), the test split (a leak), none (x/255) or raw (0–255).</summary>
    public static readonly IReadOnlyList<string> NormalizationSources = ["train", "test", "none", "raw"];

    public int BatchSize { get; init; } = 64;
    public double LearningRate { get; init; } = 0.05;
    public string Optimizer { get; init; } = "momentum";
    public double Momentum { get; init; } = 0.9;
    public double WeightDecay { get; init; } = 5e-4;
    public double ClipNorm { get; init; }
    public double LabelSmoothing { get; init; }
    public int Seed { get; init; } = 1;
    /// <summary>Whether batches visit samples in a shuffled order (autograd train always shuffles).</summary>
    public bool Shuffle { get; init; } = true;
    public string Normalization { get; init; } = "train";
    /// <summary>Kernel settings (threads, convolution algorithm) the doctor's checks run with.</summary>
    public ComputeSettings Compute { get; init; } = ComputeSettings.Default;

    /// <summary>Samples (float64) for the gradient audit.</summary>
    public int AuditSamples { get; init; } = 4;
    /// <summary>Training steps observed by the health check.</summary>
    public int HealthSteps { get; init; } = 30;
    /// <summary>Most steps the overfit-one-batch rung may take.</summary>
    public int OverfitSteps { get; init; } = 300;
    public int OverfitBatch { get; init; } = 16;
    /// <summary>Steps of each control run (real labels, shuffled labels, zero inputs).</summary>
    public int ControlSteps { get; init; } = 60;
    /// <summary>Steps per learning rate in the sweep.</summary>
    public int SweepSteps { get; init; } = 20;
    /// <summary>Held-out test samples the controls are scored on.</summary>
    public int HeldOut { get; init; } = 500;
    public IReadOnlySet<string> Skip { get; init; } = new HashSet<string>();
    /// <summary>When set, the report, gradient table, health overlay (DOT) and montage are written here.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Builds the optimiser; default: <see cref="Training.OptimizerFactory"/> with the settings above.</summary>
    public Func<IReadOnlyList<Node<float>>, Optimizer>? OptimizerFactory { get; init; }
    /// <summary>The loss; default: softmax cross-entropy (batch mean) with <see cref="LabelSmoothing"/>.</summary>
    public ILossFunction? Loss { get; init; }

    public ILossFunction LossFunction => Loss ?? new CrossEntropyLoss(LabelSmoothing);

    public Optimizer CreateOptimizer(IReadOnlyList<Node<float>> parameters) => OptimizerFactory is { } f
        ? f(parameters)
        : Training.OptimizerFactory.Create(Optimizer, parameters, Momentum, WeightDecay);

    /// <summary>The doctor's settings for a run with these train options.</summary>
    public static DoctorOptions FromTrainOptions(TrainOptions train) => new()
    {
        BatchSize = train.BatchSize, LearningRate = train.LearningRate, Optimizer = train.Optimizer, Momentum = train.Momentum,
        WeightDecay = train.WeightDecay, ClipNorm = train.ClipNorm, LabelSmoothing = train.LabelSmoothing, Seed = train.Seed, Compute = train.Compute,
    };

    public bool Runs(string part) => !Skip.Contains(part);

    public void Validate()
    {
        if (BatchSize < 1) throw new AutoGradException($"`{nameof(BatchSize)}` must be at least 1 (got {BatchSize})");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new AutoGradException($"`{nameof(LearningRate)}` must be a positive number (got {LearningRate})");
        if (OptimizerFactory is null && !Training.OptimizerFactory.Names.Contains(Optimizer))
            throw new AutoGradException($"`{nameof(Optimizer)}`: unknown optimiser '{Optimizer}' (expected one of {string.Join(", ", Training.OptimizerFactory.Names)})");
        if (!NormalizationSources.Contains(Normalization))
            throw new AutoGradException($"`{nameof(Normalization)}`: expected one of {string.Join(", ", NormalizationSources)}, got '{Normalization}'");
        foreach (string part in Skip)
            if (!Parts.Contains(part)) throw new AutoGradException($"`{nameof(Skip)}`: unknown part '{part}' (expected some of {string.Join(", ", Parts)})");
        if (AuditSamples < 1 || HealthSteps < 2 || OverfitSteps < 1 || OverfitBatch < 1 || ControlSteps < 1 || SweepSteps < 5 || HeldOut < 1)
            throw new AutoGradException("doctor: samples must be ≥ 1, health steps ≥ 2 and sweep steps ≥ 5");
        if (ClipNorm < 0) throw new AutoGradException($"`{nameof(ClipNorm)}` must be ≥ 0 (got {ClipNorm})");
        if (LabelSmoothing is < 0 or >= 1) throw new AutoGradException($"`{nameof(LabelSmoothing)}` must be in [0, 1) (got {LabelSmoothing})");
    }
}
