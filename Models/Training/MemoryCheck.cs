using AutoGrad.Models.Inspection;

namespace AutoGrad.Models.Training;

/// <summary>
/// Refuses, before training starts, a batch whose working set cannot fit: parameters with their gradient and
/// two optimiser buffers (4 copies), plus the activations a step keeps for backward and their gradients
/// (about 3× the forward activations), all float32, against the memory the GC may use.
/// </summary>
public static class MemoryCheck
{
    public static long EstimateBytes(Model<float> model, int batch)
    {
        long activations = ModelSummary.Rows(model).Sum(r => r.ActivationBytes) + Shapes.Size(model.InputShape) * 4L;
        return model.ParameterCount * 4 * 4 + activations * batch * 3;
    }

    public static void EnsureFits(Model<float> model, int batch, long? available = null)
    {
        long need = EstimateBytes(model, batch);
        long limit = available ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (need > limit * 0.9)
            throw new AutoGradException($"`BatchSize` {batch}: a training step of {model.Spec.Name} needs about {ModelSummary.Bytes(need)} but only {ModelSummary.Bytes(limit)} is available; lower `BatchSize`");
    }
}
