using AutoGrad.Ops.Kernels;

namespace AutoGrad.Ops;

/// <summary>a − b with broadcasting. ∂/∂a = 1, ∂/∂b = −1.</summary>
[Op("sub")]
public static class Sub
{
    /// <summary>Records a − b (shapes broadcast NumPy-style), with its VJP.</summary>
    public static Node<T> Apply<T>(Node<T> a, Node<T> b) where T : unmanaged, IFloatingPointIeee754<T>
        => Node<T>.FromOp("sub", BroadcastKernel.Apply<T, SubtractOperator<T>>(a.Value, b.Value), [a, b], grad =>
        {
            var negated = TensorPool.Rent<T>(grad.Shape, clear: true);
            TP.Negate(grad.Data, negated.Data);
            return [grad, negated];
        });
}
