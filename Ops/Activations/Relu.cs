namespace AutoGrad.Ops;

/// <summary>max(x, 0). ∂/∂x = 1 where the output is positive, else 0 (subgradient 0 at x = 0, as PyTorch). Backward reads the saved output, never re-runs forward.</summary>
[Op("relu")]
public static class Relu
{
    public static Node<T> Apply<T>(Node<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var output = Unary.Map(x.Value, (s, d) => TP.Max(s, T.Zero, d));
        return Node<T>.FromOp("relu", output, [x], grad => [Backward(grad, output)]);
    }

    internal static Tensor<T> Backward<T>(Tensor<T> grad, Tensor<T> output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = new Tensor<T>(grad.Shape);
        var o = output.Data; var gi = grad.Data; var go = g.Data;
        for (int i = 0; i < go.Length; i++) go[i] = o[i] > T.Zero ? gi[i] : T.Zero;
        return g;
    }
}
