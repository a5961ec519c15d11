using AutoGrad.Ops.Kernels;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// Proof that the precision property's kernel shapes reach float32's fast paths and their fallbacks: each
/// row's float cases for the seeds <see cref="PrecisionPropertyTests.RegistryRowAgreesInFloat32"/> runs are
/// built, their nodes read back (shapes, stride, padding) and the kernels' own dispatch conditions counted.
/// With AVX-512 disabled (as <c>.ci/run</c> runs these a second time) the direct kernels cannot apply, and
/// the test checks that every convolution then falls back.
/// </summary>
public class KernelReachTests
{
    private const int Seeds = PrecisionPropertyTests.FixedSeeds;

    private static IEnumerable<(OpCase<float> Case, Node<float> Node)> KernelCases(string op)
    {
        foreach (var row in OpRegistry<float>.All.Where(e => e.Op == op && e.KernelShapes is not null))
            for (int seed = 0; seed < Seeds; seed++)
            {
                var opCase = row.KernelShapes!(new Random(seed));
                using var _ = GradMode.NoGrad();
                yield return (opCase, opCase.Apply(opCase.Shapes.Select(s => Node<float>.Input(new Tensor<float>(s))).ToArray()));
            }
    }

    private static int Count<TItem>(IEnumerable<TItem> items, Func<TItem, bool> predicate) => items.Count(predicate);

    [Fact]
    public void ConvolutionCasesReachEveryDirectKernelAndTheGemmFallback()
    {
        var cases = KernelCases("conv2d").Select(c =>
        {
            int[] x = c.Case.Shapes[0], w = c.Case.Shapes[1];
            var g = new ConvGeometry(x[1], x[2], x[3], w[2], w[3], int.Parse(c.Node.Attributes!["s"]), int.Parse(c.Node.Attributes["p"]));
            return (Geometry: g, Out: w[0], InputGrad: c.Case.Requires(0));
        }).ToList();
        bool Direct((ConvGeometry Geometry, int Out, bool InputGrad) c) => DirectConvolution.Applies(c.Geometry, c.Out);
        int gemm = Count(cases, c => !Direct(c));
        Assert.True(gemm >= 5, $"only {gemm} of {cases.Count} convolutions take im2col + GEMM");
        // Strided convolutions unfold through phase-split rows (StridedRows), on every CPU.
        Assert.True(Count(cases, c => c.Geometry.Stride > 1) >= 3, "strided convolutions (phase-split im2col)");
        Assert.True(Count(cases, c => c.Geometry.Stride > 1 && c.Geometry.Padding > 0) >= 2, "strided and padded (negative phase offsets)");
        Assert.True(Count(cases, c => c.Geometry.Stride > 1 && c.InputGrad) >= 2, "strided with an input gradient (phase-split fold)");
        Assert.True(Count(cases, c => c.Geometry.Stride > 1 && c.Geometry.Width % c.Geometry.Stride != 0) >= 2, "strided on a width that is not a multiple of the stride (short last phase)");
        if (!DirectConv.IsSupported) { Assert.Equal(cases.Count, gemm); return; }
        var reached = new Dictionary<string, int>
        {
            ["row kernel, forward"] = Count(cases, c => Direct(c) && !DirectConvChannels.Applies(c.Out, c.Geometry.OutWidth)),
            ["row kernel, masked row tail after a full vector"] = Count(cases, c => Direct(c) && !DirectConvChannels.Applies(c.Out, c.Geometry.OutWidth) && c.Geometry.OutWidth > 16 && c.Geometry.OutWidth % 16 != 0),
            ["row kernel, output channels not a multiple of its 3-channel block"] = Count(cases, c => Direct(c) && !DirectConvChannels.Applies(c.Out, c.Geometry.OutWidth) && c.Out % 3 != 0),
            ["channel kernel, forward"] = Count(cases, c => Direct(c) && DirectConvChannels.Applies(c.Out, c.Geometry.OutWidth)),
            ["channel kernel, input gradient"] = Count(cases, c => Direct(c) && c.InputGrad && DirectConvChannels.Applies(c.Geometry.Channels, c.Geometry.Width)),
            ["row kernel, input gradient"] = Count(cases, c => Direct(c) && c.InputGrad && !DirectConvChannels.Applies(c.Geometry.Channels, c.Geometry.Width)),
            ["padded input"] = Count(cases, c => Direct(c) && c.Geometry.Padding > 0),
        };
        Assert.All(reached, r => Assert.True(r.Value >= 3, $"{r.Key}: {r.Value} of {cases.Count} cases"));
    }

    [Fact]
    public void MaxPoolCasesReachTheVectorisedTwoByTwoKernelItsTailsAndTheGeneralLoop()
    {
        var cases = KernelCases("max_pool2d").Select(c => (K: int.Parse(c.Node.Attributes!["k"]), S: int.Parse(c.Node.Attributes["s"]), OutW: c.Node.Shape[3])).ToList();
        Assert.True(Count(cases, c => c.K == 2 && c.S == 2 && c.OutW > 16 && c.OutW % 16 != 0) >= 2, "2×2 windows with a partial 16-wide block after a full one");
        Assert.True(Count(cases, c => c.K == 2 && c.S == 2 && c.OutW < 16) >= 2, "2×2 windows narrower than one block");
        Assert.True(Count(cases, c => c.K != 2) >= 1, "windows for the general loop");
    }

    [Fact]
    public void GemmCasesReachEdgeTilesTheSecondKBlockAndParallelBands()
    {
        var cases = KernelCases("matmul").Concat(KernelCases("linear")).Select(c => (M: c.Case.Shapes[0][^2], K: c.Case.Shapes[0][^1], N: c.Node.Shape[^1])).ToList();
        Assert.True(Count(cases, c => c.N > 32 && c.N % 32 != 0) >= 3, "a right-edge tile after full 32-wide tiles");
        Assert.True(Count(cases, c => c.M % 8 != 0 && c.M > 8) >= 3, "a partial 8-row tile");
        Assert.True(Count(cases, c => c.K > 256) >= 3, "k past one 256-deep block");
        Assert.True(Count(cases, c => (long)c.M * c.N * c.K >= 1 << 18) >= 3, "products split into parallel bands");
    }

    [Fact]
    public void ElementwiseCasesReachVectorTails()
    {
        var lengths = new[] { "relu", "exp", "add", "softmax", "batch_norm2d", "dropout" }.SelectMany(op => KernelCases(op).Select(c => (Op: op, Length: c.Case.Shapes[0].Aggregate(1, (p, d) => p * d)))).ToList();
        foreach (var group in lengths.GroupBy(l => l.Op))
        {
            Assert.True(group.Count(l => l.Length > 16 && l.Length % 16 != 0) >= 3, $"{group.Key}: lengths with a partial vector after full ones");
            Assert.True(group.Any(l => l.Length < 16) || group.Key is "batch_norm2d", $"{group.Key}: a length under one vector");
        }
    }
}
