using AutoGrad.Models;
using AutoGrad.Models.Data;
using AutoGrad.Models.IO;
using AutoGrad.Models.Layers;
using AutoGrad.Models.Specs;

namespace AutoGrad.Tests.Models.Export;

/// <summary>Randomly initialised checkpoints for export tests, with the embedded data set's class names.</summary>
public static class ExportCheckpoints
{
    /// <summary>Per-channel statistics that differ by channel, so folding them into the graph per channel is tested.</summary>
    public static Normalization Normalization(int channels) => channels == 1
        ? new([0.2860f], [0.3530f])
        : new([0.20f, 0.30f, 0.45f], [0.25f, 0.30f, 0.35f]);

    public static Checkpoint Random(ModelSpec spec, int seed = 3)
    {
        var model = ModelBuilder.Build<float>(spec, ExportSamples.Classes.Count, seed);
        return new Checkpoint(model, ExportSamples.Classes, Normalization(spec.Channels));
    }

    /// <summary>Gives every batch norm layer random γ, β and running statistics, as training would, instead of 1, 0, 0, 1.</summary>
    public static void RandomizeBatchNorm(Model<float> model, int seed)
    {
        var rng = new Random(seed);
        var blocks = model.Layers.OfType<ResidualLayer<float>>().SelectMany(r =>
            r.Shortcut is { } s ? new[] { r.Main.Norm1, r.Main.Norm2, s.Norm } : [r.Main.Norm1, r.Main.Norm2]);
        foreach (var bn in model.Layers.OfType<BatchNormLayer<float>>().Concat(blocks))
            for (int c = 0; c < bn.State.Channels; c++)
            {
                bn.Gamma.Data[c] = (float)(0.5 + rng.NextDouble());
                bn.Beta.Data[c] = (float)(rng.NextDouble() - 0.5);
                bn.State.RunningMean.Data[c] = (float)(rng.NextDouble() - 0.5);
                bn.State.RunningVar.Data[c] = (float)(0.3 + 2 * rng.NextDouble());
            }
    }
}
