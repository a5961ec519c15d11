using AutoGrad.Ops.Kernels;

namespace AutoGrad.Ops;

/// <summary>
/// log-softmax along <c>axis</c>: yᵢ = xᵢ − max − log Σⱼ e^(xⱼ−max) (log-sum-exp, stable).
/// VJP: ∂L/∂xᵢ = gᵢ − e^(yᵢ)·Σⱼ gⱼ.
/// </summary>
[Op("log_softmax")]
public static class LogSoftmax
{
    /// <summary>Records log-softmax of <paramref name="x"/> along <paramref name="axis"/> (negative counts from the end), with its VJP.</summary>
    public static Node<T> Apply<T>(Node<T> x, int axis = -1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var layout = AxisLayout.Of(x.Shape, axis);
        var output = TensorPool.Rent<T>(x.Shape, clear: true);
        AxisLoops.ForEachLine(layout, x.Value.Data, output.Data, (src, dst) =>
        {
            T sum = LogSumExp.ShiftedExp<T>(src, dst, out T max);
            TP.Subtract(src, max + T.Log(sum), dst);
        });
        var attrs = new Dictionary<string, string> { ["axis"] = axis.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        return Node<T>.FromOp("log_softmax", output, [x], grad =>
        {
            var g = TensorPool.Rent<T>(grad.Shape, clear: true);
            AxisLoops.ForEachLine(layout, grad.Data, output.Data, g.Data, (gl, yl, dl) =>
            {
                T sum = TP.Sum<T>(gl);
                TP.Exp(yl, dl);
                TP.Multiply(dl, sum, dl);
                TP.Subtract(gl, dl, dl);
            });
            return [g];
        }, attrs);
    }
}
