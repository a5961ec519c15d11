namespace AutoGrad.Ops.Kernels;

/// <summary>
/// Unfolds output rows [oy0, oy1) of one image (C×H×W) into columns of the matrix col[(c,ky,kx), position]
/// so a convolution becomes one GEMM, and folds such columns back (summing overlaps) for the input
/// gradient. A band of rows lets the caller keep col small enough to stay in L2, and several images can
/// share one col matrix side by side (<c>ld</c> is col's row length, <c>at</c> the first column). Zero
/// padding is implicit.
/// </summary>
public static class Im2Col
{
    /// <summary>Writes the im2col columns of output rows [<paramref name="oy0"/>, <paramref name="oy1"/>) of <paramref name="image"/> into <paramref name="col"/> from column <paramref name="at"/> (row length <paramref name="ld"/>).</summary>
    public static void UnfoldRows<T>(ReadOnlySpan<T> image, in ConvGeometry g, int oy0, int oy1, Span<T> col, int ld, int at)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int ow = g.OutWidth, row = 0;
        for (int c = 0; c < g.Channels; c++)
        {
            var plane = image.Slice(c * g.PlaneSize, g.PlaneSize);
            for (int ky = 0; ky < g.KernelH; ky++)
                for (int kx = 0; kx < g.KernelW; kx++, row++)
                    for (int oy = oy0; oy < oy1; oy++)
                    {
                        int y = oy * g.Stride - g.Padding + ky;
                        var line = col.Slice(row * ld + at + (oy - oy0) * ow, ow);
                        if ((uint)y >= (uint)g.Height) { line.Clear(); continue; }
                        var src = plane.Slice(y * g.Width, g.Width);
                        if (g.Stride == 1)
                        {
                            // Contiguous run: copy the in-bounds part, zero the padded edges.
                            int x0 = kx - g.Padding;
                            int lo = Math.Max(0, -x0), hi = Math.Min(ow, g.Width - x0);
                            if (lo > 0) line[..Math.Min(lo, ow)].Clear();
                            if (hi > lo) src.Slice(x0 + lo, hi - lo).CopyTo(line[lo..hi]);
                            if (hi < ow) line[Math.Max(hi, 0)..].Clear();
                        }
                        else
                            for (int ox = 0; ox < ow; ox++)
                            {
                                int x = ox * g.Stride - g.Padding + kx;
                                line[ox] = (uint)x < (uint)g.Width ? src[x] : T.Zero;
                            }
                    }
        }
    }

    /// <summary>The adjoint of <see cref="UnfoldRows"/>: adds each column entry back to the input pixel it was read from (overlaps sum).</summary>
    public static void FoldRows<T>(ReadOnlySpan<T> col, int ld, int at, in ConvGeometry g, int oy0, int oy1, Span<T> image)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int ow = g.OutWidth, row = 0;
        for (int c = 0; c < g.Channels; c++)
        {
            var plane = image.Slice(c * g.PlaneSize, g.PlaneSize);
            for (int ky = 0; ky < g.KernelH; ky++)
                for (int kx = 0; kx < g.KernelW; kx++, row++)
                    for (int oy = oy0; oy < oy1; oy++)
                    {
                        int y = oy * g.Stride - g.Padding + ky;
                        if ((uint)y >= (uint)g.Height) continue;
                        var dst = plane.Slice(y * g.Width, g.Width);
                        var line = col.Slice(row * ld + at + (oy - oy0) * ow, ow);
                        if (g.Stride == 1)
                        {
                            int x0 = kx - g.Padding;
                            int lo = Math.Max(0, -x0), hi = Math.Min(ow, g.Width - x0);
                            if (hi > lo) TP.Add(dst.Slice(x0 + lo, hi - lo), line[lo..hi], dst.Slice(x0 + lo, hi - lo));
                        }
                        else
                            for (int ox = 0; ox < ow; ox++)
                            {
                                int x = ox * g.Stride - g.Padding + kx;
                                if ((uint)x < (uint)g.Width) dst[x] += line[ox];
                            }
                    }
        }
    }
}
