namespace AutoGrad;

/// <summary>
/// Kernel choice for float convolutions (<c>AutoGrad.Ops.Conv2d</c>); double always takes im2col + GEMM. It lives
/// here, beside <see cref="ComputeSettings"/>, so that one settings record carries every kernel choice a run makes.
/// </summary>
public enum ConvAlgorithm
{
    /// <summary>Direct AVX-512 kernels where they apply, im2col + GEMM elsewhere.</summary>
    Auto,
    /// <summary>Always im2col + GEMM.</summary>
    Gemm,
}
