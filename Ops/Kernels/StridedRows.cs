using System.Buffers;

namespace AutoGrad.Ops.Kernels;

/// <summary>
/// im2col for stride s &gt; 1. A kernel column kx reads input columns x = ox·s + kx − p, every s-th element: gathered
/// one by one that cost more than the GEMM for a 5×5 stride-2 stem (75 col rows per 32 output channels). So each
/// input row the band reads is first split into its s phases, phase q holding x = q, q + s, q + 2s, …; then
/// x = (ox + off)·s + q with q = (kx − p) mod s and off = (kx − p − q)/s, and every col row is one contiguous
/// copy from phase q, as with stride 1. The split rows are pooled scratch (one channel's band at a time).
/// Unfolding only moves values, so it is exact; folding sums a band into zeroed phases first, then into the
/// image, which regroups overlapping sums (float rounding only).
/// </summary>
internal static class StridedRows
{
    public static void Unfold<T>(ReadOnlySpan<T> image, in ConvGeometry g, int oy0, int oy1, Span<T> col, int ld, int at)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int s = g.Stride, run = (g.Width + s - 1) / s, ow = g.OutWidth, rows = (oy1 - oy0 - 1) * s + g.KernelH, yFirst = oy0 * s - g.Padding, row = 0;
        var split = ArrayPool<T>.Shared.Rent(rows * s * run);
        for (int c = 0; c < g.Channels; c++)
        {
            var plane = image.Slice(c * g.PlaneSize, g.PlaneSize);
            for (int r = 0; r < rows; r++)
            {
                int y = yFirst + r;
                if ((uint)y >= (uint)g.Height) continue;   // never read: such col lines are zeroed below
                var src = plane.Slice(y * g.Width, g.Width);
                var dst = split.AsSpan(r * s * run, s * run);
                for (int q = 0; q < s; q++)
                    for (int x = q, i = q * run; x < src.Length; x += s, i++) dst[i] = src[x];
            }
            for (int ky = 0; ky < g.KernelH; ky++)
                for (int kx = 0; kx < g.KernelW; kx++, row++)
                {
                    var (q, off, lo, hi) = Phase(g, kx);
                    for (int oy = oy0; oy < oy1; oy++)
                    {
                        int y = oy * s - g.Padding + ky, r = y - yFirst;
                        var line = col.Slice(row * ld + at + (oy - oy0) * ow, ow);
                        if ((uint)y >= (uint)g.Height) { line.Clear(); continue; }
                        Im2Col.CopyRun<T>(split.AsSpan((r * s + q) * run, run), off, lo, hi, line);
                    }
                }
        }
        ArrayPool<T>.Shared.Return(split);
    }

    public static void Fold<T>(ReadOnlySpan<T> col, int ld, int at, in ConvGeometry g, int oy0, int oy1, Span<T> image)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int s = g.Stride, run = (g.Width + s - 1) / s, ow = g.OutWidth, rows = (oy1 - oy0 - 1) * s + g.KernelH, yFirst = oy0 * s - g.Padding, row = 0;
        var split = ArrayPool<T>.Shared.Rent(rows * s * run);
        for (int c = 0; c < g.Channels; c++)
        {
            split.AsSpan(0, rows * s * run).Clear();
            for (int ky = 0; ky < g.KernelH; ky++)
                for (int kx = 0; kx < g.KernelW; kx++, row++)
                {
                    var (q, off, lo, hi) = Phase(g, kx);
                    if (hi <= lo) continue;
                    for (int oy = oy0; oy < oy1; oy++)
                    {
                        int y = oy * s - g.Padding + ky, r = y - yFirst;
                        if ((uint)y >= (uint)g.Height) continue;
                        var dst = split.AsSpan((r * s + q) * run + off + lo, hi - lo);
                        TP.Add(dst, col.Slice(row * ld + at + (oy - oy0) * ow + lo, hi - lo), dst);
                    }
                }
            var plane = image.Slice(c * g.PlaneSize, g.PlaneSize);
            for (int r = 0; r < rows; r++)
            {
                int y = yFirst + r;
                if ((uint)y >= (uint)g.Height) continue;
                var dst = plane.Slice(y * g.Width, g.Width);
                var src = split.AsSpan(r * s * run, s * run);
                for (int q = 0; q < s; q++)
                    for (int x = q, i = q * run; x < dst.Length; x += s, i++) dst[x] += src[i];
            }
        }
        ArrayPool<T>.Shared.Return(split);
    }

    /// <summary>Kernel column kx's phase q, its offset in the phase, and the output columns [lo, hi) that fall inside the image.</summary>
    private static (int Q, int Off, int Lo, int Hi) Phase(in ConvGeometry g, int kx)
    {
        int s = g.Stride, d = kx - g.Padding, q = ((d % s) + s) % s, off = (d - q) / s;
        int length = (g.Width - q + s - 1) / s;   // input columns x ≡ q (mod s)
        return (q, off, Math.Max(0, -off), Math.Min(g.OutWidth, length - off));
    }
}
