namespace AutoGrad.Ops.Kernels;

/// <summary>
/// The log-sum-exp loop softmax, log-softmax and the fused cross-entropy share: a row's shifted exponentials
/// e^(xᵢ − max) and their sum, so that log Σ eˣ = max + log Σ e^(xᵢ − max). Subtracting the max first keeps every
/// exponential in (0, 1] (the largest is exactly 1): nothing overflows and the sum is at least 1, so its log
/// is safe. Each step is one vectorised TensorPrimitives pass.
/// </summary>
public static class LogSumExp
{
    /// <summary>Writes e^(xᵢ − max) into <paramref name="exps"/> (it may be <paramref name="x"/> itself) and returns their sum.</summary>
    public static T ShiftedExp<T>(ReadOnlySpan<T> x, Span<T> exps, out T max) where T : unmanaged, IFloatingPointIeee754<T>
    {
        System.Diagnostics.Debug.Assert(exps.Length == x.Length && x.Length > 0);
        max = TP.Max(x);
        TP.Subtract(x, max, exps);
        TP.Exp(exps, exps);
        return TP.Sum<T>(exps);
    }
}
