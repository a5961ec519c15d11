using System.Numerics.Tensors;
using AutoGrad.Models.Layers;

namespace AutoGrad.Models.Training;

/// <summary>What one training step saw: the batch-mean loss, its predictions and how many were right.</summary>
/// <param name="Logits">The step's output; its value is kept (never recycled), so it stays readable after the step.</param>
public sealed record StepResult(double Loss, int Correct, int[] Predictions, Node<float> Logits);

/// <summary>
/// One training step, the only one: the trainer and the doctor both take it. In order:
/// <list type="number">
/// <item>open a <see cref="TensorPool"/> scope (this step's buffers are the next step's), rent the batch, zero the gradients;</item>
/// <item>forward in training mode, dropout drawn from <see cref="StepPosition.DropoutRng"/>;</item>
/// <item>the loss (<see cref="ILossFunction"/>; the trainer's is softmax cross-entropy); a non-finite loss throws
///   <see cref="NonFiniteException"/> naming the first node that produced NaN/Inf, before the weights change;</item>
/// <item>backward;</item>
/// <item><b>the data-parallel seam</b>: <see cref="Reduction"/>, when set, combines the parameter gradients across
///   workers (all-reduce) here, after backward and before anything reads them, so each worker checks, clips and
///   applies identical gradients. A worker that wants to overlap communication with backward can start its
///   reduction per parameter from its own backward hook; this call is then where it waits for the last one;</item>
/// <item>the caller's <c>beforeUpdate</c> hook (the doctor reads the gradients there);</item>
/// <item>non-finite gradients throw <see cref="NonFiniteException"/> (the weights are left as they were);</item>
/// <item>clip the global gradient norm (<see cref="ClipNorm"/> &gt; 0), then the optimiser step;</item>
/// <item>predictions and hits from the kept logits.</item>
/// </list>
/// Kernels run with whatever <see cref="Compute.Current"/> settings the caller made current.
/// </summary>
public sealed class TrainingStep
{
    private readonly Model<float> model;
    private readonly TensorPool pool = new();

    public TrainingStep(Model<float> model, Optimizer optimizer, ILossFunction loss, double clipNorm = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(loss);
        if (clipNorm < 0) throw new AutoGradException($"`ClipNorm` must be ≥ 0 (got {clipNorm})");
        this.model = model;
        Optimizer = optimizer;
        Loss = loss;
        ClipNorm = clipNorm;
    }

    public Optimizer Optimizer { get; }
    public ILossFunction Loss { get; }
    /// <summary>Largest global gradient norm (0: no clipping).</summary>
    public double ClipNorm { get; }
    /// <summary>Combines gradients across data-parallel workers between backward and the update; null alone.</summary>
    public IGradientReduction? Reduction { get; init; }

    /// <summary>
    /// Trains on one batch: <paramref name="images"/> holds <paramref name="labels"/>.Length samples in the
    /// model's input layout (NCHW), already normalised.
    /// </summary>
    public StepResult Run(ReadOnlySpan<float> images, int[] labels, StepPosition position, double learningRate, Action<Node<float>>? beforeUpdate = null)
    {
        int n = labels.Length, sample = Shapes.Size(model.InputShape);
        if (n < 1 || images.Length != n * sample)
            throw new AutoGradException($"a training step needs {sample} values per label, got {images.Length} for {n} labels");
        using var scope = pool.Scope();
        var batch = TensorPool.Rent<float>([n, .. model.InputShape], clear: false);
        images.CopyTo(batch.Data);
        Optimizer.ZeroGrad(pool);
        var logits = model.Forward(Node<float>.Input(batch), new ForwardContext(training: true, position.DropoutRng()));
        scope.Keep(logits.Value);   // read for accuracy after backward
        var loss = Loss.Apply(logits, labels);
        double value = loss.Value.ToScalar();
        if (!double.IsFinite(value)) throw NonFinite.InForward(loss, position, learningRate);
        loss.Backprop();
        Reduction?.Reduce(model.Parameters, n);
        beforeUpdate?.Invoke(loss);
        NonFinite.CheckGradients(model.Parameters, value, position, learningRate);
        if (ClipNorm > 0) GradientClipping.ClipNorm(model.Parameters, ClipNorm);
        Optimizer.Step(learningRate);
        var predictions = Predictions(logits.Value, model.Classes);
        int correct = 0;
        for (int i = 0; i < n; i++) if (predictions[i] == labels[i]) correct++;
        pool.Recycle(batch);   // a leaf: the engine never hands it back, but nothing reads it past here
        return new StepResult(value, correct, predictions, logits);
    }

    /// <summary>The arg-max class of each row of <paramref name="logits"/> [N, classes].</summary>
    public static int[] Predictions(Tensor<float> logits, int classes)
    {
        int n = logits.Length / classes;
        var result = new int[n];
        for (int i = 0; i < n; i++) result[i] = TensorPrimitives.IndexOfMax<float>(logits.Data.AsSpan(i * classes, classes));
        return result;
    }
}
