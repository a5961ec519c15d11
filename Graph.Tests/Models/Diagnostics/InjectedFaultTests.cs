using System.Numerics;
using AutoGrad.Models.Diagnostics;
using AutoGrad.Models.Specs;
using AutoGrad.Models.Training;
using static AutoGrad.Tests.Models.Diagnostics.DoctorFixture;

namespace AutoGrad.Tests.Models.Diagnostics;

/// <summary>Each of the report's failures, injected into a real model, data set or settings, must be named with the right severity.</summary>
public sealed class InjectedFaultTests
{
    [Theory]
    [InlineData(Fault.ConvAdds, "lenet5", "conv1")]
    [InlineData(Fault.ConvWrongInputGradient, "lenet5", "conv2")]
    [InlineData(Fault.SwishMissingUpstream, "swish", "swish1")]
    [InlineData(Fault.ReluBackwardCallsForward, "lenet5", "relu3")]
    [InlineData(Fault.SigmoidBackwardFromPreActivation, "sigmoid", "sigmoid1")]
    public void BrokenBackwardFailsTheAuditAtItsLayer(Fault fault, string model, string layer)
    {
        var spec = model == "lenet5" ? Lenet5 : Mlp(model);
        var report = Diagnose(new ModelRecipe(spec, 10, 1, new InjectFault(fault, layer)), Fast("data", "health", "ladder"));
        var finding = Single(report, "gradcheck-failed", Severity.Error);
        Assert.Contains($"layer {layer} ", finding.Message);
        Assert.Equal(finding, report.Findings[0]);
        Assert.Single(report.Findings, f => f.Id == "gradcheck-failed");   // only the broken layer, not its neighbours
    }

    [Fact]
    public void ConvWhoseWeightGradientIsNeverStoredIsCaughtTwice()
    {
        var report = Diagnose(new ModelRecipe(Lenet5, 10, 1, new InjectFault(Fault.ConvNoWeightGradient, "conv1")), Fast("data", "ladder"));
        Assert.Contains("passes no gradient to conv1.weight", Single(report, "gradcheck-failed", Severity.Error).Message);
        Assert.Contains("conv1.weight", Single(report, "param-no-grad", Severity.Error).Message);
    }

    [Fact]
    public void DoubleSoftmaxIsNamed()
    {
        var report = Diagnose(new ModelRecipe(Mlp("relu"), 10, 1, new InjectFault(Fault.SoftmaxAtEnd, "fc2")), Fast("data", "gradcheck", "ladder"));
        Single(report, "softmax-before-loss", Severity.Error);
    }

    [Fact]
    public void InitialisationTooLargeAndBiasesFromStandardNormal()
    {
        static void Blow(AutoGrad.Models.Model<float> m)
        {
            var rng = new Random(3);
            foreach (var p in m.Parameters)
                for (int i = 0; i < p.Value.Length; i++)
                    p.Value.Data[i] = p.Name!.EndsWith(".bias") ? (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble())) : p.Value.Data[i] * 10;
        }
        var report = Diagnose(new ModelRecipe(Lenet5, 10, 1, afterInit: Blow), Fast("data", "gradcheck", "ladder"));
        Single(report, "weight-init-large", Severity.Warning);
        Single(report, "bias-init-large", Severity.Warning);
        Single(report, "initial-loss", Severity.Error);
    }

    [Fact]
    public void ClassSortedBatchesWithoutShuffling()
    {
        var report = Diagnose(new ModelRecipe(Lenet5, 10), Fast("gradcheck", "ladder") with { Shuffle = false }, Splits(sortByClass: true));
        Single(report, "batches-class-sorted", Severity.Error);
        Single(report, "data-sorted-by-class", Severity.Info);
    }

    [Fact]
    public void GradientNotAveragedOverTheBatch()
    {
        var report = Diagnose(new ModelRecipe(Mlp("relu"), 10), Fast("data", "gradcheck", "ladder") with { Loss = new SummedLoss() });
        Single(report, "loss-not-averaged", Severity.Warning);
    }

    [Fact]
    public void NonStandardMomentum()
    {
        var report = Diagnose(new ModelRecipe(Mlp("relu"), 10), Fast("data", "gradcheck", "ladder") with { OptimizerFactory = ps => new DampenedMomentum(ps, 0.9) });
        Single(report, "optimizer-nonstandard", Severity.Warning);
    }

    [Fact]
    public void TestStatisticsUsedForNormalisation()
    {
        var report = Diagnose(new ModelRecipe(Lenet5, 10), Fast("gradcheck", "health", "ladder") with { Normalization = "test" });
        Single(report, "normalisation-from-test", Severity.Warning);
    }

    [Fact]
    public void RawPixelInputs()
    {
        var report = Diagnose(new ModelRecipe(Mlp("relu"), 10), Fast("data", "gradcheck", "ladder") with { Normalization = "raw" });
        Single(report, "inputs-not-normalised", Severity.Error);
    }

    [Fact]
    public void LabelsShuffledAgainstTheirImages()
    {
        var report = Diagnose(new ModelRecipe(Mlp("relu"), 10), Fast("data", "gradcheck", "health") with { LearningRate = 0.05 }, Splits(shuffleLabels: true));
        Single(report, "labels-not-learnable", Severity.Error);
    }

    /// <summary>Cross-entropy summed over the batch: the mean times N.</summary>
    private sealed class SummedLoss : ILossFunction
    {
        public Node<T> Apply<T>(Node<T> logits, int[] labels) where T : unmanaged, IFloatingPointIeee754<T> =>
            AutoGrad.Ops.Mul.Apply(AutoGrad.Ops.SoftmaxCrossEntropy.Apply(logits, labels), Node<T>.Constant(Tensor<T>.Scalar(T.CreateTruncating(labels.Length))));
    }

    /// <summary>v ← μv + (1 − μ)g: the exponential-average momentum, which silently divides the step by 1/(1 − μ).</summary>
    private sealed class DampenedMomentum(IReadOnlyList<Node<float>> parameters, double momentum) : AutoGrad.Models.Training.Optimizer(parameters, 0)
    {
        private readonly Dictionary<Node<float>, float[]> velocity = [];

        public override void Step(double learningRate)
        {
            foreach (var p in Parameters.Where(p => p.Grad is not null))
            {
                var v = Buffer(velocity, p);
                for (int i = 0; i < v.Length; i++)
                {
                    v[i] = (float)(momentum * v[i] + (1 - momentum) * p.Grad!.Data[i]);
                    p.Value.Data[i] -= (float)(learningRate * v[i]);
                }
            }
            Steps++;
        }

        public override IEnumerable<(string Name, float[] Data)> State() => [];
        public override void LoadState(IReadOnlyDictionary<string, float[]> state, long steps) { }
    }
}
