namespace AutoGrad.Ops;

/// <summary>Checks class labels against logits/log-probabilities of shape [N, C].</summary>
internal static class Labels
{
    public static (int Batch, int Classes) Check<T>(Tensor<T> scores, ReadOnlySpan<int> labels, string op) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (scores.Rank != 2) throw new AutoGradException($"{op} expects scores [N, C], got {Shapes.Format(scores.Shape)}");
        int batch = scores.Shape[0], classes = scores.Shape[1];
        if (labels.Length != batch) throw new AutoGradException($"{op} got {labels.Length} labels for a batch of {batch}");
        for (int i = 0; i < labels.Length; i++)
            if ((uint)labels[i] >= (uint)classes)
                throw new AutoGradException($"{op}: label {labels[i]} at batch index {i} is outside [0, {classes})");
        return (batch, classes);
    }
}
