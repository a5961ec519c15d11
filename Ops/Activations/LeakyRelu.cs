using System.Globalization;

namespace AutoGrad.Ops;

/// <summary>x for x &gt; 0, slope·x otherwise. ∂/∂x = 1 or slope (slope at x = 0).</summary>
[Op("leaky_relu")]
public static class LeakyRelu
{
    /// <summary>Records leaky ReLU of <paramref name="x"/> with negative-side <paramref name="slope"/>, with its VJP.</summary>
    public static Node<T> Apply<T>(Node<T> x, double slope = 0.01) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T a = T.CreateTruncating(slope);
        var input = x.Value;
        var attrs = new Dictionary<string, string> { ["slope"] = slope.ToString(CultureInfo.InvariantCulture) };
        return Node<T>.FromOp("leaky_relu", Unary.Elementwise(input, v => v > T.Zero ? v : a * v), [x], grad =>
            [Unary.Times(grad, Unary.Elementwise(input, v => v > T.Zero ? T.One : a))], attrs);
    }
}
