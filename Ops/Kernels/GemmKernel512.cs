using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AutoGrad.Ops.Kernels;

/// <summary>
/// The 8×32 float micro-kernel: per k step two 16-wide B loads, eight broadcasts of A and sixteen FMAs into
/// sixteen zmm accumulators. Written out by hand because the JIT only keeps plain locals in registers.
/// </summary>
internal static class GemmKernel512
{
    public static void Tile(int kc, ref float a, ref float b, ref float c, int ldc, bool load, int rows)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.LoadUnsafe(ref b);
            var b1 = Vector512.LoadUnsafe(ref b, 16);
            var ai = Vector512.Create(a);
            c00 = Vector512.FusedMultiplyAdd(ai, b0, c00); c01 = Vector512.FusedMultiplyAdd(ai, b1, c01);
            ai = Vector512.Create(Unsafe.Add(ref a, 1));
            c10 = Vector512.FusedMultiplyAdd(ai, b0, c10); c11 = Vector512.FusedMultiplyAdd(ai, b1, c11);
            ai = Vector512.Create(Unsafe.Add(ref a, 2));
            c20 = Vector512.FusedMultiplyAdd(ai, b0, c20); c21 = Vector512.FusedMultiplyAdd(ai, b1, c21);
            ai = Vector512.Create(Unsafe.Add(ref a, 3));
            c30 = Vector512.FusedMultiplyAdd(ai, b0, c30); c31 = Vector512.FusedMultiplyAdd(ai, b1, c31);
            ai = Vector512.Create(Unsafe.Add(ref a, 4));
            c40 = Vector512.FusedMultiplyAdd(ai, b0, c40); c41 = Vector512.FusedMultiplyAdd(ai, b1, c41);
            ai = Vector512.Create(Unsafe.Add(ref a, 5));
            c50 = Vector512.FusedMultiplyAdd(ai, b0, c50); c51 = Vector512.FusedMultiplyAdd(ai, b1, c51);
            ai = Vector512.Create(Unsafe.Add(ref a, 6));
            c60 = Vector512.FusedMultiplyAdd(ai, b0, c60); c61 = Vector512.FusedMultiplyAdd(ai, b1, c61);
            ai = Vector512.Create(Unsafe.Add(ref a, 7));
            c70 = Vector512.FusedMultiplyAdd(ai, b0, c70); c71 = Vector512.FusedMultiplyAdd(ai, b1, c71);
            a = ref Unsafe.Add(ref a, 8);
            b = ref Unsafe.Add(ref b, 32);
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
        if (rows <= 6) return;
        c = ref Unsafe.Add(ref c, ldc);
        Store(ref c, c60, c61, load);
        if (rows <= 7) return;
        c = ref Unsafe.Add(ref c, ldc);
        Store(ref c, c70, c71, load);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref float c, Vector512<float> lo, Vector512<float> hi, bool load)
    {
        if (load)
        {
            lo += Vector512.LoadUnsafe(ref c);
            hi += Vector512.LoadUnsafe(ref c, 16);
        }
        lo.StoreUnsafe(ref c);
        hi.StoreUnsafe(ref c, 16);
    }
}
