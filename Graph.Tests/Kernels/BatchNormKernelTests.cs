using AutoGrad.Ops.Kernels;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// The fused batch-norm passes give the same bits as the separate TensorPrimitives calls they replaced (same IEEE
/// operations, same order, no fused multiply-add), at vector lengths with and without a scalar tail.
/// </summary>
public class BatchNormKernelTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(196)]   // lenet5-wide's 14×14 plane
    [InlineData(789)]
    public void NormalizeAffineEqualsSeparatePassesBitForBit(int n)
    {
        var r = new Random(n);
        var x = Enumerable.Range(0, n).Select(_ => (float)(r.NextDouble() * 6 - 3)).ToArray();
        float invStd = 1.37f, gamma = 0.83f, beta = -0.21f;
        var (h1, y1) = ((float[])x.Clone(), new float[n]);
        TP.Multiply(h1, invStd, h1);
        TP.Multiply(h1, gamma, y1);
        TP.Add(y1, beta, y1);
        var (h2, y2) = ((float[])x.Clone(), new float[n]);
        BatchNormKernel.NormalizeAffine<float>(h2, invStd, gamma, beta, y2);
        Assert.Equal(h1.Select(BitConverter.SingleToInt32Bits), h2.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(y1.Select(BitConverter.SingleToInt32Bits), y2.Select(BitConverter.SingleToInt32Bits));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(196)]
    [InlineData(789)]
    public void EvaluationNormalizeAffineEqualsSubtractThenNormalizeBitForBit(int n)
    {
        var r = new Random(n + 2);
        var x = Enumerable.Range(0, n).Select(_ => (float)(r.NextDouble() * 6 - 3)).ToArray();
        float mean = 0.377f, invStd = 1.37f, gamma = 0.83f, beta = -0.21f;
        var (h, y1) = (new float[n], new float[n]);
        TP.Subtract(x, mean, h);
        BatchNormKernel.NormalizeAffine<float>(h, invStd, gamma, beta, y1);
        var y2 = new float[n];
        BatchNormKernel.NormalizeAffine<float>(x, mean, invStd, gamma, beta, y2);
        Assert.Equal(y1.Select(BitConverter.SingleToInt32Bits), y2.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void EvaluationWithoutGradientGivesTheSameBitsAsWithOne()
    {
        // The op's two evaluation paths: with a gradient to come it keeps x̂ (subtract, then normalise); under
        // no-grad it writes y in one pass.
        var r = new Random(11);
        int[] shape = [3, 5, 7, 9];
        var x = new Tensor<float>(shape, Enumerable.Range(0, Shapes.Size(shape)).Select(_ => (float)(r.NextDouble() * 4 - 1)).ToArray());
        var state = new AutoGrad.Ops.BatchNormState<float>(5);
        for (int c = 0; c < 5; c++) (state.RunningMean.Data[c], state.RunningVar.Data[c]) = (0.3f * c - 0.4f, 0.5f + c);
        var gamma = Node<float>.Parameter(new Tensor<float>([5], [0.9f, 1.1f, -0.7f, 1.3f, 0.2f]), "gamma");
        var beta = Node<float>.Parameter(new Tensor<float>([5], [0.1f, -0.2f, 0.3f, 0f, 0.05f]), "beta");
        var kept = AutoGrad.Ops.BatchNorm2d.Apply(Node<float>.Input(x), gamma, beta, state, training: false);
        Tensor<float> onePass;
        using (GradMode.NoGrad()) onePass = AutoGrad.Ops.BatchNorm2d.Apply(Node<float>.Input(x), gamma, beta, state, training: false).Value;
        Assert.Equal(kept.Value.Data.Select(BitConverter.SingleToInt32Bits), onePass.Data.Select(BitConverter.SingleToInt32Bits));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(9)]
    [InlineData(32)]
    [InlineData(784)]   // lenet5-wide's 28×28 plane
    [InlineData(1001)]
    public void InputGradEqualsSeparatePassesBitForBit(int n)
    {
        var r = new Random(n + 1);
        var xh = Enumerable.Range(0, n).Select(_ => (float)(r.NextDouble() * 4 - 2)).ToArray();
        var g = Enumerable.Range(0, n).Select(_ => (float)(r.NextDouble() - 0.5) * 1e-2f).ToArray();
        float a = -3.1e-3f, shift = 1.7e-4f, scale = 2.9f;
        var d1 = new float[n];
        TP.Multiply(xh, a, d1);
        TP.Add(d1, g, d1);
        TP.Subtract(d1, shift, d1);
        TP.Multiply(d1, scale, d1);
        var d2 = new float[n];
        BatchNormKernel.InputGrad<float>(xh, g, a, shift, scale, d2);
        Assert.Equal(d1.Select(BitConverter.SingleToInt32Bits), d2.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void InputGradDoubleMatchesTheFormula()
    {
        double[] xh = [0.5, -1.25, 2], g = [0.1, 0.2, -0.3];
        var d = new double[3];
        BatchNormKernel.InputGrad<double>(xh, g, -0.5, 0.25, 2, d);
        Assert.Equal([(0.5 * -0.5 + 0.1 - 0.25) * 2, (-1.25 * -0.5 + 0.2 - 0.25) * 2, (2 * -0.5 - 0.3 - 0.25) * 2], d);
    }
}
