using AutoGrad.Models;
using AutoGrad.Models.Layers;
using AutoGrad.Models.Specs;
using AutoGrad.Models.Zoo;

namespace AutoGrad.Tests.Models.Layers;

public class InitializerTests
{
    [Fact]
    public void SameSeedGivesIdenticalWeights()
    {
        var a = Build("lenet5", seed: 7);
        var b = Build("lenet5", seed: 7);
        Assert.Equal(a.StateTensors().Select(s => s.Name), b.StateTensors().Select(s => s.Name));
        foreach (var ((_, x), (_, y)) in a.StateTensors().Zip(b.StateTensors())) Assert.Equal(x.Data, y.Data);
    }

    [Fact]
    public void DifferentSeedsGiveDifferentWeights()
    {
        var a = Build("lenet5", seed: 7);
        var b = Build("lenet5", seed: 8);
        foreach (var (pa, pb) in a.Parameters.Zip(b.Parameters).Where(p => p.First.Name!.EndsWith(".weight")))
            Assert.NotEqual(pa.Value.Data, pb.Value.Data);
    }

    [Fact]
    public void LayersOfOneModelDrawDifferentWeights()
    {
        // fc2 and fc3 of two-layer-net-like specs must not share a random stream: compare the first values of two same-shaped layers.
        var spec = SpecJson.Parse("""{"input": [8], "layers": [{"type": "linear", "out": 8}, {"type": "linear", "out": 8}, {"type": "linear", "out": "classes"}]}""", "t.json");
        var model = ModelBuilder.Build<float>(spec, 8, seed: 3);
        Assert.NotEqual(model.Parameters[0].Value.Data, model.Parameters[2].Value.Data);
    }

    [Fact]
    public void BiasesStartAtZeroAndBatchNormAtIdentity()
    {
        var model = Build("lenet5-plus", seed: 5);
        var biases = model.Parameters.Where(p => p.Name!.EndsWith(".bias")).ToList();
        Assert.NotEmpty(biases);
        Assert.All(biases, p => Assert.All(p.Value.Data, v => Assert.Equal(0f, v)));
        Assert.All(model.Parameters.Where(p => p.Name!.StartsWith("bn") && p.Name.EndsWith(".weight")), p => Assert.All(p.Value.Data, v => Assert.Equal(1f, v)));
        var buffers = model.StateTensors().Where(s => s.Name.EndsWith("running_var")).ToList();
        Assert.All(buffers, b => Assert.All(b.Value.Data, v => Assert.Equal(1f, v)));
    }

    [Fact]
    public void HeNormalLinearHasStdSqrtTwoOverFanIn()
    {
        // 500,000 draws: the sample std's relative standard error is 1/√(2n) ≈ 0.1 %, so 2 % is a wide margin.
        var layer = new LinearLayer<double>("fc", [1000], 500, true, "he_normal", new Random(1));
        var w = layer.Parameters[0].Value.Data;
        double expected = Math.Sqrt(2.0 / 1000);
        var (mean, std) = Moments(w);
        Assert.InRange(std, expected * 0.98, expected * 1.02);
        Assert.InRange(mean, -5 * expected / Math.Sqrt(w.Length), 5 * expected / Math.Sqrt(w.Length));
        // Normal, not uniform: about 68.3 % of draws lie within one standard deviation.
        double within = w.Count(v => Math.Abs(v) <= expected) / (double)w.Length;
        Assert.InRange(within, 0.673, 0.693);
    }

    [Fact]
    public void HeNormalConvolutionCountsTheKernelAreaInFanIn()
    {
        // fan_in = in·k·k = 8·5·5 = 200; 64·200 = 12,800 draws, relative standard error ≈ 0.6 %.
        var layer = new Conv2dLayer<double>("conv", [8, 10, 10], 64, 5, 1, 0, true, "he_normal", new Random(2));
        var (_, std) = Moments(layer.Parameters[0].Value.Data);
        double expected = Math.Sqrt(2.0 / 200);
        Assert.InRange(std, expected * 0.96, expected * 1.04);
    }

    [Theory]
    [InlineData("xavier_uniform", 300, 200)]
    [InlineData("he_uniform", 300, 200)]
    public void UniformInitialisersStayInsideTheirBoundAndReachIt(string init, int fanIn, int fanOut)
    {
        double bound = init == "xavier_uniform" ? Math.Sqrt(6.0 / (fanIn + fanOut)) : Math.Sqrt(6.0 / fanIn);
        var layer = new LinearLayer<double>("fc", [fanIn], fanOut, false, init, new Random(3));
        var w = layer.Parameters[0].Value.Data;
        Assert.All(w, v => Assert.InRange(v, -bound, bound));
        // 60,000 uniform draws: the extremes come within 0.1 % of the bound (miss probability ≈ e^-60).
        Assert.True(w.Max() > bound * 0.999 && w.Min() < -bound * 0.999, $"extremes {w.Min()}..{w.Max()} vs ±{bound}");
        var (_, std) = Moments(w);
        Assert.InRange(std, bound / Math.Sqrt(3) * 0.98, bound / Math.Sqrt(3) * 1.02);   // uniform: σ = bound/√3
    }

    [Fact]
    public void XavierNormalHasStdSqrtTwoOverFanInPlusFanOut()
    {
        var layer = new LinearLayer<double>("fc", [400], 600, false, "xavier_normal", new Random(4));
        var (_, std) = Moments(layer.Parameters[0].Value.Data);
        double expected = Math.Sqrt(2.0 / (400 + 600));
        Assert.InRange(std, expected * 0.98, expected * 1.02);
    }

    [Fact]
    public void SpecInitKeySelectsTheInitialiser()
    {
        var spec = SpecJson.Parse("""{"input": [200], "layers": [{"type": "linear", "out": "classes", "init": "xavier_uniform"}]}""", "x.json");
        var w = ModelBuilder.Build<float>(spec, 100, seed: 1).Parameters[0].Value.Data;
        double bound = Math.Sqrt(6.0 / 300);
        Assert.All(w, v => Assert.InRange(v, -bound, bound));
        Assert.True(w.Max() > bound * 0.99);
    }

    private static Model<float> Build(string name, int seed)
    {
        Assert.True(ModelZoo.TryGet(name, out var spec));
        return ModelBuilder.Build<float>(spec, 10, seed);
    }

    private static (double Mean, double Std) Moments(double[] values)
    {
        double mean = values.Average();
        double variance = values.Sum(v => (v - mean) * (v - mean)) / values.Length;
        return (mean, Math.Sqrt(variance));
    }
}
