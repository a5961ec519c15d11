namespace AutoGrad.Ops;

/// <summary>Mean over each H×W plane: [N, C, H, W] → [N, C]. ∂/∂x = G/(H·W) on every position of the plane.</summary>
[Op("global_avg_pool2d")]
public static class GlobalAvgPool2d
{
    /// <summary>The mean of each H×W plane of <paramref name="x"/> [N, C, H, W], giving [N, C].</summary>
    public static Node<T> Apply<T>(Node<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Value.Rank != 4) throw new AutoGradException($"global_avg_pool2d expects NCHW input, got {Shapes.Format(x.Shape)}");
        int n = x.Shape[0], c = x.Shape[1], plane = x.Shape[2] * x.Shape[3];
        T scale = T.One / T.CreateTruncating(plane);
        var output = TensorPool.Rent<T>([n, c], clear: true);
        var xd = x.Value.Data;
        for (int p = 0; p < n * c; p++) output.Data[p] = TP.Sum<T>(xd.AsSpan(p * plane, plane)) * scale;
        var inputShape = x.Shape;
        return Node<T>.FromOp("global_avg_pool2d", output, [x], grad =>
        {
            var gx = TensorPool.Rent<T>(inputShape, clear: true);
            for (int p = 0; p < n * c; p++) gx.Data.AsSpan(p * plane, plane).Fill(grad.Data[p] * scale);
            return [gx];
        });
    }
}
