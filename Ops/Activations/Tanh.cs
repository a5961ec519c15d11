namespace AutoGrad.Ops;

/// <summary>tanh x. ∂/∂x = 1 − tanh²x, from the saved output.</summary>
[Op("tanh")]
public static class Tanh
{
    /// <summary>Records tanh x element-wise; backward keeps the saved output only.</summary>
    public static Node<T> Apply<T>(Node<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var output = Unary.Map(x.Value, (s, d) => TP.Tanh(s, d));
        return Node<T>.FromOp("tanh", output, [x], grad =>
            [Unary.Times(grad, Unary.Elementwise(output, t => T.One - t * t))]);
    }
}
