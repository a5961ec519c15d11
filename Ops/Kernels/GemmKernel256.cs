using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AutoGrad.Ops.Kernels;

/// <summary>
/// The 6×16 float micro-kernel for AVX2 + FMA machines: per k step two 8-wide B loads, six broadcasts of A and
/// twelve FMAs; 12 accumulators + 2 B vectors + 1 broadcast fill 15 of the 16 ymm registers.
/// </summary>
internal static class GemmKernel256
{
    public static void Tile(int kc, ref float a, ref float b, ref float c, int ldc, bool load, int rows)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.LoadUnsafe(ref b);
            var b1 = Vector256.LoadUnsafe(ref b, 8);
            var ai = Vector256.Create(a);
            c00 = Vector256.FusedMultiplyAdd(ai, b0, c00); c01 = Vector256.FusedMultiplyAdd(ai, b1, c01);
            ai = Vector256.Create(Unsafe.Add(ref a, 1));
            c10 = Vector256.FusedMultiplyAdd(ai, b0, c10); c11 = Vector256.FusedMultiplyAdd(ai, b1, c11);
            ai = Vector256.Create(Unsafe.Add(ref a, 2));
            c20 = Vector256.FusedMultiplyAdd(ai, b0, c20); c21 = Vector256.FusedMultiplyAdd(ai, b1, c21);
            ai = Vector256.Create(Unsafe.Add(ref a, 3));
            c30 = Vector256.FusedMultiplyAdd(ai, b0, c30); c31 = Vector256.FusedMultiplyAdd(ai, b1, c31);
            ai = Vector256.Create(Unsafe.Add(ref a, 4));
            c40 = Vector256.FusedMultiplyAdd(ai, b0, c40); c41 = Vector256.FusedMultiplyAdd(ai, b1, c41);
            ai = Vector256.Create(Unsafe.Add(ref a, 5));
            c50 = Vector256.FusedMultiplyAdd(ai, b0, c50); c51 = Vector256.FusedMultiplyAdd(ai, b1, c51);
            a = ref Unsafe.Add(ref a, 6);
            b = ref Unsafe.Add(ref b, 16);
        }
        Store(ref c, c00, c01, load);
        if (rows <= 1) return;
        c = ref Unsafe.Add(ref c, ldc);
        Store(ref c, c10, c11, load);
        if (rows <= 2) return;
        c = ref Unsafe.Add(ref c, ldc);
        Store(ref c, c20, c21, load);
        if (rows <= 3) return;
        c = ref Unsafe.Add(ref c, ldc);
        Store(ref c, c30, c31, load);
        if (rows <= 4) return;
        c = ref Unsafe.Add(ref c, ldc);
        Store(ref c, c40, c41, load);
        if (rows <= 5) return;
        c = ref Unsafe.Add(ref c, ldc);
        Store(ref c, c50, c51, load);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref float c, Vector256<float> lo, Vector256<float> hi, bool load)
    {
        if (load)
        {
            lo += Vector256.LoadUnsafe(ref c);
            hi += Vector256.LoadUnsafe(ref c, 8);
        }
        lo.StoreUnsafe(ref c);
        hi.StoreUnsafe(ref c, 8);
    }
}
