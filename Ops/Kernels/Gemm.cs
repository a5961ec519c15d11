using System.Runtime.CompilerServices;

namespace AutoGrad.Ops.Kernels;

/// <summary>
/// General matrix multiply C (m×n) = op(A) · op(B) (+ C when accumulating), row-major, where op is an
/// optional transpose. float, the training type, goes to the packed, register-tiled <see cref="PackedGemm"/>.
/// Other types (double, for gradient checks) take a simpler vectorised path that walks memory contiguously:
/// NN and TN as row updates (c[i,:] += a·b[p,:]), NT as dot products of rows. Either way each element of C is
/// computed by one thread in a fixed order, so parallel runs are bit-identical to serial ones.
/// </summary>
public static class Gemm
{
    /// <summary>
    /// C[cOffset..] (m×n) = op(A)·op(B), or += with <paramref name="accumulate"/>; op(A) is m×k read from
    /// <paramref name="aOffset"/> (stored k×m when <paramref name="transA"/>), op(B) k×n (stored n×k when
    /// <paramref name="transB"/>). <paramref name="parallel"/> lets large products use the thread count.
    /// </summary>
    public static void Multiply<T>(bool transA, bool transB, int m, int n, int k,
        T[] a, int aOffset, T[] b, int bOffset, T[] c, int cOffset, bool accumulate, bool parallel = true)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m == 0 || n == 0) return;
        if (typeof(T) == typeof(float))   // folded by the JIT: each instantiation keeps one branch
        {
            PackedGemm.Multiply(GemmKernels.Best, transA, transB, m, n, k, Unsafe.As<float[]>(a), aOffset,
                Unsafe.As<float[]>(b), bOffset, Unsafe.As<float[]>(c), cOffset, accumulate, parallel);
            return;
        }
        if (parallel && (long)m * n * k >= 1 << 16)
            Threading.For(m, Math.Max(1, (1 << 14) / Math.Max(1, n * k)), (_, start, end) =>
                Rows(transA, transB, start, end, m, n, k, a, aOffset, b, bOffset, c, cOffset, accumulate));
        else
            Rows(transA, transB, 0, m, m, n, k, a, aOffset, b, bOffset, c, cOffset, accumulate);
    }

    private static void Rows<T>(bool transA, bool transB, int start, int end, int m, int n, int k,
        T[] a, int aOffset, T[] b, int bOffset, T[] c, int cOffset, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = start; i < end; i++)
        {
            var row = c.AsSpan(cOffset + i * n, n);
            if (!transB)
            {
                if (!accumulate) row.Clear();
                for (int p = 0; p < k; p++)
                {
                    T aip = transA ? a[aOffset + p * m + i] : a[aOffset + i * k + p];
                    // ReLU zeros are common. Skipping them is exact for finite B; a NaN/Inf in B is masked where A is 0,
                    // which is why the NaN guard inspects node values rather than trusting products to carry NaN.
                    if (aip == T.Zero) continue;
                    TP.MultiplyAdd(b.AsSpan(bOffset + p * n, n), aip, row, row);
                }
            }
            else if (!transA)
            {
                var ai = a.AsSpan(aOffset + i * k, k);
                for (int j = 0; j < n; j++)
                {
                    T dot = TP.Dot<T>(ai, b.AsSpan(bOffset + j * k, k));
                    row[j] = accumulate ? row[j] + dot : dot;
                }
            }
            else
            {
                for (int j = 0; j < n; j++)
                {
                    T dot = T.Zero;
                    for (int p = 0; p < k; p++) dot += a[aOffset + p * m + i] * b[bOffset + j * k + p];
                    row[j] = accumulate ? row[j] + dot : dot;
                }
            }
        }
    }

    /// <summary>The obvious triple loop, kept as the reference the fast paths are tested against.</summary>
    public static void Reference<T>(bool transA, bool transB, int m, int n, int k, T[] a, T[] b, T[] c, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                T sum = accumulate ? c[i * n + j] : T.Zero;
                for (int p = 0; p < k; p++)
                    sum += (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
                c[i * n + j] = sum;
            }
    }
}
