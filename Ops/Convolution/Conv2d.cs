using System.Buffers;
using System.Runtime.CompilerServices;
using AutoGrad.Ops.Kernels;

namespace AutoGrad.Ops;

/// <summary>
/// 2-D cross-correlation (PyTorch's Conv2d), NCHW: x [N, C, H, W], weight [O, C, kh, kw], bias [O].
/// out[n, o] = Σ_{c,ky,kx} w[o,c,ky,kx] · x[n, c, y·s+ky−p, x·s+kx−p] + b[o]. VJP: ∂L/∂W = Σ G·colᵀ,
/// ∂L/∂x = fold(Wᵀ·G) (a full correlation of G with the flipped kernel), ∂L/∂b = Σ G. float convolutions with
/// stride 1 on AVX-512 run the direct kernels (<see cref="DirectConvolution"/>) unless the current
/// <see cref="ComputeSettings.Convolution"/> asks for <see cref="ConvAlgorithm.Gemm"/>; the rest, double included, tiled
/// im2col + GEMM (<see cref="ConvKernel"/>). Work is cut into units fixed by the shapes (<see cref="ConvPlan"/>,
/// or images and slots); per-unit weight and bias gradients are summed in unit order, so results are the same
/// for every thread count.
/// </summary>
[Op("conv2d")]
public static class Conv2d
{
    /// <summary>
    /// Convolves <paramref name="x"/> [N, C, H, W] with <paramref name="weight"/> [O, C, kh, kw], adds <paramref name="bias"/> [O]
    /// (optional), with the given <paramref name="stride"/> and zero <paramref name="padding"/> on every side.
    /// </summary>
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
        var plan = new ConvPlan(batch, g);
        var output = TensorPool.Rent<T>([batch, outC, g.OutHeight, g.OutWidth], clear: false);
        var bv = bias?.Value;
        bool direct = typeof(T) == typeof(float) && Compute.Current.Convolution != ConvAlgorithm.Gemm && DirectConvolution.Applies(g, outC);
        if (direct)
            DirectConvolution.Forward(Unsafe.As<float[]>(xv.Data), batch, g, Unsafe.As<float[]>(wv.Data), Unsafe.As<float[]?>(bv?.Data), outC, Unsafe.As<float[]>(output.Data));
        else
            Threading.Each(plan.Units, u =>
                ConvKernel.ForwardUnit(plan, u, outC, xv.Data, wv.Data, bv is null ? default : bv.Data, output.Data));
        var attrs = new Dictionary<string, string> { ["k"] = $"{g.KernelH}x{g.KernelW}", ["s"] = stride.ToString(), ["p"] = padding.ToString() };
        Node<T>[] inputs = bias is null ? [x, weight] : [x, weight, bias];
        return Node<T>.FromOp("conv2d", output, inputs, grad => direct ? DirectBackward(plan, x, weight, bias, grad) : Backward(plan, x, weight, bias, grad), attrs);
    }

    private static Tensor<T>?[] DirectBackward<T>(ConvPlan plan, Node<T> x, Node<T> weight, Node<T>? bias, Tensor<T> grad)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (xv, wv) = (x.Value, weight.Value);
        int outC = wv.Shape[0];
        var gx = x.RequiresGrad ? TensorPool.Rent<T>(xv.Shape, clear: false) : null;
        var gw = weight.RequiresGrad ? TensorPool.Rent<T>(wv.Shape, clear: false) : null;
        var gb = bias is { RequiresGrad: true } ? TensorPool.Rent<T>([outC], clear: false) : null;
        DirectConvolution.Backward(Unsafe.As<float[]>(xv.Data), plan.Batch, plan.Geometry, Unsafe.As<float[]>(wv.Data), outC, Unsafe.As<float[]>(grad.Data),
            Unsafe.As<float[]?>(gx?.Data), gw is null ? default : Unsafe.As<float[]>(gw.Data), gb is null ? default : Unsafe.As<float[]>(gb.Data), gw is not null, gb is not null);
        return bias is null ? [gx, gw] : [gx, gw, gb];
    }

    /// <summary>Upper bound on per-backward weight-gradient partial copies (parallel slack for 2–16 threads).</summary>
    private const int PartialSlots = 16;

    private static Tensor<T>?[] Backward<T>(ConvPlan plan, Node<T> x, Node<T> weight, Node<T>? bias, Tensor<T> grad)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (xv, wv) = (x.Value, weight.Value);
        int outC = wv.Shape[0], patch = plan.Geometry.PatchSize, units = plan.Units;
        var gx = x.RequiresGrad ? TensorPool.Rent<T>(xv.Shape, clear: true) : null;
        bool needW = weight.RequiresGrad, needB = bias is { RequiresGrad: true };
        // Weight and bias gradients go into a fixed number of partial slots (at most PartialSlots, whatever the
        // batch): slot s sums its contiguous run of units in order, then the slots are summed in order. Memory
        // stays bounded by PartialSlots weight copies, and the result does not depend on the thread count.
        int slots = Math.Min(units, PartialSlots);
        if ((long)slots * outC * patch > Array.MaxLength)
            throw new AutoGradException($"conv2d weight {Shapes.Format(wv.Shape)} is too large for its gradient partials");
        var dw = needW ? ArrayPool<T>.Shared.Rent(slots * outC * patch) : null;
        var db = needB ? ArrayPool<T>.Shared.Rent(slots * outC) : null;
        Threading.Each(slots, s =>
        {
            int start = (int)((long)units * s / slots), end = (int)((long)units * (s + 1) / slots);
            for (int u = start; u < end; u++)
                ConvKernel.BackwardUnit(plan, u, outC, xv.Data, wv.Data, grad.Data, dw, s * outC * patch,
                    db is null ? default : db.AsSpan(s * outC, outC), gx is null ? default : gx.Data, addToPartials: u > start);
        });
        Tensor<T>? gw = null, gb = null;
        if (dw is not null)
        {
            gw = TensorPool.Rent<T>(wv.Shape, clear: false);
            dw.AsSpan(0, outC * patch).CopyTo(gw.Data);
            for (int s = 1; s < slots; s++) TP.Add(gw.Data, dw.AsSpan(s * outC * patch, outC * patch), gw.Data);
            ArrayPool<T>.Shared.Return(dw);
        }
        if (db is not null)
        {
            gb = TensorPool.Rent<T>([outC], clear: false);
            db.AsSpan(0, outC).CopyTo(gb.Data);
            for (int s = 1; s < slots; s++) TP.Add(gb.Data, db.AsSpan(s * outC, outC), gb.Data);
            ArrayPool<T>.Shared.Return(db);
        }
        return bias is null ? [gx, gw] : [gx, gw, gb];
    }
}
