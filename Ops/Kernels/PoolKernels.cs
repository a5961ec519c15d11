namespace AutoGrad.Ops.Kernels;

/// <summary>Max and average pooling over one H×W plane (no padding). Windows may overlap.</summary>
public static class PoolKernels
{
    /// <summary>
    /// Max over each window; <paramref name="argmax"/> receives the winning input offset. Ties go to the
    /// first maximum in row-major window order, so exactly one input receives that window's gradient.
    /// NaN propagates (a NaN input wins its window) so a bad activation is not hidden.
    /// </summary>
    public static void MaxForward<T>(ReadOnlySpan<T> plane, in ConvGeometry g, Span<T> output, Span<int> argmax)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int ow = g.OutWidth;
        for (int oy = 0; oy < g.OutHeight; oy++)
            for (int ox = 0; ox < ow; ox++)
            {
                int y0 = oy * g.Stride, x0 = ox * g.Stride;
                int best = y0 * g.Width + x0;
                T max = plane[best];
                for (int ky = 0; ky < g.KernelH; ky++)
                    for (int kx = 0; kx < g.KernelW; kx++)
                    {
                        int at = (y0 + ky) * g.Width + x0 + kx;
                        T v = plane[at];
                        if (v > max || (T.IsNaN(v) && !T.IsNaN(max))) { max = v; best = at; }
                    }
                output[oy * ow + ox] = max;
                argmax[oy * ow + ox] = best;
            }
    }

    public static void AvgForward<T>(ReadOnlySpan<T> plane, in ConvGeometry g, Span<T> output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int ow = g.OutWidth;
        T scale = T.One / T.CreateTruncating(g.KernelH * g.KernelW);
        for (int oy = 0; oy < g.OutHeight; oy++)
            for (int ox = 0; ox < ow; ox++)
            {
                T sum = T.Zero;
                for (int ky = 0; ky < g.KernelH; ky++)
                    sum += TP.Sum(plane.Slice((oy * g.Stride + ky) * g.Width + ox * g.Stride, g.KernelW));
                output[oy * ow + ox] = sum * scale;
            }
    }

    public static void AvgBackward<T>(ReadOnlySpan<T> grad, in ConvGeometry g, Span<T> planeGrad) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int ow = g.OutWidth;
        T scale = T.One / T.CreateTruncating(g.KernelH * g.KernelW);
        for (int oy = 0; oy < g.OutHeight; oy++)
            for (int ox = 0; ox < ow; ox++)
            {
                T share = grad[oy * ow + ox] * scale;
                for (int ky = 0; ky < g.KernelH; ky++)
                {
                    var row = planeGrad.Slice((oy * g.Stride + ky) * g.Width + ox * g.Stride, g.KernelW);
                    TP.Add(row, share, row);
                }
            }
    }
}
