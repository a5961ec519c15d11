using AutoGrad.Ops.Kernels;

namespace AutoGrad.Ops;

/// <summary>
/// Matrix product over the last two dimensions: [..., m, k] · [..., k, n] → [..., m, n]. Leading (batch)
/// dimensions must match, or one operand is a plain matrix shared by every batch entry.
/// VJP: ∂L/∂A = G·Bᵀ, ∂L/∂B = Aᵀ·G (a shared operand's gradient is summed over the batch by the engine).
/// </summary>
[Op("matmul")]
public static class MatMul
{
    /// <summary>Records the matrix product a·b (batched over leading dimensions), with its VJP.</summary>
    public static Node<T> Apply<T>(Node<T> a, Node<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (av, bv) = (a.Value, b.Value);
        if (av.Rank < 2 || bv.Rank < 2)
            throw new AutoGradException($"matmul needs matrices, got {Shapes.Format(av.Shape)} · {Shapes.Format(bv.Shape)}");
        int m = av.Shape[^2], k = av.Shape[^1], n = bv.Shape[^1];
        if (bv.Shape[^2] != k)
            throw new AutoGradException($"matmul inner dimensions differ: {Shapes.Format(av.Shape)} · {Shapes.Format(bv.Shape)}");
        var batchA = av.Shape[..^2]; var batchB = bv.Shape[..^2];
        if (batchA.Length > 0 && batchB.Length > 0 && !Shapes.Equal(batchA, batchB))
            throw new AutoGradException($"matmul batch dimensions differ: {Shapes.Format(av.Shape)} · {Shapes.Format(bv.Shape)}");
        var batchShape = batchA.Length > 0 ? batchA : batchB;
        int batch = Shapes.Size(batchShape);
        int strideA = batchA.Length > 0 ? m * k : 0, strideB = batchB.Length > 0 ? k * n : 0;
        var output = TensorPool.Rent<T>([.. batchShape, m, n], clear: true);
        for (int i = 0; i < batch; i++)
            Gemm.Multiply(false, false, m, n, k, av.Data, i * strideA, bv.Data, i * strideB, output.Data, i * m * n, false);
        return Node<T>.FromOp("matmul", output, [a, b], grad =>
        {
            Tensor<T>? ga = null, gb = null;
            if (a.RequiresGrad)
            {
                ga = TensorPool.Rent<T>([.. batchShape, m, k], clear: true);
                for (int i = 0; i < batch; i++)
                    Gemm.Multiply(false, true, m, k, n, grad.Data, i * m * n, bv.Data, i * strideB, ga.Data, i * m * k, false);
            }
            if (b.RequiresGrad)
            {
                gb = TensorPool.Rent<T>([.. batchShape, k, n], clear: true);
                for (int i = 0; i < batch; i++)
                    Gemm.Multiply(true, false, k, n, m, av.Data, i * strideA, grad.Data, i * m * n, gb.Data, i * k * n, false);
            }
            return [ga, gb];
        });
    }
}
