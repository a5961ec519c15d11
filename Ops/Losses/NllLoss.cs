namespace AutoGrad.Ops;

/// <summary>Negative log-likelihood of log-probabilities [N, C] (e.g. from log_softmax): −(1/N)Σₙ logp[n, yₙ]. ∂/∂logp[n, yₙ] = −g/N, 0 elsewhere.</summary>
[Op("nll_loss")]
public static class NllLoss
{
    /// <summary>Records the scalar mean negative log-likelihood of <paramref name="labels"/> (one class index per row), with its VJP.</summary>
    public static Node<T> Apply<T>(Node<T> logProbs, int[] labels) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (batch, classes) = Labels.Check(logProbs.Value, labels, "nll_loss");
        T total = T.Zero;
        for (int n = 0; n < batch; n++) total -= logProbs.Value.Data[n * classes + labels[n]];
        T count = T.CreateTruncating(batch);
        return Node<T>.FromOp("nll_loss", Tensor<T>.Scalar(total / count), [logProbs], grad =>
        {
            var g = TensorPool.Rent<T>(logProbs.Shape, clear: true);
            for (int n = 0; n < batch; n++) g.Data[n * classes + labels[n]] = -grad.Data[0] / count;
            return [g];
        });
    }
}
