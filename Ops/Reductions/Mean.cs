namespace AutoGrad.Ops;

/// <summary>Mean over <c>axes</c> (all when null). ∂/∂x = 1/n, n the number of elements averaged.</summary>
[Op("mean")]
public static class Mean
{
    /// <summary>Records the mean over <paramref name="axes"/> (all when null), keeping them as size 1 when <paramref name="keepDims"/>, with its VJP.</summary>
    public static Node<T> Apply<T>(Node<T> x, int[]? axes = null, bool keepDims = false) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var r = ReduceAxes.Of(x.Shape, axes, keepDims);
        var inputShape = x.Shape;
        T scale = T.One / T.CreateTruncating(Math.Max(1, r.Count));
        var output = Unbroadcast.ReduceTo(x.Value, r.KeptShape).Reshape(r.OutputShape);
        TP.Multiply(output.Data, scale, output.Data);
        return Node<T>.FromOp("mean", output, [x], grad =>
        {
            var g = Unbroadcast.ExpandTo(grad.Reshape(r.KeptShape), inputShape);
            TP.Multiply(g.Data, scale, g.Data);
            return [g];
        }, r.Attributes(keepDims));
    }
}
