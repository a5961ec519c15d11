using System.Runtime.InteropServices;

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
        if (g.KernelH == 2 && g.KernelW == 2 && g.Stride == 2) { Max2x2(plane, g, output, argmax); return; }
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

    /// <summary>The common 2×2, stride-2 window unrolled; same tie and NaN rules as the general loop.</summary>
    private static void Max2x2<T>(ReadOnlySpan<T> plane, in ConvGeometry g, Span<T> output, Span<int> argmax)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && MaxPool2x2Avx512.IsSupported)
        {
            MaxPool2x2Avx512.Forward(MemoryMarshal.Cast<T, float>(plane), g.Width, g.OutHeight, g.OutWidth,
                MemoryMarshal.Cast<T, float>(output), argmax);
            return;
        }
        int ow = g.OutWidth, w = g.Width;
        for (int oy = 0; oy < g.OutHeight; oy++)
        {
            int top = 2 * oy * w;
            var r0 = plane.Slice(top, w);
            var r1 = plane.Slice(top + w, w);
            var o = output.Slice(oy * ow, ow);
            var a = argmax.Slice(oy * ow, ow);
            for (int ox = 0; ox < ow; ox++)
            {
                int x = 2 * ox, best = x;
                T max = r0[x], v = r0[x + 1];
                if (v > max || (T.IsNaN(v) && !T.IsNaN(max))) { max = v; best = x + 1; }
                v = r1[x];
                if (v > max || (T.IsNaN(v) && !T.IsNaN(max))) { max = v; best = x + w; }
                v = r1[x + 1];
                if (v > max || (T.IsNaN(v) && !T.IsNaN(max))) { max = v; best = x + w + 1; }
                o[ox] = max;
                a[ox] = top + best;
            }
        }
    }

    /// <summary>Mean over each window of <paramref name="plane"/> into <paramref name="output"/>.</summary>
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

    /// <summary>Adds each output gradient, divided by the window size, to every input of its window in <paramref name="planeGrad"/>.</summary>
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
