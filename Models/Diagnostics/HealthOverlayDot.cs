using AutoGrad.Models.Data;
using AutoGrad.Models.Specs;

namespace AutoGrad.Models.Diagnostics;

/// <summary>The health overlay of a freshly initialised model on 32 real samples of a data set, as DOT (the health view of a model graph).</summary>
public static class HealthOverlayDot
{
    public static string Render(ModelSpec spec, string data, DoctorOptions? options = null)
    {
        options ??= new DoctorOptions();
        using var splits = DatasetCatalog.Load(data, spec.Channels, spec.Height, spec.Width);
        var recipe = new ModelRecipe(spec, splits.Train.Classes.Count, options.Seed);
        var norm = Doctor.NormalizationFor(splits, options.Normalization);
        var audit = Doctor.Audit(recipe, splits.Train, norm, options);
        var (images, labels) = SampleBatch.Take<float>(splits.Train, norm, SampleBatch.Spread(splits.Train, 32, options.Seed), spec.Input);
        var (graph, style) = HealthOverlay.Build(recipe.Create(options.Seed), images, labels, options.LossFunction, audit);
        return graph.ToDot(style: style);
    }
}
