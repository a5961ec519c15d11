using AutoGrad.Ops.Kernels;

namespace AutoGrad.Ops;

/// <summary>
/// Fully connected layer y = x·Wᵀ + b with PyTorch's weight layout W [out, in], x [N, in], b [out].
/// VJP: ∂L/∂x = G·W, ∂L/∂W = Gᵀ·x, ∂L/∂b = Σₙ G.
/// </summary>
[Op("linear")]
public static class Linear
{
    /// <summary>Records x·Wᵀ (+ bias) for x [N, in] and <paramref name="weight"/> [out, in], with its VJP.</summary>
    public static Node<T> Apply<T>(Node<T> x, Node<T> weight, Node<T>? bias = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (xv, wv) = (x.Value, weight.Value);
        if (xv.Rank != 2 || wv.Rank != 2 || xv.Shape[1] != wv.Shape[1])
            throw new AutoGradException($"linear expects input [N, in] and weight [out, in], got {Shapes.Format(xv.Shape)} and {Shapes.Format(wv.Shape)}");
        int batch = xv.Shape[0], inF = xv.Shape[1], outF = wv.Shape[0];
        if (bias is not null && (bias.Value.Rank != 1 || bias.Value.Length != outF))
            throw new AutoGradException($"linear bias must be [{outF}], got {Shapes.Format(bias.Value.Shape)}");
        var output = TensorPool.Rent<T>([batch, outF], clear: false);
        Gemm.Multiply(false, true, batch, outF, inF, xv.Data, 0, wv.Data, 0, output.Data, 0, false);
        if (bias is not null)
            for (int n = 0; n < batch; n++) TP.Add(output.Data.AsSpan(n * outF, outF), bias.Value.Data, output.Data.AsSpan(n * outF, outF));
        Node<T>[] inputs = bias is null ? [x, weight] : [x, weight, bias];
        return Node<T>.FromOp("linear", output, inputs, grad =>
        {
            Tensor<T>? gx = null, gw = null, gb = null;
            if (x.RequiresGrad)
            {
                gx = TensorPool.Rent<T>([batch, inF], clear: false);
                Gemm.Multiply(false, false, batch, inF, outF, grad.Data, 0, wv.Data, 0, gx.Data, 0, false);
            }
            if (weight.RequiresGrad)
            {
                gw = TensorPool.Rent<T>([outF, inF], clear: false);
                Gemm.Multiply(true, false, outF, inF, batch, grad.Data, 0, xv.Data, 0, gw.Data, 0, false);
            }
            if (bias is { RequiresGrad: true })
            {
                gb = TensorPool.Rent<T>([outF], clear: true);
                for (int n = 0; n < batch; n++) TP.Add(gb.Data, grad.Data.AsSpan(n * outF, outF), gb.Data);
            }
            return bias is null ? [gx, gw] : [gx, gw, gb];
        }, new Dictionary<string, string> { ["in"] = inF.ToString(), ["out"] = outF.ToString() });
    }
}
