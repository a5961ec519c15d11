using AutoGrad.Ops;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// Σ|terms| for the ops that subtract a (weighted) mean inside, where running the op on |inputs| cancels too
/// and so bounds nothing. Each is the op's formula with every subtraction turned into an addition of magnitudes.
/// </summary>
public static class Terms
{
    private static Node<double> In(int[] shape, double[] values) => Node<double>.Input(new Tensor<double>(shape, values));
    private static double[] Abs(double[] v) => v.Select(Math.Abs).ToArray();

    /// <summary>
    /// tanh from e²ˣ − 1 and e²ˣ + 1 (TensorPrimitives): terms e²ˣ and 1, so |y| + 1 however small x is; its
    /// VJP g·(1 − y²): |g|·(1 + y²).
    /// </summary>
    public static (double[] Output, double[]?[] Grads) Tanh(double[][] x, double[] g)
    {
        var y = x[0].Select(Math.Tanh).ToArray();
        return (y.Select(v => Math.Abs(v) + 1).ToArray(), [y.Zip(g, (t, gi) => Math.Abs(gi) * (1 + t * t)).ToArray()]);
    }

    /// <summary>σ(x) = 1/(1 + e⁻ˣ): |y|; VJP g·y·(1 − y): |g|·(y + y²).</summary>
    public static (double[] Output, double[]?[] Grads) Sigmoid(double[][] x, double[] g)
    {
        var y = x[0].Select(v => 1 / (1 + Math.Exp(-v))).ToArray();
        return (y, [y.Zip(g, (s, gi) => Math.Abs(gi) * (s + s * s)).ToArray()]);
    }

    /// <summary>y = softmax(x): y relative to itself; VJP y ⊙ (g − Σ g y): y ⊙ (|g| + Σ |g| y).</summary>
    public static TermsFn Softmax(int[] shape, int axis) => (x, g) =>
    {
        using var _ = GradMode.NoGrad();
        var y = AutoGrad.Ops.Softmax.Apply(In(shape, x[0]), axis);
        var absG = In(shape, Abs(g));
        var mean = Sum.Apply(Mul.Apply(absG, y), [axis], keepDims: true);
        return (y.Value.Data, [Mul.Apply(y, Add.Apply(absG, mean)).Value.Data]);
    };

    /// <summary>y = x − logsumexp(x): |x| + |logsumexp|; VJP g − eʸ Σ g: |g| + eʸ Σ |g|.</summary>
    public static TermsFn LogSoftmax(int[] shape, int axis) => (x, g) =>
    {
        using var _ = GradMode.NoGrad();
        var xs = In(shape, x[0]);
        var y = AutoGrad.Ops.LogSoftmax.Apply(xs, axis);
        var absG = In(shape, Abs(g));
        var output = x[0].Zip(y.Value.Data, (xi, yi) => Math.Abs(xi) + Math.Abs(xi - yi)).ToArray();
        return (output, [Add.Apply(absG, Mul.Apply(Exp.Apply(y), Sum.Apply(absG, [axis], keepDims: true))).Value.Data]);
    };

    /// <summary>Mean of −Σ q log p over [N, C]: the loss itself; VJP g·(p − q)/N: |g|·(p + q)/N.</summary>
    public static TermsFn SoftmaxCrossEntropy(int n, int c, int[] labels, double smoothing) => (x, g) =>
    {
        using var _ = GradMode.NoGrad();
        var p = AutoGrad.Ops.Softmax.Apply(In([n, c], x[0]), -1).Value.Data;
        var loss = AutoGrad.Ops.SoftmaxCrossEntropy.Apply(In([n, c], x[0]), labels, smoothing).Value.Data;
        var grad = new double[n * c];
        for (int i = 0; i < n * c; i++)
            grad[i] = Math.Abs(g[0]) / n * (p[i] + smoothing / c + (labels[i / c] == i % c ? 1 - smoothing : 0));
        return ([Math.Abs(loss[0]) + x[0].Max(Math.Abs)], [grad]);
    };

    /// <summary>
    /// Batch norm per channel, x̂ = (x − μ)·s, s = 1/√(σ² + ε) with μ, σ² the batch's (training) or the running
    /// ones: x̂'s terms are s·(|x| + |μ|) (|μ| ≤ mean |x| for the batch's), y's |γ|·x̂ terms + |β|; the training VJP
    /// γ·s·(g − mean g − x̂·mean(g x̂)) has |γ|·s·(|g| + mean |g| + x̂ terms · mean(|g| · x̂ terms)); the
    /// evaluation VJP is |γ|·s·|g|; dγ = Σ |g|·x̂ terms, dβ = Σ |g|.
    /// </summary>
    public static TermsFn BatchNorm(int[] shape, bool training, double[] runningMean, double[] runningVar) => (v, g) =>
    {
        int n = shape[0], c = shape[1], plane = shape[2] * shape[3], m = n * plane;
        var (x, gamma, beta) = (v[0], v[1], v[2]);
        var (y, dx, dg, db) = (new double[x.Length], new double[x.Length], new double[c], new double[c]);
        for (int ch = 0; ch < c; ch++)
        {
            var at = Enumerable.Range(0, n).SelectMany(b => Enumerable.Range((b * c + ch) * plane, plane)).ToArray();
            double mu = training ? at.Average(i => x[i]) : runningMean[ch];
            double variance = training ? at.Average(i => (x[i] - mu) * (x[i] - mu)) : runningVar[ch];
            double s = 1 / Math.Sqrt(variance + 1e-5), muTerms = training ? at.Average(i => Math.Abs(x[i])) : Math.Abs(mu);
            double XhatTerms(int i) => s * (Math.Abs(x[i]) + muTerms);
            double meanG = at.Average(i => Math.Abs(g[i])), meanGx = at.Average(i => Math.Abs(g[i]) * XhatTerms(i));
            foreach (int i in at)
            {
                y[i] = Math.Abs(gamma[ch]) * XhatTerms(i) + Math.Abs(beta[ch]);
                dx[i] = Math.Abs(gamma[ch]) * s * (training ? Math.Abs(g[i]) + meanG + XhatTerms(i) * meanGx : Math.Abs(g[i]));
                dg[ch] += Math.Abs(g[i]) * XhatTerms(i);
                db[ch] += Math.Abs(g[i]);
            }
        }
        return (y, [dx, dg, db]);
    };
}
