using AutoGrad.Ops.Kernels;

namespace AutoGrad.Ops;

/// <summary>max(x, 0). ∂/∂x = 1 where the output is positive, else 0 (subgradient 0 at x = 0, as PyTorch). Backward reads the saved output, never re-runs forward.</summary>
[Op("relu")]
public static class Relu
{
    /// <summary>Records max(x, 0) element-wise; backward keeps the saved output only.</summary>
    public static Node<T> Apply<T>(Node<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var output = Unary.Map(x.Value, (s, d) => TP.Max(s, T.Zero, d));
        return Node<T>.FromOp("relu", output, [x], grad => [Backward(grad, output)]);
    }

    internal static Tensor<T> Backward<T>(Tensor<T> grad, Tensor<T> output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = TensorPool.Rent<T>(grad.Shape, clear: false);
        var (o, gi, go) = (output.Data, grad.Data, g.Data);
        Threading.For(go.Length, Unary.ParallelGrain, (_, start, end) =>
            ReluKernel.Backward<T>(o.AsSpan(start, end - start), gi.AsSpan(start, end - start), go.AsSpan(start, end - start)));
        return g;
    }
}
