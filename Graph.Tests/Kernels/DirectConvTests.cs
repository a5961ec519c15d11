using AutoGrad.Ops;
using AutoGrad.Ops.Kernels;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// The direct AVX-512 float convolution (forward, input, weight and bias gradients) against float64 loops
/// on the same inputs. Float sums of up to a few hundred terms: tolerance relative to the sum of |terms|.
/// Without AVX-512, Conv2d takes im2col + GEMM and the same checks hold for that path.
/// </summary>
public class DirectConvTests
{
    // (N, C, H, W, O, kh, kw, padding): lenet5 conv1 and conv2; the seed models' 3×3 convs; 7 output channels
    // (a partial channel block) with rows that are not a whole number of vectors; a 2×3 kernel; one image (only
    // the padded-copy path); 18 images, more than the 16 weight-gradient slots; a 1-wide output. Multiples of 16
    // channels take the channel-vector kernels (lenet5's conv2 among them).
    [Theory]
    [InlineData(3, 1, 28, 28, 6, 5, 5, 2)]
    [InlineData(3, 6, 14, 14, 16, 5, 5, 0)]
    [InlineData(2, 3, 30, 30, 6, 3, 3, 0)]
    [InlineData(2, 5, 17, 37, 7, 3, 3, 1)]
    [InlineData(2, 2, 9, 21, 5, 2, 3, 1)]
    [InlineData(1, 4, 12, 12, 4, 5, 5, 2)]
    [InlineData(18, 2, 8, 8, 3, 3, 3, 1)]
    [InlineData(2, 3, 5, 5, 2, 5, 5, 0)]
    [InlineData(2, 16, 9, 11, 32, 3, 3, 1)]   // channel-vector kernels: two 16-channel vectors, and 16-channel dx
    [InlineData(2, 1, 8, 8, 16, 3, 3, 1)]     // 9 taps: fewer than one 12-tap block
    [InlineData(2, 3, 10, 20, 10, 3, 3, 1)]   // weight gradient: a 6-channel block, a 3-channel block and a single channel
    [InlineData(2, 24, 28, 28, 24, 3, 3, 1)]  // lenet5-wide's conv2: four 6-channel blocks over 216 taps
    public void MatchesFloat64Loops(int n, int c, int h, int w, int o, int kh, int kw, int p) => Check(n, c, h, w, o, kh, kw, p);

    // A +∞ pixel: it must make exactly the outputs and weight gradients it enters ±∞ and leave every other one finite
    // (lanes of other positions that read it, past a row's end or in the next image, must not turn dW to NaN).
    // Found by review: 0·∞ in masked-off lanes of the weight gradient.
    [Theory]
    [InlineData(3, 1, 8, 8, 2, 3, 3, 0, 64)]     // read in place: the first pixel of image 1, next to image 0's last rows
    [InlineData(1, 1, 8, 8, 2, 3, 3, 1, 12)]     // padded copy: inside row 1
    [InlineData(1, 16, 6, 6, 16, 3, 3, 1, 7)]    // channel-vector kernels
    public void AnInfinitePixelReachesOnlyTheOutputsAndWeightsItEnters(int n, int c, int h, int w, int o, int kh, int kw, int p, int at)
        => Check(n, c, h, w, o, kh, kw, p, infinityAt: at);

