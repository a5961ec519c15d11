using AutoGrad.Ops.Kernels;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// The packed float GEMM against the reference triple loop (run in double) on sizes around every tile and block
/// edge, with offsets, accumulation, all transposes and every micro-kernel this machine can run.
/// </summary>
public class PackedGemmTests
{
    // By name: GemmKernel is internal and test methods are public.
    public static TheoryData<string> Kernels()
    {
        var data = new TheoryData<string>();
        foreach (var kernel in Enum.GetValues<GemmKernel>())
            if (GemmKernels.IsSupported(kernel)) data.Add(kernel.ToString());
        return data;
    }

    // 1, 7, 17, 63, 129 straddle MR/NR tiles; 257/300 cross KC = 256, 129 crosses MC = 128, 1030 crosses NC = 1024.
    private static readonly (int M, int N, int K)[] Shapes =
    [
        (1, 1, 1), (1, 7, 17), (7, 1, 63), (17, 63, 7), (63, 17, 129), (129, 63, 17), (8, 32, 256), (16, 64, 257),
        (33, 129, 300), (3, 1030, 5), (129, 9, 1), (6, 16, 12), (130, 40, 70),
    ];

    [Theory]
    [MemberData(nameof(Kernels))]
    public void MatchesReferenceOnEdgeTilesOffsetsAndTransposes(string kernelName)
    {
        var kernel = Enum.Parse<GemmKernel>(kernelName);
        var r = new Random(11);
        foreach (var (m, n, k) in Shapes)
            foreach (var (ta, tb) in new[] { (false, false), (false, true), (true, false), (true, true) })
                foreach (bool acc in new[] { false, true })
                {
                    const int aOff = 3, bOff = 5, cOff = 7;
                    var a = Random(r, aOff + m * k); var b = Random(r, bOff + k * n); var c = Random(r, cOff + m * n);
                    var start = (float[])c.Clone();
                    PackedGemm.Multiply(kernel, ta, tb, m, n, k, a, aOff, b, bOff, c, cOff, acc, parallel: true);
                    var (expected, scale) = Expected(ta, tb, m, n, k, a[aOff..], b[bOff..], start[cOff..], acc);
                    for (int i = 0; i < m * n; i++)
                        // Float sums of k terms in another order differ by at most about k·u·Σ|terms|.
                        Assert.True(Math.Abs(c[cOff + i] - expected[i]) <= (k + 2) * 1.2e-7 * scale[i],
                            $"{kernel} {(ta ? 'T' : 'N')}{(tb ? 'T' : 'N')} {m}×{n}×{k} acc={acc} at {i}: {c[cOff + i]} vs {expected[i]}");
                    Assert.Equal(start[..cOff], c[..cOff]);   // nothing before the offset is touched
                }
    }

    [Fact]
    public void PublicFloatEntryPointUsesTheFastPathAndLeavesNeighboursAlone()
    {
        var r = new Random(5);
        var a = Random(r, 2 + 20 * 9); var b = Random(r, 9 * 13); var c = Random(r, 20 * 13 + 4);
        var before = (float[])c.Clone();
        Gemm.Multiply(true, false, 20, 13, 9, a, 2, b, 0, c, 0, false);
        var (expected, scale) = Expected(true, false, 20, 13, 9, a[2..], b, before, false);
        for (int i = 0; i < 20 * 13; i++) Assert.True(Math.Abs(c[i] - expected[i]) <= 11 * 1.2e-7 * scale[i]);
        Assert.Equal(before[^4..], c[^4..]);
    }

    [Fact]
    public void ResultIsBitIdenticalForAGivenThreadCountAndAcrossThreadCounts()
    {
        var r = new Random(3);
        int m = 70, n = 300, k = 300;
        var a = Random(r, m * k); var b = Random(r, k * n);
        float[] Run(int threads, bool ta, bool tb)
        {
            using var compute = Compute.Use(new ComputeSettings { Threads = threads });
            var c = new float[m * n];
            Gemm.Multiply(ta, tb, m, n, k, a, 0, b, 0, c, 0, false);
            return c;
        }
        foreach (var (ta, tb) in new[] { (false, false), (false, true), (true, false), (true, true) })
        {
            var two = Run(2, ta, tb);
            Assert.Equal(two, Run(2, ta, tb));
            // Each tile is owned by one thread with fixed k blocking, so even the thread count cannot matter.
            Assert.Equal(two, Run(1, ta, tb));
            Assert.Equal(two, Run(3, ta, tb));
        }
    }

    [Fact]
    public void EmptyInnerDimensionClearsOrKeepsC()
    {
        var c = new float[] { 1, 2, 3, 4 };
        Gemm.Multiply(false, false, 2, 2, 0, Array.Empty<float>(), 0, Array.Empty<float>(), 0, c, 0, true);
        Assert.Equal([1f, 2, 3, 4], c);
        Gemm.Multiply(false, false, 2, 2, 0, Array.Empty<float>(), 0, Array.Empty<float>(), 0, c, 0, false);
        Assert.Equal([0f, 0, 0, 0], c);
    }

    private static float[] Random(Random r, int n) => Enumerable.Range(0, n).Select(_ => (float)(r.NextDouble() * 2 - 1)).ToArray();

    /// <summary>The reference in double, and Σ|terms| per element to scale the tolerance.</summary>
    private static (double[] Value, double[] Scale) Expected(bool ta, bool tb, int m, int n, int k, float[] a, float[] b, float[] c, bool acc)
    {
        double[] D(float[] x) => x.Select(v => (double)v).ToArray();
        double[] Abs(float[] x) => x.Select(v => (double)Math.Abs(v)).ToArray();
        var value = D(c); var scale = Abs(c);
        Gemm.Reference(ta, tb, m, n, k, D(a), D(b), value, acc);
        Gemm.Reference(ta, tb, m, n, k, Abs(a), Abs(b), scale, acc);
        for (int i = 0; i < scale.Length; i++) scale[i] += 1e-30;
        return (value, scale);
    }
}
