using TP = System.Numerics.Tensors.TensorPrimitives;

namespace AutoGrad.Models.Training;

/// <summary>
/// SGD, optionally with momentum (PyTorch's form: v ← μ·v + g; θ ← θ − lr·v) or Nesterov momentum
/// (θ ← θ − lr·(g + μ·v)). Weight decay adds λ·θ to the gradient (L2 regularisation).
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly Dictionary<Node<float>, float[]> velocity = new(ReferenceEqualityComparer.Instance);

    public Sgd(IReadOnlyList<Node<float>> parameters, double momentum = 0, bool nesterov = false, double weightDecay = 0) : base(parameters, weightDecay)
    {
        if (momentum < 0 || momentum >= 1) throw new AutoGradException($"`Momentum` must be in [0, 1) (got {momentum})");
        if (nesterov && momentum == 0) throw new AutoGradException("nesterov needs `Momentum` greater than 0");
        Momentum = momentum;
        Nesterov = nesterov;
    }

    public double Momentum { get; }
    public bool Nesterov { get; }

    /// <summary>One update. Gradients are read, never modified, so diagnostics can still inspect them afterwards.</summary>
    public override void Step(double learningRate)
    {
        float lr = (float)learningRate, mu = (float)Momentum, wd = (float)WeightDecay;
        foreach (var p in Parameters)
        {
            if (p.Grad is null) continue;
            var (w, g) = (p.Value.Data, p.Grad.Data);
            var v = mu == 0 ? null : Buffer(velocity, p);
            // Element-wise, so chunking cannot change the result. Each block's passes run over data still in
            // L1: one trip through memory instead of one per pass (FC1 of seed-lenet5 has 71M weights).
            AutoGrad.Threading.For(w.Length, 1 << 20, (_, start, end) =>
            {
                for (int i = start; i < end; i += Block)
                    Update(w.AsSpan(i, Math.Min(Block, end - i)), g.AsSpan(i, Math.Min(Block, end - i)),
                        v is null ? default : v.AsSpan(i, Math.Min(Block, end - i)), lr, mu, wd);
            });
        }
        Steps++;
    }

    private const int Block = 2048;

    private void Update(Span<float> w, ReadOnlySpan<float> g, Span<float> v, float lr, float mu, float wd)
    {
        if (mu == 0)
        {
            // θ ← θ − lr·(g + λθ) = θ·(1 − lr·λ) − lr·g
            if (wd != 0) TP.Multiply(w, 1 - lr * wd, w);
            TP.MultiplyAdd(g, -lr, w, w);
            return;
        }
        TP.MultiplyAdd(v, mu, g, v);                    // v ← μv + g
        if (wd != 0) TP.MultiplyAdd(w, wd, v, v);       // … + λθ
        if (Nesterov)
        {
            // θ ← θ − lr·(g + λθ + μv)
            if (wd != 0) TP.Multiply(w, 1 - lr * wd, w);
            TP.MultiplyAdd(g, -lr, w, w);
            TP.MultiplyAdd(v, -lr * mu, w, w);
        }
        else TP.MultiplyAdd(v, -lr, w, w);              // θ ← θ − lr·v
    }

    public override IEnumerable<(string Name, float[] Data)> State() => Export(velocity, "momentum");

    public override void LoadState(IReadOnlyDictionary<string, float[]> state, long steps)
    {
        Restore(velocity, state, "momentum");
        Steps = steps;
    }
}
