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

    [Theory]
    [InlineData(2, 2, 1)]
    [InlineData(28, 28, 3)]    // lenet5 pool1: 14 outputs a row, fewer than one vector
    [InlineData(10, 10, 4)]    // pool2: 5 outputs a row
    [InlineData(9, 33, 2)]     // odd sizes drop the last row and column
    [InlineData(6, 64, 2)]     // exactly two vectors a row
    [InlineData(5, 122, 2)]    // 61 outputs: three full vectors and a partial one
    public void MaxPool2x2FloatVectorPathMatchesScalarRules(int h, int w, int planes)
    {
        // Several planes in one buffer, like a batch: windows near a plane's end take the staged path.
        var r = new Random(h * 1000 + w);
        var x = Enumerable.Range(0, planes * h * w).Select(i => i % 11 == 0 ? float.NaN : i % 3 == 0 ? (float)r.Next(3) : (float)r.NextDouble() * 4 - 2).ToArray();
        var g = new ConvGeometry(1, h, w, 2, 2, 2, 0);
        int outPlane = g.Positions;
        var output = new float[planes * outPlane];
        var argmax = new int[planes * outPlane];
        for (int p = 0; p < planes; p++)
            PoolKernels.MaxForward<float>(x.AsSpan(p * h * w, h * w), g, output.AsSpan(p * outPlane, outPlane), argmax.AsSpan(p * outPlane, outPlane));
        for (int p = 0; p < planes; p++)
            for (int oy = 0; oy < g.OutHeight; oy++)
                for (int ox = 0; ox < g.OutWidth; ox++)
                {
                    var plane = x.AsSpan(p * h * w, h * w);
                    int best = 2 * oy * w + 2 * ox;
                    foreach (int at in new[] { best + 1, best + w, best + w + 1 })
                        if (plane[at] > plane[best] || (float.IsNaN(plane[at]) && !float.IsNaN(plane[best]))) best = at;
                    int o = p * outPlane + oy * g.OutWidth + ox;
                    Assert.Equal(best, argmax[o]);
                    Assert.Equal(plane[best], output[o]);
                }
    }
}
