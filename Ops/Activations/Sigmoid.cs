namespace AutoGrad.Ops;

/// <summary>σ(x) = 1/(1+e⁻ˣ). ∂/∂x = σ(x)(1−σ(x)), computed from the saved output σ, not from the pre-activation.</summary>
[Op("sigmoid")]
public static class Sigmoid
{
    /// <summary>Records σ(x) element-wise; backward keeps the saved output only.</summary>
    public static Node<T> Apply<T>(Node<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var output = Unary.Map(x.Value, (s, d) => TP.Sigmoid(s, d));
        return Node<T>.FromOp("sigmoid", output, [x], grad =>
            [Unary.Times(grad, Unary.Elementwise(output, s => s * (T.One - s)))]);
    }
}
