namespace AutoGrad.Models.Training;

/// <summary>
/// Updates parameters from their accumulated gradients. <see cref="Step"/> takes the learning rate of
/// this step (schedules live outside). State (momentum, Adam moments, step count) is exposed by name so
/// checkpoints can save and restore it for an exact resume.
/// </summary>
public abstract class Optimizer
{
    protected Optimizer(IReadOnlyList<Node<float>> parameters, double weightDecay)
    {
        if (weightDecay < 0) throw new AutoGradException($"`WeightDecay` must be ≥ 0 (got {weightDecay})");
        Parameters = parameters;
        WeightDecay = weightDecay;
    }

    public IReadOnlyList<Node<float>> Parameters { get; }
    public double WeightDecay { get; }
    public long Steps { get; protected set; }

    /// <summary>Applies one update; parameters without a gradient are left untouched.</summary>
    public abstract void Step(double learningRate);

    /// <summary>Named state tensors (e.g. <c>fc1.weight.momentum</c>) plus the step count.</summary>
    public abstract IEnumerable<(string Name, float[] Data)> State();

    public abstract void LoadState(IReadOnlyDictionary<string, float[]> state, long steps);

    /// <summary>
    /// Drops every parameter's gradient. With <paramref name="recycle"/>, the gradient buffers go back to that
    /// pool for the next backward to reuse (seed-lenet5's FC1 gradient alone is 285 MB): only for callers that
    /// hold no reference to a gradient past this point, as the trainer and the benchmark do.
    /// </summary>
    public void ZeroGrad(TensorPool? recycle = null)
    {
        foreach (var p in Parameters)
        {
            if (recycle is not null && p.Grad is not null) recycle.Recycle(p.Grad);
            p.ZeroGrad();
        }
    }

    protected static float[] Buffer(Dictionary<Node<float>, float[]> buffers, Node<float> p)
    {
        if (!buffers.TryGetValue(p, out var b)) buffers[p] = b = new float[p.Value.Length];
        return b;
    }

    protected void Restore(Dictionary<Node<float>, float[]> buffers, IReadOnlyDictionary<string, float[]> state, string suffix)
    {
        buffers.Clear();
        foreach (var p in Parameters)
            if (state.TryGetValue($"{p.Name}.{suffix}", out var data))
            {
                if (data.Length != p.Value.Length)
                    throw new AutoGradException($"optimiser state '{p.Name}.{suffix}' has {data.Length} values, parameter has {p.Value.Length}");
                buffers[p] = (float[])data.Clone();
            }
    }

    protected IEnumerable<(string, float[])> Export(Dictionary<Node<float>, float[]> buffers, string suffix) =>
        Parameters.Where(buffers.ContainsKey).Select(p => ($"{p.Name}.{suffix}", buffers[p]));
}
