namespace AutoGrad.Ops;

/// <summary>
/// GELU, tanh form (PyTorch's approximate="tanh"): 0.5·x·(1 + tanh u), u = √(2/π)(x + 0.044715x³).
/// ∂/∂x = 0.5(1 + tanh u) + 0.5·x·(1 − tanh²u)·√(2/π)(1 + 3·0.044715x²).
/// The tanh form is used because .NET has no erf; it differs from the exact GELU by &lt; 1e-3.
/// </summary>
[Op("gelu")]
public static class Gelu
{
    private const double C = 0.044715;
    private static readonly double K = Math.Sqrt(2.0 / Math.PI);

    /// <summary>Records GELU(x) (tanh form) element-wise, with the VJP above as its backward.</summary>
    public static Node<T> Apply<T>(Node<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T c = T.CreateTruncating(C), k = T.CreateTruncating(K), half = T.CreateTruncating(0.5), three = T.CreateTruncating(3);
        var input = x.Value;
        var output = Unary.Elementwise(input, v => half * v * (T.One + T.Tanh(k * (v + c * v * v * v))));
        return Node<T>.FromOp("gelu", output, [x], grad => [Unary.Times(grad, Unary.Elementwise(input, v =>
        {
            T t = T.Tanh(k * (v + c * v * v * v));
            return half * (T.One + t) + half * v * (T.One - t * t) * k * (T.One + three * c * v * v);
        }))]);
    }
}
