namespace AutoGrad.Ops;

/// <summary>Σ over <c>axes</c> (all when null). ∂/∂x = 1: the gradient is broadcast back over the summed axes.</summary>
[Op("sum")]
public static class Sum
{
    /// <summary>Records the sum over <paramref name="axes"/> (all when null), keeping them as size 1 when <paramref name="keepDims"/>, with its VJP.</summary>
    public static Node<T> Apply<T>(Node<T> x, int[]? axes = null, bool keepDims = false) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var r = ReduceAxes.Of(x.Shape, axes, keepDims);
        var inputShape = x.Shape;
        var output = Unbroadcast.ReduceTo(x.Value, r.KeptShape).Reshape(r.OutputShape);
        return Node<T>.FromOp("sum", output, [x], grad => [Unbroadcast.ExpandTo(grad.Reshape(r.KeptShape), inputShape)], r.Attributes(keepDims));
    }
}
