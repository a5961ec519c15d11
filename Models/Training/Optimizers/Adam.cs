namespace AutoGrad.Models.Training;

/// <summary>
/// Adam (Kingma &amp; Ba) with bias correction: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
/// θ ← θ − lr·m̂/(√v̂ + ε). Weight decay: Adam adds λθ to the gradient (L2); AdamW (decoupled) shrinks
/// θ by lr·λ·θ directly, as Loshchilov &amp; Hutter propose.
/// </summary>
public sealed class Adam : Optimizer
{
    private readonly Dictionary<Node<float>, float[]> m = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Node<float>, float[]> v = new(ReferenceEqualityComparer.Instance);

    public Adam(IReadOnlyList<Node<float>> parameters, double weightDecay = 0, bool decoupled = false,
        double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8) : base(parameters, weightDecay)
    {
        Decoupled = decoupled;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
    }

    public bool Decoupled { get; }
    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Epsilon { get; }

    public override void Step(double learningRate)
    {
        Steps++;
        double c1 = 1 - Math.Pow(Beta1, Steps), c2 = 1 - Math.Pow(Beta2, Steps);
        float b1 = (float)Beta1, b2 = (float)Beta2, eps = (float)Epsilon, wd = (float)WeightDecay;
        // 1 − β in double: in float, 1 − (float)0.999 is off by 1.3e-5 relative, which biases every step by ~6e-6.
        float ob1 = (float)(1 - Beta1), ob2 = (float)(1 - Beta2);
        float stepSize = (float)(learningRate / c1), rootC2 = (float)Math.Sqrt(c2);
        foreach (var p in Parameters)
        {
            if (p.Grad is null) continue;
            var w = p.Value.Data; var g = p.Grad.Data;
            var mp = Buffer(m, p); var vp = Buffer(v, p);
            float decay = Decoupled ? (float)(1 - learningRate * WeightDecay) : 1f;
            for (int i = 0; i < w.Length; i++)
            {
                float gi = Decoupled || wd == 0 ? g[i] : g[i] + wd * w[i];
                mp[i] = b1 * mp[i] + ob1 * gi;
                vp[i] = b2 * vp[i] + ob2 * gi * gi;
                w[i] = w[i] * decay - stepSize * mp[i] / (MathF.Sqrt(vp[i]) / rootC2 + eps);
            }
        }
    }

    public override IEnumerable<(string Name, float[] Data)> State() => Export(m, "adam_m").Concat(Export(v, "adam_v"));

    public override void LoadState(IReadOnlyDictionary<string, float[]> state, long steps)
    {
        Restore(m, state, "adam_m");
        Restore(v, state, "adam_v");
        Steps = steps;
    }
}
