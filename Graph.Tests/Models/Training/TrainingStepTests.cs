using AutoGrad.Models;
using AutoGrad.Models.Training;

namespace AutoGrad.Tests.Models.Training;

/// <summary>The one training step: where the data-parallel seam sits, and what a NaN/Inf step leaves behind.</summary>
public class TrainingStepTests
{
    private const int Batch = 4;

    [Fact]
    public void ReductionSeesEveryGradientAfterBackwardAndBeforeTheUpdate()
    {
        var (model, images, labels) = Setup();
        var before = Weights(model);
        var reduction = new Recording(model, before);
        var step = new TrainingStep(model, new Sgd(model.Parameters), new CrossEntropyLoss()) { Reduction = reduction };
        step.Run(images, labels, new StepPosition(1, 0, 0), 0.1);

        Assert.Equal(1, reduction.Calls);
        Assert.Equal(Batch, reduction.Samples);
        Assert.True(reduction.AllGradientsReady, "every parameter has its gradient when the reduction runs");
        Assert.True(reduction.WeightsUntouched, "the optimiser has not stepped yet");
        // The step applies what the reduction left: it zeroed every gradient, so plain SGD moves nothing.
        Assert.Equal(before, Weights(model));
    }

    [Fact]
    public void NonFiniteGradientAfterReductionThrowsAndLeavesTheWeights()
    {
        var (model, images, labels) = Setup();
        var before = Weights(model);
        var optimizer = new Sgd(model.Parameters, momentum: 0.9);
        var step = new TrainingStep(model, optimizer, new CrossEntropyLoss()) { Reduction = new Poison() };
        var e = Assert.Throws<NonFiniteException>(() => step.Run(images, labels, new StepPosition(1, 2, 5), 0.1));
        Assert.False(e.InForward);
        Assert.Equal([model.Parameters[0].Name!], e.Parameters);
        Assert.StartsWith("epoch 3, batch 6: non-finite gradient for", e.Message);
        Assert.Contains("`LearningRate`", e.Message);
        Assert.Equal(0, optimizer.Steps);
        Assert.Equal(before, Weights(model));
    }

    [Fact]
    public void NonFiniteInputThrowsBeforeBackwardNamingTheInput()
    {
        var (model, images, labels) = Setup();
        images[3] = float.NaN;
        var before = Weights(model);
        var step = new TrainingStep(model, new Sgd(model.Parameters), new CrossEntropyLoss());
        var e = Assert.Throws<NonFiniteException>(() => step.Run(images, labels, new StepPosition(1, 0, 0), 0.1));
        Assert.True(e.InForward);
        Assert.Equal(NodeKind.Input, e.FirstNode!.Kind);
        Assert.Contains("check the data", e.Message);
        Assert.Equal(before, Weights(model));
    }

    [Fact]
    public void StepsAtTheSamePositionFromTheSameWeightsAreBitIdentical()
    {
        // lenet5-plus has dropout: the masks come from the position, not from a generator's history.
        float[] Once(int batch)
        {
            var model = TrainerTests.Build("lenet5-plus", seed: 2);
            var r = new Random(4);
            var images = Enumerable.Range(0, 2 * 28 * 28).Select(_ => (float)r.NextDouble()).ToArray();
            new TrainingStep(model, new Sgd(model.Parameters), new CrossEntropyLoss()).Run(images, [0, 1], new StepPosition(1, 0, batch), 0.1);
            return Weights(model);
        }
        Assert.Equal(Once(3), Once(3));
        Assert.NotEqual(Once(3), Once(4));
    }

    private static (Model<float> Model, float[] Images, int[] Labels) Setup()
    {
        var model = TrainerTests.Build("two-layer-net", seed: 1);
        var r = new Random(5);
        var images = Enumerable.Range(0, Batch * 28 * 28).Select(_ => (float)r.NextDouble()).ToArray();
        return (model, images, [0, 1, 1, 0]);
    }

    private static float[] Weights(Model<float> model) => model.Parameters.SelectMany(p => p.Value.Data).ToArray();

    private sealed class Recording(Model<float> model, float[] initial) : IGradientReduction
    {
        public int Calls, Samples;
        public bool AllGradientsReady, WeightsUntouched;

        public void Reduce(IReadOnlyList<Node<float>> parameters, int samples)
        {
            Calls++;
            Samples = samples;
            AllGradientsReady = parameters.All(p => p.Grad is { } g && g.Data.Any(v => v != 0));
            WeightsUntouched = Weights(model).SequenceEqual(initial);
            foreach (var p in parameters) Array.Clear(p.Grad!.Data);
        }
    }

    private sealed class Poison : IGradientReduction
    {
        public void Reduce(IReadOnlyList<Node<float>> parameters, int samples) => parameters[0].Grad!.Data[0] = float.NaN;
    }
}
