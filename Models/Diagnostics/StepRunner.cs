using AutoGrad.Models.Layers;
using AutoGrad.Models.Training;

namespace AutoGrad.Models.Diagnostics;

/// <summary>What one training step saw.</summary>
internal sealed record StepResult(double Loss, int[] Predictions, int Correct, Node<float> Logits);

/// <summary>Training steps as the trainer takes them (forward, loss, backward, clip, optimiser), for checks that train briefly.</summary>
internal sealed class StepRunner
{
    private readonly Model<float> model;
    private readonly ILossFunction loss;
    private readonly double clip;
    private int step;

    public StepRunner(Model<float> model, DoctorOptions options, Optimizer? optimizer = null)
    {
        this.model = model;
        loss = options.LossFunction;
        clip = options.ClipNorm;
        Optimizer = optimizer ?? options.CreateOptimizer(model.Parameters);
        Seed = options.Seed;
    }

    public Optimizer Optimizer { get; }
    public int Seed { get; }

    public StepResult Step(Tensor<float> images, int[] labels, double lr, Action<Node<float>>? beforeUpdate = null)
    {
        Optimizer.ZeroGrad();
        var logits = model.Forward(Node<float>.Input(images), new ForwardContext(training: true, new Random(SeedMix.Combine(Seed, step++))));
        var l = loss.Apply(logits, labels);
        l.Backprop();
        beforeUpdate?.Invoke(l);
        if (clip > 0) GradientClipping.ClipNorm(model.Parameters, clip);
        Optimizer.Step(lr);
        var predictions = Predict(logits.Value, model.Classes);
        return new StepResult(l.Value.ToScalar(), predictions, predictions.Where((p, i) => p == labels[i]).Count(), logits);
    }

    public static int[] Predict(Tensor<float> logits, int classes)
    {
        int n = logits.Length / classes;
        var result = new int[n];
        for (int i = 0; i < n; i++) result[i] = System.Numerics.Tensors.TensorPrimitives.IndexOfMax<float>(logits.Data.AsSpan(i * classes, classes));
        return result;
    }

    /// <summary>Accuracy in evaluation mode on fixed images.</summary>
    public static double Accuracy(Model<float> model, Tensor<float> images, int[] labels)
    {
        using var _ = GradMode.NoGrad();
        var logits = model.Forward(Node<float>.Input(images), new ForwardContext(training: false));
        var predictions = Predict(logits.Value, model.Classes);
        return (double)predictions.Where((p, i) => p == labels[i]).Count() / labels.Length;
    }
}
