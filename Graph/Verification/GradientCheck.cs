namespace AutoGrad;

/// <summary>One disagreement between an analytic and a numeric derivative.</summary>
public sealed record GradientMismatch(int Input, int Element, double Analytic, double Numeric, double Error)
{
    /// <summary>Where and by how much the two derivatives disagree.</summary>
    public override string ToString() => $"input {Input} element {Element}: analytic {Analytic:G9} vs numeric {Numeric:G9} (error {Error:E2})";
}

/// <summary>Outcome of <see cref="GradientCheck.Run"/>: the worst relative error and any mismatches.</summary>
public sealed record GradientCheckResult(bool Passed, double MaxError, int Checked, IReadOnlyList<GradientMismatch> Mismatches)
{
    /// <summary>One line: passed with the worst error, or the count of mismatches and the first.</summary>
    public override string ToString() => Passed
        ? $"passed: {Checked} derivatives, max error {MaxError:E2}"
        : $"FAILED: {Mismatches.Count} of {Checked} derivatives disagree; first: {Mismatches[0]}";
}

/// <summary>
/// Checks reverse-mode gradients against float64 central differences. The scalar checked is
/// L = Σ u ⊙ f(x) for a fixed random upstream u, so every output element and every input element is
/// exercised: analytic ∂L/∂xᵢ comes from backward seeded with u; numeric from (L(x+hεᵢ) − L(x−hεᵢ))/2h.
/// Agreement: |a − n| ≤ atol + rtol·max(|a|, |n|). Inputs whose <c>requiresGrad</c> entry is false
/// are leaves without a gradient: they are not differentiated, and receiving a gradient anyway is a mismatch
/// (reported at element −1).
/// </summary>
public static class GradientCheck
{
    /// <summary>
    /// Checks the gradient of <paramref name="f"/> with respect to each of <paramref name="inputs"/> (at most
    /// <paramref name="maxElementsPerInput"/> sampled elements each), using central differences of width
    /// 2·<paramref name="step"/> and the tolerance <paramref name="atol"/> + <paramref name="rtol"/>·max(|a|, |n|).
    /// <paramref name="rng"/> draws the upstream u and the sampled elements; <paramref name="requiresGrad"/> (default:
    /// all true) marks inputs that must receive no gradient.
    /// </summary>
    public static GradientCheckResult Run(Func<Node<double>[], Node<double>> f, Tensor<double>[] inputs, Random rng,
        double step = 1e-6, double rtol = 1e-6, double atol = 1e-8, int maxElementsPerInput = 64, bool[]? requiresGrad = null)
    {
        bool Requires(int input) => requiresGrad?[input] ?? true;
        var leaves = inputs.Select((t, i) => Node<double>.Input(t, $"x{i}", requiresGrad: Requires(i))).ToArray();
        var output = f(leaves);
        var upstream = new Tensor<double>(output.Shape);
        for (int i = 0; i < upstream.Length; i++) upstream.Data[i] = rng.NextDouble() * 2 - 1;
        output.Backprop(upstream);

        double Objective()
        {
            using var _ = GradMode.NoGrad();
            var y = f(inputs.Select(t => Node<double>.Input(t)).ToArray()).Value;
            double sum = 0;
            for (int i = 0; i < y.Length; i++) sum += upstream.Data[i] * y.Data[i];
            return sum;
        }

        var mismatches = new List<GradientMismatch>();
        double maxError = 0;
        int checkedCount = 0;
        for (int input = 0; input < inputs.Length; input++)
        {
            if (!Requires(input))
            {
                if (leaves[input].Grad is not null) mismatches.Add(new GradientMismatch(input, -1, double.NaN, 0, double.NaN));
                continue;
            }
            var data = inputs[input].Data;
            var analytic = leaves[input].Grad;
            foreach (int e in Sample(data.Length, maxElementsPerInput, rng))
            {
                double saved = data[e];
                data[e] = saved + step; double plus = Objective();
                data[e] = saved - step; double minus = Objective();
                data[e] = saved;
                double numeric = (plus - minus) / (2 * step);
                double a = analytic?.Data[e] ?? 0.0;   // no gradient at all counts as zero
                double err = Math.Abs(a - numeric);
                double scale = Math.Max(Math.Abs(a), Math.Abs(numeric));
                double relative = err / Math.Max(scale, 1e-12);
                checkedCount++;
                if (err > atol + rtol * scale || double.IsNaN(a) || double.IsNaN(numeric))
                    mismatches.Add(new GradientMismatch(input, e, a, numeric, relative));
                else maxError = Math.Max(maxError, Math.Min(relative, err));
            }
        }
        return new GradientCheckResult(mismatches.Count == 0, maxError, checkedCount, mismatches);
    }

    private static IEnumerable<int> Sample(int length, int max, Random rng)
    {
        if (length <= max) return Enumerable.Range(0, length);
        var picked = new HashSet<int>();
        while (picked.Count < max) picked.Add(rng.Next(length));
        return picked.Order();
    }
}
