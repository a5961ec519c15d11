using AutoGrad.Ops;

namespace AutoGrad.Models.Training;

/// <summary>The training loss as a function of logits [N, C] and labels, in any element type (float32 to train, float64 to audit).</summary>
public interface ILossFunction
{
    Node<T> Apply<T>(Node<T> logits, int[] labels) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>The trainer's loss: fused softmax cross-entropy, averaged over the batch.</summary>
public sealed class CrossEntropyLoss(double labelSmoothing = 0) : ILossFunction
{
    public Node<T> Apply<T>(Node<T> logits, int[] labels) where T : unmanaged, IFloatingPointIeee754<T> =>
        SoftmaxCrossEntropy.Apply(logits, labels, labelSmoothing);
}
