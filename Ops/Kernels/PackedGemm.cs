using System.Diagnostics;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AutoGrad.Ops.Kernels;

/// <summary>
/// Cache-blocked float GEMM in the BLIS/Goto layout: a KC×NC block of op(B) and an MC×KC block of op(A) are
/// packed into micro-panels (<see cref="GemmPacking"/>) and a register-tiled kernel (<see cref="GemmKernels"/>)
/// sweeps MR×NR tiles of C. Parallel runs split C into bands of whole panels; every tile is computed by one
/// thread with the same k blocking, so the result does not depend on the thread count at all.
/// </summary>
internal static class PackedGemm
{
    // The MR×KC micro-panel of A (8 KiB) stays in L1 while the kernel sweeps the KC×NC block of B (1 MiB, in
    // L2/L3) left to right, so each C row is written in long runs; MC×KC of A (128 KiB) is reused per B block.
    private const int KC = 256, MC = 128, NC = 1024;

    public static void Multiply(GemmKernel kernel, bool transA, bool transB, int m, int n, int k,
        float[] a, int aOffset, float[] b, int bOffset, float[] c, int cOffset, bool accumulate, bool parallel)
    {
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            if (!accumulate) for (int i = 0; i < m; i++) c.AsSpan(cOffset + i * n, n).Clear();
            return;
        }
        // Debug only: op(A) is m×k, op(B) k×n and C m×n, all contiguous from their offsets.
        Debug.Assert(aOffset >= 0 && aOffset + (long)m * k <= a.Length, "PackedGemm: A is shorter than m·k");
        Debug.Assert(bOffset >= 0 && bOffset + (long)k * n <= b.Length, "PackedGemm: B is shorter than k·n");
        Debug.Assert(cOffset >= 0 && cOffset + (long)m * n <= c.Length, "PackedGemm: C is shorter than m·n");
        var job = new Job(kernel, transA, transB, m, n, k, a, aOffset, b, bOffset, c, cOffset, accumulate);
        int mr = GemmKernels.Mr(kernel), nr = GemmKernels.Nr(kernel);
        int mPanels = (m + mr - 1) / mr, nPanels = (n + nr - 1) / nr;
        // Splitting N makes every band repack A, splitting M makes every band repack B: split the wider one.
        bool splitN = nPanels >= mPanels;
        int panels = splitN ? nPanels : mPanels;
        // Twice the threads gives a shared, noisy machine some load balance; it cannot change the result.
        int bands = parallel && (long)m * n * k >= 1 << 18 ? Math.Min(panels, 2 * Threading.Threads) : 1;
        if (bands == 1) { job.Run(0, m, 0, n); return; }
        Parallel.For(0, bands, Threading.Options, band =>
        {
            int lo = (int)((long)panels * band / bands), hi = (int)((long)panels * (band + 1) / bands);
            if (splitN) job.Run(0, m, lo * nr, Math.Min(n, hi * nr));
            else job.Run(lo * mr, Math.Min(m, hi * mr), 0, n);
        });
    }

    private sealed record Job(GemmKernel Kernel, bool TransA, bool TransB, int M, int N, int K,
        float[] A, int AOffset, float[] B, int BOffset, float[] C, int COffset, bool Accumulate)
    {
        /// <summary>Computes rows [i0, i1) × columns [j0, j1) of C.</summary>
        public void Run(int i0, int i1, int j0, int j1)
        {
            int mr = GemmKernels.Mr(Kernel), nr = GemmKernels.Nr(Kernel);
            int mc = MC / mr * mr, nc = NC / nr * nr;
            var aPack = ArrayPool<float>.Shared.Rent(mc * KC);
            var bPack = ArrayPool<float>.Shared.Rent(nc * KC);
            Span<float> edge = stackalloc float[8 * 32];
            // Element (row, p) of op(A) and (col, p) of op(B) as (offset, rowStride, kStride).
            int aRow = TransA ? 1 : K, aK = TransA ? M : 1, bCol = TransB ? K : 1, bK = TransB ? 1 : N;
            for (int jc = j0; jc < j1; jc += nc)
            {
                int ncur = Math.Min(nc, j1 - jc);
                for (int pc = 0; pc < K; pc += KC)
                {
                    int kc = Math.Min(KC, K - pc);
                    bool load = Accumulate || pc > 0;
                    GemmPacking.Pack(B, BOffset + jc * bCol + pc * bK, bCol, bK, ncur, kc, nr, bPack);
                    for (int ic = i0; ic < i1; ic += mc)
                    {
                        int mcur = Math.Min(mc, i1 - ic);
                        GemmPacking.Pack(A, AOffset + ic * aRow + pc * aK, aRow, aK, mcur, kc, mr, aPack);
                        Tiles(aPack, bPack, ic, mcur, jc, ncur, kc, load, edge);
                    }
                }
            }
            ArrayPool<float>.Shared.Return(aPack);
            ArrayPool<float>.Shared.Return(bPack);
        }

        private void Tiles(float[] aPack, float[] bPack, int ic, int mcur, int jc, int ncur, int kc, bool load, Span<float> edge)
        {
            int mr = GemmKernels.Mr(Kernel), nr = GemmKernels.Nr(Kernel);
            Debug.Assert(mr * nr <= edge.Length, "PackedGemm: edge tile larger than its scratch");
            ref float edgeRef = ref MemoryMarshal.GetReference(edge);
            for (int ir = 0; ir < mcur; ir += mr)
            {
                int rows = Math.Min(mr, mcur - ir);
                // Debug only, once per kernel call (kc·MR·NR multiply-adds): the micro-kernel reads a whole kc×MR
                // panel of A and kc×NR panel of B through refs and writes `rows` rows of NR at stride N.
                Debug.Assert((ir + mr) * kc <= aPack.Length, "PackedGemm: kernel reads past the packed A block");
                ref float ap = ref aPack[ir * kc];
                for (int jr = 0; jr < ncur; jr += nr)
                {
                    int cols = Math.Min(nr, ncur - jr);
                    ref float bp = ref bPack[jr * kc];
                    int cAt = COffset + (ic + ir) * N + jc + jr;
                    Debug.Assert((jr + nr) * kc <= bPack.Length, "PackedGemm: kernel reads past the packed B block");
                    Debug.Assert(cols < nr || cAt + (long)(rows - 1) * N + nr <= COffset + (long)M * N, "PackedGemm: kernel writes past C's m×n block");
                    if (cols == nr)
                    {
                        GemmKernels.Run(Kernel, kc, ref ap, ref bp, ref C[cAt], N, load, rows);
                        continue;
                    }
                    // Right-edge tile: compute the whole padded tile aside, then merge only the valid part.
                    GemmKernels.Run(Kernel, kc, ref ap, ref bp, ref edgeRef, nr, false, mr);
                    for (int i = 0; i < rows; i++)
                    {
                        var src = edge.Slice(i * nr, cols);
                        var dst = C.AsSpan(cAt + i * N, cols);
                        if (load) TP.Add(dst, src, dst); else src.CopyTo(dst);
                    }
                }
            }
        }
    }
}
