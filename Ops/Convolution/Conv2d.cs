using System.Buffers;
using AutoGrad.Ops.Kernels;

namespace AutoGrad.Ops;

/// <summary>
/// 2-D cross-correlation (PyTorch's Conv2d), NCHW: x [N, C, H, W], weight [O, C, kh, kw], bias [O].
/// out[n, o] = Σ_{c,ky,kx} w[o,c,ky,kx] · x[n, c, y·s+ky−p, x·s+kx−p] + b[o], computed as im2col + GEMM.
/// VJP: ∂L/∂W = Σₙ Gₙ·colₙᵀ, ∂L/∂x = fold(Wᵀ·Gₙ), ∂L/∂b = Σ G. Work is split into a fixed number of batch
/// chunks and per-chunk weight gradients are summed in chunk order, so results depend only on the thread count.
/// </summary>
[Op("conv2d")]
public static class Conv2d
{
    public static Node<T> Apply<T>(Node<T> x, Node<T> weight, Node<T>? bias, int stride = 1, int padding = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (xv, wv) = (x.Value, weight.Value);
        if (xv.Rank != 4 || wv.Rank != 4 || xv.Shape[1] != wv.Shape[1])
            throw new AutoGradException($"conv2d expects input [N, C, H, W] and weight [O, C, kh, kw] with equal C, got {Shapes.Format(xv.Shape)} and {Shapes.Format(wv.Shape)}");
        if (stride < 1 || padding < 0) throw new AutoGradException($"conv2d stride must be ≥ 1 and padding ≥ 0 (got {stride}, {padding})");
        int batch = xv.Shape[0], outC = wv.Shape[0];
        var g = new ConvGeometry(xv.Shape[1], xv.Shape[2], xv.Shape[3], wv.Shape[2], wv.Shape[3], stride, padding);
        if (g.Height + 2 * padding < g.KernelH || g.Width + 2 * padding < g.KernelW)
            throw new AutoGradException($"conv2d kernel {g.KernelH}×{g.KernelW} is larger than the padded input {Shapes.Format(xv.Shape)} (padding {padding})");
        if (bias is not null && (bias.Value.Rank != 1 || bias.Value.Length != outC))
            throw new AutoGradException($"conv2d bias must be [{outC}], got {Shapes.Format(bias.Value.Shape)}");
        int positions = g.Positions, patch = g.PatchSize, imageSize = g.Channels * g.PlaneSize;
        var output = new Tensor<T>(batch, outC, g.OutHeight, g.OutWidth);
        var bv = bias?.Value;
        Threading.For(batch, 1, (_, start, end) =>
        {
            var col = ArrayPool<T>.Shared.Rent(patch * positions);
            for (int n = start; n < end; n++)
            {
                Im2Col.Unfold<T>(xv.Data.AsSpan(n * imageSize, imageSize), g, col);
                Gemm.Multiply(false, false, outC, positions, patch, wv.Data, 0, col, 0, output.Data, n * outC * positions, false, parallel: false);
                if (bv is not null)
                    for (int o = 0; o < outC; o++)
                    {
                        var plane = output.Data.AsSpan((n * outC + o) * positions, positions);
                        TP.Add(plane, bv.Data[o], plane);
                    }
            }
            ArrayPool<T>.Shared.Return(col);
        });
        var attrs = new Dictionary<string, string> { ["k"] = $"{g.KernelH}x{g.KernelW}", ["s"] = stride.ToString(), ["p"] = padding.ToString() };
        Node<T>[] inputs = bias is null ? [x, weight] : [x, weight, bias];
        return Node<T>.FromOp("conv2d", output, inputs, grad =>
        {
            var gx = x.RequiresGrad ? new Tensor<T>(xv.Shape) : null;
            Tensor<T>? gw = null, gb = null;
            int chunks = Threading.Chunks(batch, 1);
            var partials = weight.RequiresGrad ? new T[chunks][] : null;
            Threading.For(batch, 1, (chunk, start, end) =>
            {
                var col = ArrayPool<T>.Shared.Rent(patch * positions);
                T[]? dw = partials is null ? null : partials[chunk] = new T[outC * patch];
                for (int n = start; n < end; n++)
                {
                    int gOffset = n * outC * positions;
                    if (dw is not null)
                    {
                        Im2Col.Unfold<T>(xv.Data.AsSpan(n * imageSize, imageSize), g, col);
                        Gemm.Multiply(false, true, outC, patch, positions, grad.Data, gOffset, col, 0, dw, 0, true, parallel: false);
                    }
                    if (gx is not null)
                    {
                        Gemm.Multiply(true, false, patch, positions, outC, wv.Data, 0, grad.Data, gOffset, col, 0, false, parallel: false);
                        Im2Col.Fold<T>(col.AsSpan(0, patch * positions), g, gx.Data.AsSpan(n * imageSize, imageSize));
                    }
                }
                ArrayPool<T>.Shared.Return(col);
            });
            if (partials is not null)
            {
                gw = new Tensor<T>(wv.Shape);
                foreach (var part in partials) TP.Add(gw.Data, part, gw.Data);
            }
            if (bias is { RequiresGrad: true })
            {
                gb = new Tensor<T>(outC);
                for (int n = 0; n < batch; n++)
                    for (int o = 0; o < outC; o++)
                        gb.Data[o] += TP.Sum<T>(grad.Data.AsSpan((n * outC + o) * positions, positions));
            }
            return bias is null ? [gx, gw] : [gx, gw, gb];
        }, attrs);
    }
}
