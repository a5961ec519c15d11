using System.Text.RegularExpressions;

namespace AutoGrad.Cli.Commands;

/// <summary>
/// Maps the library's terms to this command line's flags. Library messages name a setting by its property
/// (or parameter) name in backticks, e.g. "`LearningRate` must be a positive number"; the CLI prints the flag
/// instead ("--lr must be a positive number"). A name with no flag loses only its backticks.
/// </summary>
internal static partial class Flags
{
    private static readonly Dictionary<string, string> ByName = new(StringComparer.Ordinal)
    {
        ["Epochs"] = "--epochs", ["BatchSize"] = "--batch", ["LearningRate"] = "--lr", ["Optimizer"] = "--optimizer",
        ["Momentum"] = "--momentum", ["WeightDecay"] = "--weight-decay", ["Schedule"] = "--schedule", ["WarmupEpochs"] = "--warmup",
        ["Augment"] = "--augment", ["CropPadding"] = "--crop", ["Flip"] = "--flip", ["RandomErasing"] = "--erase", ["Seed"] = "--seed", ["ClipNorm"] = "--clip", ["LabelSmoothing"] = "--label-smoothing",
        ["Threads"] = "--threads", ["CheckpointEvery"] = "--checkpoint-every", ["OutputDirectory"] = "--out", ["Data"] = "--data",
        ["Normalization"] = "--normalization", ["Skip"] = "--skip", ["Model"] = "--model", ["Steps"] = "--steps",
        ["Checkpoint"] = "--checkpoint", ["Format"] = "--format", ["SkipBadImages"] = "--on-bad-image skip", ["Resume"] = "--resume",
        ["EarlyStop"] = "--early-stop", ["Ema"] = "--ema", ["Config"] = "--config", ["MinRate"] = "--min-lr", ["MaxRate"] = "--max-lr",
    };

    /// <summary>The flag for a library name, or the name itself when no flag sets it.</summary>
    public static string For(string name) => ByName.GetValueOrDefault(name, name);

    /// <summary>A library message in this command line's words.</summary>
    public static string Render(string message) => Term().Replace(message, m => For(m.Groups[1].Value));

    [GeneratedRegex("`([A-Za-z]+)`")]
    private static partial Regex Term();
}
