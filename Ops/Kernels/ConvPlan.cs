namespace AutoGrad.Ops.Kernels;

/// <summary>
/// How a convolution over a batch is cut into GEMM tiles. A tile is a block of output positions whose
/// im2col matrix (patch × columns) fits a fixed budget, so it is written and read back from L2 instead of
/// streaming a whole image's unfolded copy (19 MB for seed-lenet5's conv1) through memory. Large images
/// are cut into bands of output rows; small ones are grouped, several whole images side by side, so the
/// GEMM stays wide (lenet5's conv2 has 100 positions per image). A unit — one image, or one group — is
/// the parallel work item; the plan depends only on shapes, never on the thread count, so results are
/// identical for every thread count.
/// </summary>
public readonly record struct ConvPlan
{
    /// <summary>im2col tile budget in elements: 128 Ki floats = 512 KiB, a quarter of this machine's L2.</summary>
    private const int TileBudget = 1 << 17;

    /// <summary>The plan for <paramref name="batch"/> images of geometry <paramref name="g"/>.</summary>
    public ConvPlan(int batch, in ConvGeometry g)
    {
        Geometry = g;
        Batch = batch;
        int cols = Math.Max(TileBudget / Math.Max(1, g.PatchSize), g.OutWidth);
        RowsPerTile = Math.Min(g.OutHeight, Math.Max(1, cols / g.OutWidth));
        ImagesPerUnit = RowsPerTile < g.OutHeight ? 1 : Math.Clamp(cols / Math.Max(1, g.Positions), 1, batch);
        Units = (batch + ImagesPerUnit - 1) / ImagesPerUnit;
        TileColumns = ImagesPerUnit > 1 ? ImagesPerUnit * g.Positions : RowsPerTile * g.OutWidth;
    }

    /// <summary>The convolution's geometry.</summary>
    public ConvGeometry Geometry { get; }
    /// <summary>Images in the batch.</summary>
    public int Batch { get; }
    /// <summary>Output rows per tile; the whole height when images are grouped.</summary>
    public int RowsPerTile { get; }
    /// <summary>Whole images per unit (1 when images are cut into bands).</summary>
    public int ImagesPerUnit { get; }
    /// <summary>Parallel work items: groups of whole images, or single images cut into bands.</summary>
    public int Units { get; }
    /// <summary>The widest tile's column count, to size scratch.</summary>
    public int TileColumns { get; }

    /// <summary>Images [first, first + count) of unit <paramref name="unit"/>.</summary>
    public (int First, int Count) ImagesOf(int unit)
    {
        int first = unit * ImagesPerUnit;
        return (first, Math.Min(ImagesPerUnit, Batch - first));
    }
}