    internal static void Check(int n, int c, int h, int w, int o, int kh, int kw, int p, int infinityAt = -1)
    {
        var r = new Random(n * 100 + c * 10 + o);
        float[] Rand(int len) => Enumerable.Range(0, len).Select(_ => (float)(r.NextDouble() * 2 - 1)).ToArray();
        var xs = Rand(n * c * h * w);
        if (infinityAt >= 0) xs[infinityAt] = float.PositiveInfinity;
        var x = Node<float>.Input(new Tensor<float>([n, c, h, w], xs), requiresGrad: true);
        var wt = Node<float>.Parameter(new Tensor<float>([o, c, kh, kw], Rand(o * c * kh * kw)), "w");
        var b = Node<float>.Parameter(new Tensor<float>([o], Rand(o)), "b");
        var y = Conv2d.Apply(x, wt, b, 1, p);
        int oh = h + 2 * p - kh + 1, ow = w + 2 * p - kw + 1;
        Assert.Equal([n, o, oh, ow], y.Shape);
        var seed = new Tensor<float>([n, o, oh, ow], Rand(n * o * oh * ow));
        y.Backprop(seed);
        var (gx, gxAbs) = (new double[x.Value.Length], new double[x.Value.Length]);
        var (gw, gwAbs) = (new double[wt.Value.Length], new double[wt.Value.Length]);
        var (gb, gbAbs) = (new double[o], new double[o]);
        for (int bi = 0; bi < n; bi++)
            for (int oc = 0; oc < o; oc++)
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++)
                    {
                        double sum = b.Value[oc], abs = Math.Abs(sum), g = seed[bi, oc, oy, ox];
                        gb[oc] += g; gbAbs[oc] += Math.Abs(g);
                        for (int ic = 0; ic < c; ic++)
                            for (int ky = 0; ky < kh; ky++)
                                for (int kx = 0; kx < kw; kx++)
                                {
                                    int iy = oy - p + ky, ix = ox - p + kx;
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                    int xi = ((bi * c + ic) * h + iy) * w + ix, wi = ((oc * c + ic) * kh + ky) * kw + kx;
                                    double xv = x.Value.Data[xi], wv = wt.Value.Data[wi];
                                    sum += xv * wv; abs += Math.Abs(xv * wv);
                                    gx[xi] += g * wv; gxAbs[xi] += Math.Abs(g * wv);
                                    gw[wi] += g * xv; gwAbs[wi] += Math.Abs(g * xv);
                                }
                        Close(sum, abs, y.Value[bi, oc, oy, ox], $"y[{bi},{oc},{oy},{ox}]");
                    }
        for (int i = 0; i < gx.Length; i++) Close(gx[i], gxAbs[i], x.Grad!.Data[i], $"dx[{i}]");
        for (int i = 0; i < gw.Length; i++) Close(gw[i], gwAbs[i], wt.Grad!.Data[i], $"dw[{i}]");
        for (int i = 0; i < o; i++) Close(gb[i], gbAbs[i], b.Grad!.Data[i], $"db[{i}]");
    }

    private static void Close(double expected, double scale, float actual, string what)
    {
        if (!double.IsFinite(expected))
        {
            Assert.True(expected.Equals((double)actual), $"{what}: expected {expected}, got {actual}");
            return;
        }
        Assert.True(float.IsFinite(actual), $"{what}: expected {expected}, got {actual}");
        double tolerance = 1e-5 * scale + 1e-6;
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected}, got {actual} (tolerance {tolerance:G3})");
    }

    [Fact]
    public void TheDirectPathTakesStrideOneConvsOfBoundedSizeOnly()
    {
        Assert.False(DirectConvolution.Applies(new ConvGeometry(3, 32, 32, 3, 3, 2, 1), 8));     // stride 2
        Assert.False(DirectConvolution.Applies(new ConvGeometry(3, 32, 32, 3, 3, 1, 3), 8));     // padding ≥ kernel
        Assert.False(DirectConvolution.Applies(new ConvGeometry(128, 28, 28, 3, 3, 1, 1), 128)); // 147,456 weights
        if (!DirectConv.IsSupported) return;   // no AVX-512: everything takes im2col + GEMM
        Assert.True(DirectConvolution.Applies(new ConvGeometry(1, 28, 28, 5, 5, 1, 2), 6));      // lenet5 conv1
        Assert.True(DirectConvolution.Applies(new ConvGeometry(6, 14, 14, 5, 5, 1, 0), 16));     // lenet5 conv2
        Assert.True(DirectConvolution.Applies(new ConvGeometry(64, 14, 14, 3, 3, 1, 1), 64));    // 36,864 weights
    }

    [Fact]
    public void WithoutInputGradientStillGivesWeightAndBiasGradients()
    {
        var r = new Random(5);
        float[] Rand(int len) => Enumerable.Range(0, len).Select(_ => (float)(r.NextDouble() * 2 - 1)).ToArray();
        var xv = new Tensor<float>([4, 3, 20, 20], Rand(4 * 3 * 400));
        var wv = new Tensor<float>([6, 3, 5, 5], Rand(450));
        var seed = new Tensor<float>([4, 6, 16, 16], Rand(4 * 6 * 256));
        (float[] W, float[] B, float[]? X) Run(bool inputGrad)
        {
            var x = Node<float>.Input(xv, requiresGrad: inputGrad);
            var w = Node<float>.Parameter(wv.Clone(), "w");
            var b = Node<float>.Parameter(new Tensor<float>(6), "b");
            Conv2d.Apply(x, w, b).Backprop(seed);
            return (w.Grad!.Data, b.Grad!.Data, x.Grad?.Data);
        }
        var with = Run(true);
        var without = Run(false);
        Assert.NotNull(with.X);
        Assert.Null(without.X);
        Assert.Equal(with.W, without.W);
        Assert.Equal(with.B, without.B);
    }
}

/// <summary>The float im2col + GEMM path on the same checks (chosen for this test only with <see cref="Compute.Use"/>).</summary>
public class GemmConvFloatTests
{
    [Theory]
    [InlineData(3, 1, 28, 28, 6, 5, 5, 2)]
    [InlineData(2, 5, 17, 37, 7, 3, 3, 1)]
    public void MatchesFloat64Loops(int n, int c, int h, int w, int o, int kh, int kw, int p)
    {
        using var compute = Compute.Use(Compute.Current with { Convolution = ConvAlgorithm.Gemm });
        DirectConvTests.Check(n, c, h, w, o, kh, kw, p);
    }
}
