using System.Globalization;

namespace AutoGrad.Ops;

/// <summary>
/// min(max(x, lo), hi). ∂/∂x = 1 strictly inside [lo, hi], 0 outside; at the bounds we pass the
/// gradient (the subgradient PyTorch uses), which matters only on a set of measure zero.
/// </summary>
[Op("clamp")]
public static class Clamp
{
    /// <summary>Records x clamped to [<paramref name="min"/>, <paramref name="max"/>] (a null bound is open), with its VJP.</summary>
    public static Node<T> Apply<T>(Node<T> x, double? min, double? max) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (min is null && max is null) throw new AutoGradException("clamp needs a minimum, a maximum or both");
        if (min > max) throw new AutoGradException($"clamp minimum {min} exceeds maximum {max}");
        T lo = min is null ? T.NegativeInfinity : T.CreateTruncating(min.Value);
        T hi = max is null ? T.PositiveInfinity : T.CreateTruncating(max.Value);
        var input = x.Value;
        var attrs = new Dictionary<string, string>
        {
            ["min"] = min?.ToString(CultureInfo.InvariantCulture) ?? "-inf",
            ["max"] = max?.ToString(CultureInfo.InvariantCulture) ?? "inf",
        };
        return Node<T>.FromOp("clamp", Unary.Elementwise(input, v => T.Min(T.Max(v, lo), hi)), [x], grad =>
            [Unary.Times(grad, Unary.Elementwise(input, v => v >= lo && v <= hi ? T.One : T.Zero))], attrs);
    }
}
