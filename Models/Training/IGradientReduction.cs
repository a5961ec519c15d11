namespace AutoGrad.Models.Training;

/// <summary>
/// Combines the parameter gradients of several workers that each ran one <see cref="TrainingStep"/> on their
/// share of a batch (data-parallel training): called once per step after backward and before the gradients are
/// checked, clipped and applied, so every worker checks, clips and applies the same gradients.
/// </summary>
public interface IGradientReduction
{
    /// <summary>
    /// Replaces each parameter's <see cref="Node{T}.Grad"/> (null when the parameter got none this step) by the
    /// combined gradient. Each worker's gradient is that of the mean loss over its own <paramref name="samples"/>;
    /// the mean over the whole batch weights worker w's gradient by samples_w / Σ samples.
    /// </summary>
    void Reduce(IReadOnlyList<Node<float>> parameters, int samples);
}
