using AutoGrad.Models.Layers;
using AutoGrad.Models.Zoo;
using AutoGrad.Ops;
using AutoGrad.Tests.Ops;

namespace AutoGrad.Tests.Models.Zoo;

/// <summary>
/// Coverage by use, not by attribute: every op a zoo model creates in a training step (forward in training mode,
/// the loss, backward) and in evaluation must be a registry row, so an op that forgets its [Op] attribute, or
/// a row missing from the registry, fails here even if the attribute scan cannot see it.
/// </summary>
public class ZooOpCoverageTests
{
    /// <summary>The seed models (29–72 M parameters, 256×256 inputs) take tens of seconds in a Debug build.</summary>
    private static readonly string[] Large = ["seed-lenet5", "seed-lenet5-improved"];

    public static TheoryData<string> Models() => new(ModelZoo.Names.Except(Large));

    public static TheoryData<string> LargeModels() => new(ModelZoo.Names.Intersect(Large));

    [Theory]
    [MemberData(nameof(Models))]
    public void EveryOpAZooModelCreatesIsARegistryRow(string name) => AssertOpsAreRegistryRows(name);

    [Theory]
    [Trait("Category", "Slow")]
    [MemberData(nameof(LargeModels))]
    public void EveryOpALargeZooModelCreatesIsARegistryRow(string name) => AssertOpsAreRegistryRows(name);

    /// <summary>A renamed seed model must not drop out of both lists.</summary>
    [Fact]
    public void TheLargeModelsAreZooModels() => Assert.Subset(ModelZoo.Names.ToHashSet(), Large.ToHashSet());

    private static void AssertOpsAreRegistryRows(string name)
    {
        var model = ZooModels.TenClasses(name);
        var x = new Tensor<float>([2, .. model.InputShape]);
        for (int i = 0; i < x.Length; i++) x.Data[i] = (i % 13) / 13f;
        IReadOnlySet<string> used;
        try
        {
            using var recorder = OpRecorder.Start();
            SoftmaxCrossEntropy.Apply(model.Forward(Node<float>.Input(x), new ForwardContext(true, new Random(2))), [0, 1]).Backprop();
            // Evaluation mode (batch norm's running statistics, no dropout): backward creates no nodes, so forward suffices.
            SoftmaxCrossEntropy.Apply(model.Forward(Node<float>.Input(x), new ForwardContext(false)), [0, 1]);
            used = recorder.Ops;
        }
        finally
        {
            foreach (var p in model.Parameters) p.ZeroGrad();   // the shared model must stay as built
        }
        var rows = OpRegistry.All.Select(e => e.Op).ToHashSet();
        Assert.True(used.Count >= 3, $"{name}: only {string.Join(", ", used)} recorded");
        Assert.Empty(used.Except(rows));
    }

    [Fact]
    public void TheRecorderSeesOnlyItsThreadAndScope()
    {
        var a = Node<double>.Input(Tensor<double>.FromArray([2], [1, 2]), requiresGrad: true);
        Exp.Apply(a);
        using var recorder = OpRecorder.Start();
        Relu.Apply(a);
        var other = new Thread(() => Tanh.Apply(a));
        other.Start();
        other.Join();
        using (GradMode.NoGrad()) Neg.Apply(a);
        Assert.Equal(["neg", "relu"], recorder.Ops.Order());
    }
}
