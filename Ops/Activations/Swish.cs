namespace AutoGrad.Ops;

/// <summary>
/// Swish/SiLU: x·σ(x). ∂/∂x = σ(x)·(1 + x·(1 − σ(x))), multiplied by the upstream gradient (the
/// report's Swish backward forgot that factor).
/// </summary>
[Op("swish")]
public static class Swish
{
    public static Node<T> Apply<T>(Node<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var input = x.Value;
        var sigma = Unary.Map(input, (s, d) => TP.Sigmoid(s, d));
        var output = new Tensor<T>(input.Shape);
        TP.Multiply(input.Data, sigma.Data, output.Data);
        return Node<T>.FromOp("swish", output, [x], grad =>
        {
            var local = new Tensor<T>(input.Shape);
            var xs = input.Data; var ss = sigma.Data; var l = local.Data;
            for (int i = 0; i < l.Length; i++) l[i] = ss[i] * (T.One + xs[i] * (T.One - ss[i]));
            return [Unary.Times(grad, local)];
        });
    }
}
