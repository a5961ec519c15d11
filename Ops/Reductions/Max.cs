namespace AutoGrad.Ops;

/// <summary>
/// Maximum over <c>axes</c> (all when null). The gradient goes to the arg-max only; on ties, to the first
/// maximum in row-major order (one element, so the gradient's total is preserved).
/// </summary>
[Op("max")]
public static class Max
{
    /// <summary>Records the maximum over <paramref name="axes"/> (all when null), keeping them as size 1 when <paramref name="keepDims"/>, with its VJP.</summary>
    public static Node<T> Apply<T>(Node<T> x, int[]? axes = null, bool keepDims = false) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var r = ReduceAxes.Of(x.Shape, axes, keepDims);
        var input = x.Value;
        var kept = TensorPool.Rent<T>(r.KeptShape, clear: true);
        kept.Data.AsSpan().Fill(T.NegativeInfinity);
        var argmax = new int[kept.Length];
        var src = input.Data; var dst = kept.Data;
        Unbroadcast.ForEachOffset(input.Shape, Unbroadcast.AlignedStrides(r.KeptShape, input.Shape), (offset, outOffset, run, step) =>
        {
            for (int i = 0; i < run; i++)
            {
                int o = outOffset + i * step;
                if (src[offset + i] > dst[o] || (T.IsNaN(src[offset + i]) && !T.IsNaN(dst[o]))) { dst[o] = src[offset + i]; argmax[o] = offset + i; }
            }
        });
        return Node<T>.FromOp("max", kept.Reshape(r.OutputShape), [x], grad =>
        {
            var g = TensorPool.Rent<T>(input.Shape, clear: true);
            for (int o = 0; o < argmax.Length; o++) g.Data[argmax[o]] += grad.Data[o];
            return [g];
        }, r.Attributes(keepDims));
    }
}
