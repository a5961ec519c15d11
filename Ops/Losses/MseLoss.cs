namespace AutoGrad.Ops;

/// <summary>Mean squared error (1/n)Σ(a − b)² over all elements (equal shapes). ∂/∂a = 2(a − b)/n, ∂/∂b = −∂/∂a.</summary>
[Op("mse_loss")]
public static class MseLoss
{
    /// <summary>Records the scalar mean squared error between <paramref name="prediction"/> and <paramref name="target"/>, with its VJP.</summary>
    public static Node<T> Apply<T>(Node<T> prediction, Node<T> target) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!prediction.Value.SameShape(target.Value))
            throw new AutoGradException($"mse_loss shapes differ: {Shapes.Format(prediction.Shape)} vs {Shapes.Format(target.Shape)}");
        var diff = TensorPool.Rent<T>(prediction.Shape, clear: true);
        TP.Subtract(prediction.Value.Data, target.Value.Data, diff.Data);
        T count = T.CreateTruncating(Math.Max(1, diff.Length));
        var loss = Tensor<T>.Scalar(TP.SumOfSquares<T>(diff.Data) / count);
        return Node<T>.FromOp("mse_loss", loss, [prediction, target], grad =>
        {
            var ga = TensorPool.Rent<T>(diff.Shape, clear: true);
            TP.Multiply(diff.Data, T.CreateTruncating(2) * grad.Data[0] / count, ga.Data);
            Tensor<T>? gb = null;
            if (target.RequiresGrad) { gb = TensorPool.Rent<T>(diff.Shape, clear: true); TP.Negate(ga.Data, gb.Data); }
            return [ga, gb];
        });
    }
}
