using AutoGrad.Ops.Kernels;

namespace AutoGrad.Ops;

/// <summary>
/// Max pooling over kernel×kernel windows with a stride (default = kernel), NCHW, no padding; windows
/// that would run past the edge are dropped (floor), as in PyTorch. The gradient of each window goes to
/// its maximum; on ties, to the first maximum in row-major window order. Overlapping windows add up.
/// </summary>
[Op("max_pool2d")]
public static class MaxPool2d
{
    /// <summary>The maximum of each <paramref name="kernel"/>² window of <paramref name="x"/> [N, C, H, W], stepping by <paramref name="stride"/> (default: the kernel).</summary>
    public static Node<T> Apply<T>(Node<T> x, int kernel = 2, int? stride = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (g, planes) = Pooling.Geometry(x.Value, kernel, stride ?? kernel, "max_pool2d");
        int outPlane = g.OutHeight * g.OutWidth;
        var output = TensorPool.Rent<T>([x.Shape[0], x.Shape[1], g.OutHeight, g.OutWidth], clear: false);
        // Saved for backward only: the winning offset inside its plane, per output element.
        var argmax = TensorPool.RentArray<int>(output.Length, clear: false);
        var xd = x.Value.Data;
        Threading.For(planes, 8, (_, start, end) =>
        {
            for (int p = start; p < end; p++)
                PoolKernels.MaxForward<T>(xd.AsSpan(p * g.PlaneSize, g.PlaneSize), g, output.Data.AsSpan(p * outPlane, outPlane), argmax.AsSpan(p * outPlane, outPlane));
        });
        var inputShape = x.Shape;
        return Node<T>.FromOp("max_pool2d", output, [x], grad =>
        {
            var gx = TensorPool.Rent<T>(inputShape, clear: false);
            Threading.For(planes, 8, (_, start, end) =>
            {
                for (int p = start; p < end; p++)
                {
                    // Clearing plane by plane, just before the scatter, keeps the plane in cache for it.
                    var plane = gx.Data.AsSpan(p * g.PlaneSize, g.PlaneSize);
                    plane.Clear();
                    for (int i = p * outPlane; i < (p + 1) * outPlane; i++) plane[argmax[i]] += grad.Data[i];
                }
            });
            return [gx];
        }, Pooling.Attributes(kernel, stride ?? kernel), [argmax]);
    }
}
