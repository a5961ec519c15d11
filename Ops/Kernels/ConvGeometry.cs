namespace AutoGrad.Ops.Kernels;

/// <summary>Sizes of a 2-D sliding window over one NCHW plane.</summary>
public readonly record struct ConvGeometry(int Channels, int Height, int Width, int KernelH, int KernelW, int Stride, int Padding)
{
    public int OutHeight => (Height + 2 * Padding - KernelH) / Stride + 1;
    public int OutWidth => (Width + 2 * Padding - KernelW) / Stride + 1;
    /// <summary>Rows of the im2col matrix: C·kh·kw.</summary>
    public int PatchSize => Channels * KernelH * KernelW;
    /// <summary>Columns of the im2col matrix: output positions.</summary>
    public int Positions => OutHeight * OutWidth;
    public int PlaneSize => Height * Width;
}
