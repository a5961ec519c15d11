using AutoGrad.Ops.Kernels;

namespace AutoGrad.Ops;

/// <summary>
/// softmax along <c>axis</c>: yᵢ = e^(xᵢ−max) / Σⱼ e^(xⱼ−max) (the max shift avoids overflow).
/// VJP: ∂L/∂xᵢ = yᵢ·(gᵢ − Σⱼ gⱼyⱼ). Do not feed its output to a cross-entropy that applies softmax again.
/// </summary>
[Op("softmax")]
public static class Softmax
{
    /// <summary>Records softmax of <paramref name="x"/> along <paramref name="axis"/> (negative counts from the end), with its VJP.</summary>
    public static Node<T> Apply<T>(Node<T> x, int axis = -1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var layout = AxisLayout.Of(x.Shape, axis);
        var output = TensorPool.Rent<T>(x.Shape, clear: true);
        AxisLoops.ForEachLine(layout, x.Value.Data, output.Data, (src, dst) =>
        {
            T sum = LogSumExp.ShiftedExp<T>(src, dst, out _);
            TP.Divide(dst, sum, dst);
        });
        var attrs = new Dictionary<string, string> { ["axis"] = axis.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        return Node<T>.FromOp("softmax", output, [x], grad =>
        {
            var g = TensorPool.Rent<T>(grad.Shape, clear: true);
            AxisLoops.ForEachLine(layout, grad.Data, output.Data, g.Data, (gl, yl, dl) =>
            {
                T dot = TP.Dot<T>(gl, yl);
                TP.Subtract(gl, dot, dl);
                TP.Multiply(dl, yl, dl);
            });
            return [g];
        }, attrs);
    }
}
