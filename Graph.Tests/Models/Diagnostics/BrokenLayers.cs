using System.Numerics;
using AutoGrad.Models.Diagnostics;
using AutoGrad.Models.Layers;
using AutoGrad.Models.Specs;
using AutoGrad.Ops;

namespace AutoGrad.Tests.Models.Diagnostics;

/// <summary>The report's failures as layers, in any element type, for injection into a real model.</summary>
public enum Fault
{
    ConvAdds, ConvNoWeightGradient, ConvWrongInputGradient, SwishMissingUpstream, ReluBackwardCallsForward,
    SigmoidBackwardFromPreActivation, SoftmaxAtEnd,
}

/// <summary>Replaces the named layer (default: the first of the fault's kind) with a broken twin that keeps its parameters.</summary>
public sealed class InjectFault(Fault fault, string layer) : ILayerSubstitution
{
    public Layer<T> Substitute<T>(Layer<T> original, LayerSpec spec) where T : unmanaged, IFloatingPointIeee754<T> =>
        original.Name != layer ? original : new BrokenLayer<T>(original, spec, fault);
}

public sealed class BrokenLayer<T>(Layer<T> inner, LayerSpec spec, Fault fault) : Layer<T>(inner.Name, inner.Type, inner.InputShape, inner.OutputShape)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override IReadOnlyList<Node<T>> Parameters => inner.Parameters;

    public override Node<T> Forward(Node<T> x, ForwardContext context)
    {
        var real = inner.Forward(x, context);
        var ps = inner.Parameters;
        int stride = spec.Stride ?? 1, padding = spec.Padding ?? 0;
        switch (fault)
        {
            case Fault.ConvAdds:
                return Node<T>.FromOp("conv2d_adds", AddingConv(x.Value, ps[0].Value, ps.Count > 1 ? ps[1].Value : null, padding), [x, .. ps], real.Backward!);
            case Fault.ConvNoWeightGradient:
                return Node<T>.FromOp("conv2d_no_dw", real.Value, [x, .. ps], g => { var r = real.Backward!(g); return [r[0], null, .. r.Skip(2)]; });
            case Fault.ConvWrongInputGradient:
                // The input gradient computed with the kernel not flipped: the real backward of a conv with the 180°-rotated kernel.
                var flipped = Node<T>.Parameter(Rotate(ps[0].Value), "flipped");
                var other = Conv2d.Apply(x, flipped, ps.Count > 1 ? ps[1] : null, stride, padding);
                return Node<T>.FromOp("conv2d_bad_dx", real.Value, [x, .. ps], g =>
                {
                    var r = real.Backward!(g);
                    return [other.Backward!(g)[0], .. r.Skip(1)];
                });
            case Fault.SwishMissingUpstream:
                return Node<T>.FromOp("swish_no_upstream", real.Value, [x], g => [Unary.Elementwise(x.Value, v =>
                {
                    T s = T.One / (T.One + T.Exp(-v));
                    return s * (T.One + v * (T.One - s));
                })]);
            case Fault.ReluBackwardCallsForward:
                return Node<T>.FromOp("relu_calls_forward", real.Value, [x], g => [Relu.Apply(Node<T>.Constant(g)).Value]);
            case Fault.SigmoidBackwardFromPreActivation:
                return Node<T>.FromOp("sigmoid_from_x", real.Value, [x], g =>
                {
                    var local = Unary.Elementwise(x.Value, v => v * (T.One - v));
                    return [Unary.Times(g, local)];
                });
            case Fault.SoftmaxAtEnd:
                return Softmax.Apply(real);
            default: throw new InvalidOperationException($"unknown fault {fault}");
        }
    }

    private static Tensor<T> AddingConv(Tensor<T> x, Tensor<T> w, Tensor<T>? b, int pad)
    {
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], wd = x.Shape[3], o = w.Shape[0], k = w.Shape[2];
        int oh = h + 2 * pad - k + 1, ow = wd + 2 * pad - k + 1;
        var y = new Tensor<T>(n, o, oh, ow);
        for (int s = 0; s < n; s++)
            for (int oc = 0; oc < o; oc++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        T sum = b is null ? T.Zero : b.Data[oc];
                        for (int ic = 0; ic < c; ic++)
                            for (int ky = 0; ky < k; ky++)
                                for (int kx = 0; kx < k; kx++)
                                {
                                    int yy = i + ky - pad, xx = j + kx - pad;
                                    T xv = (uint)yy < (uint)h && (uint)xx < (uint)wd ? x[s, ic, yy, xx] : T.Zero;
                                    sum += xv + w[oc, ic, ky, kx];   // the report's bug: + instead of ·
                                }
                        y[s, oc, i, j] = sum;
                    }
        return y;
    }

    private static Tensor<T> Rotate(Tensor<T> w)
    {
        var r = new Tensor<T>(w.Shape);
        int o = w.Shape[0], c = w.Shape[1], kh = w.Shape[2], kw = w.Shape[3];
        for (int a = 0; a < o; a++)
            for (int b = 0; b < c; b++)
                for (int i = 0; i < kh; i++)
                    for (int j = 0; j < kw; j++) r[a, b, i, j] = w[a, b, kh - 1 - i, kw - 1 - j];
        return r;
    }
}
