using AutoGrad.Ops.Kernels;

namespace AutoGrad.Ops;

/// <summary>a · b element-wise with broadcasting. ∂/∂a = b, ∂/∂b = a.</summary>
[Op("mul")]
public static class Mul
{
    /// <summary>Records a · b element-wise (shapes broadcast NumPy-style), with its VJP.</summary>
    public static Node<T> Apply<T>(Node<T> a, Node<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var av = a.Value; var bv = b.Value;
        return Node<T>.FromOp("mul", BroadcastKernel.Apply<T, MultiplyOperator<T>>(av, bv), [a, b], grad =>
        [
            a.RequiresGrad ? BroadcastKernel.Apply<T, MultiplyOperator<T>>(grad, bv) : null,
            b.RequiresGrad ? BroadcastKernel.Apply<T, MultiplyOperator<T>>(grad, av) : null,
        ]);
    }
}
