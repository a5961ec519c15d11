namespace AutoGrad.Ops;

/// <summary>Kernel choice for float <see cref="Conv2d"/>; double always takes im2col + GEMM.</summary>
public enum ConvAlgorithm
{
    /// <summary>Direct AVX-512 kernels where they apply, im2col + GEMM elsewhere.</summary>
    Auto,
    /// <summary>Always im2col + GEMM.</summary>
    Gemm,
}
