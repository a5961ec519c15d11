namespace AutoGrad.Ops;

/// <summary>ln x (x &gt; 0). ∂/∂x = 1/x.</summary>
[Op("log")]
public static class Log
{
    /// <summary>Records ln x element-wise, with its VJP.</summary>
    public static Node<T> Apply<T>(Node<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var input = x.Value;
        return Node<T>.FromOp("log", Unary.Map(input, (s, d) => TP.Log(s, d)), [x], grad =>
        {
            var g = TensorPool.Rent<T>(grad.Shape, clear: true);
            TP.Divide(grad.Data, input.Data, g.Data);
            return [g];
        });
    }
}
