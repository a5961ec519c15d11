using AutoGrad.Models;
using AutoGrad.Models.Layers;
using AutoGrad.Models.Specs;
using AutoGrad.Models.Zoo;
using AutoGrad.Tests.Models.Zoo;

namespace AutoGrad.Tests.Models;

public class ModelTests
{
    [Theory]
    [InlineData("lenet5", 3)]
    [InlineData("lenet5-plus", 2)]
    [InlineData("two-layer-net", 1)]
    public void ForwardGivesOneRowOfLogitsPerImage(string name, int batch)
    {
        var model = ZooModels.TenClasses(name);
        var logits = model.Forward(Node<float>.Input(Random(batch, model.InputShape, 1)), new ForwardContext(training: false));
        Assert.Equal([batch, 10], logits.Shape);
        Assert.All(logits.Value.Data, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void ForwardRejectsTheWrongInputShape()
    {
        var model = ZooModels.TenClasses("lenet5");
        var e = Assert.Throws<AutoGradException>(() => model.Forward(Node<float>.Input(new Tensor<float>(2, 1, 32, 32)), new ForwardContext(false)));
        Assert.Contains("[N, 1, 28, 28]", e.Message);
        Assert.Contains("[2, 1, 32, 32]", e.Message);
    }

    [Fact]
    public void ForwardTagsNodesWithTheirLayer()
    {
        var model = ZooModels.TenClasses("lenet5");
        var logits = model.Forward(Node<float>.Input(new Tensor<float>(1, 1, 28, 28)), new ForwardContext(false));
        Assert.Equal("fc3", logits.Layer);
    }

    [Fact]
    public void DropoutZeroesAndRescalesOnlyInTraining()
    {
        var layer = new DropoutLayer<float>("dropout1", [1000], 0.5);
        var x = Node<float>.Input(Tensor<float>.Full([4, 1000], 1f));
        var train = layer.Forward(x, new ForwardContext(training: true, new Random(1))).Value.Data;
        // Inverted dropout: survivors are scaled by 1/(1 − p) = 2, the rest are 0; about half of 4,000 survive.
        Assert.All(train, v => Assert.True(v is 0f or 2f, $"{v}"));
        Assert.InRange(train.Count(v => v == 0f), 1800, 2200);
        var eval = layer.Forward(x, new ForwardContext(training: false, new Random(1))).Value.Data;
        Assert.All(eval, v => Assert.Equal(1f, v));
    }

    [Fact]
    public void ModelWithDropoutIsDeterministicInEvaluationOnly()
    {
        var model = ZooModels.TenClasses("lenet5-plus");
        var input = Node<float>.Input(Random(4, model.InputShape, 2));
        float[] Run(bool training, int seed) => model.Forward(input, new ForwardContext(training, new Random(seed))).Value.Data;
        Assert.Equal(Run(false, 1), Run(false, 2));
        // Training mode draws a dropout mask from the context's RNG (and uses batch statistics), so masks differ by seed.
        Assert.NotEqual(Run(true, 1), Run(true, 2));
        Assert.Equal(Run(true, 3), Run(true, 3));
    }

    [Fact]
    public void BatchNormUsesBatchStatisticsInTrainingAndRunningStatisticsInEvaluation()
    {
        var layer = new BatchNormLayer<double>("bn1", [2, 2, 2]);
        // Channel 0 holds 1..8 (mean 4.5, biased variance 5.25), channel 1 holds 10·(1..8).
        var x = new Tensor<double>(2, 2, 2, 2);
        for (int b = 0; b < 2; b++)
            for (int i = 0; i < 4; i++)
            {
                x[b, 0, i / 2, i % 2] = 1 + b * 4 + i;
                x[b, 1, i / 2, i % 2] = 10 * (1 + b * 4 + i);
            }
        var input = Node<double>.Input(x);

        var train = layer.Forward(input, new ForwardContext(training: true)).Value;
        Assert.Equal((1 - 4.5) / Math.Sqrt(5.25 + 1e-5), train[0, 0, 0, 0], 1e-9);
        Assert.Equal((80 - 45) / Math.Sqrt(525 + 1e-5), train[1, 1, 1, 1], 1e-9);

        // PyTorch's update with momentum 0.1: mean ← 0.9·0 + 0.1·4.5; var ← 0.9·1 + 0.1·(unbiased 5.25·8/7 = 6).
        var buffers = layer.Buffers.ToDictionary(b => b.Name, b => b.Value);
        Assert.Equal([0.45, 4.5], buffers["bn1.running_mean"].Data, new ToleranceComparer(1e-12));
        Assert.Equal([0.9 + 0.6, 0.9 + 60], buffers["bn1.running_var"].Data, new ToleranceComparer(1e-9));

        var eval = layer.Forward(input, new ForwardContext(training: false)).Value;
        Assert.Equal((1 - 0.45) / Math.Sqrt(1.5 + 1e-5), eval[0, 0, 0, 0], 1e-9);
        Assert.Equal((80 - 4.5) / Math.Sqrt(60.9 + 1e-5), eval[1, 1, 1, 1], 1e-9);
        // Evaluation leaves the running statistics alone.
        Assert.Equal([0.45, 4.5], buffers["bn1.running_mean"].Data, new ToleranceComparer(1e-12));
    }

    [Theory]
    [InlineData("lenet5")]
    [InlineData("lenet5-plus")]
    public void ConvertToDoubleKeepsWeightsAndOutputs(string name)
    {
        Assert.True(ModelZoo.TryGet(name, out var spec));
        var model = ModelBuilder.Build<float>(spec, 10, seed: 11);
        var copy = model.Convert<double>();
        Assert.Equal(model.StateTensors().Select(s => s.Name), copy.StateTensors().Select(s => s.Name));
        foreach (var ((_, f), (_, d)) in model.StateTensors().Zip(copy.StateTensors()))
            Assert.Equal(f.Data.Select(v => (double)v), d.Data);

        var input = Random(3, model.InputShape, 4);
        var expected = model.Forward(Node<float>.Input(input), new ForwardContext(false)).Value.Data;
        var actual = copy.Forward(Node<double>.Input(input.Cast<double>()), new ForwardContext(false)).Value.Data;
        double scale = expected.Max(v => Math.Abs(v));
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * scale + 1e-5, $"logit {i}: {expected[i]} vs {actual[i]}");
    }

    [Fact]
    public void LoadStateNamesTheMissingTensorAndTheWrongShape()
    {
        var model = ModelBuilder.Build<float>(ZooModels.TenClasses("lenet5").Spec, 10);
        var missing = Assert.Throws<AutoGradException>(() => model.LoadState(_ => null, "weights.bin"));
        Assert.Contains("weights.bin", missing.Message);
        Assert.Contains("conv1.weight", missing.Message);
        var wrong = Assert.Throws<AutoGradException>(() => model.LoadState(n => (n == "conv1.weight" ? [6, 1, 3, 3] : model.StateTensors().First(s => s.Name == n).Value.Shape, _ => 0), "weights.bin"));
        Assert.Contains("conv1.weight", wrong.Message);
        Assert.Contains("[6, 1, 3, 3]", wrong.Message);
        Assert.Contains("[6, 1, 5, 5]", wrong.Message);
    }

    internal static Tensor<float> Random(int batch, int[] shape, int seed)
    {
        var rng = new Random(seed);
        var t = new Tensor<float>([batch, .. shape]);
        for (int i = 0; i < t.Length; i++) t.Data[i] = (float)(rng.NextDouble() * 2 - 1);
        return t;
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }
}
