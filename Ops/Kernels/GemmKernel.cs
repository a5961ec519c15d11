using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AutoGrad.Ops.Kernels;

/// <summary>
/// The register-tiled micro-kernels of <see cref="PackedGemm"/>: each computes one MR×NR tile of C from a packed
/// A micro-panel (kc × MR, k-major) and a packed B micro-panel (kc × NR, k-major).
/// </summary>
internal enum GemmKernel
{
    /// <summary>Plain loops; for hardware without 256-bit FMA.</summary>
    Scalar,
    /// <summary>6×16 with Vector256 FMA: 12 accumulators + 2 B vectors + 1 broadcast fit the 16 ymm registers.</summary>
    Vector256,
    /// <summary>8×32 with Vector512 FMA: 16 accumulators hide the FMA latency on two pipes with registers to spare.</summary>
    Vector512,
}

internal static class GemmKernels
{
    /// <summary>The fastest kernel this machine runs, chosen once at start-up.</summary>
    public static readonly GemmKernel Best =
        Vector512.IsHardwareAccelerated ? GemmKernel.Vector512
        : Vector256.IsHardwareAccelerated && Fma.IsSupported ? GemmKernel.Vector256
        : GemmKernel.Scalar;

    public static bool IsSupported(GemmKernel kernel) => kernel switch
    {
        GemmKernel.Vector512 => Vector512.IsHardwareAccelerated,
        GemmKernel.Vector256 => Vector256.IsHardwareAccelerated && Fma.IsSupported,
        _ => true,
    };

    public static int Mr(GemmKernel kernel) => kernel switch { GemmKernel.Vector512 => 8, GemmKernel.Vector256 => 6, _ => 4 };

    public static int Nr(GemmKernel kernel) => kernel switch { GemmKernel.Vector512 => 32, GemmKernel.Vector256 => 16, _ => 4 };

    /// <summary>
    /// tile = Σₚ a[p]ᵀ·b[p] over kc steps, then C = tile (+ C when <paramref name="load"/>) for the first
    /// <paramref name="rows"/> rows. The tile always starts from zero so a tile written in place and an edge tile
    /// merged later round identically. Storing fewer rows lets a short M (conv's 6 output channels) skip the merge.
    /// </summary>
    public static void Run(GemmKernel kernel, int kc, ref float a, ref float b, ref float c, int ldc, bool load, int rows)
    {
        switch (kernel)
        {
            case GemmKernel.Vector512: GemmKernel512.Tile(kc, ref a, ref b, ref c, ldc, load, rows); break;
            case GemmKernel.Vector256: GemmKernel256.Tile(kc, ref a, ref b, ref c, ldc, load, rows); break;
            default: Scalar(kc, ref a, ref b, ref c, ldc, load, rows); break;
        }
    }

    private static void Scalar(int kc, ref float a, ref float b, ref float c, int ldc, bool load, int rows)
    {
        const int mr = 4, nr = 4;
        Span<float> acc = stackalloc float[mr * nr];
        for (int p = 0; p < kc; p++)
            for (int i = 0; i < mr; i++)
            {
                float ai = Unsafe.Add(ref a, p * mr + i);
                for (int j = 0; j < nr; j++) acc[i * nr + j] += ai * Unsafe.Add(ref b, p * nr + j);
            }
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < nr; j++)
            {
                ref float dst = ref Unsafe.Add(ref c, i * ldc + j);
                dst = load ? dst + acc[i * nr + j] : acc[i * nr + j];
            }
    }
}
