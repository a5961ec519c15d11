namespace AutoGrad.Ops;

/// <summary>
/// Swish/SiLU: x·σ(x). ∂/∂x = σ(x)·(1 + x·(1 − σ(x))), multiplied by the upstream gradient (the
/// report's Swish backward forgot that factor).
/// </summary>
[Op("swish")]
public static class Swish
{
    /// <summary>Records x·σ(x) element-wise, with the VJP above as its backward.</summary>
    public static Node<T> Apply<T>(Node<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var input = x.Value;
        var sigma = Unary.Map(input, (s, d) => TP.Sigmoid(s, d));
        var output = TensorPool.Rent<T>(input.Shape, clear: false);
        var (xs, ss, os) = (input.Data, sigma.Data, output.Data);
        Threading.For(os.Length, Unary.ParallelGrain, (_, start, end) =>
            TP.Multiply(xs.AsSpan(start, end - start), ss.AsSpan(start, end - start), os.AsSpan(start, end - start)));
        return Node<T>.FromOp("swish", output, [x], grad =>
        {
            var local = TensorPool.Rent<T>(input.Shape, clear: false);
            var (l, gs) = (local.Data, grad.Data);
            Threading.For(l.Length, Unary.ParallelGrain, (_, start, end) =>
            {
                // Block by block so the four vectorised passes run over data still in L1.
                for (int i = start; i < end; i += 2048)
                {
                    int n = Math.Min(2048, end - i);
                    ReadOnlySpan<T> xi = xs.AsSpan(i, n), si = ss.AsSpan(i, n);
                    var li = l.AsSpan(i, n);
                    TP.Negate(si, li);
                    TP.Add(li, T.One, li);                // 1 − σ
                    TP.MultiplyAdd(xi, li, T.One, li);    // 1 + x·(1 − σ)
                    TP.Multiply(li, si, li);
                    TP.Multiply(li, gs.AsSpan(i, n), li);
                }
            });
            return [local];
        }, scratch: [sigma.Data]);
    }
}
