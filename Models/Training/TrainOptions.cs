namespace AutoGrad.Models.Training;

/// <summary>Everything that shapes a training run (the CLI's train flags).</summary>
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
    public bool Augment { get; init; }
    public int Seed { get; init; } = 1;
    public double ClipNorm { get; init; }
    public double LabelSmoothing { get; init; }
    public int Threads { get; init; } = Environment.ProcessorCount;
    /// <summary>Also checkpoint every N steps (0: only at the end of each epoch).</summary>
    public int CheckpointEvery { get; init; }
    public required string OutputDirectory { get; init; }
    /// <summary>Data-parallel processes the run trains on (1: a single process); a resume needs the same count.</summary>
    public int Ranks { get; init; } = 1;
    /// <summary>The data set the run trains on (a name or folder), recorded so a resume uses the same.</summary>
    public string? Data { get; init; }

    /// <summary>
    /// The options a resume runs with: this run's saved settings, except --epochs (to extend the run),
    /// --threads, --checkpoint-every and the folder. A flag in <paramref name="givenFlags"/> (CLI names, e.g.
    /// "lr") whose value differs from the saved one is refused: a resume never silently switches optimiser,
    /// rate or data order.
    /// </summary>
    public TrainOptions ForResume(TrainOptions flags, IReadOnlySet<string> givenFlags, string directory)
    {
        var merged = this with
        {
            OutputDirectory = directory, Threads = flags.Threads, CheckpointEvery = flags.CheckpointEvery,
            Epochs = givenFlags.Contains("epochs") ? flags.Epochs : Epochs,
        };
        var mine = System.Text.Json.JsonSerializer.SerializeToElement(merged);
        var theirs = System.Text.Json.JsonSerializer.SerializeToElement(flags);
        foreach (string flag in givenFlags.Where(f => f != "epochs"))
        {
            string property = flag switch
            {
                "batch" => nameof(BatchSize), "lr" => nameof(LearningRate), "weight-decay" => nameof(WeightDecay),
                "warmup" => nameof(WarmupEpochs), "clip" => nameof(ClipNorm), "label-smoothing" => nameof(LabelSmoothing),
                _ => char.ToUpperInvariant(flag[0]) + flag[1..],
            };
            string saved = mine.GetProperty(property).GetRawText(), given = theirs.GetProperty(property).GetRawText();
            if (saved != given)
                throw new AutoGradException($"--{flag}: the run in {directory} was started with {saved}; a resume keeps the run's settings (only --epochs, --threads and --checkpoint-every may change)");
        }
        return merged;
    }

    /// <summary>The settings as JSON, stored in checkpoints (metadata <c>autograd.options</c>) for <c>--resume</c>.</summary>
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
        if (Epochs < 1) throw new AutoGradException($"--epochs must be at least 1 (got {Epochs})");
        if (BatchSize < 1) throw new AutoGradException($"--batch must be at least 1 (got {BatchSize})");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new AutoGradException($"--lr must be a positive number (got {LearningRate})");
        if (ClipNorm < 0) throw new AutoGradException($"--clip must be ≥ 0 (got {ClipNorm})");
        if (LabelSmoothing is < 0 or >= 1) throw new AutoGradException($"--label-smoothing must be in [0, 1) (got {LabelSmoothing})");
        if (CheckpointEvery < 0) throw new AutoGradException($"--checkpoint-every must be ≥ 0 (got {CheckpointEvery})");
        if (Threads < 1) throw new AutoGradException($"--threads must be at least 1 (got {Threads})");
    }
}
