namespace AutoGrad.Models.Training;

/// <summary>
/// An exponential moving average of a model's state: every parameter and every buffer (batch-norm running
/// mean and variance are averaged like the weights, so the averaged network evaluates with statistics that
/// belong to averaged weights, not to the live ones). After optimiser step k (k = 1, 2, …):
/// <code>d_k = min(D, (1 + k) / (10 + k));  shadow ← d_k · shadow + (1 − d_k) · live</code>
/// The warm-up d_k keeps the first steps from being dominated by the initial random weights (instead of a bias
/// correction, which would need a zero-initialised shadow); the shadow starts as a copy of the initial state.
/// The shadow is float32, like the weights, and is saved with the optimiser state, so a resume continues it exactly.
/// </summary>
public sealed class WeightAverage
{
    public const string Prefix = "ema.";
    private readonly Model<float> model;
    private readonly List<(string Name, float[] Live, float[] Shadow)> tensors;

    public WeightAverage(Model<float> model, double decay)
    {
        if (!(decay > 0 && decay < 1)) throw new AutoGradException($"`Ema` must be in (0, 1) (got {decay})");
        this.model = model;
        Decay = decay;
        tensors = model.StateTensors().Select(t => (t.Name, t.Value.Data, (float[])t.Value.Data.Clone())).ToList();
    }

    public double Decay { get; }

    /// <summary>The decay used after optimiser step <paramref name="step"/> (1-based).</summary>
    public double DecayAt(long step) => Math.Min(Decay, (1.0 + step) / (10.0 + step));

    /// <summary>Folds the live state into the average after optimiser step <paramref name="step"/> (1-based).</summary>
    public void Update(long step)
    {
        float d = (float)DecayAt(step), keep = 1 - d;
        foreach (var (_, live, shadow) in tensors)
            for (int i = 0; i < shadow.Length; i++) shadow[i] = d * shadow[i] + keep * live[i];
    }

    /// <summary>The averaged values by name (what a checkpoint stores, each prefixed with <see cref="Prefix"/>).</summary>
    public IEnumerable<(string Name, float[] Data)> State() => tensors.Select(t => (Prefix + t.Name, t.Shadow));

    public void LoadState(IReadOnlyDictionary<string, float[]> state, string source)
    {
        foreach (var (name, _, shadow) in tensors)
        {
            if (!state.TryGetValue(Prefix + name, out var data))
                throw new AutoGradException($"{source}: the run averages its weights (`Ema`) but '{Prefix}{name}' is missing");
            if (data.Length != shadow.Length)
                throw new AutoGradException($"{source}: '{Prefix}{name}' has {data.Length} values, the model has {shadow.Length}");
            data.CopyTo(shadow, 0);
        }
    }

    /// <summary>
    /// Puts the averaged state into the model until the returned scope ends, then the live state back
    /// (evaluation and <c>best.safetensors</c> see the average; training continues from the live weights).
    /// </summary>
    public IDisposable Swap()
    {
        var saved = tensors.Select(t => (float[])t.Live.Clone()).ToList();
        foreach (var (_, live, shadow) in tensors) shadow.CopyTo(live, 0);
        return new Restore(() => { for (int i = 0; i < tensors.Count; i++) saved[i].CopyTo(tensors[i].Live, 0); });
    }

    private sealed class Restore(Action undo) : IDisposable
    {
        private Action? pending = undo;
        public void Dispose() { pending?.Invoke(); pending = null; }
    }

    /// <summary>The model this average follows.</summary>
    public Model<float> Model => model;
}
