using AutoGrad.Ops;
using AutoGrad.Ops.Kernels;

namespace AutoGrad.Tests.Kernels;

/// <summary>The tiled convolution (bands of rows, groups of images) against direct loops, forward and all three gradients.</summary>
public class ConvTilingTests
{
    [Fact]
    public void PlansBandLargeImagesAndGroupSmallOnes()
    {
        var big = new ConvPlan(32, new ConvGeometry(3, 256, 256, 5, 5, 1, 0));   // seed-lenet5 conv1
        Assert.Equal(1, big.ImagesPerUnit);
        Assert.True(big.RowsPerTile < 252);
        Assert.Equal(32, big.Units);
        var small = new ConvPlan(64, new ConvGeometry(6, 14, 14, 5, 5, 1, 0));   // lenet5 conv2
        Assert.True(small.ImagesPerUnit > 1);
        Assert.Equal(10, small.RowsPerTile);
        Assert.Equal((64 + small.ImagesPerUnit - 1) / small.ImagesPerUnit, small.Units);
    }

    // (N, C, H, W, O, k, stride, padding): banded with a short last band; banded with stride and padding;
    // grouped, two images per unit with a partial last unit; grouped, one unit; banded with 35 units, more than
    // the 16 weight-gradient partial slots (so slots sum several units each); stride 3 on widths that are not
    // multiples of it with padding reaching into a phase's start; 1×1 stride 2 (residual projections), odd width.
    [Theory]
    [InlineData(35, 64, 20, 20, 2, 3, 1, 1)]
    [InlineData(2, 8, 70, 67, 3, 3, 1, 1)]
    [InlineData(1, 8, 150, 61, 2, 3, 2, 2)]
    [InlineData(5, 64, 10, 10, 3, 3, 1, 1)]
    [InlineData(3, 2, 9, 7, 4, 2, 2, 0)]
    [InlineData(2, 3, 11, 13, 4, 5, 3, 2)]
    [InlineData(3, 4, 9, 9, 5, 1, 2, 0)]
    public void MatchesDirectConvolution(int n, int c, int h, int w, int o, int k, int s, int p)
    {
        var r = new Random(n * 1000 + c);
        double[] Rand(int len) => Enumerable.Range(0, len).Select(_ => r.NextDouble() * 2 - 1).ToArray();
        var plan = new ConvPlan(n, new ConvGeometry(c, h, w, k, k, s, p));
        Assert.True(h < 20 ? plan.ImagesPerUnit >= 1 : plan.RowsPerTile < plan.Geometry.OutHeight, "the case exercises the intended tiling");
        var x = Node<double>.Input(new Tensor<double>([n, c, h, w], Rand(n * c * h * w)), requiresGrad: true);
        var wt = Node<double>.Parameter(new Tensor<double>([o, c, k, k], Rand(o * c * k * k)), "w");
        var b = Node<double>.Parameter(new Tensor<double>([o], Rand(o)), "b");
        var y = Conv2d.Apply(x, wt, b, s, p);
        int oh = (h + 2 * p - k) / s + 1, ow = (w + 2 * p - k) / s + 1;
        var seed = new Tensor<double>([n, o, oh, ow], Rand(n * o * oh * ow));
        y.Backprop(seed);
        var gx = new double[x.Value.Length]; var gw = new double[wt.Value.Length]; var gb = new double[o];
        for (int bi = 0; bi < n; bi++)
            for (int oc = 0; oc < o; oc++)
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++)
                    {
                        double sum = b.Value[oc], g = seed[bi, oc, oy, ox];
                        gb[oc] += g;
                        for (int ic = 0; ic < c; ic++)
                            for (int ky = 0; ky < k; ky++)
                                for (int kx = 0; kx < k; kx++)
                                {
                                    int iy = oy * s - p + ky, ix = ox * s - p + kx;
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                    int xi = ((bi * c + ic) * h + iy) * w + ix, wi = ((oc * c + ic) * k + ky) * k + kx;
                                    sum += x.Value.Data[xi] * wt.Value.Data[wi];
                                    gx[xi] += g * wt.Value.Data[wi];
                                    gw[wi] += g * x.Value.Data[xi];
                                }
                        Assert.Equal(sum, y.Value[bi, oc, oy, ox], 1e-10);
                    }
        for (int i = 0; i < gx.Length; i++) Assert.Equal(gx[i], x.Grad!.Data[i], 1e-10);
        for (int i = 0; i < gw.Length; i++) Assert.Equal(gw[i], wt.Grad!.Data[i], 1e-9);
        for (int i = 0; i < o; i++) Assert.Equal(gb[i], b.Grad!.Data[i], 1e-9);
    }
}

/// <summary>Each run makes its own settings current (<see cref="Compute.Use"/>), so it can run beside other tests.</summary>
public class ConvThreadCountTests
{
    [Theory]
    [InlineData(ConvAlgorithm.Auto)]   // the direct AVX-512 kernels where the machine has them
    [InlineData(ConvAlgorithm.Gemm)]   // banded im2col + GEMM
    public void ConvIsBitIdenticalForOneAndTwoThreads(ConvAlgorithm algorithm)
    {
        var r = new Random(3);
        var x = new Tensor<float>([3, 4, 90, 90], Enumerable.Range(0, 3 * 4 * 8100).Select(_ => (float)r.NextDouble() - 0.5f).ToArray());
        var w = new Tensor<float>([5, 4, 5, 5], Enumerable.Range(0, 500).Select(_ => (float)r.NextDouble() - 0.5f).ToArray());
        (float[] Y, float[] Gw, float[] Gx) Run(int threads)
        {
            using var compute = Compute.Use(new ComputeSettings { Threads = threads, Convolution = algorithm });
            var xn = Node<float>.Input(x, requiresGrad: true);
            var wn = Node<float>.Parameter(w.Clone(), "w");
            var y = Conv2d.Apply(xn, wn, null, 1, 2);
            var values = (float[])y.Value.Data.Clone();
            y.Backprop(Tensor<float>.Full(y.Shape, 0.25f));
            return (values, wn.Grad!.Data, xn.Grad!.Data);
        }
        var one = Run(1);
        var two = Run(2);
        Assert.Equal(one.Y, two.Y);
        Assert.Equal(one.Gw, two.Gw);
        Assert.Equal(one.Gx, two.Gx);
    }
}
