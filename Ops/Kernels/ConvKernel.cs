using System.Buffers;

namespace AutoGrad.Ops.Kernels;

/// <summary>
/// Convolution as tiled im2col + GEMM over a <see cref="ConvPlan"/> (NCHW, weight [O, C·kh·kw]).
/// Forward: out_tile = W · col_tile, scattered to NCHW with the bias added. Backward per unit:
/// dW_u = Σ G_tile · col_tileᵀ and db_u = Σ G_tile (partials the caller sums in unit order, so the result
/// does not depend on scheduling), dx += fold(Wᵀ · G_tile). col is recomputed in backward: from a tile
/// that fits L2 that costs about what reading a saved copy from memory would, and saves batch × patch ×
/// positions elements (610 MB for seed-lenet5's conv1). Scratch comes from <see cref="ArrayPool{T}"/>.
/// </summary>
public static class ConvKernel
{
    /// <summary>Forward of one unit of <paramref name="plan"/>: output[n, o, ·] = W·im2col(x[n]) (+ bias[o]) for the unit's images, tile by tile.</summary>
    public static void ForwardUnit<T>(in ConvPlan plan, int unit, int outC, ReadOnlySpan<T> x, T[] weight, ReadOnlySpan<T> bias, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = plan.Geometry;
        int patch = g.PatchSize, cols = plan.TileColumns, p = g.Positions, ow = g.OutWidth, image = g.Channels * g.PlaneSize;
        var col = ArrayPool<T>.Shared.Rent(patch * cols);
        var tile = ArrayPool<T>.Shared.Rent(outC * cols);
        var (first, count) = plan.ImagesOf(unit);
        for (int oy0 = 0; oy0 < g.OutHeight; oy0 += plan.RowsPerTile)
        {
            int oy1 = Math.Min(g.OutHeight, oy0 + plan.RowsPerTile), seg = (oy1 - oy0) * ow, width = seg * count;
            for (int i = 0; i < count; i++)
                Im2Col.UnfoldRows(x.Slice((first + i) * image, image), g, oy0, oy1, col, width, i * seg);
            Gemm.Multiply(false, false, outC, width, patch, weight, 0, col, 0, tile, 0, false, parallel: false);
            for (int i = 0; i < count; i++)
                for (int o = 0; o < outC; o++)
                {
                    var src = tile.AsSpan(o * width + i * seg, seg);
                    var dst = output.Slice(((first + i) * outC + o) * p + oy0 * ow, seg);
                    if (bias.IsEmpty) src.CopyTo(dst); else TP.Add(src, bias[o], dst);
                }
        }
        ArrayPool<T>.Shared.Return(col);
        ArrayPool<T>.Shared.Return(tile);
    }

    /// <summary>
    /// Backward of one unit. <paramref name="dw"/> (O × patch) and <paramref name="db"/> (O) receive this unit's
    /// partial sums (overwritten); either may be empty when not needed, as may <paramref name="dx"/>, which is added to.
    /// </summary>
    public static void BackwardUnit<T>(in ConvPlan plan, int unit, int outC, ReadOnlySpan<T> x, T[] weight, ReadOnlySpan<T> grad,
        T[]? dw, int dwOffset, Span<T> db, Span<T> dx, bool addToPartials = false) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = plan.Geometry;
        int patch = g.PatchSize, cols = plan.TileColumns, p = g.Positions, ow = g.OutWidth, image = g.Channels * g.PlaneSize;
        var col = ArrayPool<T>.Shared.Rent(patch * cols);
        var tile = ArrayPool<T>.Shared.Rent(outC * cols);
        var (first, count) = plan.ImagesOf(unit);
        // addToPartials: this unit adds to partial sums an earlier unit of the same slot started.
        if (!addToPartials) db.Clear();
        bool accumulate = addToPartials;
        for (int oy0 = 0; oy0 < g.OutHeight; oy0 += plan.RowsPerTile)
        {
            int oy1 = Math.Min(g.OutHeight, oy0 + plan.RowsPerTile), seg = (oy1 - oy0) * ow, width = seg * count;
            // Gather the tile's upstream gradient into one O × width matrix (the GEMM's A or B operand).
            for (int i = 0; i < count; i++)
                for (int o = 0; o < outC; o++)
                {
                    var src = grad.Slice(((first + i) * outC + o) * p + oy0 * ow, seg);
                    src.CopyTo(tile.AsSpan(o * width + i * seg, seg));
                    if (!db.IsEmpty) db[o] += TP.Sum(src);
                }
            if (dw is not null)
            {
                for (int i = 0; i < count; i++)
                    Im2Col.UnfoldRows(x.Slice((first + i) * image, image), g, oy0, oy1, col, width, i * seg);
                Gemm.Multiply(false, true, outC, patch, width, tile, 0, col, 0, dw, dwOffset, accumulate, parallel: false);
                accumulate = true;
            }
            if (!dx.IsEmpty)
            {
                Gemm.Multiply(true, false, patch, width, outC, weight, 0, tile, 0, col, 0, false, parallel: false);
                for (int i = 0; i < count; i++)
                    Im2Col.FoldRows<T>(col, width, i * seg, g, oy0, oy1, dx.Slice((first + i) * image, image));
            }
        }
        ArrayPool<T>.Shared.Return(col);
        ArrayPool<T>.Shared.Return(tile);
    }
}
