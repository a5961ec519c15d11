namespace AutoGrad.Ops.Kernels;

/// <summary>
/// Unfolds one image (C×H×W) into the matrix col[(c,ky,kx), (oy,ox)] so a convolution becomes one GEMM,
/// and folds such a matrix back (summing overlaps) for the input gradient. Zero padding is implicit.
/// </summary>
public static class Im2Col
{
    public static void Unfold<T>(ReadOnlySpan<T> image, in ConvGeometry g, Span<T> col) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int oh = g.OutHeight, ow = g.OutWidth, positions = oh * ow;
        int row = 0;
        for (int c = 0; c < g.Channels; c++)
        {
            var plane = image.Slice(c * g.PlaneSize, g.PlaneSize);
            for (int ky = 0; ky < g.KernelH; ky++)
                for (int kx = 0; kx < g.KernelW; kx++, row++)
                {
                    var dst = col.Slice(row * positions, positions);
                    for (int oy = 0; oy < oh; oy++)
                    {
                        int y = oy * g.Stride - g.Padding + ky;
                        var line = dst.Slice(oy * ow, ow);
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
                        {
                            for (int ox = 0; ox < ow; ox++)
                            {
                                int x = ox * g.Stride - g.Padding + kx;
                                line[ox] = (uint)x < (uint)g.Width ? src[x] : T.Zero;
                            }
                        }
                    }
                }
        }
    }

    /// <summary>Adds the columns of <paramref name="col"/> back into <paramref name="image"/> (which it does not clear).</summary>
    public static void Fold<T>(ReadOnlySpan<T> col, in ConvGeometry g, Span<T> image) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int oh = g.OutHeight, ow = g.OutWidth, positions = oh * ow;
        int row = 0;
        for (int c = 0; c < g.Channels; c++)
        {
            var plane = image.Slice(c * g.PlaneSize, g.PlaneSize);
            for (int ky = 0; ky < g.KernelH; ky++)
                for (int kx = 0; kx < g.KernelW; kx++, row++)
                {
                    var src = col.Slice(row * positions, positions);
                    for (int oy = 0; oy < oh; oy++)
                    {
                        int y = oy * g.Stride - g.Padding + ky;
                        if ((uint)y >= (uint)g.Height) continue;
                        var dst = plane.Slice(y * g.Width, g.Width);
                        var line = src.Slice(oy * ow, ow);
                        if (g.Stride == 1)
                        {
                            int x0 = kx - g.Padding;
                            int lo = Math.Max(0, -x0), hi = Math.Min(ow, g.Width - x0);
                            if (hi > lo) TP.Add(dst.Slice(x0 + lo, hi - lo), line[lo..hi], dst.Slice(x0 + lo, hi - lo));
                        }
                        else
                        {
                            for (int ox = 0; ox < ow; ox++)
                            {
                                int x = ox * g.Stride - g.Padding + kx;
                                if ((uint)x < (uint)g.Width) dst[x] += line[ox];
                            }
                        }
                    }
                }
        }
    }
}
