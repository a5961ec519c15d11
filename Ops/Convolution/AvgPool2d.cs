using AutoGrad.Ops.Kernels;

namespace AutoGrad.Ops;

/// <summary>Average pooling over kernel×kernel windows (stride default = kernel), NCHW, no padding. ∂/∂x = G/k² spread over each window.</summary>
[Op("avg_pool2d")]
public static class AvgPool2d
{
    /// <summary>Averages each <paramref name="kernel"/>² window of <paramref name="x"/> [N, C, H, W], stepping by <paramref name="stride"/> (default: the kernel).</summary>
    public static Node<T> Apply<T>(Node<T> x, int kernel = 2, int? stride = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (g, planes) = Pooling.Geometry(x.Value, kernel, stride ?? kernel, "avg_pool2d");
        int outPlane = g.OutHeight * g.OutWidth;
        var output = TensorPool.Rent<T>([x.Shape[0], x.Shape[1], g.OutHeight, g.OutWidth], clear: true);
        var xd = x.Value.Data;
        for (int p = 0; p < planes; p++)
            PoolKernels.AvgForward<T>(xd.AsSpan(p * g.PlaneSize, g.PlaneSize), g, output.Data.AsSpan(p * outPlane, outPlane));
        var inputShape = x.Shape;
        return Node<T>.FromOp("avg_pool2d", output, [x], grad =>
        {
            var gx = TensorPool.Rent<T>(inputShape, clear: true);
            for (int p = 0; p < planes; p++)
                PoolKernels.AvgBackward<T>(grad.Data.AsSpan(p * outPlane, outPlane), g, gx.Data.AsSpan(p * g.PlaneSize, g.PlaneSize));
            return [gx];
        }, Pooling.Attributes(kernel, stride ?? kernel));
    }
}
