using AutoGrad.Models.Data;

namespace AutoGrad.Models.Training;

/// <summary>Everything that shapes a training run.</summary>
public sealed record TrainOptions
{
    public int Epochs { get; init; } = 10;
    public int BatchSize { get; init; } = 64;
    public double LearningRate { get; init; } = 0.05;
    public string Optimizer { get; init; } = "momentum";
    public double Momentum { get; init; } = 0.9;
    public double WeightDecay { get; init; } = 5e-4;
    /// <summary>constant, cosine, or step:EVERY[:GAMMA].</summary>
    public string Schedule { get; init; } = "cosine";
    public double WarmupEpochs { get; init; }
    /// <summary>Shorthand for random crop with padding 2 and horizontal flip (see <see cref="Augmentation"/>).</summary>
    public bool Augment { get; init; }
    /// <summary>Random-crop padding in pixels (0: none, or 2 when <see cref="Augment"/>).</summary>
    public int CropPadding { get; init; }
    /// <summary>Mirror left-right with probability 0.5 (also on when <see cref="Augment"/>).</summary>
    public bool Flip { get; init; }
    /// <summary>Probability of random erasing per training image (0: off).</summary>
    public double RandomErasing { get; init; }
    public int Seed { get; init; } = 1;
    public double ClipNorm { get; init; }
    public double LabelSmoothing { get; init; }
    /// <summary>Worker threads for kernels (and data loading); a resume may change it.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
    /// <summary>Which kernels float convolutions take; not part of a run's identity (a resume may change it), so not saved.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ConvAlgorithm Convolution { get; init; } = ConvAlgorithm.Auto;
    /// <summary>Also checkpoint every N steps (0: only at the end of each epoch).</summary>
    public int CheckpointEvery { get; init; }
    public required string OutputDirectory { get; init; }
    /// <summary>Data-parallel processes the run trains on (1: a single process); a resume needs the same count.</summary>
    public int Ranks { get; init; } = 1;
    /// <summary>Stop when the evaluated split's accuracy has not improved for this many epochs (0: off); see <see cref="EarlyStopping"/>.</summary>
    public int EarlyStop { get; init; }
    /// <summary>Decay of an exponential moving average of the weights that is evaluated and saved (0: off); see <see cref="WeightAverage"/>.</summary>
    public double Ema { get; init; }
    /// <summary>The data set the run trains on (a name or folder), recorded so a resume uses the same.</summary>
    public string? Data { get; init; }

    /// <summary>
    /// The options a resume runs with: this run's saved settings, except <see cref="Epochs"/> (to extend the run),
    /// <see cref="Threads"/>, <see cref="Convolution"/>, <see cref="CheckpointEvery"/> and the folder. A setting in
    /// <paramref name="given"/> (property names, e.g. <c>LearningRate</c>) whose requested value differs from the saved
    /// one is refused: a resume never silently switches optimiser, rate or data order.
    /// </summary>
    public TrainOptions ForResume(TrainOptions requested, IReadOnlySet<string> given, string directory)
    {
        var merged = this with
        {
            OutputDirectory = directory, Threads = requested.Threads, Convolution = requested.Convolution, CheckpointEvery = requested.CheckpointEvery,
            Epochs = given.Contains(nameof(Epochs)) ? requested.Epochs : Epochs,
        };
        var mine = System.Text.Json.JsonSerializer.SerializeToElement(merged);
        var theirs = System.Text.Json.JsonSerializer.SerializeToElement(requested);
        foreach (string property in given.Where(p => p is not (nameof(Epochs) or nameof(Threads) or nameof(CheckpointEvery) or nameof(OutputDirectory))))
        {
            if (!mine.TryGetProperty(property, out var savedValue))
                throw new ArgumentException($"'{property}' is not a saved training option", nameof(given));
            string saved = savedValue.GetRawText(), asked = theirs.GetProperty(property).GetRawText();
            if (saved != asked)
                throw new AutoGradException($"`{property}`: the run in {directory} was started with {saved}; a resume keeps the run's settings (only `{nameof(Epochs)}`, `{nameof(Threads)}` and `{nameof(CheckpointEvery)}` may change)");
        }
        return merged;
    }

    /// <summary>The training-time augmentation these settings ask for: <see cref="Augment"/> is crop 2 plus flip, and
    /// <see cref="CropPadding"/>, <see cref="Flip"/> and <see cref="RandomErasing"/> set or add to it.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Augmentation Augmentation =>
        new(CropPadding > 0 ? CropPadding : Augment ? 2 : 0, Flip || Augment, RandomErasing);

    /// <summary>The kernel settings the run's steps use (made current by <see cref="Trainer.Run"/>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ComputeSettings Compute => new() { Threads = Threads, Convolution = Convolution };

    /// <summary>The settings as JSON, stored in checkpoints (metadata <c>autograd.options</c>) for <see cref="ResumedRun"/>.</summary>
    public string ToJson() => System.Text.Json.JsonSerializer.Serialize(this);

    public static TrainOptions FromJson(string json, string source)
    {
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<TrainOptions>(json) ?? throw new System.Text.Json.JsonException("null");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new AutoGradException($"{source}: malformed training options: {e.Message.Split('\n')[0]}");
        }
    }

    public void Validate()
    {
        if (Epochs < 1) throw new AutoGradException($"`{nameof(Epochs)}` must be at least 1 (got {Epochs})");
        if (BatchSize < 1) throw new AutoGradException($"`{nameof(BatchSize)}` must be at least 1 (got {BatchSize})");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new AutoGradException($"`{nameof(LearningRate)}` must be a positive number (got {LearningRate})");
        if (ClipNorm < 0) throw new AutoGradException($"`{nameof(ClipNorm)}` must be ≥ 0 (got {ClipNorm})");
        if (LabelSmoothing is < 0 or >= 1) throw new AutoGradException($"`{nameof(LabelSmoothing)}` must be in [0, 1) (got {LabelSmoothing})");
        if (CheckpointEvery < 0) throw new AutoGradException($"`{nameof(CheckpointEvery)}` must be ≥ 0 (got {CheckpointEvery})");
        if (EarlyStop < 0) throw new AutoGradException($"`{nameof(EarlyStop)}` must be ≥ 0 (got {EarlyStop})");
        if (CropPadding < 0) throw new AutoGradException($"`{nameof(CropPadding)}` must be ≥ 0 (got {CropPadding})");
        if (!(RandomErasing is >= 0 and <= 1)) throw new AutoGradException($"`{nameof(RandomErasing)}` must be in [0, 1] (got {RandomErasing})");
        if (!(Ema >= 0 && Ema < 1)) throw new AutoGradException($"`{nameof(Ema)}` must be in [0, 1) (got {Ema})");
        if (Threads < 1) throw new AutoGradException($"`{nameof(Threads)}` must be at least 1 (got {Threads})");
    }
}
