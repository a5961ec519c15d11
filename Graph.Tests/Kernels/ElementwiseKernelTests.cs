using AutoGrad.Ops;
using AutoGrad.Ops.Kernels;

namespace AutoGrad.Tests.Kernels;

/// <summary>The vectorised ReLU backward and the unrolled 2×2 max-pool against scalar references.</summary>
public class ElementwiseKernelTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(33)]
    [InlineData(1000)]
    public void ReluBackwardMatchesScalarRule(int n)
    {
        var r = new Random(n);
        var o = Enumerable.Range(0, n).Select(i => i % 5 == 0 ? 0f : i % 7 == 0 ? float.NaN : (float)r.NextDouble() - 0.5f).ToArray();
        var g = Enumerable.Range(0, n).Select(_ => (float)r.NextDouble() - 0.5f).ToArray();
        var d = new float[n];
        ReluKernel.Backward<float>(o, g, d);
        for (int i = 0; i < n; i++) Assert.Equal(o[i] > 0 ? g[i] : 0f, d[i]);
    }

    [Theory]
    [InlineData(4, 4)]
    [InlineData(7, 9)]
    [InlineData(2, 33)]
    public void MaxPool2x2MatchesReferenceIncludingTiesAndNaN(int h, int w)
    {
        var r = new Random(h * 100 + w);
        // Few distinct values make ties common; a NaN must win its window.
        var x = Enumerable.Range(0, h * w).Select(_ => (double)r.Next(3)).ToArray();
        x[r.Next(x.Length)] = double.NaN;
        var g = new ConvGeometry(1, h, w, 2, 2, 2, 0);
        var output = new double[g.Positions];
        var argmax = new int[g.Positions];
        PoolKernels.MaxForward<double>(x, g, output, argmax);
        for (int oy = 0; oy < g.OutHeight; oy++)
            for (int ox = 0; ox < g.OutWidth; ox++)
            {
                int best = 2 * oy * w + 2 * ox;
                foreach (int at in new[] { best + 1, best + w, best + w + 1 })
                    if (x[at] > x[best] || (double.IsNaN(x[at]) && !double.IsNaN(x[best]))) best = at;
                Assert.Equal(best, argmax[oy * g.OutWidth + ox]);
                Assert.Equal(x[best], output[oy * g.OutWidth + ox]);
            }
    }
}
