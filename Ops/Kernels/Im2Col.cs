namespace AutoGrad.Ops.Kernels;

/// <summary>
/// Unfolds output rows [oy0, oy1) of one image (C×H×W) into columns of the matrix col[(c,ky,kx), position]
/// so a convolution becomes one GEMM, and folds such columns back (summing overlaps) for the input
/// gradient. A band of rows lets the caller keep col small enough to stay in L2, and several images can
/// share one col matrix side by side (<c>ld</c> is col's row length, <c>at</c> the first column). Zero
/// padding is implicit. Strided convolutions first split each input row they read into its s phases
/// (<see cref="StridedRows"/>), so every col row is again one contiguous copy instead of a per-element gather.
/// </summary>
public static class Im2Col
{
    /// <summary>Writes the im2col columns of output rows [<paramref name="oy0"/>, <paramref name="oy1"/>) of <paramref name="image"/> into <paramref name="col"/> from column <paramref name="at"/> (row length <paramref name="ld"/>).</summary>
    public static void UnfoldRows<T>(ReadOnlySpan<T> image, in ConvGeometry g, int oy0, int oy1, Span<T> col, int ld, int at)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (g.Stride > 1) { StridedRows.Unfold(image, g, oy0, oy1, col, ld, at); return; }
        int ow = g.OutWidth, row = 0;
        for (int c = 0; c < g.Channels; c++)
        {
            var plane = image.Slice(c * g.PlaneSize, g.PlaneSize);
            for (int ky = 0; ky < g.KernelH; ky++)
                for (int kx = 0; kx < g.KernelW; kx++, row++)
                {
                    // Contiguous run: copy the in-bounds part, zero the padded edges.
                    int x0 = kx - g.Padding;
                    int lo = Math.Max(0, -x0), hi = Math.Min(ow, g.Width - x0);
                    for (int oy = oy0; oy < oy1; oy++)
                    {
                        int y = oy - g.Padding + ky;
                        var line = col.Slice(row * ld + at + (oy - oy0) * ow, ow);
                        if ((uint)y >= (uint)g.Height) { line.Clear(); continue; }
                        CopyRun(plane.Slice(y * g.Width, g.Width), x0, lo, hi, line);
                    }
                }
        }
    }

    /// <summary>The adjoint of <see cref="UnfoldRows"/>: adds each column entry back to the input pixel it was read from (overlaps sum).</summary>
    public static void FoldRows<T>(ReadOnlySpan<T> col, int ld, int at, in ConvGeometry g, int oy0, int oy1, Span<T> image)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (g.Stride > 1) { StridedRows.Fold(col, ld, at, g, oy0, oy1, image); return; }
        int ow = g.OutWidth, row = 0;
        for (int c = 0; c < g.Channels; c++)
        {
            var plane = image.Slice(c * g.PlaneSize, g.PlaneSize);
            for (int ky = 0; ky < g.KernelH; ky++)
                for (int kx = 0; kx < g.KernelW; kx++, row++)
                {
                    int x0 = kx - g.Padding;
                    int lo = Math.Max(0, -x0), hi = Math.Min(ow, g.Width - x0);
                    if (hi <= lo) continue;
                    for (int oy = oy0; oy < oy1; oy++)
                    {
                        int y = oy - g.Padding + ky;
                        if ((uint)y >= (uint)g.Height) continue;
                        var dst = plane.Slice(y * g.Width + x0 + lo, hi - lo);
                        TP.Add(dst, col.Slice(row * ld + at + (oy - oy0) * ow + lo, hi - lo), dst);
                    }
                }
        }
    }

    /// <summary>line[ox] = src[x0 + ox] for ox in [lo, hi), zero elsewhere (the padding).</summary>
    internal static void CopyRun<T>(ReadOnlySpan<T> src, int x0, int lo, int hi, Span<T> line) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int ow = line.Length;
        if (lo > 0) line[..Math.Min(lo, ow)].Clear();
        if (hi > lo) src.Slice(x0 + lo, hi - lo).CopyTo(line[lo..hi]);
        if (hi < ow) line[Math.Max(hi, 0)..].Clear();
    }
}
