using AutoGrad.Ops.Kernels;

namespace AutoGrad.Ops;

/// <summary>a / b element-wise with broadcasting. ∂/∂a = 1/b, ∂/∂b = −a/b² = −out/b.</summary>
[Op("div")]
public static class Div
{
    /// <summary>Records a / b (shapes broadcast NumPy-style), with its VJP.</summary>
    public static Node<T> Apply<T>(Node<T> a, Node<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var bv = b.Value;
        var output = BroadcastKernel.Apply<T, DivideOperator<T>>(a.Value, bv);
        return Node<T>.FromOp("div", output, [a, b], grad =>
        {
            var ga = BroadcastKernel.Apply<T, DivideOperator<T>>(grad, bv);
            Tensor<T>? gb = null;
            if (b.RequiresGrad)
            {
                gb = BroadcastKernel.Apply<T, MultiplyOperator<T>>(ga, output);
                TP.Negate(gb.Data, gb.Data);
            }
            return [a.RequiresGrad ? ga : null, gb];
        });
    }
}
