using AutoGrad.Ops.Kernels;

namespace AutoGrad.Ops;

/// <summary>a + b with NumPy broadcasting. ∂/∂a = ∂/∂b = 1: the upstream gradient passes to both (the engine sums it over broadcast dimensions).</summary>
[Op("add")]
public static class Add
{
    /// <summary>Records a + b (shapes broadcast NumPy-style), with its VJP.</summary>
    public static Node<T> Apply<T>(Node<T> a, Node<T> b) where T : unmanaged, IFloatingPointIeee754<T>
        => Node<T>.FromOp("add", BroadcastKernel.Apply<T, AddOperator<T>>(a.Value, b.Value), [a, b], grad => [grad, grad]);
}
