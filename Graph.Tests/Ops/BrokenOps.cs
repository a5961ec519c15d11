using AutoGrad.Ops;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// The report's wrong ops, rebuilt on purpose (test-only, never registered as [Op]): each pairs a forward
/// with a backward that does not match it. The gradient check must reject every one.
/// </summary>
public static class BrokenOps
{
    /// <summary>Forward sums patch + weight instead of patch · weight; backward is the real conv's.</summary>
    public static Node<double> ConvThatAdds(Node<double> x, Node<double> w)
    {
        var real = Conv2d.Apply(x, w, null);
        var output = real.Value.Clone();
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], wd = x.Shape[3], o = w.Shape[0], kh = w.Shape[2], kw = w.Shape[3];
        int oh = h - kh + 1, ow = wd - kw + 1;
        for (int b = 0; b < n; b++)
            for (int oc = 0; oc < o; oc++)
                for (int y = 0; y < oh; y++)
                    for (int xx = 0; xx < ow; xx++)
                    {
                        double sum = 0;
                        for (int ic = 0; ic < c; ic++)
                            for (int ky = 0; ky < kh; ky++)
                                for (int kx = 0; kx < kw; kx++)
                                    sum += x.Value[b, ic, y + ky, xx + kx] + w.Value[oc, ic, ky, kx];
                        output[b, oc, y, xx] = sum;
                    }
        return Node<double>.FromOp("broken_conv_adds", output, [x, w], real.Backward!);
    }

    /// <summary>Correct conv forward whose backward never stores the weight gradient.</summary>
    public static Node<double> ConvWithoutWeightGradient(Node<double> x, Node<double> w)
    {
        var real = Conv2d.Apply(x, w, null);
        return Node<double>.FromOp("broken_conv_no_dw", real.Value, [x, w], grad => [real.Backward!(grad)[0], null]);
    }

    /// <summary>Swish whose backward returns the local derivative without multiplying by the upstream gradient.</summary>
    public static Node<double> SwishMissingUpstream(Node<double> x)
    {
        var real = Swish.Apply(x);
        return Node<double>.FromOp("broken_swish", real.Value, [x], grad =>
        {
            var local = new Tensor<double>(x.Shape);
            for (int i = 0; i < local.Length; i++)
            {
                double v = x.Value.Data[i], s = 1 / (1 + Math.Exp(-v));
                local.Data[i] = s * (1 + v * (1 - s));
            }
            return [local];
        });
    }

    /// <summary>ReLU whose backward calls the forward on the upstream gradient: relu(grad).</summary>
    public static Node<double> ReluBackwardCallsForward(Node<double> x)
    {
        var real = Relu.Apply(x);
        return Node<double>.FromOp("broken_relu", real.Value, [x], grad => [Relu.Apply(Node<double>.Constant(grad)).Value]);
    }

    /// <summary>Sigmoid whose backward computes s(1−s) from the pre-activation x instead of the output σ(x).</summary>
    public static Node<double> SigmoidBackwardFromPreActivation(Node<double> x)
    {
        var real = Sigmoid.Apply(x);
        return Node<double>.FromOp("broken_sigmoid", real.Value, [x], grad =>
        {
            var g = new Tensor<double>(x.Shape);
            for (int i = 0; i < g.Length; i++) { double v = x.Value.Data[i]; g.Data[i] = grad.Data[i] * v * (1 - v); }
            return [g];
        });
    }

    /// <summary>
    /// 2x into a rented buffer it wrongly assumes is zero (rented with clear: false, then added into twice): right
    /// on a fresh buffer, wrong on a recycled one. Followed by exp so its output is an interior value the pool recycles.
    /// </summary>
    public static Node<double> DoubleIntoUnclearedBuffer(Node<double> x)
    {
        var output = TensorPool.Rent<double>(x.Shape, clear: false);
        for (int i = 0; i < output.Length; i++) output.Data[i] += 2 * x.Value.Data[i];
        var doubled = Node<double>.FromOp("broken_uncleared", output, [x], grad =>
        {
            var g = TensorPool.Rent<double>(grad.Shape, clear: false);
            for (int i = 0; i < g.Length; i++) g.Data[i] = 2 * grad.Data[i];
            return [g];
        });
        return Exp.Apply(doubled);
    }
}
