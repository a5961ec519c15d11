using AutoGrad.Models.Inspection;
using AutoGrad.Models.Specs;

namespace AutoGrad.Models.Training;

/// <summary>The float32 bytes a training step holds, by what holds them.</summary>
public sealed record MemoryNeed(long Parameters, long Gradients, long OptimizerState, long Activations)
{
    public long Total => Parameters + Gradients + OptimizerState + Activations;
}

/// <summary>
/// Refuses, before any parameter is allocated or image decoded, a training run whose working set cannot fit:
/// the parameters, their gradients and the optimiser's state (none for sgd, a velocity for momentum and
/// nesterov, two moments for adam and adamw), plus per batch the activations a step keeps for backward and
/// their gradients (about 3× the forward activations), all float32, against the memory the GC may use.
/// Everything is computed from the spec (<see cref="ModelBuilder.Footprint"/>), so a model whose parameters
/// alone need 31 GiB is refused in milliseconds.
/// </summary>
public static class MemoryCheck
{
    public static MemoryNeed Estimate(ModelSpec spec, int classes, int batch, string optimizer)
    {
        var (parameters, activations) = ModelBuilder.Footprint(spec, classes);
        return new MemoryNeed(parameters * 4, parameters * 4, parameters * 4 * OptimizerFactory.StateCopies(optimizer), activations * batch * 3);
    }

    /// <summary>
    /// The same check for a caller that already holds a model (the trainer's own guard, for library users who
    /// build the model themselves); counts two optimiser buffers unless told the optimiser. The CLI checks
    /// earlier, from the spec, before anything is decoded or allocated.
    /// </summary>
    public static void EnsureFits(Model<float> model, int batch, string optimizer = "adam", long? available = null) =>
        EnsureFits(model.Spec, model.Classes, batch, optimizer, available);

    /// <summary>
    /// Throws when the estimate exceeds 90% of <paramref name="available"/> (default: what the GC may use),
    /// naming each part and the advice that can help: a smaller batch only when the activations are the
    /// larger part, else a smaller model (or an optimiser with less state when that alone would fit).
    /// </summary>
    public static void EnsureFits(ModelSpec spec, int classes, int batch, string optimizer, long? available = null)
    {
        var need = Estimate(spec, classes, batch, optimizer);
        long limit = available ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        double usable = limit * 0.9;
        if (need.Total <= usable) return;
        long model = need.Parameters + need.Gradients + need.OptimizerState;
        long fittingBatch = model < usable ? (long)((usable - model) / Math.Max(1, need.Activations / batch)) : 0;
        string advice =
            model >= usable ? "use a smaller model (fewer or narrower layers): the parameters, their gradients and the optimiser state alone do not fit"
            : need.Activations > model ? $"use a smaller `BatchSize` (about {fittingBatch} fits)"
            : need.Parameters + need.Gradients + need.Activations <= usable ? "use an `Optimizer` with less state (sgd keeps none, momentum one copy) or a smaller model"
            : $"use a smaller model, or a smaller `BatchSize` (about {fittingBatch} fits)";
        static string B(long bytes) => ModelSummary.Bytes(bytes);
        throw new AutoGradException($"a training step of {spec.Name} at `BatchSize` {batch} needs about {B(need.Total)} but only {B(limit)} is available: " +
            $"parameters {B(need.Parameters)}, gradients {B(need.Gradients)}, {optimizer} state {B(need.OptimizerState)}, activations {B(need.Activations)} per batch; {advice}");
    }
}
