namespace AutoGrad.Ops.Kernels;

/// <summary>
/// A tensor seen as [outer, length, inner] around one axis, so per-axis ops (softmax, log-softmax) walk
/// element (o, i, n) at o·length·inner + i·inner + n.
/// </summary>
public readonly record struct AxisLayout(int Outer, int Length, int Inner)
{
    /// <summary>The layout of <paramref name="shape"/> around <paramref name="axis"/> (negative counts from the end).</summary>
    public static AxisLayout Of(int[] shape, int axis)
    {
        int a = Shapes.Axis(axis, shape.Length);
        int outer = 1, inner = 1;
        for (int i = 0; i < a; i++) outer *= shape[i];
        for (int i = a + 1; i < shape.Length; i++) inner *= shape[i];
        return new AxisLayout(outer, shape[a], inner);
    }

    /// <summary>Offset of the first element of line (<paramref name="o"/>, <paramref name="n"/>); its elements are <see cref="Inner"/> apart.</summary>
    public int Offset(int o, int n) => o * Length * Inner + n;
}
