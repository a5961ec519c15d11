namespace AutoGrad.Ops;

/// <summary>−x. ∂/∂x = −1.</summary>
[Op("neg")]
public static class Neg
{
    /// <summary>Records −x element-wise, with its VJP.</summary>
    public static Node<T> Apply<T>(Node<T> x) where T : unmanaged, IFloatingPointIeee754<T>
        => Node<T>.FromOp("neg", Unary.Map(x.Value, (s, d) => TP.Negate(s, d)), [x], grad => [Unary.Map(grad, (s, d) => TP.Negate(s, d))]);
}
