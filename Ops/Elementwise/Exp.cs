namespace AutoGrad.Ops;

/// <summary>eˣ. ∂/∂x = eˣ: backward reuses the saved output.</summary>
[Op("exp")]
public static class Exp
{
    /// <summary>Records eˣ element-wise; backward keeps the saved output only.</summary>
    public static Node<T> Apply<T>(Node<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var output = Unary.Map(x.Value, (s, d) => TP.Exp(s, d));
        return Node<T>.FromOp("exp", output, [x], grad => [Unary.Times(grad, output.Clone())]);
    }
}
