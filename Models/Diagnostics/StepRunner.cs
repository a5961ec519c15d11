using AutoGrad.Models.Layers;
using AutoGrad.Models.Training;

namespace AutoGrad.Models.Diagnostics;

/// <summary>What one of the doctor's training steps saw; <see cref="NonFinite"/> is set when the step met NaN/Inf.</summary>
internal sealed record StepResult(double Loss, int[] Predictions, NonFiniteException? NonFinite);

/// <summary>
/// The doctor's checks that train briefly take the trainer's own <see cref="TrainingStep"/>, with the user's
/// loss, clipping and optimiser. Step s of a runner is at position (seed, epoch 0, batch s), like the first epoch
/// of a run. A step that meets NaN/Inf reports it (loss NaN, weights untouched) instead of throwing, so a check
/// can stop and say so.
/// </summary>
internal sealed class StepRunner
{
    private readonly TrainingStep step;
    private int count;

    public StepRunner(Model<float> model, DoctorOptions options, Optimizer? optimizer = null)
    {
        step = new TrainingStep(model, optimizer ?? options.CreateOptimizer(model.Parameters), options.LossFunction, options.ClipNorm);
        Seed = options.Seed;
    }

    public Optimizer Optimizer => step.Optimizer;
    public int Seed { get; }

    /// <summary>Where the next step draws its dropout masks from.</summary>
    public StepPosition Position => new(Seed, 0, count);

    public StepResult Step(Tensor<float> images, int[] labels, double lr, Action<Node<float>>? beforeUpdate = null)
    {
        var position = Position;
        count++;
        try
        {
            var result = step.Run(images.Data, labels, position, lr, beforeUpdate);
            return new StepResult(result.Loss, result.Predictions, null);
        }
        catch (NonFiniteException e)
        {
            return new StepResult(double.NaN, [], e);
        }
    }

    /// <summary>Accuracy in evaluation mode on fixed images.</summary>
    public static double Accuracy(Model<float> model, Tensor<float> images, int[] labels)
    {
        using var _ = GradMode.NoGrad();
        var logits = model.Forward(Node<float>.Input(images), new ForwardContext(training: false));
        var predictions = TrainingStep.Predictions(logits.Value, model.Classes);
        return (double)predictions.Where((p, i) => p == labels[i]).Count() / labels.Length;
    }
}
