using System.Globalization;
using AutoGrad.Ops.Kernels;

namespace AutoGrad.Ops;

/// <summary>
/// Fused softmax + cross-entropy from raw logits [N, C] (do not apply softmax first: that was the report's
/// double softmax). Per sample, with log pᵢ = zᵢ − logsumexp(z) and target q = (1−ε)·onehot(y) + ε/C:
/// ℓ = −Σᵢ qᵢ log pᵢ; the loss is the batch mean. VJP: ∂L/∂z = g·(softmax(z) − q)/N.
/// </summary>
[Op("softmax_cross_entropy")]
public static class SoftmaxCrossEntropy
{
    /// <summary>Records the scalar mean cross-entropy of softmax(<paramref name="logits"/>) against <paramref name="labels"/>, with
    /// <paramref name="labelSmoothing"/> of the target mass spread evenly over the classes; with its VJP.</summary>
    public static Node<T> Apply<T>(Node<T> logits, int[] labels, double labelSmoothing = 0) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (batch, classes) = Labels.Check(logits.Value, labels, "softmax_cross_entropy");
        if (labelSmoothing < 0 || labelSmoothing >= 1) throw new AutoGradException($"label smoothing must be in [0, 1), got {labelSmoothing}");
        T eps = T.CreateTruncating(labelSmoothing), off = eps / T.CreateTruncating(classes), on = T.One - eps + off;
        var probs = TensorPool.Rent<T>(logits.Shape, clear: false);
        T total = T.Zero;
        var z = logits.Value.Data;
        for (int n = 0; n < batch; n++)
        {
            var row = z.AsSpan(n * classes, classes);
            var p = probs.Data.AsSpan(n * classes, classes);
            T sum = LogSumExp.ShiftedExp<T>(row, p, out T max);
            T lse = max + T.Log(sum);
            TP.Divide(p, sum, p);
            // −Σ q log p = lse − (1−ε)·z_y − (ε/C)·Σz
            total += lse - (T.One - eps) * row[labels[n]] - off * TP.Sum<T>(row);
        }
        var loss = Tensor<T>.Scalar(total / T.CreateTruncating(batch));
        var attrs = new Dictionary<string, string> { ["smoothing"] = labelSmoothing.ToString(CultureInfo.InvariantCulture) };
        return Node<T>.FromOp("softmax_cross_entropy", loss, [logits], grad =>
        {
            T scale = grad.Data[0] / T.CreateTruncating(batch);
            var g = TensorPool.Rent<T>(logits.Shape, clear: false);
            for (int n = 0; n < batch; n++)
            {
                var d = g.Data.AsSpan(n * classes, classes);
                TP.Subtract(probs.Data.AsSpan(n * classes, classes), off, d);
                d[labels[n]] -= on - off;
                TP.Multiply(d, scale, d);
            }
            return [g];
        }, attrs, [probs.Data]);
    }
}
