using AutoGrad.Models.Layers;

namespace AutoGrad.Tests.Models.Layers;

/// <summary>
/// The residual block's gradient in float64 against central differences: the input gradient through the shared
/// <see cref="GradientCheck"/>, every parameter's gradient element by element the same way (L = Σ u ⊙ f).
/// </summary>
public class ResidualLayerTests
{
    public static TheoryData<int, int, int> Blocks => new() { { 3, 3, 1 }, { 3, 4, 2 }, { 2, 4, 1 } };   // identity; projection with stride; projection for channels

    [Theory]
    [MemberData(nameof(Blocks))]
    public void InputGradientMatchesCentralDifferences(int inChannels, int outChannels, int stride)
    {
        var rng = new Random(3);
        var block = new ResidualLayer<double>("res1", [inChannels, 5, 5], outChannels, stride, "he_normal", rng);
        var x = Tensor(rng, [2, inChannels, 5, 5]);
        var result = GradientCheck.Run(v => block.Forward(v[0], new ForwardContext(training: true)), [x], rng, rtol: 1e-5, atol: 1e-7);
        Assert.True(result.Passed, result.ToString());
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void ParameterGradientsMatchCentralDifferences(int inChannels, int outChannels, int stride)
    {
        var rng = new Random(5);
        var block = new ResidualLayer<double>("res1", [inChannels, 5, 5], outChannels, stride, "he_normal", rng);
        foreach (var p in block.Parameters) for (int i = 0; i < p.Value.Length; i++) p.Value.Data[i] += 0.1 * (rng.NextDouble() - 0.5);   // β ≠ 0, γ ≠ 1
        var x = Tensor(rng, [2, inChannels, 5, 5]);
        var u = Tensor(rng, [2, .. block.OutputShape]);
        double Loss()
        {
            using var _ = GradMode.NoGrad();
            var y = block.Forward(Node<double>.Input(x), new ForwardContext(training: true)).Value;
            double sum = 0;
            for (int i = 0; i < y.Length; i++) sum += u.Data[i] * y.Data[i];
            return sum;
        }
        foreach (var p in block.Parameters) p.ZeroGrad();
        block.Forward(Node<double>.Input(x), new ForwardContext(training: true)).Backprop(u);
        Assert.Equal(block.Parameters.Count, block.Parameters.Select(p => p.Name).Distinct().Count());
        foreach (var p in block.Parameters)
            for (int i = 0; i < p.Value.Length; i += Math.Max(1, p.Value.Length / 16))
            {
                double saved = p.Value.Data[i], h = 1e-6;
                p.Value.Data[i] = saved + h; double up = Loss();
                p.Value.Data[i] = saved - h; double down = Loss();
                p.Value.Data[i] = saved;
                double numeric = (up - down) / (2 * h), analytic = p.Grad!.Data[i];
                Assert.True(Math.Abs(numeric - analytic) <= 1e-7 + 1e-5 * Math.Abs(numeric), $"{p.Name}[{i}]: analytic {analytic} vs numeric {numeric}");
            }
    }

    [Fact]
    public void StrideHalvesTheImageAndNamesThePartsAfterTheBlock()
    {
        var block = new ResidualLayer<float>("res2", [8, 9, 9], 16, 2, "he_normal", new Random(1));
        Assert.Equal([16, 5, 5], block.OutputShape);
        Assert.Contains(block.Parameters, p => p.Name == "res2.shortcut.weight");
        Assert.Contains(block.Buffers, b => b.Name == "res2.bn2.running_var");
        Assert.DoesNotContain(new ResidualLayer<float>("res1", [8, 9, 9], 8, 1, "he_normal", new Random(1)).Parameters, p => p.Name!.Contains("shortcut"));
    }

    private static Tensor<double> Tensor(Random rng, int[] shape)
    {
        var t = new Tensor<double>(shape);
        for (int i = 0; i < t.Length; i++) t.Data[i] = rng.NextDouble() * 2 - 1;
        return t;
    }
}
