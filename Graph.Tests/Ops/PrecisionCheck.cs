using System.Numerics;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// One registry row run in float32 and in float64 on the same inputs (drawn in double, rounded to float, so
/// both precisions see identical numbers) and the same upstream gradient: the forward value and every input
/// gradient must agree element by element within
/// <code>|f32ᵢ − f64ᵢ| ≤ c(n) · u · Sᵢ,   u = 2⁻²⁴ (float32's unit roundoff),   c(n) = 4·√n + 8</code>
/// where Sᵢ bounds the sum of |terms| that element i adds up, and n bounds how many terms that is.
/// <para>Derivation. An element computed in float32 as a sum of n terms, each from a few roundings (a product,
/// a scale, an exp/log/tanh accurate to a couple of ulp), obeys |ŝ − s| ≤ γₙ₊ₘ Σ|terms| with γₖ ≈ k·u (Higham,
/// <i>Accuracy and Stability of Numerical Algorithms</i>, §3.1). That worst case needs every rounding to err
/// the same way. Each rounding of a partial sum errs by at most u·|partial sum| ≤ u·Σ|terms|; treated as
/// independent and zero-mean (Higham §2.8, which blocked and vectorised sums only make more so), their sum
/// has standard deviation ≤ √(n/3)·u·Σ|terms|, and 4√n is almost 7 of those. The constant 8 covers the
/// roundings inside one term and the elementary functions' own error. The float64 result is the reference:
/// its own error is 2⁻²⁹ times smaller.</para>
/// <para>The terms. n is the number of input and output elements (no element can add up more terms than
/// that). By default Sᵢ = |aᵢ| + |yᵢ|, with y the float64 result and a the same op run in float64 on |inputs|
/// with |upstream|: for everything built of sums of products (element-wise arithmetic, matmul, linear,
/// convolution, pooling, reductions, broadcasting's sums) aᵢ is exactly Σ|terms|, and for monotone
/// element-wise functions it bounds them. Ops that subtract a (weighted) mean inside (softmax and log-softmax
/// VJPs, batch norm, the cross-entropy's p − q) cancel in a too, so their cases give their own Sᵢ
/// (<see cref="OpCase{T}.Terms"/>, written out in <see cref="Terms"/>). So do tanh (its kernel computes
/// e²ˣ − 1, a 1 among its terms however small x is) and sigmoid, whose VJPs compute 1 − y² and 1 − y.</para>
/// <para>Measured: over seeds 0–299, every row, small and kernel shapes, the worst element sits at 0.29 of
/// this bound; a packed GEMM that drops one term of a 273-long sum fails it 176-fold.</para>
/// </summary>
public static class PrecisionCheck
{
    public const double UnitRoundoff = 1.0 / (1 << 24);

    public static double C(long n) => 4 * Math.Sqrt(n) + 8;

    /// <summary>The worst element's |f32 − f64| / (c(n)·u·S) over the output and every gradient (must be ≤ 1), and where it was.</summary>
    public static (double Ratio, string Where, string Description) Run(OpEntry<float> f32, OpEntry<double> f64, int seed, bool kernelShapes)
    {
        var gen32 = kernelShapes && f32.KernelShapes is { } k32 ? k32 : f32.Generate;
        var gen64 = kernelShapes && f64.KernelShapes is { } k64 ? k64 : f64.Generate;
        var case32 = gen32(new Random(seed));
        var rng = new Random(seed);
        var case64 = gen64(rng);
        string description = $"{f64} seed={seed} {RegistryCheck.Describe(case64)}";
        for (int i = 0; i < case64.Shapes.Length; i++)
            if (!Shapes.Equal(case32.Shapes[i], case64.Shapes[i]))
                throw new InvalidOperationException($"{description}: float and double generators drew different shapes");
        var values = case64.Shapes.Select((s, i) => f64.Domains[i].Draw(rng, Shapes.Size(s)).Select(v => (double)(float)v).ToArray()).ToArray();

        var (y64, g64) = Evaluate(case64, values, upstream: null, rng, out var upstream);
        var (y32, g32) = Evaluate(case32, values, upstream, rng, out _);
        var (a, ga) = case64.Terms is { } terms ? terms(values, upstream)
            : Evaluate(case64, values.Select(v => v.Select(Math.Abs).ToArray()).ToArray(), upstream.Select(Math.Abs).ToArray(), rng, out _);
        long n = values.Sum(v => (long)v.Length) + y64.Length;

        double worst = 0; string where = "";
        void Compare(string what, double[] reference, double[] single, double[] magnitude)
        {
            for (int i = 0; i < reference.Length; i++)
            {
                double s = Math.Abs(reference[i]) + Math.Abs(magnitude[i]);
                double err = Math.Abs(single[i] - reference[i]);
                double ratio = double.IsFinite(single[i]) ? err / (C(n) * UnitRoundoff * s) : double.PositiveInfinity;
                if (err == 0) ratio = 0;
                if (!(ratio <= worst)) { worst = double.IsNaN(ratio) ? double.PositiveInfinity : ratio; where = $"{what}[{i}]: f32 {single[i]:G9} f64 {reference[i]:G17} S {s:G4} n {n}"; }
            }
        }
        Compare("output", y64, y32, a);
        for (int i = 0; i < g64.Length; i++)
        {
            if ((g64[i] is null) != (g32[i] is null))
                return (double.PositiveInfinity, $"gradient {i}: float64 {(g64[i] is null ? "none" : "some")}, float32 {(g32[i] is null ? "none" : "some")}", description);
            if (g64[i] is { } reference) Compare($"gradient {i}", reference, g32[i]!, ga[i] ?? new double[reference.Length]);
        }
        return (worst, where, description);
    }

    /// <summary>Forward and backward with the case's inputs as leaves; a fresh random upstream (rounded to float) when none is given.</summary>
    private static (double[] Output, double[]?[] Grads) Evaluate<T>(OpCase<T> opCase, double[][] values, double[]? upstream, Random rng, out double[] usedUpstream)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var leaves = opCase.Shapes.Select((s, i) => Node<T>.Input(Tensor<T>.FromArray(s, values[i]), $"x{i}", opCase.Requires(i))).ToArray();
        var output = opCase.Apply(leaves);
        usedUpstream = upstream ?? Enumerable.Range(0, output.Value.Length).Select(_ => (double)(float)(rng.NextDouble() * 2 - 1)).ToArray();
        var y = output.Value.Data.Select(double.CreateTruncating).ToArray();
        output.Backprop(Tensor<T>.FromArray(output.Shape, usedUpstream));
        return (y, leaves.Select(l => l.Grad?.Data.Select(double.CreateTruncating).ToArray()).ToArray());
    }
}
