using AutoGrad.Ops;
using AutoGrad.Ops.Kernels;
using FsCheck.Xunit;

namespace AutoGrad.Tests.Kernels;

/// <summary>Fast kernels against naive reference loops.</summary>
public class KernelReferenceTests
{
    private static double[] Random(Random r, int n) => Enumerable.Range(0, n).Select(_ => r.NextDouble() * 2 - 1).ToArray();

    [Property(MaxTest = 60)]
    public void GemmMatchesReferenceForEveryTransposeCombination(int seed)
    {
        var r = new Random(seed);
        int m = r.Next(1, 40), n = r.Next(1, 40), k = r.Next(1, 40);
        foreach (var (ta, tb) in new[] { (false, false), (false, true), (true, false), (true, true) })
        {
            var a = Random(r, m * k); var b = Random(r, k * n);
            var start = Random(r, m * n);
            foreach (bool acc in new[] { false, true })
            {
                var fast = (double[])start.Clone(); var slow = (double[])start.Clone();
                Gemm.Multiply(ta, tb, m, n, k, a, 0, b, 0, fast, 0, acc);
                Gemm.Reference(ta, tb, m, n, k, a, b, slow, acc);
                for (int i = 0; i < fast.Length; i++) Assert.Equal(slow[i], fast[i], 1e-12);
            }
        }
    }

    [Property(MaxTest = 40)]
    public void Conv2dMatchesDirectConvolution(int seed)
    {
        var r = new Random(seed);
        int n = r.Next(1, 3), c = r.Next(1, 4), o = r.Next(1, 4), kh = r.Next(1, 4), kw = r.Next(1, 4);
        int s = r.Next(1, 3), p = r.Next(0, 3), h = r.Next(kh, 9), w = r.Next(kw, 9);
        var x = new Tensor<double>([n, c, h, w], Random(r, n * c * h * w));
        var wt = new Tensor<double>([o, c, kh, kw], Random(r, o * c * kh * kw));
        var bias = new Tensor<double>([o], Random(r, o));
        var fast = Conv2d.Apply(Node<double>.Input(x), Node<double>.Input(wt), Node<double>.Input(bias), s, p).Value;
        int oh = (h + 2 * p - kh) / s + 1, ow = (w + 2 * p - kw) / s + 1;
        Assert.Equal([n, o, oh, ow], fast.Shape);
        for (int b = 0; b < n; b++)
            for (int oc = 0; oc < o; oc++)
                for (int y = 0; y < oh; y++)
                    for (int xx = 0; xx < ow; xx++)
                    {
                        double sum = bias[oc];
                        for (int ic = 0; ic < c; ic++)
                            for (int ky = 0; ky < kh; ky++)
                                for (int kx = 0; kx < kw; kx++)
                                {
                                    int iy = y * s - p + ky, ix = xx * s - p + kx;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < w) sum += x[b, ic, iy, ix] * wt[oc, ic, ky, kx];
                                }
                        Assert.Equal(sum, fast[b, oc, y, xx], 1e-12);
                    }
    }

    [Fact]
    public void MaxPoolRoutesTiesToTheFirstMaximum()
    {
        var x = Node<double>.Input(Tensor<double>.FromArray([1, 1, 2, 2], [5, 5, 5, 1]), requiresGrad: true);
        var y = MaxPool2d.Apply(x, 2);
        Assert.Equal(5, y.Value.ToScalar());
        Sum.Apply(y).Backprop();
        Assert.Equal([1.0, 0, 0, 0], x.Grad!.Data);
    }

    [Fact]
    public void ConvIsIdenticalAcrossThreadCounts()
    {
        var r = new Random(7);
        var x = new Tensor<float>([8, 3, 12, 12], Random(r, 8 * 3 * 144).Select(v => (float)v).ToArray());
        var w = new Tensor<float>([5, 3, 3, 3], Random(r, 135).Select(v => (float)v).ToArray());
        float[] Grad(int threads)
        {
            using var compute = Compute.Use(new ComputeSettings { Threads = threads });
            var wn = Node<float>.Parameter(w.Clone(), "w");
            Sum.Apply(Conv2d.Apply(Node<float>.Input(x), wn, null, 1, 1)).Backprop();
            return wn.Grad!.Data;
        }
        Assert.Equal(Grad(2), Grad(2));
        var single = Grad(1);
        var two = Grad(2);
        for (int i = 0; i < single.Length; i++) Assert.Equal(single[i], two[i], 1e-3f);
    }
}
