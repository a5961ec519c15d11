namespace AutoGrad.Ops.Kernels;

/// <summary>Sizes of a 2-D sliding window over one NCHW plane.</summary>
public readonly record struct ConvGeometry(int Channels, int Height, int Width, int KernelH, int KernelW, int Stride, int Padding)
{
    /// <summary>Output rows: ⌊(H + 2p − kh)/stride⌋ + 1.</summary>
    public int OutHeight => (Height + 2 * Padding - KernelH) / Stride + 1;
    /// <summary>Output columns: ⌊(W + 2p − kw)/stride⌋ + 1.</summary>
    public int OutWidth => (Width + 2 * Padding - KernelW) / Stride + 1;
    /// <summary>Rows of the im2col matrix: C·kh·kw.</summary>
    public int PatchSize => Channels * KernelH * KernelW;
    /// <summary>Columns of the im2col matrix: output positions.</summary>
    public int Positions => OutHeight * OutWidth;
    /// <summary>Elements of one input channel: H·W.</summary>
    public int PlaneSize => Height * Width;
}
