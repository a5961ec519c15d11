namespace AutoGrad.Ops;

/// <summary>√x (x &gt; 0). ∂/∂x = 1/(2√x): backward reuses the saved output.</summary>
[Op("sqrt")]
public static class Sqrt
{
    /// <summary>Records √x element-wise; backward keeps the saved output only.</summary>
    public static Node<T> Apply<T>(Node<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var output = Unary.Map(x.Value, (s, d) => TP.Sqrt(s, d));
        return Node<T>.FromOp("sqrt", output, [x], grad =>
        {
            var g = TensorPool.Rent<T>(grad.Shape, clear: true);
            TP.Divide(grad.Data, output.Data, g.Data);
            TP.Multiply(g.Data, T.CreateTruncating(0.5), g.Data);
            return [g];
        });
    }
}
