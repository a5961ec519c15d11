namespace AutoGrad.Tests.Ops;

/// <summary>
/// Where an op's inputs are drawn from for gradient checks: chosen so that central differences never
/// straddle a kink (ReLU at 0, clamp bounds, max ties) and never leave the op's domain (log, sqrt).
/// </summary>
public sealed record Domain(string Name, Func<Random, int, double[]> Draw)
{
    public static readonly Domain Any = new("any", (r, n) => Fill(n, () => r.NextDouble() * 4 - 2));

    public static readonly Domain Positive = new("positive", (r, n) => Fill(n, () => 0.5 + r.NextDouble() * 2));

    /// <summary>|x| ∈ [0.1, 2]: away from the kink at 0.</summary>
    public static readonly Domain AwayFromZero = new("away-from-zero", (r, n) => Fill(n, () => (r.Next(2) * 2 - 1) * (0.1 + r.NextDouble() * 1.9)));

    /// <summary>|x| ∈ [0.5, 2]: safe divisors.</summary>
    public static readonly Domain Divisor = new("divisor", (r, n) => Fill(n, () => (r.Next(2) * 2 - 1) * (0.5 + r.NextDouble() * 1.5)));

    /// <summary>At least 0.05 away from the clamp bounds ±1 used by the registry.</summary>
    public static readonly Domain AwayFromUnitBounds = new("away-from-±1", (r, n) => Fill(n, () =>
    {
        double v;
        do v = r.NextDouble() * 4 - 2; while (Math.Abs(Math.Abs(v) - 1) < 0.05);
        return v;
    }));

    /// <summary>All values distinct and at least 0.09 apart, so no max has a tie within a finite-difference step.</summary>
    public static readonly Domain Distinct = new("distinct", (r, n) =>
    {
        var values = Enumerable.Range(0, n).Select(i => (i - n / 2.0) * 0.1 + r.NextDouble() * 0.01).ToArray();
        r.Shuffle(values);
        return values;
    });

    private static double[] Fill(int n, Func<double> next)
    {
        var values = new double[n];
        for (int i = 0; i < n; i++) values[i] = next();
        return values;
    }

    public override string ToString() => Name;
}
